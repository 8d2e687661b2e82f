/* Helium (MVE) kernels of int8 AVERAGE_POOL_2D and MAX_POOL_2D: the bytes of
   pooling.c's portable kernels (which call these on a core with MVE).
   Channels lie in vector lanes: for each output pixel, 8 channels a step sum
   (16-bit lanes) or 16 take their maximum over the window's taps inside the
   input. */
#include "runtime/mve.h"

#if TFLM_RT_MVE

/* The window of output (oy, ox) clipped to the input: filter rows
   [*y_start, *y_end) and columns [*x_start, *x_end), as TFLM computes them. */
static void pool_window(const tflm_rt_conv_shape *s, int oy, int ox, int *y_start, int *y_end,
                        int *x_start, int *x_end) {
  const int in_y0 = oy * s->stride_height - s->pad_height;
  const int in_x0 = ox * s->stride_width - s->pad_width;
  *y_start = in_y0 < 0 ? -in_y0 : 0;
  *y_end = s->input_height - in_y0 < s->filter_height ? s->input_height - in_y0 : s->filter_height;
  *x_start = in_x0 < 0 ? -in_x0 : 0;
  *x_end = s->input_width - in_x0 < s->filter_width ? s->input_width - in_x0 : s->filter_width;
}

/* The window's sums of 8 channels from `first` (its first tap inside the
   input), in 16-bit lanes: at most 256 taps of int8 fit. */
static inline __attribute__((always_inline)) int16x8_t sum_8(const int8_t *first, int rows,
                                                             int columns, int row_step,
                                                             int depth, mve_pred16_t lanes) {
  int16x8_t sum = vdupq_n_s16(0);
  for (int r = 0; r < rows; ++r, first += row_step) {
    const int8_t *x = first;
    for (int t = 0; t < columns; ++t, x += depth) sum = vaddq_s16(sum, vldrbq_z_s16(x, lanes));
  }
  return sum;
}

void tflm_rt_mve_average_pool_s8(int32_t activation_min, int32_t activation_max,
                                 const tflm_rt_conv_shape *s, const int8_t *input,
                                 int8_t *output) {
  const int depth = s->output_channels;
  const int row_step = s->input_width * depth;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        int y_start, y_end, x_start, x_end;
        pool_window(s, oy, ox, &y_start, &y_end, &x_start, &x_end);
        const int rows = y_end - y_start, columns = x_end - x_start, count = rows * columns;
        const int8_t *first =
            input + ((b * s->input_height + oy * s->stride_height - s->pad_height + y_start) *
                         s->input_width + ox * s->stride_width - s->pad_width + x_start) * depth;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * depth;
        for (int c = 0; c < depth; c += 8) {
          const mve_pred16_t lanes = vctp16q((uint32_t)(depth - c));
          int32_t sums[8];
          if (count <= 256) {
            int16_t sums16[8];
            vst1q_s16(sums16, sum_8(first + c, rows, columns, row_step, depth, lanes));
            for (int k = 0; k < 8; ++k) sums[k] = sums16[k];
          } else {
            /* More taps than 16 bits hold: 32-bit lanes, 4 channels a step. */
            for (int half = 0; half < 2; ++half) {
              const mve_pred16_t quarter = vctp32q((uint32_t)(depth - c - 4 * half));
              int32x4_t sum = vdupq_n_s32(0);
              const int8_t *row = first + c + 4 * half;
              for (int r = 0; r < rows; ++r, row += row_step) {
                for (int t = 0; t < columns; ++t) {
                  sum = vaddq_s32(sum, vldrbq_z_s32(row + t * depth, quarter));
                }
              }
              vst1q_s32(sums + 4 * half, sum);
            }
          }
          const int n = depth - c < 8 ? depth - c : 8;
          for (int k = 0; k < n; ++k) {
            /* Rounded half away from zero, as the portable kernel. */
            const int32_t acc = sums[k];
            const int32_t average =
                acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            out[c + k] = (int8_t)(average < activation_min   ? activation_min
                                  : average > activation_max ? activation_max
                                                             : average);
          }
        }
      }
    }
  }
}

void tflm_rt_mve_max_pool_s8(int32_t activation_min, int32_t activation_max,
                             const tflm_rt_conv_shape *s, const int8_t *input, int8_t *output) {
  const int depth = s->output_channels;
  const int row_step = s->input_width * depth;
  const int8x16_t low = vdupq_n_s8((int8_t)activation_min);
  const int8x16_t high = vdupq_n_s8((int8_t)activation_max);
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        int y_start, y_end, x_start, x_end;
        pool_window(s, oy, ox, &y_start, &y_end, &x_start, &x_end);
        const int8_t *first =
            input + ((b * s->input_height + oy * s->stride_height - s->pad_height + y_start) *
                         s->input_width + ox * s->stride_width - s->pad_width + x_start) * depth;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * depth;
        for (int c = 0; c < depth; c += 16) {
          const mve_pred16_t lanes = vctp8q((uint32_t)(depth - c));
          int8x16_t max = vdupq_n_s8(-128);
          const int8_t *row = first + c;
          for (int r = y_start; r < y_end; ++r, row += row_step) {
            for (int t = 0; t < x_end - x_start; ++t) {
              max = vmaxq_s8(max, vldrbq_z_s8(row + t * depth, lanes));
            }
          }
          vstrbq_p_s8(out + c, vminq_s8(vmaxq_s8(max, low), high), lanes);
        }
      }
    }
  }
}

#endif /* TFLM_RT_MVE */
