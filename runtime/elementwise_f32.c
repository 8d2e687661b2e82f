/* float32 elementwise kernels: ADD, SUB and MUL, as TFLM's reference_ops::Add,
   SubWithActivation and Mul and their broadcasting variants (one IEEE
   operation per output element, then the clamp of the fused activation), and
   LEAKY_RELU, as reference_ops::LeakyRelu. Output element i is written after
   the inputs it needs, in order, so an input of the output's shape may be the
   output. */
#include "runtime/broadcast.h"
#include "runtime/tflm_rt.h"

static float add(float a, float b) { return a + b; }
static float sub(float a, float b) { return a - b; }
static float mul(float a, float b) { return a * b; }

static void binary_f32(float (*op)(float, float), const tflm_rt_broadcast *broadcast,
                       const float *input1, const float *input2, float *output, int size,
                       float activation_min, float activation_max) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    output[i] = tflm_rt_clamp_f32(op(input1[at.offset1], input2[at.offset2]), activation_min,
                                  activation_max);
  }
}

void tflm_rt_add_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max) {
  binary_f32(add, broadcast, input1, input2, output, size, activation_min, activation_max);
}

void tflm_rt_sub_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max) {
  binary_f32(sub, broadcast, input1, input2, output, size, activation_min, activation_max);
}

void tflm_rt_mul_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max) {
  binary_f32(mul, broadcast, input1, input2, output, size, activation_min, activation_max);
}

void tflm_rt_leaky_relu_f32(const float *input, float *output, int size, float alpha) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x > 0.0f ? x : x * alpha;
  }
}
