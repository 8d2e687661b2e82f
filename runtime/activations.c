/* int8 activation kernels: RELU and RELU6 (TFLM's ReluQuantized and
   Relu6Quantized), LEAKY_RELU (reference_ops::QuantizeLeakyRelu), and
   LOGISTIC and TANH in gemmlowp's fixed-point arithmetic (TFLM's
   reference_integer_ops::Logistic and ::Tanh). */
#include "runtime/activations.h"

#include "runtime/fixed_point.h"
#include "runtime/fixed_point_exp.h"

void tflm_rt_relu_s8(const tflm_rt_relu_s8_params *p, int size, const int8_t *input,
                     int8_t *output) {
  for (int i = 0; i < size; ++i) {
    const int32_t value = p->output_offset + tflm_rt_multiply_by_quantized_multiplier(
                                                 input[i] + p->input_offset, p->multiplier, p->shift);
    output[i] = (int8_t)tflm_rt_clamp(value, p->activation_min, p->activation_max);
  }
}

void tflm_rt_leaky_relu_s8(const tflm_rt_leaky_relu_s8_params *p, int size, const int8_t *input,
                           int8_t *output) {
  for (int i = 0; i < size; ++i) {
    const int32_t x = input[i] + p->input_offset;
    int32_t value;
    if (x >= 0) {
      value = tflm_rt_multiply_by_quantized_multiplier(x, p->identity_multiplier, p->identity_shift);
    } else {
      value = tflm_rt_multiply_by_quantized_multiplier(x, p->alpha_multiplier, p->alpha_shift);
      if (p->alpha_negative) value = -value;
    }
    output[i] = (int8_t)tflm_rt_clamp(value + p->output_offset, -128, 127);
  }
}

/* gemmlowp's logistic of a in Q4.27; the result in Q0.31. */
static int32_t logistic_q4(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t minus_abs = a > 0 ? -a : a;
  /* 1 / (1 + exp(-|a|)): half of 2 / (1 + x), from Q2.29 to Q0.31. */
  const int32_t of_abs = tflm_rt_saturating_shift_left(
      two_over_one_plus_x(exp_on_negative_values(minus_abs, 4)), 1);
  return a > 0 ? of_abs : INT32_MAX - of_abs;
}

/* gemmlowp's tanh of a in Q4.27; the result in Q0.31. */
static int32_t tanh_q4(int32_t a) {
  if (a == 0) return 0;
  const int32_t minus_abs = a < 0 ? a : -a;
  /* (1 - x) / (1 + x) with x = exp(-2|a|): the raw value of -|a| read as Q5.26
     is -2|a|. Then 2 / (1 + x) - 1, from Q2.29 to Q0.31. */
  const int32_t x = exp_on_negative_values(minus_abs, 5);
  const int32_t of_abs = tflm_rt_saturating_shift_left(two_over_one_plus_x(x) - (1 << 29), 2);
  return a < 0 ? -of_abs : of_abs;
}

/* LOGISTIC or TANH of each element: `function` of the input in Q4.27 gives
   Q0.31, shifted right by `shift` and offset by `zero_point` to the output;
   inputs beyond the input range radius saturate. */
static void logistic_tanh_s8(const tflm_rt_logistic_tanh_s8_params *p,
                             int32_t (*function)(int32_t), int shift, int32_t zero_point,
                             int size, const int8_t *input, int8_t *output) {
  for (int i = 0; i < size; ++i) {
    const int32_t x = input[i] + p->input_offset;
    if (x <= -p->input_range_radius) {
      output[i] = -128;
    } else if (x >= p->input_range_radius) {
      output[i] = 127;
    } else {
      const int32_t q4 =
          tflm_rt_multiply_by_quantized_multiplier(x, p->input_multiplier, p->input_left_shift);
      output[i] = (int8_t)tflm_rt_clamp(
          tflm_rt_rounding_divide_by_pot(function(q4), shift) + zero_point, -128, 127);
    }
  }
}

void tflm_rt_logistic_s8(const tflm_rt_logistic_tanh_s8_params *p, int size,
                         const int8_t *input, int8_t *output) {
  logistic_tanh_s8(p, logistic_q4, 23, -128, size, input, output); /* 1/256, zero point -128 */
}

void tflm_rt_tanh_s8(const tflm_rt_logistic_tanh_s8_params *p, int size, const int8_t *input,
                     int8_t *output) {
  logistic_tanh_s8(p, tanh_q4, 24, 0, size, input, output); /* scale 1/128, zero point 0 */
}
