/* TFLM's integer arithmetic, once for every kernel: the rounding doubling
   high multiply and rounding shift of gemmlowp, the multiply by a quantized
   multiplier built from them, saturation, and the clamps. All inline: the
   kernels call them once per element. */
#ifndef RUNTIME_FIXED_POINT_H_
#define RUNTIME_FIXED_POINT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* gemmlowp's SaturatingRoundingDoublingHighMul: a * b / 2^31, rounded to
   nearest with ties away from zero; the one overflow, INT32_MIN squared,
   saturates. Rounding (a * b + nudge) / 2^31 toward zero, with nudge 2^30 for
   a non-negative product and 1 - 2^30 for a negative one, equals
   floor((a * b + 2^30) / 2^31): one add and an arithmetic shift (which GCC,
   our only compiler, defines for negative values). */
static inline __attribute__((always_inline)) int32_t tflm_rt_rounding_doubling_high_mul(
    int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
#if defined(__ARM_ARCH_6M__)
  /* Cortex-M0 has no 32x32 -> 64 multiply (GCC would call __aeabi_lmul): the
     same value from 16-bit halves. For b >= 0 (a Q31 multiplier), with
     P = |a| * b: a * b >= 0 gives floor((P + 2^30) / 2^31), and a * b < 0
     gives -floor((P + 2^30 - 1) / 2^31). */
  if (b >= 0) {
    const uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a, ub = (uint32_t)b;
    const uint32_t ul = ua & 0xffffu, uh = ua >> 16, bl = ub & 0xffffu, bh = ub >> 16;
    const uint32_t mid = uh * bl + ul * bh; /* < 2^32: uh <= 2^15 and bh < 2^15 */
    uint32_t lo = ul * bl, hi = uh * bh + (mid >> 16);
    const uint32_t shifted = mid << 16;
    lo += shifted;
    hi += lo < shifted;
    const uint32_t nudge = a < 0 ? (1u << 30) - 1u : 1u << 30;
    lo += nudge;
    hi += lo < nudge;
    const uint32_t magnitude = (hi << 1) | (lo >> 31);
    return a < 0 ? (int32_t)(0u - magnitude) : (int32_t)magnitude;
  }
#endif
  return (int32_t)(((int64_t)a * b + (1LL << 30)) >> 31);
}

/* gemmlowp's RoundingDivideByPOT: x / 2^exponent, ties away from zero;
   exponent from 0 to 31. */
static inline __attribute__((always_inline)) int32_t tflm_rt_rounding_divide_by_pot(
    int32_t x, int exponent) {
  const int32_t mask = (int32_t)((1u << exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* gemmlowp's SaturatingRoundingMultiplyByPOT for exponent > 0: x * 2^exponent,
   saturated to the int32 range. */
static inline int32_t tflm_rt_saturating_shift_left(int32_t x, int exponent) {
  const int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

/* TFLM's MultiplyByQuantizedMultiplier: x * multiplier * 2^shift / 2^31 for a
   Q31 multiplier, a left shift before the high multiply and a rounding right
   shift after it. */
static inline __attribute__((always_inline)) int32_t tflm_rt_multiply_by_quantized_multiplier(
    int32_t x, int32_t multiplier, int shift) {
  const int32_t a = shift > 0 ? (int32_t)((uint32_t)x << shift) : x;
  const int32_t high = tflm_rt_rounding_doubling_high_mul(a, multiplier);
  return shift >= 0 ? high : tflm_rt_rounding_divide_by_pot(high, -shift);
}

/* The rounding constant of tflm_rt_multiply_down for a right shift
   s = -shift (1 to 31): 2^30 + 2^(30+s), plus offset 2^(31+s), which the shift
   turns into + offset. The offset must be 0 for s above 23 (the sum would
   leave 64 bits). */
static inline int64_t tflm_rt_multiply_down_rounding(int shift, int32_t offset) {
  return ((int64_t)1 << 30) + ((int64_t)1 << (30 - shift)) + offset * ((int64_t)1 << (31 - shift));
}

/* tflm_rt_multiply_by_quantized_multiplier(x, multiplier, shift) + offset for
   a multiplier >= 0 and a shift from -31 to -1 (a right shift s = -shift),
   with its two roundings in one: `rounding` is
   tflm_rt_multiply_down_rounding(shift, offset) and `high_shift` is s - 1,
   both computed once per channel. For P = x * multiplier, TFLM computes
   h = floor((P + 2^30) / 2^31), then rounds h / 2^s half away from zero,
   which is floor((h + 2^(s-1) - [h < 0]) / 2^s). Since floor((floor(y) + c) / n)
   = floor((y + c) / n) for integers c and n > 0, that is
   floor((P + 2^30 + 2^(30+s) - 2^31 [h < 0]) / 2^(31+s)). [h < 0] may be read as
   [P < 0], that is [x < 0] (the multiplier is not negative; x < 0 with a zero
   multiplier gives P = 0 and 0 either way): they differ only for
   -2^30 <= P < 0, where both give 0. Exact in 64 bits (|P| < 2^62), and the
   shift by 31 + s is the high word shifted by s - 1: one multiply-add and one
   shift instead of TFLM's two roundings, and the offset for free. */
static inline __attribute__((always_inline)) int32_t tflm_rt_multiply_down(int32_t x,
                                                                           int32_t multiplier,
                                                                           int64_t rounding,
                                                                           int high_shift) {
  const int64_t sum = (int64_t)x * multiplier + (rounding - (int64_t)((uint32_t)x & 0x80000000u));
  return (int32_t)(sum >> 32) >> high_shift;
}

/* tflm_rt_multiply_by_quantized_multiplier(x, multiplier, shift) without a
   64-bit product, for |x| < 2^19 (a bound the compiler proves from an op's
   weights and bias), a multiplier >= 0 and a right shift s = -shift of 1 to
   21: Cortex-M0's three 32-bit multiplies instead of its general form's
   four and carries. By tflm_rt_multiply_down's reasoning the value is
   floor((x * multiplier + K) / 2^(31+s)) with K = 2^30 + 2^(30+s) -
   2^31 [x < 0] = c * 2^22. With the multiplier in 11-bit pieces
   m2 * 2^22 + m1 * 2^11 + m0, each piece's product fits in 31 bits, and
   floor((floor(y) + c) / n) = floor((y + c) / n) (integers c, n > 0) nests the
   sum as floor((x * m2 + c + floor((x * m1 + floor(x * m0 / 2^11)) / 2^11)) /
   2^(9+s)), every partial sum below 2^31 in magnitude. */
static inline __attribute__((always_inline)) int32_t tflm_rt_multiply_down_narrow(
    int32_t x, int32_t multiplier, int shift) {
  const int s = -shift;
  const int32_t m2 = multiplier >> 22, m1 = (multiplier >> 11) & 0x7ff, m0 = multiplier & 0x7ff;
  const int32_t c = (1 << 8) + (1 << (8 + s)) - (x < 0 ? 1 << 9 : 0);
  const int32_t low = (x * m1 + ((x * m0) >> 11)) >> 11;
  return (x * m2 + c + low) >> (9 + s);
}

/* value raised to low, then lowered to high (in that order, as TFLM's
   std::max then std::min). */
static inline __attribute__((always_inline)) int32_t tflm_rt_clamp(int32_t value, int32_t low,
                                                                    int32_t high) {
  value = value < low ? low : value;
  return value > high ? high : value;
}

/* TFLM's ActivationFunctionWithMinMax for float32: min(max(x, low), high),
   with std::max(a, b) = a < b ? b : a and std::min(a, b) = b < a ? b : a, so
   NaN passes through and -0 stays -0. */
static inline float tflm_rt_clamp_f32(float x, float low, float high) {
  const float at_least_low = x < low ? low : x;
  return high < at_least_low ? high : at_least_low;
}

/* The end of every int8 kernel with an int32 accumulator:
   clamp(acc * multiplier * 2^shift + output_offset, activation range). */
static inline __attribute__((always_inline)) int8_t tflm_rt_requantize(
    int32_t acc, int32_t multiplier, int shift, int32_t output_offset, int32_t activation_min,
    int32_t activation_max) {
  return (int8_t)tflm_rt_clamp(
      tflm_rt_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_offset,
      activation_min, activation_max);
}

/* One output channel's requantization, prepared once and applied to every
   accumulator of the channel that a kernel holds: on a core with a 32x32 ->
   64 multiply, a right shift of 1 to 23 (every shift the compiler makes for
   int8 layers whose scales shrink) takes tflm_rt_multiply_down's single
   rounding with the output offset folded in, about a third of the
   instructions of TFLM's two roundings; any other shift, and every shift on
   Cortex-M0 (whose 64-bit multiply is a library call), takes
   tflm_rt_multiply_by_quantized_multiplier. Same bytes either way, for an
   output offset of int8 (from -128 to 127). */
typedef struct {
  int64_t rounding;  /* tflm_rt_multiply_down_rounding(shift, output_offset) */
  int32_t multiplier;
  int32_t shift;      /* TFLM's, for the general form */
  int32_t high_shift; /* -shift - 1 for the single rounding, -1 for the general form */
  int32_t output_offset;
} tflm_rt_channel_requant;

static inline __attribute__((always_inline)) tflm_rt_channel_requant tflm_rt_channel_requant_of(
    int32_t multiplier, int32_t shift, int32_t output_offset) {
  tflm_rt_channel_requant c = {0, multiplier, shift, -1, output_offset};
#if !defined(__ARM_ARCH_6M__)
  if (shift <= -1 && shift >= -23 && multiplier >= 0) {
    /* tflm_rt_multiply_down_rounding(shift, output_offset), which is
       2^30 + (2 * output_offset + 1) * 2^(30 + s) for s = -shift, in 32-bit
       halves (GCC shifts a 64-bit value by a variable in a dozen
       instructions): the high word is (2 * output_offset + 1) * 2^(s - 2),
       which for s = 1 is output_offset, and the low word 2^30 plus, for s = 1,
       2^31. */
    const int s = -shift;
    const int32_t high = (int32_t)((uint32_t)(2 * output_offset + 1) << s) >> 2;
    const uint32_t low = (1u << 30) | (s == 1 ? 1u << 31 : 0u);
    c.rounding = (int64_t)(((uint64_t)(uint32_t)high << 32) | low);
    c.high_shift = s - 1;
  }
#endif
  return c;
}

/* tflm_rt_requantize(acc, multiplier, shift, output_offset, low, high) for
   the channel c was prepared for. */
static inline __attribute__((always_inline)) int8_t tflm_rt_channel_requantize(
    int32_t acc, const tflm_rt_channel_requant *c, int32_t low, int32_t high) {
#if !defined(__ARM_ARCH_6M__)
  if (c->high_shift >= 0) {
    return (int8_t)tflm_rt_clamp(
        tflm_rt_multiply_down(acc, c->multiplier, c->rounding, c->high_shift), low, high);
  }
#endif
  return tflm_rt_requantize(acc, c->multiplier, c->shift, c->output_offset, low, high);
}

/* sum(a[i] * b[i]) for i < n, four at a time. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dot_s8(const int8_t *a,
                                                                     const int8_t *b, int n) {
  int32_t acc = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += a[i] * b[i] + a[i + 1] * b[i + 1] + a[i + 2] * b[i + 2] + a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_FIXED_POINT_H_ */
