/* Helium (MVE) kernel of int8 ADD (and SUB) without broadcasting: the bytes
   of elementwise.c's portable kernel (which calls this on a core with MVE),
   four elements a step. */
#include "runtime/mve.h"

#if TFLM_RT_MVE

/* tflm_rt_multiply_by_quantized_multiplier of four lanes by one multiplier
   and shift, the shift's parts apart: `left` = max(shift, 0) and the right
   shift (min(shift, 0)) as a vector `right` for the ties fixup and as a
   scalar. */
static inline __attribute__((always_inline)) int32x4_t scale(int32x4_t x, int32_t multiplier,
                                                             int left, int32x4_t right,
                                                             int32_t right_shift) {
  const int32x4_t high = vqrdmulhq_n_s32(vshlq_r_s32(x, left), multiplier);
  return vrshlq_n_s32(vqaddq_s32(high, vshrq_n_s32(vandq_s32(high, right), 31)), right_shift);
}

/* What add_asm reads, in this order. */
typedef struct {
  const int8_t *input1;   /* 0 */
  const int8_t *input2;   /* 4 */
  int8_t *output;         /* 8 */
  int32_t size;           /* 12: at least 1 */
  int32_t offset1;        /* 16: input1_offset * 2^left_shift */
  int32_t offset2;        /* 20 */
  int32_t multiplier1;    /* 24 */
  int32_t multiplier2;    /* 28 */
  int32_t multiplier;     /* 32: the output's */
  int32_t output_offset;  /* 36 */
  int32_t shift1;         /* 40: the input shifts, 0 or negative, and the output's, negative */
  int32_t shift2;         /* 44 */
  int32_t shift;          /* 48 */
  int32_t activation_min; /* 52 */
  int32_t activation_max; /* 56 */
  uint32_t scale;         /* 60: 2^left_shift */
} add_args;

/* tflm_rt_mve_add_asm(const add_args *): four elements a step in a
   tail-predicated loop (DLSTP.32: the last step's lanes past the end are
   neither read nor written), 23 instructions: each input widened to 32 bits,
   times 2^left_shift plus its offset (VMLAS), scaled (VQRDMULH, then the
   ties fixup and VRSHL as tflm_rt_mve_multiply_by_quantized_multiplier),
   added, scaled to the output (whose right shift makes the fixup the sign),
   offset and clamped. For input shifts of 0 or less and an output shift
   below 0 (TFLM's ADD: input multipliers of at most one, an output
   multiplier far below); the kernel below computes the others. Registers:
   r0-r2 the pointers, r4-r12 the parameters, q3 the scale, q4 and q5 the
   input shifts, q6 and q7 the range. */
__asm__(
    "  .section .text.tflm_rt_mve_add_asm,\"ax\",%progbits\n"
    "  .align 2\n"
    "  .global tflm_rt_mve_add_asm\n"
    "  .thumb_func\n"
    "  .type tflm_rt_mve_add_asm, %function\n"
    "tflm_rt_mve_add_asm:\n"
    "  push {r4-r11, lr}\n"
    "  vpush {d8-d15}\n"
    "  ldr r1, [r0, #52]\n"
    "  vdup.32 q6, r1\n"
    "  ldr r1, [r0, #56]\n"
    "  vdup.32 q7, r1\n"
    "  ldr r1, [r0, #60]\n"
    "  vdup.32 q3, r1\n"
    "  ldrd r1, r2, [r0, #40]\n"
    "  vdup.32 q4, r1\n"
    "  vdup.32 q5, r2\n"
    "  add r1, r0, #16\n"
    "  ldm r1, {r4-r12}\n"
    "  ldrd r1, r2, [r0, #4]\n"
    "  ldr r3, [r0, #12]\n"
    "  ldr r0, [r0]\n"
    "  dlstp.32 lr, r3\n"
    "1:\n"
    "  vldrb.s32 q0, [r0], #4\n"
    "  vldrb.s32 q1, [r1], #4\n"
    "  vmlas.s32 q0, q3, r4\n"
    "  vmlas.s32 q1, q3, r5\n"
    "  vqrdmulh.s32 q0, q0, r6\n"
    "  vqrdmulh.s32 q1, q1, r7\n"
    "  vand q2, q0, q4\n"
    "  vshr.s32 q2, q2, #31\n"
    "  vqadd.s32 q0, q0, q2\n"
    "  vrshl.s32 q0, r10\n"
    "  vand q2, q1, q5\n"
    "  vshr.s32 q2, q2, #31\n"
    "  vqadd.s32 q1, q1, q2\n"
    "  vrshl.s32 q1, r11\n"
    "  vadd.i32 q0, q0, q1\n"
    "  vqrdmulh.s32 q0, q0, r8\n"
    "  vshr.s32 q2, q0, #31\n"
    "  vqadd.s32 q0, q0, q2\n"
    "  vrshl.s32 q0, r12\n"
    "  vadd.i32 q0, q0, r9\n"
    "  vmax.s32 q0, q0, q6\n"
    "  vmin.s32 q0, q0, q7\n"
    "  vstrb.32 q0, [r2], #4\n"
    "  letp lr, 1b\n"
    "  vpop {d8-d15}\n"
    "  pop {r4-r11, pc}\n"
    "  .size tflm_rt_mve_add_asm, . - tflm_rt_mve_add_asm\n"
    "  .text\n");

void tflm_rt_mve_add_asm(const add_args *args);

void tflm_rt_mve_add_s8(const tflm_rt_add_s8_params *p, int size, const int8_t *input1,
                        const int8_t *input2, int8_t *output) {
  if (size <= 0) return;
  if (p->input1_shift <= 0 && p->input2_shift <= 0 && p->output_shift < 0 && p->left_shift >= 0 &&
      p->left_shift < 31) {
    const add_args a = {input1, input2, output, size,
                        p->input1_offset * (1 << p->left_shift),
                        p->input2_offset * (1 << p->left_shift), p->input1_multiplier,
                        p->input2_multiplier, p->output_multiplier, p->output_offset,
                        p->input1_shift, p->input2_shift, p->output_shift, p->activation_min,
                        p->activation_max, 1u << p->left_shift};
    tflm_rt_mve_add_asm(&a);
    return;
  }
  const int left1 = p->input1_shift > 0 ? p->input1_shift : 0;
  const int left2 = p->input2_shift > 0 ? p->input2_shift : 0;
  const int left_out = p->output_shift > 0 ? p->output_shift : 0;
  const int32_t right1 = p->input1_shift < 0 ? p->input1_shift : 0;
  const int32_t right2 = p->input2_shift < 0 ? p->input2_shift : 0;
  const int32_t right_out = p->output_shift < 0 ? p->output_shift : 0;
  const int32x4_t right1_v = vdupq_n_s32(right1), right2_v = vdupq_n_s32(right2);
  const int32x4_t right_out_v = vdupq_n_s32(right_out);
  const int32x4_t low = vdupq_n_s32(p->activation_min), high = vdupq_n_s32(p->activation_max);
  /* (x + offset) * 2^left_shift as x * 2^left_shift + offset * 2^left_shift. */
  const int32_t offset1 = p->input1_offset * (1 << p->left_shift);
  const int32_t offset2 = p->input2_offset * (1 << p->left_shift);
  for (int i = 0; i < size; i += 4) {
    /* The last step's lanes past the end are neither read nor written. */
    const mve_pred16_t lanes = vctp32q((uint32_t)(size - i));
    int32x4_t a = vldrbq_z_s32(input1 + i, lanes), b = vldrbq_z_s32(input2 + i, lanes);
    a = vaddq_n_s32(vshlq_r_s32(a, p->left_shift), offset1);
    b = vaddq_n_s32(vshlq_r_s32(b, p->left_shift), offset2);
    a = scale(a, p->input1_multiplier, left1, right1_v, right1);
    b = scale(b, p->input2_multiplier, left2, right2_v, right2);
    int32x4_t sum = scale(vaddq_s32(a, b), p->output_multiplier, left_out, right_out_v, right_out);
    sum = vminq_s32(vmaxq_s32(vaddq_n_s32(sum, p->output_offset), low), high);
    vstrbq_p_s32(output + i, sum, lanes);
  }
}

#endif /* TFLM_RT_MVE */
