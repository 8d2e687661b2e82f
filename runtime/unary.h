/* Functions of one input, element by element. float32: ABS, NEG, SQUARE,
   SQRT, RSQRT, EXP, LOG, SIN, COS, HARD_SWISH and ELU, as TFLM's reference
   kernels compute them (the <math.h> functions of float where TFLM calls
   std::). int8: one lookup of a table the compiler computed (ELU, HARD_SWISH,
   ABS, RSQRT). The argument convention is tflm_rt.h's; the output may be the
   input. */
#ifndef RUNTIME_UNARY_H_
#define RUNTIME_UNARY_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* int8 ELU, HARD_SWISH, ABS and RSQRT: output[i] = table[input[i] + 128], the table
   holding TFLM's output for each of the 256 inputs (tools/aot/lookup.py). */
void tflm_rt_lookup_s8(const int8_t *table, int size, const int8_t *input, int8_t *output);

void tflm_rt_abs_f32(int size, const float *input, float *output);
void tflm_rt_neg_f32(int size, const float *input, float *output);
void tflm_rt_square_f32(int size, const float *input, float *output);
void tflm_rt_sqrt_f32(int size, const float *input, float *output);
void tflm_rt_rsqrt_f32(int size, const float *input, float *output);
void tflm_rt_exp_f32(int size, const float *input, float *output);
void tflm_rt_log_f32(int size, const float *input, float *output);
void tflm_rt_sin_f32(int size, const float *input, float *output);
void tflm_rt_cos_f32(int size, const float *input, float *output);
/* x * min(6, max(0, x + 3)) / 6, with std::min and std::max's comparisons (a NaN
   in x + 3 gives 0 inside). */
void tflm_rt_hard_swish_f32(int size, const float *input, float *output);
/* x < 0 ? expm1f(x) : x, as TFLM's reference_ops::Elu (so NaN passes through). */
void tflm_rt_elu_f32(int size, const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_UNARY_H_ */
