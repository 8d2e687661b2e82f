/* ARG_MAX and ARG_MIN kernels: int8 and float32 in, int32 out. The argument
   convention is tflm_rt.h's. */
#ifndef RUNTIME_ARG_MIN_MAX_H_
#define RUNTIME_ARG_MIN_MAX_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ARG_MAX and ARG_MIN as TFLM's micro kernel (reference_ops::ArgMinMax with
   GreaterFn or LessFn): the input seen as [outer, axis_size, inner], each
   output [outer, inner] is the index along the axis of the first element
   that no later one exceeds, by `candidate > best` (`<` for ARG_MIN) on the
   raw values from index 0 on. Ties keep the first index; a float32 NaN at
   index 0 is never replaced, and one later never replaces. */
void tflm_rt_arg_max_s8(int outer, int axis_size, int inner, const int8_t *input,
                        int32_t *output);
void tflm_rt_arg_min_s8(int outer, int axis_size, int inner, const int8_t *input,
                        int32_t *output);
void tflm_rt_arg_max_f32(int outer, int axis_size, int inner, const float *input,
                         int32_t *output);
void tflm_rt_arg_min_f32(int outer, int axis_size, int inner, const float *input,
                         int32_t *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_ARG_MIN_MAX_H_ */
