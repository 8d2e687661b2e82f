/* ADD, SUB, MUL, MAXIMUM, MINIMUM and PRELU kernels, broadcasting: int8 and float32 (ADD,
   SUB and MUL int32 too). The argument
   convention is tflm_rt.h's; `broadcast` is NULL when both inputs have the
   output's shape, and `size` counts the output's elements. */
#ifndef RUNTIME_ELEMENTWISE_H_
#define RUNTIME_ELEMENTWISE_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 ADD (or SUB, with input2_multiplier negated), as
   TFLM's reference_integer_ops::Add uses them: both offset inputs are
   shifted left, scaled to a common scale, added, and scaled to the output. */
typedef struct {
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t output_offset;
  int left_shift;
  int32_t input1_multiplier;
  int input1_shift;
  int32_t input2_multiplier;
  int input2_shift;
  int32_t output_multiplier;
  int output_shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_add_s8_params;

void tflm_rt_add_s8(const tflm_rt_add_s8_params *params, const tflm_rt_broadcast *broadcast,
                    int size, const int8_t *input1, const int8_t *input2, int8_t *output);

/* Parameters of an int8 MUL, as TFLM's reference kernel: the product of the
   offset inputs scaled by input1_scale * input2_scale / output_scale. */
typedef struct {
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t output_offset;
  int32_t output_multiplier;
  int output_shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_mul_s8_params;

void tflm_rt_mul_s8(const tflm_rt_mul_s8_params *params, const tflm_rt_broadcast *broadcast,
                    int size, const int8_t *input1, const int8_t *input2, int8_t *output);

/* float32 ADD, SUB and MUL, as TFLM's reference_ops::Add, SubWithActivation
   and Mul and their broadcasting variants: the operation, then
   tflm_rt_clamp_f32. */
void tflm_rt_add_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output);
void tflm_rt_sub_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output);
void tflm_rt_mul_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output);
/* float32 DIV, as reference_ops::Div: a / b, then tflm_rt_clamp_f32. */
void tflm_rt_div_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output);
/* float32 SQUARED_DIFFERENCE: (a - b) * (a - b), no activation. */
void tflm_rt_squared_difference_f32(const tflm_rt_broadcast *broadcast, int size,
                                    const float *input1, const float *input2, float *output);

/* int32 ADD, SUB and MUL, as TFLM's reference_ops::Add, SubWithActivation
   and Mul (WrappingMul) and their broadcasting variants: the operation wraps
   around modulo 2^32 as TFLM's does, then the clamp to [activation_min,
   activation_max] (the whole int32 range for ADD, whose int32 kernel ignores
   the fused activation). */
void tflm_rt_add_s32(int32_t activation_min, int32_t activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const int32_t *input1,
                     const int32_t *input2, int32_t *output);
void tflm_rt_sub_s32(int32_t activation_min, int32_t activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const int32_t *input1,
                     const int32_t *input2, int32_t *output);
void tflm_rt_mul_s32(int32_t activation_min, int32_t activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const int32_t *input1,
                     const int32_t *input2, int32_t *output);

/* MAXIMUM and MINIMUM of int8 or float32, as TFLM's reference kernels: each
   output element is input1 > input2 ? input1 : input2 (input1 < input2 for
   MINIMUM) on the raw values, so a NaN in input1 gives input2. int8 inputs
   and output share one scale and zero point (the compiler checks). */
void tflm_rt_maximum_s8(const tflm_rt_broadcast *broadcast, int size, const int8_t *input1,
                        const int8_t *input2, int8_t *output);
void tflm_rt_minimum_s8(const tflm_rt_broadcast *broadcast, int size, const int8_t *input1,
                        const int8_t *input2, int8_t *output);
void tflm_rt_maximum_f32(const tflm_rt_broadcast *broadcast, int size, const float *input1,
                         const float *input2, float *output);
void tflm_rt_minimum_f32(const tflm_rt_broadcast *broadcast, int size, const float *input1,
                         const float *input2, float *output);

/* Parameters of an int8 PRELU, as TFLM's CalculatePreluParams computes them:
   offset inputs at or above 0 are scaled by the identity multiplier
   (input_scale / output_scale), those below are multiplied by the offset
   alpha and scaled by the alpha multiplier (input_scale * alpha_scale /
   output_scale). */
typedef struct {
  int32_t input_offset;
  int32_t alpha_offset;
  int32_t output_offset;
  int32_t identity_multiplier;
  int identity_shift;
  int32_t alpha_multiplier;
  int alpha_shift;
} tflm_rt_prelu_s8_params;

/* PRELU, alpha broadcast against the input, as TFLM's
   reference_ops::BroadcastPrelu4DSlow (int8, clamped to the int8 range) and
   BroadcastPrelu4DSlowFloat (float32: x >= 0 ? x : x * alpha, so -0 and NaN
   pass through). */
void tflm_rt_prelu_s8(const tflm_rt_prelu_s8_params *params, const tflm_rt_broadcast *broadcast,
                      int size, const int8_t *input, const int8_t *alpha, int8_t *output);
void tflm_rt_prelu_f32(const tflm_rt_broadcast *broadcast, int size, const float *input,
                       const float *alpha, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_ELEMENTWISE_H_ */
