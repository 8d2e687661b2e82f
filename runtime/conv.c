/* Convolution kernels for int8 NHWC tensors; semantics of TFLM's
   reference kernels (reference_integer_ops::ConvPerChannel,
   DepthwiseConvPerChannel). Padded positions are skipped, not read as
   zeros. */
#include "runtime/conv.h"

#include "runtime/dsp.h"
#include "runtime/fixed_point.h"
#include "runtime/mve.h"

/* Inline, so that a kernel requantizing two pixels of a channel prepares the
   channel once. */
static inline __attribute__((always_inline)) int8_t requantize(const tflm_rt_conv_s8_params *p,
                                                               int32_t acc, int channel) {
  const tflm_rt_channel_requant c =
      tflm_rt_channel_requant_of(p->multipliers[channel], p->shifts[channel], p->output_offset);
  return tflm_rt_channel_requantize(acc, &c, p->activation_min, p->activation_max);
}

/* The first filter tap k with origin + dilation * k >= 0. */
static int first_tap(int origin, int dilation) {
  return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
}

/* One past the last filter tap k < taps with origin + dilation * k < size. */
static int end_tap(int origin, int dilation, int size, int taps) {
  const int end = size - origin <= 0 ? 0 : (size - origin + dilation - 1) / dilation;
  return end < taps ? end : taps;
}

/* One input value against four filters' bytes, into the four sums a[k]. */
static inline __attribute__((always_inline)) void mac_1x4(int32_t v, const int8_t *w0,
                                                          const int8_t *w1, const int8_t *w2,
                                                          const int8_t *w3, int i, int32_t *a) {
  a[0] += v * w0[i];
  a[1] += v * w1[i];
  a[2] += v * w2[i];
  a[3] += v * w3[i];
}

/* acc[k] += sum over i < n of (x[i] + offset) * w[k * w_step + i], k < 4: one
   run of input bytes against four output channels' filters. A function of its
   own at -O2, so that GCC keeps the sums and pointers in registers (-Os
   spills them), the loop counting to an end pointer. */
static __attribute__((noinline)) TFLM_RT_HOT void dot_1x4_offset_s8(
    const int8_t *x, const int8_t *w, int w_step, int n, int32_t offset, int32_t *acc) {
  const int8_t *w0 = w, *w1 = w0 + w_step, *w2 = w1 + w_step, *w3 = w2 + w_step;
  int32_t a[4] = {acc[0], acc[1], acc[2], acc[3]};
  for (const int8_t *const end = x + n; x != end; ++w0, ++w1, ++w2, ++w3) {
    mac_1x4(*x++ + offset, w0, w1, w2, w3, 0, a);
  }
  for (int k = 0; k < 4; ++k) acc[k] = a[k];
}

/* sum over i < n of (x[i] + offset) * w[i]. */
static int32_t dot_offset_s8(const int8_t *x, const int8_t *w, int n, int32_t offset) {
  int32_t acc = 0;
  for (int i = 0; i < n; ++i) acc += (x[i] + offset) * w[i];
  return acc;
}

/* At each output position, four output channels at a time sum over the
   filter taps inside the input. Without dilation along x, the taps of one
   filter row are one run of bytes in the input and in the filter (NHWC),
   however few the input channels. */
void tflm_rt_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                     const int8_t *input, const int8_t *filter, const int32_t *bias,
                     int8_t *output) {
#if TFLM_RT_MVE
  if (tflm_rt_mve_conv_s8(p, s, input, filter, bias, output)) return;
#elif TFLM_RT_DSP
  if (p->scratch) {
    tflm_rt_conv_s8_dsp(p, s, input, filter, bias, output);
    return;
  }
#endif
  const int channels = s->input_channels, units = s->output_channels;
  const int filter_size = s->filter_height * s->filter_width * channels; /* per output channel */
  const int runs_per_row = s->dilation_width == 1 ? 1 : 0; /* 0: one run per tap */
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      const int fy_start = first_tap(in_y0, s->dilation_height);
      const int fy_end = end_tap(in_y0, s->dilation_height, s->input_height, s->filter_height);
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        const int fx_start = first_tap(in_x0, s->dilation_width);
        const int fx_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
        /* Runs per filter row, and bytes per run. */
        const int runs = runs_per_row ? (fx_start < fx_end) : fx_end - fx_start;
        const int run = runs_per_row ? (fx_end - fx_start) * channels : channels;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * units;
        for (int oc = 0; oc < units;) {
          const int group = units - oc >= 4 ? 4 : 1;
          int32_t acc[4] = {0, 0, 0, 0};
          for (int fy = fy_start; fy < fy_end; ++fy) {
            const int in_y = in_y0 + s->dilation_height * fy;
            for (int r = 0; r < runs; ++r) {
              const int fx = fx_start + r;
              const int8_t *x = input + ((b * s->input_height + in_y) * s->input_width + in_x0 +
                                         s->dilation_width * fx) * channels;
              const int8_t *w = filter + oc * filter_size + (fy * s->filter_width + fx) * channels;
              if (group == 4) {
                dot_1x4_offset_s8(x, w, filter_size, run, p->input_offset, acc);
              } else {
                acc[0] += dot_offset_s8(x, w, run, p->input_offset);
              }
            }
          }
          for (int k = 0; k < group; ++k, ++oc) {
            out[oc] = requantize(p, acc[k] + (bias ? bias[oc] : 0), oc);
          }
        }
      }
    }
  }
}

/* One byte of each of two inputs against one of each of two filters, into
   the four sums s[2 * i + j]. */
static inline __attribute__((always_inline)) void mac_2x2(int32_t x0, int32_t x1, int32_t f0,
                                                          int32_t f1, int32_t *s) {
  s[0] += x0 * f0;
  s[1] += x0 * f1;
  s[2] += x1 * f0;
  s[3] += x1 * f1;
}

/* Two output pixels (out0, out1: pixel i at in_i) by two output channels
   (oc, oc + 1: filter rows w and w + depth): s[2 * i + j] = folded_bias +
   dot(in_i, w_j) over `depth` bytes, requantized; each byte loaded serves
   two multiply-adds. A function of its own at -O2, so that GCC keeps its four
   sums and four pointers in registers (-Os spills them); four bytes per turn
   of a loop that counts to an end pointer, six instructions of loop per
   sixteen multiply-adds. */
static __attribute__((noinline)) TFLM_RT_HOT void pointwise_tile_2x2(
    const tflm_rt_conv_s8_params *p, const int8_t *in0, const int8_t *in1, const int8_t *w0,
    int depth, const int32_t *folded_bias, int oc, int8_t *out0, int8_t *out1) {
  const int8_t *w1 = w0 + depth;
  int32_t s[4] = {folded_bias[oc], folded_bias[oc + 1], folded_bias[oc], folded_bias[oc + 1]};
  const int8_t *const quads_end = in0 + (depth & ~3);
  while (in0 != quads_end) {
    mac_2x2(in0[0], in1[0], w0[0], w1[0], s);
    mac_2x2(in0[1], in1[1], w0[1], w1[1], s);
    mac_2x2(in0[2], in1[2], w0[2], w1[2], s);
    mac_2x2(in0[3], in1[3], w0[3], w1[3], s);
    in0 += 4;
    in1 += 4;
    w0 += 4;
    w1 += 4;
  }
  for (int rest = depth & 3; rest > 0; --rest) mac_2x2(*in0++, *in1++, *w0++, *w1++, s);
  out0[oc] = requantize(p, s[0], oc);
  out0[oc + 1] = requantize(p, s[1], oc + 1);
  if (out1) {
    out1[oc] = requantize(p, s[2], oc);
    out1[oc + 1] = requantize(p, s[3], oc + 1);
  }
}

/* Two output pixels by two output channels at a time. */
void tflm_rt_conv_1x1_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                         const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                         int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_conv_1x1_s8(p, s, input, filter, folded_bias, output);
  return;
#elif TFLM_RT_DSP
  if (p->scratch) {
    tflm_rt_conv_1x1_s8_dsp(p, s, input, filter, folded_bias, output);
    return;
  }
#endif
  const int depth = s->input_channels, units = s->output_channels;
  const int pixels = s->batches * s->output_height * s->output_width;
  /* With unit strides the pixels follow one another in the input as in the output. */
  const int dense = s->stride_height == 1 && s->stride_width == 1;
  for (int px = 0; px < pixels; px += 2) {
    const int pair = px + 1 < pixels;
    const int8_t *in0 = dense ? input + px * depth : tflm_rt_pointwise_input(s, input, px);
    const int8_t *in1 =
        !pair ? in0 : dense ? in0 + depth : tflm_rt_pointwise_input(s, input, px + 1);
    int8_t *out0 = output + px * units, *out1 = pair ? out0 + units : 0;
    int oc = 0;
    for (; oc + 2 <= units; oc += 2) {
      pointwise_tile_2x2(p, in0, in1, filter + oc * depth, depth, folded_bias, oc, out0, out1);
    }
    if (oc < units) {
      const int8_t *w = filter + oc * depth;
      out0[oc] = requantize(p, tflm_rt_dot_s8(in0, w, depth) + folded_bias[oc], oc);
      if (pair) out1[oc] = requantize(p, tflm_rt_dot_s8(in1, w, depth) + folded_bias[oc], oc);
    }
  }
}

/* The taps of one output position inside the input, and the steps between them. */
typedef struct {
  int rows, columns;   /* taps inside the input, 0 when none */
  int input_row_step;  /* bytes from one tap row to the next in the input */
  int input_tap_step;  /* and from one tap to the next along a row */
  int filter_row_step; /* bytes from one tap row to the next in the filter */
  int filter_tap_step; /* and from one tap to the next along a row: the channels */
  int32_t input_offset;
} depthwise_window;

/* The window of the output position whose top left tap, possibly in the
   padding, is input row in_y0 and column in_x0 of batch b, with filter rows
   fy_start to fy_end inside the input; *in and *f are advanced to its first
   tap inside the input (left alone with none). */
static inline __attribute__((always_inline)) depthwise_window window_at(
    const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s, int b, int in_y0,
    int fy_start, int fy_end, int in_x0, const int8_t **in, const int8_t **f) {
  const int fx_start = first_tap(in_x0, s->dilation_width);
  const int fx_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
  const int in_channels = s->input_channels, channels = s->output_channels;
  depthwise_window w = {0, 0, s->dilation_height * s->input_width * in_channels,
                        s->dilation_width * in_channels, s->filter_width * channels, channels,
                        p->input_offset};
  if (fy_start < fy_end && fx_start < fx_end) {
    w.rows = fy_end - fy_start;
    w.columns = fx_end - fx_start;
    *in += ((b * s->input_height + in_y0 + s->dilation_height * fy_start) * s->input_width +
            in_x0 + s->dilation_width * fx_start) * in_channels;
    *f += (fy_start * s->filter_width + fx_start) * channels;
  }
  return w;
}

/* The sums' starting values: the bias of the channels, or 0 without one. */
static inline __attribute__((always_inline)) void bias_4(const int32_t *bias, int channel,
                                                         int32_t *a) {
  const int32_t *const b = bias ? bias + channel : 0;
  a[0] = b ? b[0] : 0;
  a[1] = b ? b[1] : 0;
  a[2] = b ? b[2] : 0;
  a[3] = b ? b[3] : 0;
}

/* The requantized sums of four channels into out[0..3]. */
static inline __attribute__((always_inline)) void store_4(const tflm_rt_conv_s8_params *p,
                                                          const int32_t *a, int channel,
                                                          int8_t *out) {
  out[0] = requantize(p, a[0], channel);
  out[1] = requantize(p, a[1], channel + 1);
  out[2] = requantize(p, a[2], channel + 2);
  out[3] = requantize(p, a[3], channel + 3);
}

/* a[k] += sum over the window of (x_k + input_offset) * f[k], k < 4, where
   x_k is in[k] for four input channels (`lanes`: depth multiplier 1 and no
   dilation along x, so that one step, the channels, leads from tap to tap in
   input and filter alike) or *in for one (four output channels of one input
   channel). The loops count down to an end pointer, two instructions of loop
   per tap. */
static inline __attribute__((always_inline)) void depthwise_sums_4(const depthwise_window *w,
                                                                   const int8_t *in,
                                                                   const int8_t *f,
                                                                   int32_t *a, int lanes) {
  if (w->rows == 0) return;
  const int32_t offset = w->input_offset;
  const int f_step = w->filter_tap_step, in_step = lanes ? f_step : w->input_tap_step;
  const int in_skip = w->input_row_step - w->columns * in_step;
  const int f_skip = w->filter_row_step - w->columns * f_step;
  int row = w->rows;
  do {
    const int8_t *const row_end = in + w->columns * in_step;
    do {
      a[0] += (in[0] + offset) * f[0];
      a[1] += (in[lanes ? 1 : 0] + offset) * f[1];
      a[2] += (in[lanes ? 2 : 0] + offset) * f[2];
      a[3] += (in[lanes ? 3 : 0] + offset) * f[3];
      in += in_step;
      f += f_step;
    } while (in != row_end);
    in += in_skip;
    f += f_skip;
  } while (--row > 0);
}

/* Four channels of one output position: out[k] = requantize(bias + the sums
   of depthwise_sums_4) for channel + k. A function of its own at -O2, so that
   GCC keeps the four sums and the pointers in registers (-Os spills them),
   with a loop for each value of `lanes`. */
static __attribute__((noinline)) TFLM_RT_HOT void depthwise_group_4(
    const tflm_rt_conv_s8_params *p, const depthwise_window *w, int lanes, const int8_t *in,
    const int8_t *f, const int32_t *bias, int channel, int8_t *out) {
  int32_t a[4];
  bias_4(bias, channel, a);
  if (lanes) {
    depthwise_sums_4(w, in, f, a, 1);
  } else {
    depthwise_sums_4(w, in, f, a, 0);
  }
  store_4(p, a, channel, out);
}

/* One channel of one output position: bias + sum over the window of
   (*in + input_offset) * *f, requantized. */
static int8_t depthwise_one(const tflm_rt_conv_s8_params *p, const depthwise_window *w,
                            const int8_t *in, const int8_t *f, const int32_t *bias,
                            int channel) {
  int32_t acc = bias ? bias[channel] : 0;
  for (int row = 0; row < w->rows; ++row, in += w->input_row_step, f += w->filter_row_step) {
    const int8_t *x = in, *k = f;
    for (int tap = 0; tap < w->columns; ++tap, x += w->input_tap_step, k += w->filter_tap_step) {
      acc += (*x + w->input_offset) * *k;
    }
  }
  return requantize(p, acc, channel);
}

/* At each output position, the filter taps inside the input; then each
   input channel's output channels, four at a time where the depth
   multiplier allows (or, with multiplier 1 and no dilation along x, four
   input channels at a time, from consecutive bytes of input and filter). */
void tflm_rt_depthwise_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                               int depth_multiplier, const int8_t *input, const int8_t *filter,
                               const int32_t *bias, int8_t *output) {
#if TFLM_RT_MVE
  tflm_rt_mve_depthwise_conv_s8(p, s, depth_multiplier, input, filter, bias, output);
  return;
#elif TFLM_RT_DSP
  if (p->scratch &&
      tflm_rt_depthwise_conv_s8_dsp(p, s, depth_multiplier, input, filter, bias, output)) {
    return;
  }
#endif
  const int channels = s->output_channels;
  const int lanes = depth_multiplier == 1 && s->dilation_width == 1;
  int8_t *out = output;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      const int fy_start = first_tap(in_y0, s->dilation_height);
      const int fy_end = end_tap(in_y0, s->dilation_height, s->input_height, s->filter_height);
      for (int ox = 0; ox < s->output_width; ++ox, out += channels) {
        const int8_t *in = input, *f = filter;
        const depthwise_window w = window_at(p, s, b, in_y0, fy_start, fy_end,
                                             ox * s->stride_width - s->pad_width, &in, &f);
        int c = 0;
        if (lanes) {
          for (; c + 4 <= channels; c += 4) {
            depthwise_group_4(p, &w, 1, in + c, f + c, bias, c, out + c);
          }
        }
        for (; c < channels; ++c) {
          const int ic = c / depth_multiplier, m = c - ic * depth_multiplier;
          if (!lanes && m + 4 <= depth_multiplier) {
            depthwise_group_4(p, &w, 0, in + ic, f + c, bias, c, out + c);
            c += 3;
          } else {
            out[c] = depthwise_one(p, &w, in + ic, f + c, bias, c);
          }
        }
      }
    }
  }
}
