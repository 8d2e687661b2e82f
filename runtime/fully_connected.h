/* FULLY_CONNECTED kernels: int8 (weights per channel, or per tensor inline)
   and float32. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_FULLY_CONNECTED_H_
#define RUNTIME_FULLY_CONNECTED_H_

#include <stdint.h>

#include "runtime/arch.h"
#include "runtime/fixed_point.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 FULLY_CONNECTED with per-channel weights, as TFLM's
   reference kernel (reference_integer_ops::FullyConnectedPerChannel) uses
   them: one multiplier and shift per output unit. The input offset is folded
   into the bias by the compiler:
   sum((x + offset) * w) + bias = sum(x * w) + (bias + offset * sum(w)). */
typedef struct {
  int32_t output_offset;
  const int32_t *multipliers;
  const int32_t *shifts;
  int32_t activation_min;
  int32_t activation_max;
  /* Working memory of the DSP kernel (arch.h), as for tflm_rt_conv_s8_params;
     NULL for the portable kernel. */
  int32_t *scratch;
} tflm_rt_fc_s8_params;

/* output[b][u] = act(requant(sum_d input[b][d] * weights[u][d] + folded_bias[u])). */
void tflm_rt_fully_connected_s8(const tflm_rt_fc_s8_params *params, int batches, int depth,
                                int units, const int8_t *input, const int8_t *weights,
                                const int32_t *folded_bias, int8_t *output);

/* Parameters of an int8 FULLY_CONNECTED with per-tensor weights (TFLM's
   reference_integer_ops::FullyConnected): one multiplier and shift. */
typedef struct {
  int32_t output_offset;
  int32_t multiplier;
  int shift;
  int32_t activation_min;
  int32_t activation_max;
  int32_t *scratch; /* as for tflm_rt_fc_s8_params */
  /* 1 when the compiler proved every sum below 2^19 in magnitude, from the
     weights and folded bias (|bias| + 128 * sum |w|), so that Cortex-M0 may
     take tflm_rt_multiply_down_narrow. */
  int32_t narrow;
} tflm_rt_fc_s8_per_tensor_params;

#if TFLM_RT_MVE
/* The Helium version of the kernel below (fully_connected_mve.c), which it
   calls on a core with MVE: same arguments, same bytes. */
void tflm_rt_mve_fully_connected_s8_per_tensor(const tflm_rt_fc_s8_per_tensor_params *params,
                                               int batches, int depth, int units,
                                               const int8_t *input, const int8_t *weights,
                                               const int32_t *folded_bias, int8_t *output);
#endif

#if TFLM_RT_DSP
/* tflm_rt_fully_connected_s8_per_tensor with the DSP extension (fully_connected.c),
   which pays from this depth on (one batch). */
#define TFLM_RT_DSP_FC_MIN_DEPTH 8

void tflm_rt_fully_connected_s8_per_tensor_dsp(const tflm_rt_fc_s8_per_tensor_params *params,
                                               int batches, int depth, int units,
                                               const int8_t *input, const int8_t *weights,
                                               const int32_t *folded_bias, int8_t *output);
#endif

#if defined(__ARM_ARCH_6M__)
/* *acc0 += dot(x, w0) and *acc1 += dot(x, w1) over n > 0 bytes, for
   Cortex-M0: it loads bytes by register offset only, and GCC walks the three
   rows with pointers that it re-offsets with a constant before each load
   (sixteen instructions per input byte). Here one count from -n up to 0
   indexes the rows from their ends, and the add that steps it sets the flags
   the loop branches on: nine instructions per byte, in the eight low
   registers. */
static inline __attribute__((always_inline)) void tflm_rt_dot_2_m0(const int8_t *x,
                                                                   const int8_t *w0,
                                                                   const int8_t *w1, int n,
                                                                   int32_t *acc0, int32_t *acc1) {
  int32_t a0 = *acc0, a1 = *acc1, i = -n, v, t;
  const int8_t *const x_end = x + n, *const w0_end = w0 + n, *const w1_end = w1 + n;
  /* GCC hands Thumb-1 inline assembly to the assembler in divided syntax,
     and returns to unified syntax after it. */
  __asm__(
      ".syntax unified\n\t"
      "1:\n\t"
      "ldrsb %[v], [%[x], %[i]]\n\t"
      "ldrsb %[t], [%[w0], %[i]]\n\t"
      "muls %[t], %[v], %[t]\n\t"
      "adds %[a0], %[a0], %[t]\n\t"
      "ldrsb %[t], [%[w1], %[i]]\n\t"
      "muls %[t], %[v], %[t]\n\t"
      "adds %[a1], %[a1], %[t]\n\t"
      "adds %[i], %[i], #1\n\t"
      "bne 1b"
      : [a0] "+l"(a0), [a1] "+l"(a1), [i] "+l"(i), [v] "=&l"(v), [t] "=&l"(t)
      : [x] "l"(x_end), [w0] "l"(w0_end), [w1] "l"(w1_end)
      : "cc", "memory");
  *acc0 = a0;
  *acc1 = a1;
}
#endif

/* The per-tensor kernel's requantization of a sum: on Cortex-M0, for a
   sum the compiler bounded, without a 64-bit product. */
static inline __attribute__((always_inline)) int8_t tflm_rt_fc_per_tensor_requantize(
    const tflm_rt_fc_s8_per_tensor_params *params, const tflm_rt_channel_requant *c,
    int32_t acc) {
#if defined(__ARM_ARCH_6M__)
  if (params->narrow && params->shift <= -1 && params->shift >= -21 && params->multiplier >= 0) {
    return (int8_t)tflm_rt_clamp(
        tflm_rt_multiply_down_narrow(acc, params->multiplier, params->shift) +
            params->output_offset, params->activation_min, params->activation_max);
  }
#endif
  return tflm_rt_channel_requantize(acc, c, params->activation_min, params->activation_max);
}

/* FULLY_CONNECTED with per-tensor quantization, inline: the compiler passes
   a static const params struct and constant counts, so the shifts, offsets
   and clamps fold into the code and the loop counts are known. Same
   arithmetic as tflm_rt_fully_connected_s8 (the input offset folded into
   the bias). */
static inline __attribute__((always_inline)) void tflm_rt_fully_connected_s8_per_tensor(
    const tflm_rt_fc_s8_per_tensor_params *params, int batches, int depth, int units,
    const int8_t *input, const int8_t *weights, const int32_t *folded_bias, int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_fully_connected_s8_per_tensor(params, batches, depth, units, input, weights,
                                            folded_bias, output);
  return;
#elif TFLM_RT_DSP
  if (params->scratch || (batches == 1 && depth >= TFLM_RT_DSP_FC_MIN_DEPTH)) {
    tflm_rt_fully_connected_s8_per_tensor_dsp(params, batches, depth, units, input, weights,
                                              folded_bias, output);
    return;
  }
#endif
  const tflm_rt_channel_requant c =
      tflm_rt_channel_requant_of(params->multiplier, params->shift, params->output_offset);
  for (int b = 0; b < batches; ++b) {
    const int8_t *in = input + b * depth;
    int8_t *out = output + b * units;
    int u = 0;
    /* Two units at a time: each input value is loaded once for two rows of
       weights (four would run out of Cortex-M registers). */
    for (; u + 2 <= units; u += 2) {
      const int8_t *w0 = weights + u * depth, *w1 = w0 + depth;
      int32_t acc0 = folded_bias[u], acc1 = folded_bias[u + 1];
      int d = 0;
#if defined(__ARM_ARCH_6M__)
      /* On Cortex-M0 rows of four bytes or more take tflm_rt_dot_2_m0 (fewer
         cost less in the loops below). */
      if (depth >= 4) {
        tflm_rt_dot_2_m0(in, w0, w1, depth, &acc0, &acc1);
        d = depth;
      }
#endif
      for (; d + 4 <= depth; d += 4) {
        acc0 += in[d] * w0[d] + in[d + 1] * w0[d + 1] + in[d + 2] * w0[d + 2] + in[d + 3] * w0[d + 3];
        acc1 += in[d] * w1[d] + in[d + 1] * w1[d + 1] + in[d + 2] * w1[d + 2] + in[d + 3] * w1[d + 3];
      }
      for (; d < depth; ++d) {
        acc0 += in[d] * w0[d];
        acc1 += in[d] * w1[d];
      }
      out[u] = tflm_rt_fc_per_tensor_requantize(params, &c, acc0);
      out[u + 1] = tflm_rt_fc_per_tensor_requantize(params, &c, acc1);
    }
    for (; u < units; ++u) {
      const int32_t acc = folded_bias[u] + tflm_rt_dot_s8(in, weights + u * depth, depth);
      out[u] = tflm_rt_fc_per_tensor_requantize(params, &c, acc);
    }
  }
}

/* float32 FULLY_CONNECTED, as TFLM's reference_ops::FullyConnected: the sum in
   input order, bias (may be NULL) added last, then tflm_rt_clamp_f32. */
void tflm_rt_fully_connected_f32(float activation_min, float activation_max, int batches,
                                 int depth, int units, const float *input, const float *weights,
                                 const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_FULLY_CONNECTED_H_ */
