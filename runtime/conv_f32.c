/* Convolution and pooling kernels for float32 NHWC tensors; semantics of
   TFLM's reference kernels for float (reference_ops::Conv, DepthwiseConv,
   AveragePool and MaxPool). Each output is one float sum in TFLM's order,
   from 0, over the window's positions inside the input (padding is skipped,
   not read as zeros).

   Outputs are written in order (batch, y, x, channel), every channel of a
   pixel before the next pixel, and a pixel reads only its own window: the
   order tools/aot_overlap.py assumes when it lets the output overlap the
   input. */
#include <float.h>

#include "runtime/tflm_rt.h"

void tflm_rt_conv_f32(const tflm_rt_conv_shape *s, const float *input, const float *filter,
                      const float *bias, float *output, float activation_min,
                      float activation_max) {
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

void tflm_rt_depthwise_conv_f32(const tflm_rt_conv_shape *s, int depth_multiplier,
                                const float *input, const float *filter, const float *bias,
                                float *output, float activation_min, float activation_max) {
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

/* The window of output (oy, ox) clipped to the input, as TFLM's pooling
   computes it: filter rows [*y_start, *y_end) and columns [*x_start, *x_end). */
static void pool_window(const tflm_rt_conv_shape *s, int oy, int ox, int *y_start, int *y_end,
                        int *x_start, int *x_end) {
  const int in_y0 = oy * s->stride_height - s->pad_height;
  const int in_x0 = ox * s->stride_width - s->pad_width;
  *y_start = in_y0 < 0 ? -in_y0 : 0;
  *y_end = s->input_height - in_y0 < s->filter_height ? s->input_height - in_y0 : s->filter_height;
  *x_start = in_x0 < 0 ? -in_x0 : 0;
  *x_end = s->input_width - in_x0 < s->filter_width ? s->input_width - in_x0 : s->filter_width;
}

/* AVERAGE_POOL_2D (average != 0) or MAX_POOL_2D over the window of each
   output; -1 if an average's window holds no input element. */
static int pool_f32(const tflm_rt_conv_shape *s, int average, float activation_min,
                    float activation_max, const float *input, float *output) {
  const int depth = s->output_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        int y_start, y_end, x_start, x_end;
        pool_window(s, oy, ox, &y_start, &y_end, &x_start, &x_end);
        /* Element index of the window's corner, which may lie in the padding. */
        const int origin = ((b * s->input_height + oy * s->stride_height - s->pad_height) *
                                s->input_width + ox * s->stride_width - s->pad_width) * depth;
        float *out = output + ((b * s->output_height + oy) * s->output_width + ox) * depth;
        for (int c = 0; c < depth; ++c) {
          float total = 0.0f, max = -FLT_MAX;
          float count = 0.0f; /* a float, as TFLM counts */
          for (int fy = y_start; fy < y_end; ++fy) {
            for (int fx = x_start; fx < x_end; ++fx) {
              const float value = input[origin + (fy * s->input_width + fx) * depth + c];
              total += value;
              max = max < value ? value : max;
              count += 1.0f;
            }
          }
          if (average && count == 0.0f) return -1;
          out[c] = tflm_rt_clamp_f32(average ? total / count : max, activation_min, activation_max);
        }
      }
    }
  }
  return 0;
}

int tflm_rt_average_pool_f32(const tflm_rt_conv_shape *shape, float activation_min,
                             float activation_max, const float *input, float *output) {
  return pool_f32(shape, 1, activation_min, activation_max, input, output);
}

void tflm_rt_max_pool_f32(const tflm_rt_conv_shape *shape, float activation_min,
                          float activation_max, const float *input, float *output) {
  pool_f32(shape, 0, activation_min, activation_max, input, output);
}
