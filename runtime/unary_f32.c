/* float32 functions of one input, as TFLM's elementwise, neg, exp,
   hard_swish and elu kernels compute them for float. */
#include <math.h>

#include "runtime/unary.h"

/* The kernel `name`: output[i] = `expression` of x = input[i]. */
#define TFLM_RT_UNARY_F32(name, expression)                  \
  void name(int size, const float *input, float *output) { \
    for (int i = 0; i < size; ++i) {                       \
      const float x = input[i];                            \
      output[i] = (expression);                            \
    }                                                      \
  }

TFLM_RT_UNARY_F32(tflm_rt_abs_f32, fabsf(x))
TFLM_RT_UNARY_F32(tflm_rt_neg_f32, -x)
TFLM_RT_UNARY_F32(tflm_rt_square_f32, x * x)
TFLM_RT_UNARY_F32(tflm_rt_sqrt_f32, sqrtf(x))
TFLM_RT_UNARY_F32(tflm_rt_rsqrt_f32, 1.0f / sqrtf(x))
TFLM_RT_UNARY_F32(tflm_rt_exp_f32, expf(x))
TFLM_RT_UNARY_F32(tflm_rt_log_f32, logf(x))
TFLM_RT_UNARY_F32(tflm_rt_sin_f32, sinf(x))
TFLM_RT_UNARY_F32(tflm_rt_cos_f32, cosf(x))

/* std::max(0, t) is (0 < t ? t : 0) and std::min(6, r) is (r < 6 ? r : 6). */
static float hard_swish(float x) {
  const float t = x + 3.0f;
  const float r = 0.0f < t ? t : 0.0f;
  return x * (r < 6.0f ? r : 6.0f) / 6.0f;
}

TFLM_RT_UNARY_F32(tflm_rt_hard_swish_f32, hard_swish(x))
TFLM_RT_UNARY_F32(tflm_rt_elu_f32, x < 0.0f ? expm1f(x) : x)
