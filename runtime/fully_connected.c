/* FULLY_CONNECTED kernels; semantics of TFLM's reference kernels. */
#include "runtime/fully_connected.h"

#include "runtime/dsp.h"
#include "runtime/fixed_point.h"
#include "runtime/mve.h"

static int8_t requantize(const tflm_rt_fc_s8_params *p, int32_t acc, int unit) {
  const tflm_rt_channel_requant c =
      tflm_rt_channel_requant_of(p->multipliers[unit], p->shifts[unit], p->output_offset);
  return tflm_rt_channel_requantize(acc, &c, p->activation_min, p->activation_max);
}

void tflm_rt_fully_connected_s8(const tflm_rt_fc_s8_params *params, int batches, int depth,
                                int units, const int8_t *input, const int8_t *weights,
                                const int32_t *bias, int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_fully_connected_s8(params, batches, depth, units, input, weights, bias, output);
  return;
#elif TFLM_RT_DSP
  if (params->scratch || (batches == 1 && depth >= TFLM_RT_DSP_FC_MIN_DEPTH)) {
    const tflm_rt_dsp_requant q = {params->output_offset, params->multipliers, params->shifts, 1,
                                   params->activation_min, params->activation_max};
    tflm_rt_fully_connected_s8_dsp(&q, params->scratch, batches, depth, units, input, weights,
                                   bias, output);
    return;
  }
#endif
  for (int b = 0; b < batches; ++b) {
    const int8_t *in = input + b * depth;
    int8_t *out = output + b * units;
    int u = 0;
    /* Four units at a time: each input value is loaded once for four rows of weights. */
    for (; u + 4 <= units; u += 4) {
      const int8_t *w0 = weights + u * depth, *w1 = w0 + depth, *w2 = w1 + depth, *w3 = w2 + depth;
      int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
      for (int d = 0; d < depth; ++d) {
        const int32_t x = in[d];
        acc0 += x * w0[d];
        acc1 += x * w1[d];
        acc2 += x * w2[d];
        acc3 += x * w3[d];
      }
      if (bias) {
        acc0 += bias[u];
        acc1 += bias[u + 1];
        acc2 += bias[u + 2];
        acc3 += bias[u + 3];
      }
      out[u] = requantize(params, acc0, u);
      out[u + 1] = requantize(params, acc1, u + 1);
      out[u + 2] = requantize(params, acc2, u + 2);
      out[u + 3] = requantize(params, acc3, u + 3);
    }
    for (; u < units; ++u) {
      int32_t acc = tflm_rt_dot_s8(in, weights + u * depth, depth);
      if (bias) acc += bias[u];
      out[u] = requantize(params, acc, u);
    }
  }
}

void tflm_rt_fully_connected_f32(float activation_min, float activation_max, int batches,
                                 int depth, int units, const float *input, const float *weights,
                                 const float *bias, float *output) {
  for (int b = 0; b < batches; ++b) {
    for (int u = 0; u < units; ++u) {
      float total = 0.0f;
      for (int d = 0; d < depth; ++d) {
        total += input[b * depth + d] * weights[u * depth + d];
      }
      if (bias) total += bias[u];
      output[b * units + u] = tflm_rt_clamp_f32(total, activation_min, activation_max);
    }
  }
}

#if TFLM_RT_DSP
void tflm_rt_fully_connected_s8_per_tensor_dsp(const tflm_rt_fc_s8_per_tensor_params *params,
                                               int batches, int depth, int units,
                                               const int8_t *input, const int8_t *weights,
                                               const int32_t *folded_bias, int8_t *output) {
  const int32_t multiplier = params->multiplier, shift = params->shift;
  const tflm_rt_dsp_requant q = {params->output_offset, &multiplier, &shift, 0,
                                 params->activation_min, params->activation_max};
  tflm_rt_fully_connected_s8_dsp(&q, params->scratch, batches, depth, units, input, weights,
                                 folded_bias, output);
}
#endif
