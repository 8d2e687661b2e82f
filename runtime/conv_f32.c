/* Convolution kernels for float32 NHWC tensors; semantics of TFLM's
   reference kernels for float (reference_ops::Conv and DepthwiseConv). Each output is one float sum in TFLM's order,
   from 0, over the window's positions inside the input (padding is skipped,
   not read as zeros).

   Outputs are written in order (batch, y, x, channel), every channel of a
   pixel before the next pixel, and a pixel reads only its own window: the
   order tools/aot_overlap.py assumes when it lets the output overlap the
   input. */
#include "runtime/conv.h"

#include "runtime/fixed_point.h"

void tflm_rt_conv_f32(float activation_min, float activation_max, const tflm_rt_conv_shape *s,
                      const float *input, const float *filter, const float *bias, float *output) {
  const int depth = s->input_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        float *out = output + ((b * s->output_height + oy) * s->output_width + ox) * s->output_channels;
        for (int oc = 0; oc < s->output_channels; ++oc) {
          float total = 0.0f;
          for (int fy = 0; fy < s->filter_height; ++fy) {
            const int in_y = in_y0 + s->dilation_height * fy;
            if (in_y < 0 || in_y >= s->input_height) continue;
            for (int fx = 0; fx < s->filter_width; ++fx) {
              const int in_x = in_x0 + s->dilation_width * fx;
              if (in_x < 0 || in_x >= s->input_width) continue;
              const float *in = input + ((b * s->input_height + in_y) * s->input_width + in_x) * depth;
              const float *f = filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * depth;
              for (int ic = 0; ic < depth; ++ic) total += in[ic] * f[ic];
            }
          }
          out[oc] = tflm_rt_clamp_f32(total + (bias ? bias[oc] : 0.0f), activation_min,
                                      activation_max);
        }
      }
    }
  }
}

void tflm_rt_depthwise_conv_f32(float activation_min, float activation_max,
                                const tflm_rt_conv_shape *s, int depth_multiplier,
                                const float *input, const float *filter, const float *bias,
                                float *output) {
  const int channels = s->output_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        float *out = output + ((b * s->output_height + oy) * s->output_width + ox) * channels;
        for (int ic = 0; ic < s->input_channels; ++ic) {
          for (int m = 0; m < depth_multiplier; ++m) {
            const int oc = m + ic * depth_multiplier;
            float total = 0.0f;
            for (int fy = 0; fy < s->filter_height; ++fy) {
              const int in_y = in_y0 + s->dilation_height * fy;
              if (in_y < 0 || in_y >= s->input_height) continue;
              for (int fx = 0; fx < s->filter_width; ++fx) {
                const int in_x = in_x0 + s->dilation_width * fx;
                if (in_x < 0 || in_x >= s->input_width) continue;
                total += input[((b * s->input_height + in_y) * s->input_width + in_x) *
                                   s->input_channels + ic] *
                         filter[(fy * s->filter_width + fx) * channels + oc];
              }
            }
            out[oc] = tflm_rt_clamp_f32(total + (bias ? bias[oc] : 0.0f), activation_min,
                                        activation_max);
          }
        }
      }
    }
  }
}
