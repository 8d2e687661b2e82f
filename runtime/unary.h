/* float32 functions of one input, element by element: ABS, NEG, SQUARE, SQRT,
   RSQRT, EXP, LOG, SIN, COS and HARD_SWISH, as TFLM's reference kernels
   compute them (the <math.h> functions of float where TFLM calls std::).
   The argument convention is tflm_rt.h's; the output may be the input. */
#ifndef RUNTIME_UNARY_H_
#define RUNTIME_UNARY_H_

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_UNARY_H_ */
