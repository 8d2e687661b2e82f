/* Helium (MVE) kernel of DEPTHWISE_CONV_2D, int8: the bytes of conv.c's
   portable kernel (which calls this on a core with MVE), in fewer
   instructions. Output channels lie in vector lanes; each output pixel sums
   its window's taps inside the input (padded taps skipped, as TFLM's
   reference kernel), channel by channel. */
#include "runtime/mve.h"

#if TFLM_RT_MVE

#include <stddef.h>

/* What the assembly kernels below read, in this order. */
typedef struct {
  const int8_t *input;         /* 0: the window's first tap inside the input, channel 0 */
  const int8_t *filter;        /* 4: the same tap's filter, channel 0 */
  int32_t rows;                /* 8: taps inside the input, at least 1 each way */
  int32_t columns;             /* 12 */
  int32_t input_row_step;      /* 16: bytes from a tap row to the next, in the input */
  int32_t input_tap_step;      /* 20: and from a tap to the next along a row */
  int32_t filter_row_step;     /* 24: bytes from a tap row to the next in the filter */
  int32_t channels;            /* 28: and from a tap to the next (the output channels) */
  int32_t input_offset;        /* 32 */
  const int32_t *bias;         /* 36: channel 0's */
  const int32_t *multipliers;  /* 40 */
  const int32_t *shifts;       /* 44 */
  int8_t *output;              /* 48: the pixel's channel 0 */
  int32_t output_offset;       /* 52 */
  int32_t activation_min;      /* 56 */
  int32_t activation_max;      /* 60 */
  int32_t blocks;              /* 64: blocks of channels, at least 1 */
} depthwise_args;

/* depthwise_asm_<8 or 16>[_left](const depthwise_args *): `blocks` blocks of
   8 or 16 consecutive channels of one output pixel (depth multiplier 1).
   Per tap and 8 channels: the inputs and filter values widened to 16 bits
   (VLDRB.S16), the input offset added, the products widened to 32 bits
   (VMULLB/VMULLT: even and odd channels apart, exact) and summed, nine
   instructions for 8 products. The sums start from the biases and end
   requantized as tflm_rt_mve_multiply_by_quantized_multiplier, with the
   parameters loaded de-interleaved (VLD2: even and odd channels) to match,
   then narrowed back into channel order (VMOVNB/VMOVNT) and stored. _left:
   some shift is positive. Registers: r0 and r1 walk the taps of a row (r2
   and r3 step them to the next tap), r4 and r5 the rows (r6 and r7 step
   them), r8 counts rows, r9 holds the columns, r10 the input offset, r11
   and r12 the block's first tap; q0-q3 the sums (even, odd, even, odd
   channels); the stack the parameters and pointers that advance. */
__asm__(
    /* Requantizes sums \even and \odd (8 channels) in place; r0 and r1 point
       at the multipliers and shifts of their first channel and advance. */
    "  .macro TFLM_RT_MVE_DW_REQUANTIZE even, odd, left\n"
    "  .if \\left\n"
    "  vld20.32 {q4, q5}, [r1]\n"
    "  vld21.32 {q4, q5}, [r1]!\n"
    "  vshr.s32 q6, q4, #31\n"
    "  vbic q7, q4, q6\n"
    "  vand q4, q4, q6\n"
    "  vshl.s32 \\even, \\even, q7\n"
    "  vshr.s32 q6, q5, #31\n"
    "  vbic q7, q5, q6\n"
    "  vand q5, q5, q6\n"
    "  vshl.s32 \\odd, \\odd, q7\n"
    "  vld20.32 {q6, q7}, [r0]\n"
    "  vld21.32 {q6, q7}, [r0]!\n"
    "  vqrdmulh.s32 \\even, \\even, q6\n"
    "  vqrdmulh.s32 \\odd, \\odd, q7\n"
    "  .else\n"
    "  vld20.32 {q4, q5}, [r0]\n"
    "  vld21.32 {q4, q5}, [r0]!\n"
    "  vqrdmulh.s32 \\even, \\even, q4\n"
    "  vqrdmulh.s32 \\odd, \\odd, q5\n"
    "  vld20.32 {q4, q5}, [r1]\n"
    "  vld21.32 {q4, q5}, [r1]!\n"
    "  .endif\n"
    "  vand q6, \\even, q4\n"
    "  vshr.s32 q6, q6, #31\n"
    "  vqadd.s32 \\even, \\even, q6\n"
    "  vrshl.s32 \\even, \\even, q4\n"
    "  vand q6, \\odd, q5\n"
    "  vshr.s32 q6, q6, #31\n"
    "  vqadd.s32 \\odd, \\odd, q6\n"
    "  vrshl.s32 \\odd, \\odd, q5\n"
    "  .endm\n"
    /* Output offset, clamp (q4, q5: the range), narrowing, store at r0. */
    "  .macro TFLM_RT_MVE_DW_STORE even, odd\n"
    "  vadd.i32 \\even, \\even, r1\n"
    "  vmax.s32 \\even, \\even, q4\n"
    "  vmin.s32 \\even, \\even, q5\n"
    "  vadd.i32 \\odd, \\odd, r1\n"
    "  vmax.s32 \\odd, \\odd, q4\n"
    "  vmin.s32 \\odd, \\odd, q5\n"
    "  vmovnb.i32 q6, \\even\n"
    "  vmovnt.i32 q6, \\odd\n"
    "  vstrb.16 q6, [r0], #8\n"
    "  .endm\n"
    /* One tap of 8 channels: sums \even and \odd. */
    "  .macro TFLM_RT_MVE_DW_TAP even, odd\n"
    "  vldrb.s16 q4, [r0], #8\n"
    "  vldrb.s16 q5, [r1], #8\n"
    "  vadd.i16 q4, q4, r10\n"
    "  vmullb.s16 q6, q4, q5\n"
    "  vadd.i32 \\even, \\even, q6\n"
    "  vmullt.s16 q6, q4, q5\n"
    "  vadd.i32 \\odd, \\odd, q6\n"
    "  .endm\n"
    "  .macro TFLM_RT_MVE_DW name, width, left\n"
    "  .section .text.\\name,\"ax\",%progbits\n"
    "  .align 2\n"
    "  .thumb_func\n"
    "  .type \\name, %function\n"
    "\\name:\n"
    "  push {r4-r11, lr}\n"
    "  vpush {d8-d15}\n"
    "  sub sp, sp, #40\n"
    /* [sp]: bias, multipliers, shifts, output, output offset, min, max,
       blocks left, rows. */
    "  add r1, r0, #36\n"
    "  ldm r1, {r1, r2, r3, r4, r5, r6, r7, r8}\n"
    "  stm sp, {r1, r2, r3, r4, r5, r6, r7, r8}\n"
    "  ldrd r11, r12, [r0]\n"
    "  ldrd r8, r9, [r0, #8]\n"
    "  str r8, [sp, #32]\n"
    "  ldrd r6, r2, [r0, #16]\n"
    "  ldrd r7, r3, [r0, #24]\n"
    "  ldr r10, [r0, #32]\n"
    "  sub r2, r2, #\\width\n"
    "  sub r3, r3, #\\width\n"
    "1:\n"  /* a block */
    "  ldr r0, [sp]\n"
    "  vld20.32 {q0, q1}, [r0]\n"
    "  vld21.32 {q0, q1}, [r0]!\n"
    "  .if \\width == 16\n"
    "  vld20.32 {q2, q3}, [r0]\n"
    "  vld21.32 {q2, q3}, [r0]!\n"
    "  .endif\n"
    "  str r0, [sp]\n"
    "  mov r4, r11\n"
    "  mov r5, r12\n"
    "  ldr r8, [sp, #32]\n"
    "2:\n"  /* a row of taps */
    "  mov r0, r4\n"
    "  mov r1, r5\n"
    "  dls lr, r9\n"
    "3:\n"  /* a tap */
    "  TFLM_RT_MVE_DW_TAP q0, q1\n"
    "  .if \\width == 16\n"
    "  TFLM_RT_MVE_DW_TAP q2, q3\n"
    "  .endif\n"
    "  add r0, r0, r2\n"
    "  add r1, r1, r3\n"
    "  le lr, 3b\n"
    "  add r4, r4, r6\n"
    "  add r5, r5, r7\n"
    "  subs r8, r8, #1\n"
    "  bne 2b\n"
    "  ldrd r0, r1, [sp, #4]\n"
    "  TFLM_RT_MVE_DW_REQUANTIZE q0, q1, \\left\n"
    "  .if \\width == 16\n"
    "  TFLM_RT_MVE_DW_REQUANTIZE q2, q3, \\left\n"
    "  .endif\n"
    "  strd r0, r1, [sp, #4]\n"
    "  ldrd r4, r5, [sp, #20]\n"
    "  vdup.32 q4, r4\n"
    "  vdup.32 q5, r5\n"
    "  ldrd r0, r1, [sp, #12]\n"
    "  TFLM_RT_MVE_DW_STORE q0, q1\n"
    "  .if \\width == 16\n"
    "  TFLM_RT_MVE_DW_STORE q2, q3\n"
    "  .endif\n"
    "  str r0, [sp, #12]\n"
    "  add r11, r11, #\\width\n"
    "  add r12, r12, #\\width\n"
    "  ldr r0, [sp, #28]\n"
    "  subs r0, r0, #1\n"
    "  str r0, [sp, #28]\n"
    "  bne 1b\n"
    "  add sp, sp, #40\n"
    "  vpop {d8-d15}\n"
    "  pop {r4-r11, pc}\n"
    "  .size \\name, . - \\name\n"
    "  .endm\n"
    "  TFLM_RT_MVE_DW tflm_rt_mve_depthwise_asm_8, 8, 0\n"
    "  TFLM_RT_MVE_DW tflm_rt_mve_depthwise_asm_8_left, 8, 1\n"
    "  TFLM_RT_MVE_DW tflm_rt_mve_depthwise_asm_16, 16, 0\n"
    "  TFLM_RT_MVE_DW tflm_rt_mve_depthwise_asm_16_left, 16, 1\n"
    "  .purgem TFLM_RT_MVE_DW\n"
    "  .purgem TFLM_RT_MVE_DW_TAP\n"
    "  .purgem TFLM_RT_MVE_DW_STORE\n"
    "  .purgem TFLM_RT_MVE_DW_REQUANTIZE\n"
    "  .text\n");

void tflm_rt_mve_depthwise_asm_8(const depthwise_args *args);
void tflm_rt_mve_depthwise_asm_8_left(const depthwise_args *args);
void tflm_rt_mve_depthwise_asm_16(const depthwise_args *args);
void tflm_rt_mve_depthwise_asm_16_left(const depthwise_args *args);

/* The first filter tap k with origin + dilation * k >= 0. */
static int first_tap(int origin, int dilation) {
  return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
}

/* One past the last filter tap k < taps with origin + dilation * k < size. */
static int end_tap(int origin, int dilation, int size, int taps) {
  const int end = size - origin <= 0 ? 0 : (size - origin + dilation - 1) / dilation;
  return end < taps ? end : taps;
}

/* The taps of one output position inside the input, and the steps between them. */
typedef struct {
  int rows, columns;   /* taps inside the input; 0 when none */
  int input_row_step;  /* bytes from one tap row to the next in the input */
  int input_tap_step;  /* and from one tap to the next along a row */
  int filter_row_step; /* bytes from one tap row to the next in the filter */
  int channels;        /* output channels: from one filter tap to the next */
  int32_t input_offset;
} window;

/* The sums of output channels c to c + 3 over the window: lane k sums
   (input + input_offset) * filter of output channel c + k, its input channel
   at `offsets[k]` bytes into each input pixel (c + k with depth multiplier
   1, contiguous). `in` and `f` point at the window's first tap inside the
   input, in the input and the filter. Lanes outside `lanes` are neither read
   nor meaningful. */
static inline __attribute__((always_inline)) int32x4_t depthwise_4(
    const window *w, const int8_t *in, const int8_t *f, int c, uint32x4_t offsets, int gather,
    int predicated, mve_pred16_t lanes, int32x4_t acc) {
  const int8_t *in_row = in, *f_row = f + c;
  for (int r = w->rows; r > 0; --r, in_row += w->input_row_step, f_row += w->filter_row_step) {
    const int8_t *x = in_row, *k = f_row;
    for (int t = w->columns; t > 0; --t, x += w->input_tap_step, k += w->channels) {
      int32x4_t xv, kv;
      if (gather) {
        xv = predicated ? vldrbq_gather_offset_z_s32(x, offsets, lanes)
                        : vldrbq_gather_offset_s32(x, offsets);
      } else {
        xv = predicated ? vldrbq_z_s32(x + c, lanes) : vldrbq_s32(x + c);
      }
      kv = predicated ? vldrbq_z_s32(k, lanes) : vldrbq_s32(k);
      acc = vaddq_s32(acc, vmulq_s32(vaddq_n_s32(xv, w->input_offset), kv));
    }
  }
  return acc;
}

/* Output channels c to c + 3 of one output pixel: their sums, requantized
   per channel and stored (the lanes of `lanes`). */
static inline __attribute__((always_inline)) void depthwise_group(
    const tflm_rt_conv_s8_params *p, const window *w, const int8_t *in, const int8_t *f,
    const int32_t *bias, int c, int multiplier, int predicated, mve_pred16_t lanes,
    int8_t *out) {
  int32x4_t acc = vdupq_n_s32(0);
  if (bias) acc = predicated ? vldrwq_z_s32(bias + c, lanes) : vldrwq_s32(bias + c);
  if (w->rows > 0 && w->columns > 0) {
    if (multiplier == 1) {
      acc = depthwise_4(w, in, f, c, vdupq_n_u32(0), 0, predicated, lanes, acc);
    } else {
      /* Lane k reads input channel (c + k) / multiplier. */
      const uint32x4_t channel = vaddq_n_u32(vidupq_n_u32(0, 1), (uint32_t)c);
      uint32_t divided[4];
      vst1q_u32(divided, channel);
      for (int k = 0; k < 4; ++k) divided[k] /= (uint32_t)multiplier;
      acc = depthwise_4(w, in, f, c, vld1q_u32(divided), 1, predicated, lanes, acc);
    }
  }
  const int32x4_t shift = predicated ? vldrwq_z_s32(p->shifts + c, lanes) : vldrwq_s32(p->shifts + c);
  const int32x4_t multipliers =
      predicated ? vldrwq_z_s32(p->multipliers + c, lanes) : vldrwq_s32(p->multipliers + c);
  const int32x4_t zero = vdupq_n_s32(0);
  acc = tflm_rt_mve_multiply_by_quantized_multiplier(acc, multipliers, vmaxq_s32(shift, zero),
                                                     vminq_s32(shift, zero));
  acc = tflm_rt_mve_offset_clamp(acc, p->output_offset, p->activation_min, p->activation_max);
  if (predicated) {
    vstrbq_p_s32(out + c, acc, lanes);
  } else {
    vstrbq_s32(out + c, acc);
  }
}

/* Four output channels of one output pixel at a time, each lane summing its
   channel over the window's taps inside the input (padded taps skipped, as
   TFLM's reference kernel); with more than four channels, a count not a
   multiple of four ends with the last four channels, storing again the
   bytes of up to three before (the planner lets a pixel's output overlap
   only input no later step reads). */
/* The kernels of 16 and 8 channels a block, with and without positive shifts. */
typedef void (*depthwise_kernel)(const depthwise_args *);

/* The channels of one output pixel with depth multiplier 1 and at least 8
   channels, by the assembly kernels: blocks of 16, then one of 8, then (for
   a count not a multiple of 8) the last 8 channels again, storing the same
   bytes for up to seven before (the planner lets a pixel's output overlap
   only input no later step reads). */
static void depthwise_pixel_asm(depthwise_args *a, const depthwise_kernel kernels[2]) {
  const int channels = a->channels;
  const int8_t *in = a->input, *f = a->filter;
  const int32_t *bias = a->bias, *multipliers = a->multipliers, *shifts = a->shifts;
  int8_t *out = a->output;
  int c = 0;
  if (channels >= 16) {
    a->blocks = channels / 16;
    kernels[1](a);
    c = a->blocks * 16;
  }
  for (; c < channels; c += 8) {
    if (c > channels - 8) c = channels - 8;
    a->input = in + c;
    a->filter = f + c;
    a->bias = bias + c;
    a->multipliers = multipliers + c;
    a->shifts = shifts + c;
    a->output = out + c;
    a->blocks = 1;
    kernels[0](a);
  }
}

static const depthwise_kernel kernels_right[2] = {tflm_rt_mve_depthwise_asm_8,
                                                  tflm_rt_mve_depthwise_asm_16};
static const depthwise_kernel kernels_left[2] = {tflm_rt_mve_depthwise_asm_8_left,
                                                 tflm_rt_mve_depthwise_asm_16_left};

void tflm_rt_mve_depthwise_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                                   int depth_multiplier, const int8_t *input,
                                   const int8_t *filter, const int32_t *bias, int8_t *output) {
  const int channels = s->output_channels, in_channels = s->input_channels;
  /* The assembly kernels: depth multiplier 1, at least 8 channels, a bias. */
  const int by_asm = depth_multiplier == 1 && channels >= 8 && bias != NULL;
  int left_shifts = 0;
  for (int c = 0; c < channels; ++c) left_shifts |= p->shifts[c] > 0;
  const depthwise_kernel *kernels = left_shifts ? kernels_left : kernels_right;
  window w;
  w.input_row_step = s->dilation_height * s->input_width * in_channels;
  w.input_tap_step = s->dilation_width * in_channels;
  w.filter_row_step = s->filter_width * channels;
  w.channels = channels;
  w.input_offset = p->input_offset;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      const int fy_start = first_tap(in_y0, s->dilation_height);
      const int fy_end = end_tap(in_y0, s->dilation_height, s->input_height, s->filter_height);
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        const int fx_start = first_tap(in_x0, s->dilation_width);
        const int fx_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * channels;
        w.rows = fy_end - fy_start;
        w.columns = fx_end - fx_start;
        /* The first tap inside the input; with no tap inside, nothing is read. */
        const int8_t *in = input;
        if (w.rows > 0 && w.columns > 0) {
          in += ((b * s->input_height + in_y0 + s->dilation_height * fy_start) * s->input_width +
                 in_x0 + s->dilation_width * fx_start) * in_channels;
        }
        const int8_t *f = filter + (fy_start * s->filter_width + fx_start) * channels;
        if (by_asm && w.rows > 0 && w.columns > 0) {
          depthwise_args a = {in, f, w.rows, w.columns, w.input_row_step, w.input_tap_step,
                              w.filter_row_step, channels, p->input_offset, bias,
                              p->multipliers, p->shifts, out, p->output_offset,
                              p->activation_min, p->activation_max, 1};
          depthwise_pixel_asm(&a, kernels);
          continue;
        }
        if (channels < 4) {
          depthwise_group(p, &w, in, f, bias, 0, depth_multiplier, 1,
                          vctp32q((uint32_t)channels), out);
          continue;
        }
        for (int c = 0;; c += 4) {
          if (c > channels - 4) c = channels - 4;
          depthwise_group(p, &w, in, f, bias, c, depth_multiplier, 0, 0xffff, out);
          if (c == channels - 4) break;
        }
      }
    }
  }
}

#endif /* TFLM_RT_MVE */
