/* Elementwise kernels; semantics of TFLM's reference kernels. */
#include "runtime/broadcast.h"
#include "runtime/tflm_rt.h"

void tflm_rt_add_s8(const tflm_rt_add_s8_params *p, const tflm_rt_broadcast *broadcast,
                    const int8_t *input1, const int8_t *input2, int8_t *output, int size) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const int32_t shifted1 = (input1[at.offset1] + p->input1_offset) * (1 << p->left_shift);
    const int32_t shifted2 = (input2[at.offset2] + p->input2_offset) * (1 << p->left_shift);
    const int32_t scaled1 =
        tflm_rt_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        tflm_rt_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier, p->input2_shift);
    /* SUB is ADD with the second input's multiplier negated by the compiler. */
    int32_t sum = tflm_rt_multiply_by_quantized_multiplier(scaled1 + scaled2, p->output_multiplier,
                                                           p->output_shift) +
                  p->output_offset;
    if (sum < p->activation_min) sum = p->activation_min;
    if (sum > p->activation_max) sum = p->activation_max;
    output[i] = (int8_t)sum;
  }
}

void tflm_rt_mul_s8(const tflm_rt_mul_s8_params *p, const tflm_rt_broadcast *broadcast,
                    const int8_t *input1, const int8_t *input2, int8_t *output, int size) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const int32_t product =
        (input1[at.offset1] + p->input1_offset) * (input2[at.offset2] + p->input2_offset);
    int32_t value = tflm_rt_multiply_by_quantized_multiplier(product, p->output_multiplier,
                                                             p->output_shift) +
                    p->output_offset;
    if (value < p->activation_min) value = p->activation_min;
    if (value > p->activation_max) value = p->activation_max;
    output[i] = (int8_t)value;
  }
}

void tflm_rt_relu_s8(const tflm_rt_relu_s8_params *p, const int8_t *input, int8_t *output,
                     int size) {
  for (int i = 0; i < size; ++i) {
    int32_t value = p->output_offset + tflm_rt_multiply_by_quantized_multiplier(
                                           input[i] - p->input_zero_point, p->multiplier, p->shift);
    if (value < p->activation_min) value = p->activation_min;
    if (value > p->activation_max) value = p->activation_max;
    output[i] = (int8_t)value;
  }
}

void tflm_rt_copy(const void *input, void *output, int bytes) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  if (in == out) return;
  if (out < in) {
    for (int i = 0; i < bytes; ++i) out[i] = in[i];
  } else {
    for (int i = bytes; i-- > 0;) out[i] = in[i];
  }
}

void tflm_rt_leaky_relu_s8(const tflm_rt_leaky_relu_s8_params *p, const int8_t *input,
                           int8_t *output, int size) {
  for (int i = 0; i < size; ++i) {
    const int32_t x = input[i] - p->input_zero_point;
    int32_t value;
    if (x >= 0) {
      value = tflm_rt_multiply_by_quantized_multiplier(x, p->identity_multiplier, p->identity_shift);
    } else {
      value = tflm_rt_multiply_by_quantized_multiplier(x, p->alpha_multiplier, p->alpha_shift);
      if (p->alpha_negative) value = -value;
    }
    value += p->output_zero_point;
    if (value < -128) value = -128;
    if (value > 127) value = 127;
    output[i] = (int8_t)value;
  }
}
