/* gemmlowp's fixed-point exp and reciprocal, which TFLM's int8 SOFTMAX,
   LOGISTIC and TANH use: exp on negative values, and 2 / (1 + x) by
   Newton-Raphson. Internal to runtime/ (softmax.c, activations.c). */
#ifndef RUNTIME_FIXED_POINT_EXP_H_
#define RUNTIME_FIXED_POINT_EXP_H_

#include <stdint.h>

#include "runtime/fixed_point.h"

/* exp(a) for a in [-1/4, 0), both in Q0.31: a Taylor polynomial of degree 4
   around -1/8. */
static inline int32_t exp_on_quarter_interval(int32_t a) {
  const int32_t exp_of_minus_one_eighth = 1895147668;
  const int32_t one_third = 715827883;
  const int32_t x = a + (1 << 28);
  const int32_t x2 = tflm_rt_rounding_doubling_high_mul(x, x);
  const int32_t x3 = tflm_rt_rounding_doubling_high_mul(x2, x);
  const int32_t x4 = tflm_rt_rounding_doubling_high_mul(x2, x2);
  const int32_t x4_over_4 = tflm_rt_rounding_divide_by_pot(x4, 2);
  const int32_t higher_terms = tflm_rt_rounding_divide_by_pot(
      tflm_rt_rounding_doubling_high_mul(x4_over_4 + x3, one_third) + x2, 1);
  return exp_of_minus_one_eighth +
         tflm_rt_rounding_doubling_high_mul(exp_of_minus_one_eighth, x + higher_terms);
}

/* exp(a) for a <= 0 with `integer_bits` integer bits (4 or 5), the result in
   Q0.31: exp of a's remainder modulo 1/4 on the quarter interval, then one
   factor exp(-2^k) for each bit 2^k (k = -2 .. integer_bits - 1) of the rest. */
static inline int32_t exp_on_negative_values(int32_t a, int integer_bits) {
  /* exp(-2^k) in Q0.31 for k = -2 .. 4. */
  static const int32_t exp_of_minus_power_of_two[7] = {1672461947, 1302514674, 790015084,
                                                       290630308,  39332535,   720401,
                                                       242};
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t mod_quarter_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = exp_on_quarter_interval(
      tflm_rt_saturating_shift_left(mod_quarter_minus_quarter, integer_bits));
  const int32_t rest = mod_quarter_minus_quarter - a;
  for (int k = -2; k < integer_bits && k <= 4; ++k) {
    if (rest & ((int32_t)1 << (fractional_bits + k))) {
      result = tflm_rt_rounding_doubling_high_mul(result, exp_of_minus_power_of_two[k + 2]);
    }
  }
  return a == 0 ? INT32_MAX : result;
}

/* 2 / (1 + a) for a in [0, 1) in Q0.31, the result in Q2.29: Newton-Raphson
   on half the denominator, from gemmlowp's initial estimate 48/17 - 32/17 d. */
static inline int32_t two_over_one_plus_x(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t one = 1 << 29;
  int32_t x = 1515870810 + tflm_rt_rounding_doubling_high_mul(half_denominator, -1010580540);
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus_half_denominator_times_x =
        one - tflm_rt_rounding_doubling_high_mul(half_denominator, x);
    x = x + tflm_rt_saturating_shift_left(
                tflm_rt_rounding_doubling_high_mul(x, one_minus_half_denominator_times_x), 2);
  }
  return x;
}

#endif /* RUNTIME_FIXED_POINT_EXP_H_ */
