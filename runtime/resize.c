/* int8 RESIZE_BILINEAR, as TFLM's reference_ops::ResizeBilinearInteger with
   TFLITE_SINGLE_ROUNDING off (TFLM's default). */
#include "runtime/resize.h"

/* TFLM sums in int64; int32 is exact here. A weight is 1024 - fraction or
   fraction, fraction in [-512, 1024), so the two weights along an axis add
   up to at most 2048 in magnitude, and the four products of a sum to at most
   128 * 2048 * 2048 = 2^29. */
static int8_t blend(const int8_t *in, const tflm_rt_bilinear_tap *row,
                    const tflm_rt_bilinear_tap *col) {
  const int32_t wy = row->fraction, wx = col->fraction;
  const int32_t sum = in[row->lower + col->lower] * (1024 - wy) * (1024 - wx) +
                      in[row->upper + col->lower] * wy * (1024 - wx) +
                      in[row->lower + col->upper] * (1024 - wy) * wx +
                      in[row->upper + col->upper] * wy * wx;
  const int32_t round = sum > 0 ? (1 << 19) : -(1 << 19);
  return (int8_t)((sum + round) / (1 << 20));
}

void tflm_rt_resize_bilinear_s8(int batches, int batch_size, int out_height,
                                const tflm_rt_bilinear_tap *rows, int out_width,
                                const tflm_rt_bilinear_tap *cols, int channels,
                                const int8_t *input, int8_t *output) {
  for (int b = 0; b < batches; ++b, input += batch_size) {
    for (int y = 0; y < out_height; ++y) {
      for (int x = 0; x < out_width; ++x) {
        for (int c = 0; c < channels; ++c) *output++ = blend(input + c, &rows[y], &cols[x]);
      }
    }
  }
}
