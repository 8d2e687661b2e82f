/* float32 ADD, SUB and MUL of tensors of the same shape, as TFLM's
   reference_ops::Add, SubWithActivation and Mul: one IEEE operation per
   element, then the clamp of the fused activation. Element i is read before
   it is written, so the output may be an input. */
#include "runtime/tflm_rt.h"

/* TFLM's ActivationFunctionWithMinMax: min(max(x, low), high), which leaves
   NaN as it is. */
static float clamp_f32(float x, float low, float high) {
  const float at_least_low = x < low ? low : x;
  return high < at_least_low ? high : at_least_low;
}

void tflm_rt_add_f32(const float *input1, const float *input2, float *output, int size,
                     float activation_min, float activation_max) {
  for (int i = 0; i < size; ++i) {
    output[i] = clamp_f32(input1[i] + input2[i], activation_min, activation_max);
  }
}

void tflm_rt_sub_f32(const float *input1, const float *input2, float *output, int size,
                     float activation_min, float activation_max) {
  for (int i = 0; i < size; ++i) {
    output[i] = clamp_f32(input1[i] - input2[i], activation_min, activation_max);
  }
}

void tflm_rt_mul_f32(const float *input1, const float *input2, float *output, int size,
                     float activation_min, float activation_max) {
  for (int i = 0; i < size; ++i) {
    output[i] = clamp_f32(input1[i] * input2[i], activation_min, activation_max);
  }
}
