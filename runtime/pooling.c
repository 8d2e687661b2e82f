/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors; semantics of TFLM's
   reference kernels (reference_integer_ops::AveragePool and MaxPool, and
   reference_ops::AveragePool and MaxPool for float). The compiler refuses
   windows without an input element, so every count here is at least 1. */
#include "runtime/pooling.h"

#include <float.h>

#include "runtime/fixed_point.h"
#include "runtime/mve.h"

/* AVERAGE_POOL_2D (average != 0) or MAX_POOL_2D over the window of each output. */
static void pool_s8(int average, int32_t activation_min, int32_t activation_max,
                    const tflm_rt_conv_shape *s, const int8_t *input, int8_t *output) {
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_y0 = oy * s->stride_height - s->pad_height;
        const int in_x0 = ox * s->stride_width - s->pad_width;
        for (int c = 0; c < s->output_channels; ++c) {
          int32_t acc = average ? 0 : -128;
          int count = 0;
          for (int fy = 0; fy < s->filter_height; ++fy) {
            const int in_y = in_y0 + fy;
            if (in_y < 0 || in_y >= s->input_height) continue;
            for (int fx = 0; fx < s->filter_width; ++fx) {
              const int in_x = in_x0 + fx;
              if (in_x < 0 || in_x >= s->input_width) continue;
              const int32_t value =
                  input[((b * s->input_height + in_y) * s->input_width + in_x) * s->input_channels + c];
              if (average) {
                acc += value;
              } else if (value > acc) {
                acc = value;
              }
              ++count;
            }
          }
          if (average && count > 0) {
            /* Round half away from zero. */
            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          }
          output[((b * s->output_height + oy) * s->output_width + ox) * s->output_channels + c] =
              (int8_t)tflm_rt_clamp(acc, activation_min, activation_max);
        }
      }
    }
  }
}

void tflm_rt_average_pool_s8(int32_t activation_min, int32_t activation_max,
                             const tflm_rt_conv_shape *shape, const int8_t *input,
                             int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_average_pool_s8(activation_min, activation_max, shape, input, output);
  return;
#endif
  pool_s8(1, activation_min, activation_max, shape, input, output);
}

void tflm_rt_max_pool_s8(int32_t activation_min, int32_t activation_max,
                         const tflm_rt_conv_shape *shape, const int8_t *input, int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_max_pool_s8(activation_min, activation_max, shape, input, output);
  return;
#endif
  pool_s8(0, activation_min, activation_max, shape, input, output);
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
   output. */
static void pool_f32(int average, float activation_min, float activation_max,
                     const tflm_rt_conv_shape *s, const float *input, float *output) {
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
          out[c] = tflm_rt_clamp_f32(average ? total / count : max, activation_min, activation_max);
        }
      }
    }
  }
}

void tflm_rt_average_pool_f32(float activation_min, float activation_max,
                              const tflm_rt_conv_shape *shape, const float *input,
                              float *output) {
  pool_f32(1, activation_min, activation_max, shape, input, output);
}

void tflm_rt_max_pool_f32(float activation_min, float activation_max,
                          const tflm_rt_conv_shape *shape, const float *input, float *output) {
  pool_f32(0, activation_min, activation_max, shape, input, output);
}
