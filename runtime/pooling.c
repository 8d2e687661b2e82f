/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors; semantics of TFLM's
   reference kernels (reference_integer_ops::AveragePool and MaxPool, and
   reference_ops::AveragePool and MaxPool for float). The window of an output
   is clipped to the input as TFLM clips it (the shape's dilation is 1); the
   compiler refuses windows without an input element, so every count here is
   at least 1. */
#include "runtime/pooling.h"

#include <float.h>

#include "runtime/fixed_point.h"
#include "runtime/window.h"

/* AVERAGE_POOL_2D (average != 0) or MAX_POOL_2D over the window of each output. */
static void pool_s8(int average, int32_t activation_min, int32_t activation_max,
                    const tflm_rt_conv_shape *s, const int8_t *input, int8_t *output) {
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    const int count = (w->y_end - w->y_start) * (w->x_end - w->x_start);
    for (int c = 0; c < s->output_channels; ++c) {
      int32_t acc = average ? 0 : -128;
      for (int fy = w->y_start; fy < w->y_end; ++fy) {
        for (int fx = w->x_start; fx < w->x_end; ++fx) {
          const int32_t value = input[window_tap(s, w, fy, fx) + c];
          if (average) {
            acc += value;
          } else if (value > acc) {
            acc = value;
          }
        }
      }
      if (average && count > 0) {
        /* Round half away from zero. */
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
      }
      output[at.output + c] = (int8_t)tflm_rt_clamp(acc, activation_min, activation_max);
    }
  }
}

void tflm_rt_average_pool_s8(int32_t activation_min, int32_t activation_max,
                             const tflm_rt_conv_shape *shape, const int8_t *input,
                             int8_t *output) {
  pool_s8(1, activation_min, activation_max, shape, input, output);
}

void tflm_rt_max_pool_s8(int32_t activation_min, int32_t activation_max,
                         const tflm_rt_conv_shape *shape, const int8_t *input, int8_t *output) {
  pool_s8(0, activation_min, activation_max, shape, input, output);
}

/* AVERAGE_POOL_2D (average != 0) or MAX_POOL_2D over the window of each
   output. */
static void pool_f32(int average, float activation_min, float activation_max,
                     const tflm_rt_conv_shape *s, const float *input, float *output) {
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    for (int c = 0; c < s->output_channels; ++c) {
      float total = 0.0f, max = -FLT_MAX;
      float count = 0.0f; /* a float, as TFLM counts */
      for (int fy = w->y_start; fy < w->y_end; ++fy) {
        for (int fx = w->x_start; fx < w->x_end; ++fx) {
          const float value = input[window_tap(s, w, fy, fx) + c];
          total += value;
          max = max < value ? value : max;
          count += 1.0f;
        }
      }
      output[at.output + c] =
          tflm_rt_clamp_f32(average ? total / count : max, activation_min, activation_max);
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
