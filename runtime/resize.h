/* RESIZE_BILINEAR, int8 and float32, as TFLM's reference_ops::ResizeBilinearInteger
   and ResizeBilinear. The compiler works out, for each output row and column,
   the two input rows (columns) it blends and the weight of the second; the
   kernels only blend. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_RESIZE_H_
#define RUNTIME_RESIZE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One output row (or column) of an int8 resize: the element offsets of its
   lower and upper input row (column) within a batch, and the position of
   the output between them in 1/1024ths past the lower one (TFLM's
   input_y - (1 << 10) * y0, from -512 to 1023). */
typedef struct {
  int32_t lower, upper;
  int32_t fraction;
} tflm_rt_bilinear_tap;

/* One output row (or column) of a float32 resize: the element offsets as
   above, then TFLM's float32 weights (input_y - y0) of the upper and
   1 - (input_y - y0) of the lower input row (column). */
typedef struct {
  int32_t lower, upper;
  float upper_weight, lower_weight;
} tflm_rt_bilinear_tap_f32;

/* int8 RESIZE_BILINEAR, as ResizeBilinearInteger: each output element is the
   sum of its four neighbours times their weights in 1/2^20ths, rounded half
   away from zero. Input and output share one scale and zero point. */
void tflm_rt_resize_bilinear_s8(int batches, int batch_size, int out_height,
                                const tflm_rt_bilinear_tap *rows, int out_width,
                                const tflm_rt_bilinear_tap *cols, int channels,
                                const int8_t *input, int8_t *output);

/* float32 RESIZE_BILINEAR, as ResizeBilinear, with its order of operations. */
void tflm_rt_resize_bilinear_f32(int batches, int batch_size, int out_height,
                                 const tflm_rt_bilinear_tap_f32 *rows, int out_width,
                                 const tflm_rt_bilinear_tap_f32 *cols, int channels,
                                 const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_RESIZE_H_ */
