/* FULLY_CONNECTED kernels; semantics of TFLM's reference kernels. */
#include "runtime/tflm_rt.h"

void tflm_rt_fully_connected_s8(const tflm_rt_fc_s8_params *params, const int8_t *input,
                                const int8_t *weights, const int32_t *bias, int8_t *output,
                                int batches, int depth, int units) {
  for (int b = 0; b < batches; ++b) {
    const int8_t *in = input + b * depth;
    for (int u = 0; u < units; ++u) {
      const int8_t *w = weights + u * depth;
      int32_t acc = tflm_rt_dot_s8(in, w, depth);
      if (bias) acc += bias[u];
      const int c = params->per_channel ? u : 0;
      acc = tflm_rt_multiply_by_quantized_multiplier(acc, params->multipliers[c], params->shifts[c]);
      acc += params->output_offset;
      if (acc < params->activation_min) acc = params->activation_min;
      if (acc > params->activation_max) acc = params->activation_max;
      output[b * units + u] = (int8_t)acc;
    }
  }
}

void tflm_rt_fully_connected_f32(const float *input, const float *weights, const float *bias,
                                 float *output, int batches, int depth, int units,
                                 float activation_min, float activation_max) {
  for (int b = 0; b < batches; ++b) {
    for (int u = 0; u < units; ++u) {
      float total = 0.0f;
      for (int d = 0; d < depth; ++d) {
        total += input[b * depth + d] * weights[u * depth + d];
      }
      if (bias) total += bias[u];
      if (total < activation_min) total = activation_min;
      if (total > activation_max) total = activation_max;
      output[b * units + u] = total;
    }
  }
}
