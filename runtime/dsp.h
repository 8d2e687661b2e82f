/* Internal to runtime/: the Cortex-M DSP extension (SIMD within a 32-bit
   register: SXTB16, SMLAD, ...) as the *_dsp.c kernels use it, and those
   kernels' entry points, which the portable kernels call at their top when
   TFLM_RT_DSP is set (arch.h). Every DSP kernel gives the bytes of the
   portable kernel it stands for: integer sums are exact, so the order of a
   dot product is free, and requantization is tflm_rt_requantize's.

   The trick that pays: SXTB16 sign-extends bytes 0 and 2 of a word into two
   16-bit halves, and SXTB16 of the word rotated by 8 bits bytes 1 and 3.
   Done to four input bytes and to four filter bytes alike, it pairs them so
   that two SMLADs sum all four products: no reordering of the weights. The
   SXTAB16 form adds the input offset to both halves in the same
   instruction (x + offset fits 16 bits: -255..255). */
#ifndef RUNTIME_DSP_H_
#define RUNTIME_DSP_H_

#include "runtime/arch.h"

/* The scratch the kernels ask for, in bytes (tools/aot/scratch.py computes the
   same): `count` (1 or 4) extended rows of `depth` values; and for CONV_2D,
   four of its windows of `window` values, and one window of bytes. */
#define TFLM_RT_DSP_ROWS_BYTES(count, depth) (8 * (count) * (((depth) + 3) / 4))
#define TFLM_RT_DSP_CONV_BYTES(window) (TFLM_RT_DSP_ROWS_BYTES(4, window) + 4 * (((window) + 3) / 4))
/* DEPTHWISE_CONV_2D: each channel's bias with the input offset folded in and
   its filter taps extended to 16 bits (its requantization constants are in
   flash: conv.h's dsp_channels). */
#define TFLM_RT_DSP_DEPTHWISE_BYTES(channels, taps) ((channels) * (4 + 2 * (taps)))

#if TFLM_RT_DSP

#include <arm_acle.h>
#include <stdint.h>
#include <string.h>

#include "runtime/conv.h"
#include "runtime/fixed_point.h"
#include "runtime/fully_connected.h"

/* Four int8 as one word, from any alignment (Cortex-M4 and up load
   unaligned words in one instruction). */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_load4(const int8_t *p) {
  int32_t word;
  memcpy(&word, p, 4);
  return word;
}

/* Bytes 0 and 2 of x, sign-extended into the low and high halves. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_even(int32_t x) {
  return __sxtb16(x);
}

/* Bytes 1 and 3 of x, sign-extended into the low and high halves. GCC does
   not fold the rotation into SXTB16 by itself: one instruction, not two. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_odd(int32_t x) {
  int32_t result;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(result) : "r"(x));
  return result;
}

/* offset_pair + bytes 0 and 2 of x, per 16-bit half. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_even_plus(int32_t offset_pair,
                                                                           int32_t x) {
  return __sxtab16(offset_pair, x);
}

/* offset_pair + bytes 1 and 3 of x, per 16-bit half. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_odd_plus(int32_t offset_pair,
                                                                          int32_t x) {
  int32_t result;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(result) : "r"(offset_pair), "r"(x));
  return result;
}

/* An int16 value in both halves of a word, for SXTAB16. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_pair(int32_t value) {
  return (int32_t)(((uint32_t)value & 0xffffu) * 0x10001u);
}

/* The low halves of a and b, as one word: a's low half low. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dsp_pack_low(int32_t a, int32_t b) {
  return (int32_t)(((uint32_t)a & 0xffffu) | ((uint32_t)b << 16));
}

/* --- The matrix product (matmul_dsp.c) --- */

/* How a product's sums are requantized: the multiplier and shift of weight
   row u at multipliers[u * step] and shifts[u * step] (step 0: one for all). */
typedef struct {
  int32_t output_offset;
  const int32_t *multipliers;
  const int32_t *shifts;
  int step;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_dsp_requant;

/* Row r (< 4) of a group of four rows, `depth` int8 values plus `offset`,
   into `scratch` (TFLM_RT_DSP_ROWS_BYTES(4, depth) bytes) as 16-bit pairs
   (matmul_dsp.c's layout), zeros past the end. */
void tflm_rt_dsp_extend_row(const int8_t *row, int depth, int32_t offset, int r,
                            int32_t *scratch);

/* output[r * output_step + u] = requant(bias[u] + sum_k x_r[k] * weights[u][k])
   for r < rows (1 to 4) and u < units, x the extended group of four rows, the
   rows from `rows` on a copy of row rows - 1 (their outputs are written over
   its own); weights [units][depth]; `bias` may be NULL. */
void tflm_rt_dsp_rows_times_weights(const tflm_rt_dsp_requant *requant, int rows, int depth,
                                    int units, const int32_t *x, const int8_t *weights,
                                    const int32_t *bias, int8_t *output, int output_step);

/* output[u] = requant(bias[u] + sum_k x[k] * weights[u][k]): one row of int8
   input, as it is (no scratch). */
void tflm_rt_dsp_row_times_weights(const tflm_rt_dsp_requant *requant, int depth, int units,
                                   const int8_t *x, const int8_t *weights, const int32_t *bias,
                                   int8_t *output);

/* One output channel's requantization in the form the DSP kernels apply:
   tflm_rt_multiply_down (fixed_point.h), which adds the output offset, then
   SSAT for the clamp. */
typedef struct {
  int64_t rounding; /* tflm_rt_multiply_down_rounding(shift, output_offset) */
  int32_t multiplier;
  int32_t high_shift; /* s - 1, for the right shift s = -shift */
} tflm_rt_dsp_channel;

/* Whether the fast form gives tflm_rt_requantize's bytes: a right shift of 1
   to 23 (the offset then adds to the 64-bit sum without overflow) and a
   multiplier >= 0 (tflm_rt_dsp_fast_shift); and, for the kernels that clamp
   with SSAT alone, an activation range of all of int8. */
static inline __attribute__((always_inline)) int tflm_rt_dsp_fast_shift(int32_t multiplier,
                                                                        int32_t shift) {
  return shift <= -1 && shift >= -23 && multiplier >= 0;
}

static inline __attribute__((always_inline)) int tflm_rt_dsp_fast(const tflm_rt_dsp_requant *q,
                                                                  int32_t multiplier,
                                                                  int32_t shift) {
  return tflm_rt_dsp_fast_shift(multiplier, shift) && q->activation_min == -128 &&
         q->activation_max == 127;
}

/* The channel's constants, where tflm_rt_dsp_fast holds. */
static inline __attribute__((always_inline)) tflm_rt_dsp_channel tflm_rt_dsp_channel_of(
    int32_t multiplier, int32_t shift, int32_t output_offset) {
  /* tflm_rt_multiply_down_rounding(shift, output_offset) for the right shift
     s = -shift (1 to 23) in 32-bit halves, a handful of instructions where
     GCC's 64-bit shifts take some thirty: 2^30 and 2^(30+s) (the low word's
     top bit for s = 1, else the high word's bit s - 2), and the offset times
     2^(31+s), which is the high word's offset << (s - 1). */
  const uint32_t s = (uint32_t)-shift;
  const uint32_t high = ((uint32_t)output_offset << (s - 1)) + ((1u << s) >> 2);
  const uint32_t low = (1u << 30) | ((1u << s) & 2u) << 30;
  const tflm_rt_dsp_channel c = {(int64_t)(((uint64_t)high << 32) | low), multiplier,
                                 -shift - 1};
  return c;
}

/* tflm_rt_requantize(acc, ...) for a channel where tflm_rt_dsp_fast holds. */
static inline __attribute__((always_inline)) int8_t tflm_rt_dsp_requantize(
    int32_t acc, const tflm_rt_dsp_channel *c) {
  return (int8_t)__ssat(tflm_rt_multiply_down(acc, c->multiplier, c->rounding, c->high_shift), 8);
}

/* --- Kernels --- */

/* CONV_2D with a 1x1 filter and FULLY_CONNECTED (fully_connected_dsp.c); the
   scratch is TFLM_RT_DSP_ROWS_BYTES(4, input channels), and for
   FULLY_CONNECTED TFLM_RT_DSP_ROWS_BYTES(4, depth) with more than one batch,
   none (NULL) with one. */
void tflm_rt_conv_1x1_s8_dsp(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                             const int8_t *input, const int8_t *filter,
                             const int32_t *folded_bias, int8_t *output);
void tflm_rt_fully_connected_s8_dsp(const tflm_rt_dsp_requant *requant, int32_t *scratch,
                                    int batches, int depth, int units, const int8_t *input,
                                    const int8_t *weights, const int32_t *folded_bias,
                                    int8_t *output);

/* CONV_2D of any filter (conv_dsp.c): the windows of four output pixels at a
   time gathered into the scratch, TFLM_RT_DSP_CONV_BYTES(window) bytes. */
void tflm_rt_conv_s8_dsp(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                         const int8_t *input, const int8_t *filter, const int32_t *bias,
                         int8_t *output);

/* DEPTHWISE_CONV_2D (depthwise_dsp.c) with a depth multiplier of 1 and
   channels a multiple of 4, or a multiplier that is a multiple of 4: returns 0,
   having done nothing, for other shapes. The scratch is
   TFLM_RT_DSP_DEPTHWISE_BYTES(output channels, filter taps) bytes. */
int tflm_rt_depthwise_conv_s8_dsp(const tflm_rt_conv_s8_params *params,
                                  const tflm_rt_conv_shape *shape, int depth_multiplier,
                                  const int8_t *input, const int8_t *filter, const int32_t *bias,
                                  int8_t *output);

#endif /* TFLM_RT_DSP */

#endif /* RUNTIME_DSP_H_ */
