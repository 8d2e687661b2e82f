/* SOFTMAX kernels over the last dimension (`rows` rows of `depth` values):
   int8 and float32. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_SOFTMAX_H_
#define RUNTIME_SOFTMAX_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 SOFTMAX (output scale 1/256, zero point -128), as
   TFLM's Prepare computes them from beta and the input scale. */
typedef struct {
  int32_t input_multiplier;
  int input_left_shift;
  int32_t diff_min;
} tflm_rt_softmax_s8_params;

/* As TFLM's reference_ops::Softmax for int8: differences from the row
   maximum in Q5.26, gemmlowp's exp, the sum in Q12.19, and its reciprocal. */
void tflm_rt_softmax_s8(const tflm_rt_softmax_s8_params *params, int rows, int depth,
                        const int8_t *input, int8_t *output);

/* float32 SOFTMAX, as TFLM's reference_ops::Softmax for float: per row, the
   maximum (from -FLT_MAX, as MAX_POOL_2D), then e = expf((x - max) * beta)
   written to the output and summed from 0 in order, then each e / sum.
   Bit-exact where libm's expf is the one TFLM was linked with. */
void tflm_rt_softmax_f32(float beta, int rows, int depth, const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_SOFTMAX_H_ */
