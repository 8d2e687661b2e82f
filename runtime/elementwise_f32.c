/* float32 ADD, SUB, MUL and DIV, as TFLM's reference_ops::Add,
   SubWithActivation, Mul and Div and their broadcasting variants: one IEEE
   operation per output element, then the clamp of the fused activation; and
   SQUARED_DIFFERENCE, as TFLM's SquaredDifference, without a clamp. Output
   element i is written after the inputs it needs, in order, so an input of
   the output's shape may be the output. */
#include "runtime/broadcast.h"
#include "runtime/elementwise.h"
#include "runtime/fixed_point.h"

static float add(float a, float b) { return a + b; }
static float sub(float a, float b) { return a - b; }
static float mul(float a, float b) { return a * b; }
static float div_(float a, float b) { return a / b; }

static void binary_f32(float (*op)(float, float), float activation_min, float activation_max,
                       const tflm_rt_broadcast *broadcast, int size, const float *input1,
                       const float *input2, float *output) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    output[i] = tflm_rt_clamp_f32(op(input1[at.offset1], input2[at.offset2]), activation_min,
                                  activation_max);
  }
}

void tflm_rt_add_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output) {
  binary_f32(add, activation_min, activation_max, broadcast, size, input1, input2, output);
}

void tflm_rt_sub_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output) {
  binary_f32(sub, activation_min, activation_max, broadcast, size, input1, input2, output);
}

void tflm_rt_mul_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output) {
  binary_f32(mul, activation_min, activation_max, broadcast, size, input1, input2, output);
}

void tflm_rt_div_f32(float activation_min, float activation_max,
                     const tflm_rt_broadcast *broadcast, int size, const float *input1,
                     const float *input2, float *output) {
  binary_f32(div_, activation_min, activation_max, broadcast, size, input1, input2, output);
}

/* As TFLM's SquaredDifference for float: no activation, so no clamp. */
void tflm_rt_squared_difference_f32(const tflm_rt_broadcast *broadcast, int size,
                                    const float *input1, const float *input2, float *output) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const float difference = input1[at.offset1] - input2[at.offset2];
    output[i] = difference * difference;
  }
}
