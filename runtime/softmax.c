/* int8 SOFTMAX with the fixed-point arithmetic of TFLM's reference kernel
   (reference_ops::Softmax for int8): input differences from the row maximum
   are rescaled to Q5.26, exponentiated with gemmlowp's exp_on_negative_values
   (a Taylor polynomial on [-1/4, 0) and a barrel shifter of constants),
   summed in Q12.19, and each exponential is multiplied by the sum's
   reciprocal (Newton-Raphson). */
#include "runtime/tflm_rt.h"

/* gemmlowp's SaturatingRoundingDoublingHighMul: a * b / 2^31, rounded. */
static int32_t high_mul(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t product = (int64_t)a * (int64_t)b;
  const int64_t nudge = product >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  return (int32_t)((product + nudge) / (1LL << 31));
}

/* x / 2^exponent, rounding half away from zero. */
static int32_t divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x * 2^exponent, saturating. */
static int32_t multiply_by_pot(int32_t x, int exponent) {
  const int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

/* exp(a) for a in [-1/4, 0), a and the result in Q0.31. */
static int32_t exp_on_quarter_interval(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668;
  const int32_t one_third = 715827883;
  const int32_t x = a + (1 << 28); /* a + 1/8: the polynomial is around -1/8 */
  const int32_t x2 = high_mul(x, x);
  const int32_t x3 = high_mul(x2, x);
  const int32_t x4 = high_mul(x2, x2);
  const int32_t x4_over_4 = divide_by_pot(x4, 2);
  const int32_t poly = divide_by_pot(high_mul(x4_over_4 + x3, one_third) + x2, 1);
  return exp_minus_one_eighth + high_mul(exp_minus_one_eighth, x + poly);
}

/* exp(a) for a <= 0 in Q5.26; the result in Q0.31. */
static int32_t exp_on_negative_values(int32_t a) {
  static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                         39332535,   720401,     242};
  const int32_t one_quarter = 1 << 24;
  const int32_t a_mod_quarter_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = exp_on_quarter_interval(multiply_by_pot(a_mod_quarter_minus_quarter, 5));
  const int32_t remainder = a_mod_quarter_minus_quarter - a;
  /* exp(-2^k) for k = -2..4 where bit 26 + k of the remainder is set. */
  for (int k = 0; k < 7; ++k) {
    if (remainder & (1 << (24 + k))) result = high_mul(result, multipliers[k]);
  }
  return a == 0 ? INT32_MAX : result;
}

/* 1 / (1 + x) for x in [0, 1) in Q0.31, by Newton-Raphson in Q2.29. */
static int32_t one_over_one_plus_x(int32_t a) {
  const int64_t sum = (int64_t)a + INT32_MAX;
  const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
  const int32_t c48_over_17 = 1515870810, c_neg_32_over_17 = -1010580540, one_q29 = 1 << 29;
  int32_t x = c48_over_17 + high_mul(half_denominator, c_neg_32_over_17);
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus = one_q29 - high_mul(half_denominator, x);
    x = x + multiply_by_pot(high_mul(x, one_minus), 2);
  }
  return multiply_by_pot(x, 1);
}

static int leading_zeros(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while (!(x & 0x80000000u)) {
    x <<= 1;
    ++n;
  }
  return n;
}

void tflm_rt_softmax_s8(const tflm_rt_softmax_s8_params *p, const int8_t *input, int8_t *output,
                        int rows, int depth) {
  for (int r = 0; r < rows; ++r) {
    const int8_t *in = input + r * depth;
    int8_t *out = output + r * depth;
    int32_t max = -128;
    for (int c = 0; c < depth; ++c) {
      if (in[c] > max) max = in[c];
    }
    int32_t sum = 0; /* Q12.19 */
    for (int c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max;
      if (diff >= p->diff_min) {
        const int32_t scaled = high_mul(diff * (1 << p->input_left_shift), p->input_multiplier);
        sum += divide_by_pot(exp_on_negative_values(scaled), 12);
      }
    }
    const int headroom_plus_one = leading_zeros((uint32_t)sum);
    const int bits_over_unit = 12 - headroom_plus_one;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)sum << headroom_plus_one) - (1u << 31));
    const int32_t reciprocal = one_over_one_plus_x(shifted_sum_minus_one);
    const int exponent = bits_over_unit + 31 - 8;
    for (int c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max;
      if (diff >= p->diff_min) {
        const int32_t scaled = high_mul(diff * (1 << p->input_left_shift), p->input_multiplier);
        int32_t value = divide_by_pot(high_mul(reciprocal, exp_on_negative_values(scaled)), exponent) - 128;
        if (value < -128) value = -128;
        if (value > 127) value = 127;
        out[c] = (int8_t)value;
      } else {
        out[c] = -128;
      }
    }
  }
}
