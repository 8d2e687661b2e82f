/* QUANTIZE and DEQUANTIZE; semantics of TFLM's reference kernels
   (AffineQuantize, Requantize, Dequantize). */
#include "runtime/quantize.h"

#include "runtime/fixed_point.h"

void tflm_rt_dequantize_s8(float scale, int32_t input_offset, int size, const int8_t *input,
                           float *output) {
  /* The scale is widened to double and the product narrowed, as TFLM does. */
  for (int i = 0; i < size; ++i) output[i] = (float)((double)scale * (double)(input[i] + input_offset));
}

/* round(x) with halves away from zero, exactly (x + 0.5f could round up). */
static int32_t round_half_away(float x) {
  const int32_t whole = (int32_t)x;
  const float fraction = x - (float)whole;
  if (fraction >= 0.5f) return whole + 1;
  if (fraction <= -0.5f) return whole - 1;
  return whole;
}

void tflm_rt_quantize_f32_s8(float scale, int32_t output_offset, int size, const float *input,
                             int8_t *output) {
  for (int i = 0; i < size; ++i) {
    float q = input[i] / scale;
    /* Far outside int8 either way; keeps the conversion to int32 defined. */
    if (q > 1e6f) q = 1e6f;
    if (q < -1e6f) q = -1e6f;
    output[i] = (int8_t)tflm_rt_clamp(round_half_away(q) + output_offset, -128, 127);
  }
}

void tflm_rt_requantize_s8(const tflm_rt_requantize_s8_params *p, int size, const int8_t *input,
                           int8_t *output) {
  for (int i = 0; i < size; ++i) {
    output[i] = tflm_rt_requantize(input[i] + p->input_offset, p->multiplier, p->shift,
                                   p->output_offset, -128, 127);
  }
}
