/* Helium (MVE) kernels of FULLY_CONNECTED, int8: the bytes of
   fully_connected.c's and fully_connected.h's portable kernels (which call
   these on a core with MVE), in fewer instructions. The loop over the units
   of one input row also serves the 1x1 convolution (conv_mve.c). */
#include "runtime/mve.h"

#if TFLM_RT_MVE

/* What units_asm reads, in this order (it copies the first five to its
   stack and walks them there). */
typedef struct {
  const int32_t *bias;        /* 0: four units' biases a group */
  const int32_t *multipliers; /* 4: the same, or (per tensor) four copies not walked */
  const int32_t *shifts;      /* 8 */
  int8_t *output;             /* 12 */
  int32_t output_offset;      /* 16 */
  const int8_t *input;        /* 20 */
  const int8_t *weights;      /* 24: the first group's four rows */
  int32_t depth;              /* 28 */
  int32_t groups;             /* 32: groups of four units, at least 1 */
  int32_t activation_min;     /* 36 */
  int32_t activation_max;     /* 40 */
} units_args;

/* units_asm_<params>_<left>(const units_args *): for each group of four
   units, the four sums over the depth (ten instructions for 64 products, as
   tflm_rt_mve_dot_1x4), then requantized as
   tflm_rt_mve_multiply_by_quantized_multiplier with the output offset and
   clamp, and stored. In assembly, because GCC spills the loop's pointers
   around the dot product's asm: a group costs about 28 instructions beside
   its products. <params> says whether the multipliers and shifts advance
   four a group (16 bytes) or stay (0: per tensor); <left> whether any
   shift may be positive. Registers in the group loop: r0, r2, r4, r6 the
   sums (VMLADAVA takes even registers), r1 the input, r3, r5, r7, r9 the
   rows, r8 the depth, r10 the input row, r11 depth minus the depth rounded
   up to 16 (rows are depth bytes apart, a row's tail-predicated loop walks
   the rounded depth), r12 the groups left; q6 and q7 the activation range;
   [sp] the bias, multiplier, shift and output pointers and the output
   offset. */
__asm__(
    "  .macro TFLM_RT_MVE_UNITS name, step, left\n"
    "  .section .text.\\name,\"ax\",%progbits\n"
    "  .align 2\n"
    "  .thumb_func\n"
    "  .type \\name, %function\n"
    "\\name:\n"
    "  push {r4-r11, lr}\n"
    "  vpush {d8-d15}\n"
    "  sub sp, sp, #24\n"
    "  ldm r0, {r1, r2, r3, r4, r5}\n"
    "  stm sp, {r1, r2, r3, r4, r5}\n"
    "  ldr r10, [r0, #20]\n"
    "  ldr r9, [r0, #24]\n"
    "  ldr r8, [r0, #28]\n"
    "  ldr r12, [r0, #32]\n"
    "  ldr r1, [r0, #36]\n"
    "  vdup.32 q6, r1\n"
    "  ldr r1, [r0, #40]\n"
    "  vdup.32 q7, r1\n"
    "  add r11, r8, #15\n"
    "  bic r11, r11, #15\n"
    "  sub r11, r8, r11\n"
    "  sub r9, r9, r11\n"
    "1:\n"
    "  ldm sp, {r0, r1, r2}\n"
    "  vldrw.u32 q0, [r0], #16\n"
    "  vldrw.u32 q1, [r1], #\\step\n"
    "  vldrw.u32 q2, [r2], #\\step\n"
    "  stm sp, {r0, r1, r2}\n"
    "  vmov r0, r2, d0\n"
    "  vmov r4, r6, d1\n"
    "  mov r1, r10\n"
    "  add r3, r9, r11\n"
    "  add r5, r3, r8\n"
    "  add r7, r5, r8\n"
    "  add r9, r7, r8\n"
    "  wlstp.8 lr, r8, 3f\n"
    "2:\n"
    "  vldrb.8 q3, [r1], #16\n"
    "  vldrb.8 q4, [r3], #16\n"
    "  vmlava.s8 r0, q3, q4\n"
    "  vldrb.8 q4, [r5], #16\n"
    "  vmlava.s8 r2, q3, q4\n"
    "  vldrb.8 q4, [r7], #16\n"
    "  vmlava.s8 r4, q3, q4\n"
    "  vldrb.8 q4, [r9], #16\n"
    "  vmlava.s8 r6, q3, q4\n"
    "  letp lr, 2b\n"
    "3:\n"
    "  vmov d0, r0, r2\n"
    "  vmov d1, r4, r6\n"
    "  .if \\left\n"
    "  vshr.s32 q3, q2, #31\n"  /* all ones where the shift is negative */
    "  vbic q4, q2, q3\n"       /* max(shift, 0) */
    "  vand q2, q2, q3\n"       /* min(shift, 0) */
    "  vshl.s32 q0, q0, q4\n"
    "  .endif\n"
    "  vqrdmulh.s32 q0, q0, q1\n"
    "  vand q1, q0, q2\n"
    "  vshr.s32 q1, q1, #31\n"
    "  vqadd.s32 q0, q0, q1\n"
    "  vrshl.s32 q0, q0, q2\n"
    "  ldrd r0, r2, [sp, #12]\n"
    "  vadd.i32 q0, q0, r2\n"
    "  vmax.s32 q0, q0, q6\n"
    "  vmin.s32 q0, q0, q7\n"
    "  vstrb.32 q0, [r0], #4\n"
    "  str r0, [sp, #12]\n"
    "  subs r12, r12, #1\n"
    "  bne 1b\n"
    "  add sp, sp, #24\n"
    "  vpop {d8-d15}\n"
    "  pop {r4-r11, pc}\n"
    "  .size \\name, . - \\name\n"
    "  .endm\n"
    "  TFLM_RT_MVE_UNITS tflm_rt_mve_units_asm_channels, 16, 0\n"
    "  TFLM_RT_MVE_UNITS tflm_rt_mve_units_asm_channels_left, 16, 1\n"
    "  TFLM_RT_MVE_UNITS tflm_rt_mve_units_asm_tensor, 0, 0\n"
    "  TFLM_RT_MVE_UNITS tflm_rt_mve_units_asm_tensor_left, 0, 1\n"
    "  .purgem TFLM_RT_MVE_UNITS\n"
    "  .text\n");

void tflm_rt_mve_units_asm_channels(const units_args *args);
void tflm_rt_mve_units_asm_channels_left(const units_args *args);
void tflm_rt_mve_units_asm_tensor(const units_args *args);
void tflm_rt_mve_units_asm_tensor_left(const units_args *args);

/* The bias of units without one. */
static const int32_t zeros[4] = {0, 0, 0, 0};

tflm_rt_mve_units tflm_rt_mve_units_of(const int32_t *multipliers, const int32_t *shifts,
                                       int per_channel, int units, int32_t output_offset,
                                       int32_t activation_min, int32_t activation_max) {
  tflm_rt_mve_units u;
  int left = 0;
  for (int i = 0; i < (per_channel ? units : 1); ++i) left |= shifts[i] > 0;
  u.multipliers = multipliers;
  u.shifts = shifts;
  u.per_channel = per_channel;
  u.left_shifts = left;
  u.output_offset = output_offset;
  u.activation_min = activation_min;
  u.activation_max = activation_max;
  for (int i = 0; i < 4; ++i) {
    u.multiplier4[i] = multipliers[0];
    u.shift4[i] = shifts[0];
  }
  return u;
}

/* Units u to u + 4 * groups - 1 of one row. */
static void groups(const tflm_rt_mve_units *q, const int8_t *input, const int8_t *weights,
                   const int32_t *bias, int depth, int u, int count, int8_t *output) {
  const int per_channel = q->per_channel;
  const units_args args = {bias, per_channel ? q->multipliers + u : q->multiplier4,
                           per_channel ? q->shifts + u : q->shift4, output + u,
                           q->output_offset, input, weights + u * depth, depth, count,
                           q->activation_min, q->activation_max};
  if (per_channel) {
    (q->left_shifts ? tflm_rt_mve_units_asm_channels_left : tflm_rt_mve_units_asm_channels)(&args);
  } else {
    (q->left_shifts ? tflm_rt_mve_units_asm_tensor_left : tflm_rt_mve_units_asm_tensor)(&args);
  }
}

void tflm_rt_mve_units_s8(const tflm_rt_mve_units *q, const int8_t *input,
                          const int8_t *weights, const int32_t *bias, int depth, int units,
                          int8_t *output) {
  if (units >= 4 && !bias) {
    /* Never from the compiler, which folds a bias for every row: a group at a
       time, each from the zeros. */
    for (int u = 0; u + 4 <= units; u += 4) groups(q, input, weights, zeros, depth, u, 1, output);
    if (units % 4) groups(q, input, weights, zeros, depth, units - 4, 1, output);
    return;
  }
  if (units >= 4) {
    groups(q, input, weights, bias, depth, 0, units / 4, output);
    if (units % 4) {
      /* The last four units end at the last unit, storing again the bytes of
         up to three units before. */
      const int u = units - 4;
      groups(q, input, weights, bias + u, depth, u, 1, output);
    }
    return;
  }
  /* Fewer than four units: one at a time, its row four times, lane 0 stored. */
  for (int u = 0; u < units; ++u) {
    int32x4_t acc =
        tflm_rt_mve_dot_1x4(input, weights + u * depth, 0, depth, bias ? bias + u : zeros);
    const int32_t m = q->per_channel ? q->multipliers[u] : q->multipliers[0];
    const int32_t s = q->per_channel ? q->shifts[u] : q->shifts[0];
    acc = tflm_rt_mve_multiply_by_quantized_multiplier_n(acc, m, s);
    acc = tflm_rt_mve_offset_clamp(acc, q->output_offset, q->activation_min, q->activation_max);
    vstrbq_p_s32(output + u, acc, vctp32q(1));
  }
}

void tflm_rt_mve_fully_connected_s8(const tflm_rt_fc_s8_params *p, int batches, int depth,
                                    int units, const int8_t *input, const int8_t *weights,
                                    const int32_t *folded_bias, int8_t *output) {
  const tflm_rt_mve_units q = tflm_rt_mve_units_of(p->multipliers, p->shifts, 1, units,
                                                   p->output_offset, p->activation_min,
                                                   p->activation_max);
  for (int b = 0; b < batches; ++b) {
    tflm_rt_mve_units_s8(&q, input + b * depth, weights, folded_bias, depth, units,
                         output + b * units);
  }
}

void tflm_rt_mve_fully_connected_s8_per_tensor(const tflm_rt_fc_s8_per_tensor_params *p,
                                               int batches, int depth, int units,
                                               const int8_t *input, const int8_t *weights,
                                               const int32_t *folded_bias, int8_t *output) {
  const int32_t shift = p->shift;
  const tflm_rt_mve_units q = tflm_rt_mve_units_of(&p->multiplier, &shift, 0, units,
                                                   p->output_offset, p->activation_min,
                                                   p->activation_max);
  for (int b = 0; b < batches; ++b) {
    tflm_rt_mve_units_s8(&q, input + b * depth, weights, folded_bias, depth, units,
                         output + b * units);
  }
}

#endif /* TFLM_RT_MVE */
