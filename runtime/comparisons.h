/* LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL and NOT_EQUAL kernels,
   broadcasting: int8, int32 and float32 inputs, a bool output (one byte,
   0 or 1, as TFLM's C++ bool). The argument convention is tflm_rt.h's;
   `broadcast` is NULL when both inputs have the output's shape, and `size`
   counts the output's elements. Output element i is written after the inputs
   it reads. */
#ifndef RUNTIME_COMPARISONS_H_
#define RUNTIME_COMPARISONS_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 comparison, as TFLM's ComparisonsPrepare computes
   them: each offset input is shifted left by left_shift (8) and multiplied by
   its own scale (a multiplier below one), and the results are compared, so
   inputs of different scales compare as real numbers. */
typedef struct {
  int32_t input1_offset;
  int32_t input1_multiplier;
  int input1_shift;
  int32_t input2_offset;
  int32_t input2_multiplier;
  int input2_shift;
  int left_shift;
} tflm_rt_compare_s8_params;

/* As TFLM's reference_ops::<Op>WithScaling and Broadcast4DSlow<Op>WithScaling. */
#define TFLM_RT_COMPARE_S8(name)                                                      \
  void name(const tflm_rt_compare_s8_params *params, const tflm_rt_broadcast *broadcast, \
            int size, const int8_t *input1, const int8_t *input2, uint8_t *output);
TFLM_RT_COMPARE_S8(tflm_rt_less_s8)
TFLM_RT_COMPARE_S8(tflm_rt_less_equal_s8)
TFLM_RT_COMPARE_S8(tflm_rt_greater_s8)
TFLM_RT_COMPARE_S8(tflm_rt_greater_equal_s8)
TFLM_RT_COMPARE_S8(tflm_rt_equal_s8)
TFLM_RT_COMPARE_S8(tflm_rt_not_equal_s8)
#undef TFLM_RT_COMPARE_S8

/* As TFLM's reference_ops::<Op>NoScaling: the raw values compared (a float32
   NaN is unordered: only NOT_EQUAL is true of it). */
#define TFLM_RT_COMPARE(name, type)                                                   \
  void name(const tflm_rt_broadcast *broadcast, int size, const type *input1,        \
            const type *input2, uint8_t *output);
TFLM_RT_COMPARE(tflm_rt_less_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_less_equal_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_greater_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_greater_equal_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_equal_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_not_equal_s32, int32_t)
TFLM_RT_COMPARE(tflm_rt_less_f32, float)
TFLM_RT_COMPARE(tflm_rt_less_equal_f32, float)
TFLM_RT_COMPARE(tflm_rt_greater_f32, float)
TFLM_RT_COMPARE(tflm_rt_greater_equal_f32, float)
TFLM_RT_COMPARE(tflm_rt_equal_f32, float)
TFLM_RT_COMPARE(tflm_rt_not_equal_f32, float)
#undef TFLM_RT_COMPARE

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_COMPARISONS_H_ */
