/* Helium (MVE) kernels of the runtime, for Cortex-M55, and the vector
   arithmetic they share. Internal to runtime/: each public kernel of the
   portable files calls its MVE version here when TFLM_RT_MVE (arch.h) says
   the core has MVE, and every MVE kernel gives the portable kernel's bytes.

   Instruction counts rule the choices: a 16-byte load, a 16-lane
   multiply-accumulate (VMLADAVA: 16 int8 products summed into a scalar) and
   a 4-lane requantization step each count one. The inner loops are
   do-while loops over whole vectors, which GCC -Os turns into a DLS/LE
   low-overhead loop; the last, partial vector is a predicated step after
   them (predicated loops cost several instructions an iteration in GCC 12). */
#ifndef RUNTIME_MVE_H_
#define RUNTIME_MVE_H_

#include "runtime/arch.h"

#if TFLM_RT_MVE

#include <arm_mve.h>
#include <stdint.h>

#include "runtime/conv.h"
#include "runtime/elementwise.h"
#include "runtime/fully_connected.h"
#include "runtime/pooling.h"

/* tflm_rt_multiply_by_quantized_multiplier on four lanes, each with its own
   multiplier and shift: `left` is max(shift, 0) and `right` min(shift, 0)
   per lane. VQRDMULH is gemmlowp's saturating rounding doubling high
   multiply; VRSHL by -e rounds ties up, where TFLM's divide by 2^e rounds
   them away from zero, so a negative value is lowered by one first
   (saturating: INT32_MIN divides exactly and stays). */
static inline __attribute__((always_inline)) int32x4_t tflm_rt_mve_multiply_by_quantized_multiplier(
    int32x4_t x, int32x4_t multiplier, int32x4_t left, int32x4_t right) {
  const int32x4_t high = vqrdmulhq_s32(vshlq_s32(x, left), multiplier);
  /* All ones where high < 0 and right < 0 (a right shift to round), else 0. */
  const int32x4_t fixup = vshrq_n_s32(vandq_s32(high, right), 31);
  return vrshlq_s32(vqaddq_s32(high, fixup), right);
}

/* The same with one multiplier and shift for all four lanes. */
static inline __attribute__((always_inline)) int32x4_t tflm_rt_mve_multiply_by_quantized_multiplier_n(
    int32x4_t x, int32_t multiplier, int shift) {
  if (shift > 0) x = vshlq_r_s32(x, shift);
  const int32x4_t high = vqrdmulhq_n_s32(x, multiplier);
  if (shift >= 0) return high;
  return vrshlq_n_s32(vqaddq_s32(high, vshrq_n_s32(high, 31)), shift);
}

/* The per-lane requantization of an int8 kernel's int32 sums: the output
   offset added, then clamped to the activation range (as tflm_rt_requantize;
   the narrowing to int8 is the byte store that follows). */
static inline __attribute__((always_inline)) int32x4_t tflm_rt_mve_offset_clamp(
    int32x4_t x, int32_t output_offset, int32_t activation_min, int32_t activation_max) {
  x = vaddq_n_s32(x, output_offset);
  x = vmaxq_s32(x, vdupq_n_s32(activation_min));
  return vminq_s32(x, vdupq_n_s32(activation_max));
}

/* Lane k of the result: init[k] + sum over i < n of x[i] * w[k * stride + i],
   k < 4: one run of input bytes against the same run of four filter rows.
   Each 16-byte input vector is loaded once for the four rows; VMLADAVA adds
   16 products to a scalar sum an instruction; the loop is tail-predicated
   (WLSTP/LETP: past n, lanes are neither read nor added). Ten instructions
   for 64 products; n may be 0. The sums go to the vector through D registers
   (VMOV Dd, Rt, Rt2, which sets the low word from Rt). */
static inline __attribute__((always_inline)) int32x4_t tflm_rt_mve_dot_1x4(
    const int8_t *x, const int8_t *w, int stride, int n, const int32_t *init) {
  int32_t s0, s1, s2, s3;
  const int8_t *w1, *w2;
  const int8_t *w3 = (const int8_t *)init; /* the init pointer, then filter row 3 */
  int32x4_t sums;
  __asm__ volatile(
      "   ldrd %[s0], %[s1], [%[w3]]\n"
      "   ldrd %[s2], %[s3], [%[w3], #8]\n"
      "   add %[w1], %[w0], %[stride]\n"
      "   add %[w2], %[w1], %[stride]\n"
      "   add %[w3], %[w2], %[stride]\n"
      "   wlstp.8 lr, %[n], 2f\n"
      "1: vldrb.8 q0, [%[x]], #16\n"
      "   vldrb.8 q1, [%[w0]], #16\n"
      "   vmlava.s8 %[s0], q0, q1\n"
      "   vldrb.8 q1, [%[w1]], #16\n"
      "   vmlava.s8 %[s1], q0, q1\n"
      "   vldrb.8 q1, [%[w2]], #16\n"
      "   vmlava.s8 %[s2], q0, q1\n"
      "   vldrb.8 q1, [%[w3]], #16\n"
      "   vmlava.s8 %[s3], q0, q1\n"
      "   letp lr, 1b\n"
      "2: vmov %e[sums], %[s0], %[s1]\n"
      "   vmov %f[sums], %[s2], %[s3]\n"
      : [sums] "=w"(sums), [s0] "=&Te"(s0), [s1] "=&Te"(s1), [s2] "=&Te"(s2),
        [s3] "=&Te"(s3), [w1] "=&r"(w1), [w2] "=&r"(w2), [x] "+r"(x), [w0] "+r"(w),
        [w3] "+r"(w3)
      : [stride] "r"(stride), [n] "r"(n)
      : "q0", "q1", "lr", "memory");
  return sums;
}

/* How the int32 sums of a row of units (output channels) become its output
   bytes: a multiplier and shift per unit (per_channel), or one for all. */
typedef struct {
  const int32_t *multipliers;
  const int32_t *shifts;
  int per_channel;
  int left_shifts; /* whether any shift is positive */
  int32_t output_offset;
  int32_t activation_min;
  int32_t activation_max;
  int32_t multiplier4[4], shift4[4]; /* the first multiplier and shift four times */
} tflm_rt_mve_units;

tflm_rt_mve_units tflm_rt_mve_units_of(const int32_t *multipliers, const int32_t *shifts,
                                       int per_channel, int units, int32_t output_offset,
                                       int32_t activation_min, int32_t activation_max);

/* output[u] = requantized(bias[u] + sum over d < depth of input[d] *
   weights[u * depth + d]) for u < units: one row of FULLY_CONNECTED, or one
   pixel of a 1x1 convolution, four units at a time. `bias` may be NULL. The
   output must not overlap the input (the planner overlaps neither kernel's
   input row with its own output row, tools/aot/overlap.py). */
void tflm_rt_mve_units_s8(const tflm_rt_mve_units *units_params, const int8_t *input,
                          const int8_t *weights, const int32_t *bias, int depth, int units,
                          int8_t *output);

/* The MVE versions of the kernels of conv.c and fully_connected.c: same
   arguments, same bytes. */
void tflm_rt_mve_conv_1x1_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                             const int8_t *input, const int8_t *filter,
                             const int32_t *folded_bias, int8_t *output);

/* The largest window (filter_height * filter_width * input_channels bytes)
   and output channel count tflm_rt_mve_conv_s8 takes: it copies each
   pixel's window and folds the input offset into the biases on the stack
   (window bytes + 4 bytes a channel); it returns 0 for larger ones, which
   the portable kernel then runs. */
#define TFLM_RT_MVE_CONV_WINDOW_BYTES 2304
#define TFLM_RT_MVE_CONV_CHANNELS 512
int tflm_rt_mve_conv_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                        const int8_t *input, const int8_t *filter, const int32_t *bias,
                        int8_t *output);
void tflm_rt_mve_depthwise_conv_s8(const tflm_rt_conv_s8_params *params,
                                   const tflm_rt_conv_shape *shape, int depth_multiplier,
                                   const int8_t *input, const int8_t *filter, const int32_t *bias,
                                   int8_t *output);
void tflm_rt_mve_fully_connected_s8(const tflm_rt_fc_s8_params *params, int batches, int depth,
                                    int units, const int8_t *input, const int8_t *weights,
                                    const int32_t *folded_bias, int8_t *output);
/* tflm_rt_add_s8 without broadcasting (elementwise.c calls it only then). */
void tflm_rt_mve_add_s8(const tflm_rt_add_s8_params *params, int size, const int8_t *input1,
                        const int8_t *input2, int8_t *output);

/* AVERAGE_POOL_2D and MAX_POOL_2D (pooling.c's int8 kernels). */
void tflm_rt_mve_average_pool_s8(int32_t activation_min, int32_t activation_max,
                                 const tflm_rt_conv_shape *shape, const int8_t *input,
                                 int8_t *output);
void tflm_rt_mve_max_pool_s8(int32_t activation_min, int32_t activation_max,
                             const tflm_rt_conv_shape *shape, const int8_t *input,
                             int8_t *output);

/* tflm_rt_mve_fully_connected_s8_per_tensor: declared in fully_connected.h,
   whose inline kernel calls it. */

#endif /* TFLM_RT_MVE */

#endif /* RUNTIME_MVE_H_ */
