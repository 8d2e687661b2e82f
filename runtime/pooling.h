/* AVERAGE_POOL_2D and MAX_POOL_2D kernels over NHWC tensors: int8 (input
   and output share scale and zero point) and float32. The argument
   convention is tflm_rt.h's; the parameters are the activation range. The
   compiler refuses windows that hold no input element (TFLM fails on them). */
#ifndef RUNTIME_POOLING_H_
#define RUNTIME_POOLING_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* As TFLM's reference_integer_ops::AveragePool: the window's sum divided by
   its count of input elements, rounded half away from zero, then clamped. */
void tflm_rt_average_pool_s8(int32_t activation_min, int32_t activation_max,
                             const tflm_rt_conv_shape *shape, const int8_t *input,
                             int8_t *output);

/* As TFLM's reference_integer_ops::MaxPool: the window's maximum, clamped. */
void tflm_rt_max_pool_s8(int32_t activation_min, int32_t activation_max,
                         const tflm_rt_conv_shape *shape, const int8_t *input, int8_t *output);

/* float32 AVERAGE_POOL_2D, as TFLM's reference_ops::AveragePool for float:
   the window's sum from 0 in filter_y, filter_x order, divided by the count of
   input elements in it (a float), then tflm_rt_clamp_f32. */
void tflm_rt_average_pool_f32(float activation_min, float activation_max,
                              const tflm_rt_conv_shape *shape, const float *input,
                              float *output);

/* float32 MAX_POOL_2D, as TFLM's reference_ops::MaxPool for float: from
   -FLT_MAX, max = max < x ? x : max over the window (so NaN is skipped and a
   window of -inf gives -FLT_MAX), then the clamp. */
void tflm_rt_max_pool_f32(float activation_min, float activation_max,
                          const tflm_rt_conv_shape *shape, const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_POOLING_H_ */
