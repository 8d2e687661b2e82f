/* Convolution kernels for float32 NHWC tensors; semantics of TFLM's
   reference kernels for float (reference_ops::Conv and DepthwiseConv). Each
   output is one float sum in TFLM's order, from 0, over the window's
   positions inside the input (padding is skipped, not read as zeros).

   Outputs are written in order (batch, y, x, channel), every channel of a
   pixel before the next pixel, and a pixel reads only its own window: the
   order tools/aot_overlap.py assumes when it lets the output overlap the
   input. */
#include "runtime/conv.h"

#include "runtime/fixed_point.h"
#include "runtime/window.h"

void tflm_rt_conv_f32(float activation_min, float activation_max, const tflm_rt_conv_shape *s,
                      const float *input, const float *filter, const float *bias, float *output) {
  const int depth = s->input_channels;
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    for (int oc = 0; oc < s->output_channels; ++oc) {
      float total = 0.0f;
      for (int fy = w->y_start; fy < w->y_end; ++fy) {
        for (int fx = w->x_start; fx < w->x_end; ++fx) {
          const float *in = input + window_tap(s, w, fy, fx);
          const float *f = filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * depth;
          for (int ic = 0; ic < depth; ++ic) total += in[ic] * f[ic];
        }
      }
      output[at.output + oc] =
          tflm_rt_clamp_f32(total + (bias ? bias[oc] : 0.0f), activation_min, activation_max);
    }
  }
}

void tflm_rt_depthwise_conv_f32(float activation_min, float activation_max,
                                const tflm_rt_conv_shape *s, int depth_multiplier,
                                const float *input, const float *filter, const float *bias,
                                float *output) {
  const int channels = s->output_channels;
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    for (int ic = 0; ic < s->input_channels; ++ic) {
      for (int m = 0; m < depth_multiplier; ++m) {
        const int oc = m + ic * depth_multiplier;
        float total = 0.0f;
        for (int fy = w->y_start; fy < w->y_end; ++fy) {
          for (int fx = w->x_start; fx < w->x_end; ++fx) {
            total += input[window_tap(s, w, fy, fx) + ic] *
                     filter[(fy * s->filter_width + fx) * channels + oc];
          }
        }
        output[at.output + oc] =
            tflm_rt_clamp_f32(total + (bias ? bias[oc] : 0.0f), activation_min, activation_max);
      }
    }
  }
}
