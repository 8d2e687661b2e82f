/* int8 SOFTMAX with the fixed-point arithmetic of TFLM's reference kernel
   (reference_ops::Softmax for int8): input differences from the row maximum
   are rescaled to Q5.26, exponentiated with gemmlowp's exp_on_negative_values
   (a Taylor polynomial on [-1/4, 0) and a barrel shifter of constants),
   summed in Q12.19, and each exponential is multiplied by the sum's
   reciprocal (Newton-Raphson). */
#include "runtime/softmax.h"

#include "runtime/fixed_point.h"
#include "runtime/fixed_point_exp.h"

/* 1 / (1 + x) for x in [0, 1) in Q0.31. */
static int32_t one_over_one_plus_x(int32_t a) {
  return tflm_rt_saturating_shift_left(two_over_one_plus_x(a), 1);
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

void tflm_rt_softmax_s8(const tflm_rt_softmax_s8_params *p, int rows, int depth,
                        const int8_t *input, int8_t *output) {
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
        const int32_t scaled = tflm_rt_rounding_doubling_high_mul(
            diff * (1 << p->input_left_shift), p->input_multiplier);
        sum += tflm_rt_rounding_divide_by_pot(exp_on_negative_values(scaled, 5), 12);
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
        const int32_t scaled = tflm_rt_rounding_doubling_high_mul(
            diff * (1 << p->input_left_shift), p->input_multiplier);
        const int32_t value = tflm_rt_rounding_divide_by_pot(
            tflm_rt_rounding_doubling_high_mul(reciprocal, exp_on_negative_values(scaled, 5)),
            exponent);
        out[c] = (int8_t)tflm_rt_clamp(value - 128, -128, 127);
      } else {
        out[c] = -128;
      }
    }
  }
}
