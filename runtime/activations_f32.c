/* float32 activation kernels: LOGISTIC and TANH through <math.h>, as TFLM's
   reference_ops::Logistic and ::Tanh; RELU and RELU6, as TFLM's ReluFloat and
   Relu6Float; LEAKY_RELU, as reference_ops::LeakyRelu. */
#include <math.h>

#include "runtime/activations.h"

void tflm_rt_logistic_f32(int size, const float *input, float *output) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    float y;
    if (x > 16.619047164916992188f) {
      y = 1.0f;
    } else if (x < -9.0f) {
      y = expf(x);
    } else {
      y = 1.0f / (1.0f + expf(-x));
    }
    output[i] = y;
  }
}

void tflm_rt_tanh_f32(int size, const float *input, float *output) {
  for (int i = 0; i < size; ++i) output[i] = tanhf(input[i]);
}

void tflm_rt_relu_f32(int size, const float *input, float *output) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x < 0.0f ? 0.0f : x;
  }
}

void tflm_rt_relu6_f32(int size, const float *input, float *output) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x;
  }
}

void tflm_rt_leaky_relu_f32(float alpha, int size, const float *input, float *output) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x > 0.0f ? x : x * alpha;
  }
}
