/* QUANTIZE and DEQUANTIZE kernels, as TFLM's AffineQuantize, Requantize and
   Dequantize. The argument convention is tflm_rt.h's; `size` counts
   elements. */
#ifndef RUNTIME_QUANTIZE_H_
#define RUNTIME_QUANTIZE_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* DEQUANTIZE int8 -> float32: scale * (x + input_offset). */
void tflm_rt_dequantize_s8(float scale, int32_t input_offset, int size, const int8_t *input,
                           float *output);

/* QUANTIZE float32 -> int8: round(x / scale) + output_offset, saturated. */
void tflm_rt_quantize_f32_s8(float scale, int32_t output_offset, int size, const float *input,
                             int8_t *output);

/* Parameters of a QUANTIZE int8 -> int8 (a change of scale and zero point). */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
} tflm_rt_requantize_s8_params;

void tflm_rt_requantize_s8(const tflm_rt_requantize_s8_params *params, int size,
                           const int8_t *input, int8_t *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_QUANTIZE_H_ */
