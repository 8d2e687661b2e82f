/* QUANTIZE and DEQUANTIZE; semantics of TFLM's reference kernels
   (AffineQuantize, Requantize, Dequantize). */
#include "runtime/tflm_rt.h"

void tflm_rt_dequantize_s8(const int8_t *input, float *output, int size, float scale,
                           int32_t zero_point) {
  /* The scale is widened to double and the product narrowed, as TFLM does. */
  for (int i = 0; i < size; ++i) output[i] = (float)((double)scale * (double)(input[i] - zero_point));
}

/* round(x) with halves away from zero, exactly (x + 0.5f could round up). */
static int32_t round_half_away(float x) {
  const int32_t whole = (int32_t)x;
  const float fraction = x - (float)whole;
  if (fraction >= 0.5f) return whole + 1;
  if (fraction <= -0.5f) return whole - 1;
  return whole;
}

void tflm_rt_quantize_f32_s8(const float *input, int8_t *output, int size, float scale,
                             int32_t zero_point) {
  for (int i = 0; i < size; ++i) {
    float q = input[i] / scale;
    /* Far outside int8 either way; keeps the conversion to int32 defined. */
    if (q > 1e6f) q = 1e6f;
    if (q < -1e6f) q = -1e6f;
    const int32_t value = round_half_away(q) + zero_point;
    output[i] = (int8_t)(value < -128 ? -128 : value > 127 ? 127 : value);
  }
}

void tflm_rt_requantize_s8(const int8_t *input, int8_t *output, int size, int32_t input_zero_point,
                           int32_t multiplier, int shift, int32_t output_zero_point) {
  for (int i = 0; i < size; ++i) {
    int32_t value = tflm_rt_multiply_by_quantized_multiplier(input[i] - input_zero_point,
                                                             multiplier, shift) + output_zero_point;
    output[i] = (int8_t)(value < -128 ? -128 : value > 127 ? 127 : value);
  }
}
