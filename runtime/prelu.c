/* PRELU, alpha broadcast against the input: int8 as TFLM's
   reference_ops::BroadcastPrelu4DSlow, float32 as its
   BroadcastPrelu4DSlowFloat. Output element i is written after the input
   element it reads, so an input of the output's shape may be the output. */
#include "runtime/broadcast.h"
#include "runtime/elementwise.h"
#include "runtime/fixed_point.h"

void tflm_rt_prelu_s8(const tflm_rt_prelu_s8_params *p, const tflm_rt_broadcast *broadcast,
                      int size, const int8_t *input, const int8_t *alpha, int8_t *output) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const int32_t x = input[at.offset1] + p->input_offset;
    int32_t value;
    if (x >= 0) {
      value = tflm_rt_multiply_by_quantized_multiplier(x, p->identity_multiplier,
                                                       p->identity_shift);
    } else {
      value = tflm_rt_multiply_by_quantized_multiplier(x * (alpha[at.offset2] + p->alpha_offset),
                                                       p->alpha_multiplier, p->alpha_shift);
    }
    output[i] = (int8_t)tflm_rt_clamp(value + p->output_offset, -128, 127);
  }
}

void tflm_rt_prelu_f32(const tflm_rt_broadcast *broadcast, int size, const float *input,
                       const float *alpha, float *output) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const float x = input[at.offset1];
    output[i] = x >= 0.0f ? x : x * alpha[at.offset2];
  }
}
