/* Activation kernels: int8 LOGISTIC and TANH in gemmlowp's fixed-point
   arithmetic, as TFLM's reference_integer_ops::Logistic and ::Tanh; float32
   LOGISTIC and TANH through <math.h>, as TFLM's reference_ops::Logistic and
   ::Tanh; float32 RELU and RELU6, as TFLM's ReluFloat and Relu6Float.

   Every kernel reads element i before it writes element i, so the output may
   be the input (the memory planner places them in place). */
#include <math.h>

#include "runtime/fixed_point.h"
#include "runtime/tflm_rt.h"

/* gemmlowp's logistic of a in Q4.27; the result in Q0.31. */
static int32_t logistic_q4(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t minus_abs = a > 0 ? -a : a;
  /* 1 / (1 + exp(-|a|)): half of 2 / (1 + x), from Q2.29 to Q0.31. */
  const int32_t of_abs =
      saturating_shift_left(two_over_one_plus_x(exp_on_negative_values(minus_abs, 4)), 1);
  return a > 0 ? of_abs : INT32_MAX - of_abs;
}

/* gemmlowp's tanh of a in Q4.27; the result in Q0.31. */
static int32_t tanh_q4(int32_t a) {
  if (a == 0) return 0;
  const int32_t minus_abs = a < 0 ? a : -a;
  /* (1 - x) / (1 + x) with x = exp(-2|a|): the raw value of -|a| read as Q5.26
     is -2|a|. Then 2 / (1 + x) - 1, from Q2.29 to Q0.31. */
  const int32_t x = exp_on_negative_values(minus_abs, 5);
  const int32_t of_abs = saturating_shift_left(two_over_one_plus_x(x) - (1 << 29), 2);
  return a < 0 ? -of_abs : of_abs;
}

/* The input relative to its zero point, in Q4.27; 0 with *saturated set to
   -1 or 1 when it lies outside the input range radius. */
static int32_t input_q4(const tflm_rt_sigmoid_s8_params *p, int8_t value, int *saturated) {
  const int32_t input = value - p->input_zero_point;
  *saturated = input <= -p->input_range_radius ? -1 : input >= p->input_range_radius ? 1 : 0;
  if (*saturated) return 0;
  return tflm_rt_multiply_by_quantized_multiplier(input, p->input_multiplier,
                                                  p->input_left_shift);
}

static int8_t clamp_s8(int32_t value) {
  return (int8_t)(value < -128 ? -128 : value > 127 ? 127 : value);
}

/* LOGISTIC or TANH of each element: `function` of the input in Q4.27 gives
   Q0.31, shifted right by `shift` and offset by `zero_point` to the output. */
static void sigmoid_s8(const tflm_rt_sigmoid_s8_params *p, int32_t (*function)(int32_t),
                       int shift, int32_t zero_point, const int8_t *input, int8_t *output,
                       int size) {
  for (int i = 0; i < size; ++i) {
    int saturated;
    const int32_t x = input_q4(p, input[i], &saturated);
    if (saturated) {
      output[i] = saturated < 0 ? -128 : 127;
    } else {
      output[i] = clamp_s8(rounding_shift_right(function(x), shift) + zero_point);
    }
  }
}

void tflm_rt_logistic_s8(const tflm_rt_sigmoid_s8_params *p, const int8_t *input,
                         int8_t *output, int size) {
  sigmoid_s8(p, logistic_q4, 23, -128, input, output, size); /* scale 1/256, zero point -128 */
}

void tflm_rt_tanh_s8(const tflm_rt_sigmoid_s8_params *p, const int8_t *input, int8_t *output,
                     int size) {
  sigmoid_s8(p, tanh_q4, 24, 0, input, output, size); /* scale 1/128, zero point 0 */
}

void tflm_rt_logistic_f32(const float *input, float *output, int size) {
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

void tflm_rt_tanh_f32(const float *input, float *output, int size) {
  for (int i = 0; i < size; ++i) output[i] = tanhf(input[i]);
}

void tflm_rt_relu_f32(const float *input, float *output, int size) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x < 0.0f ? 0.0f : x;
  }
}

void tflm_rt_relu6_f32(const float *input, float *output, int size) {
  for (int i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x;
  }
}
