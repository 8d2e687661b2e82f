/* float32 RESIZE_BILINEAR, as TFLM's reference_ops::ResizeBilinear: its
   products and sums in its order, and its final + 0.0f (which turns -0.0f
   into +0.0f). */
#include "runtime/resize.h"

static float blend(const float *in, const tflm_rt_bilinear_tap_f32 *row,
                   const tflm_rt_bilinear_tap_f32 *col) {
  return in[row->lower + col->lower] * row->lower_weight * col->lower_weight +
         in[row->upper + col->lower] * row->upper_weight * col->lower_weight +
         in[row->lower + col->upper] * row->lower_weight * col->upper_weight +
         in[row->upper + col->upper] * row->upper_weight * col->upper_weight + 0.0f;
}

void tflm_rt_resize_bilinear_f32(int batches, int batch_size, int out_height,
                                 const tflm_rt_bilinear_tap_f32 *rows, int out_width,
                                 const tflm_rt_bilinear_tap_f32 *cols, int channels,
                                 const float *input, float *output) {
  for (int b = 0; b < batches; ++b, input += batch_size) {
    for (int y = 0; y < out_height; ++y) {
      for (int x = 0; x < out_width; ++x) {
        for (int c = 0; c < channels; ++c) *output++ = blend(input + c, &rows[y], &cols[x]);
      }
    }
  }
}
