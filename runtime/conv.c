/* Convolution kernels for int8 NHWC tensors; semantics of TFLM's
   reference kernels (reference_integer_ops::ConvPerChannel,
   DepthwiseConvPerChannel). Padded positions are skipped, not read as
   zeros. */
#include "runtime/conv.h"

#include "runtime/dsp.h"
#include "runtime/fixed_point.h"
#include "runtime/mve.h"

static int8_t requantize(const tflm_rt_conv_s8_params *p, int32_t acc, int channel) {
  return tflm_rt_requantize(acc, p->multipliers[channel], p->shifts[channel], p->output_offset,
                            p->activation_min, p->activation_max);
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

/* acc[k] += sum over i < n of (x[i] + offset) * w[k * w_step + i], k < 4: one
   run of input bytes against four output channels' filters. A function of its
   own, so that GCC keeps the sums and pointers in registers. */
static __attribute__((noinline)) void dot_1x4_offset_s8(const int8_t *x, const int8_t *w,
                                                       int w_step, int n, int32_t offset,
                                                       int32_t *acc) {
  const int8_t *w0 = w, *w1 = w0 + w_step, *w2 = w1 + w_step, *w3 = w2 + w_step;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int i = n; i > 0; --i) {
    const int32_t v = *x++ + offset;
    a0 += v * *w0++;
    a1 += v * *w1++;
    a2 += v * *w2++;
    a3 += v * *w3++;
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
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

/* acc[2 * i + j] += dot(in_i, w_j) over `depth` bytes, for i, j in {0, 1}: each
   byte loaded serves two multiply-adds. A function of its own, so that GCC
   keeps its four sums and four pointers in registers. */
static __attribute__((noinline)) void dot_2x2_s8(const int8_t *in0, const int8_t *in1,
                                                const int8_t *w0, const int8_t *w1, int depth,
                                                int32_t *acc) {
  int32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  for (int d = depth; d > 0; --d) {
    const int32_t x0 = *in0++, x1 = *in1++, f0 = *w0++, f1 = *w1++;
    a00 += x0 * f0;
    a01 += x0 * f1;
    a10 += x1 * f0;
    a11 += x1 * f1;
  }
  acc[0] = a00;
  acc[1] = a01;
  acc[2] = a10;
  acc[3] = a11;
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
  for (int px = 0; px < pixels; px += 2) {
    const int pair = px + 1 < pixels;
    const int8_t *in0 = tflm_rt_pointwise_input(s, input, px);
    const int8_t *in1 = pair ? tflm_rt_pointwise_input(s, input, px + 1) : in0;
    int8_t *out0 = output + px * units, *out1 = out0 + units;
    int oc = 0;
    for (; oc + 2 <= units; oc += 2) {
      const int8_t *w0 = filter + oc * depth;
      int32_t acc[4] = {folded_bias[oc], folded_bias[oc + 1], folded_bias[oc],
                        folded_bias[oc + 1]};
      dot_2x2_s8(in0, in1, w0, w0 + depth, depth, acc);
      out0[oc] = requantize(p, acc[0], oc);
      out0[oc + 1] = requantize(p, acc[1], oc + 1);
      if (pair) {
        out1[oc] = requantize(p, acc[2], oc);
        out1[oc + 1] = requantize(p, acc[3], oc + 1);
      }
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
  int rows, columns;   /* taps inside the input, each at least 1 */
  int input_row_step;  /* bytes from one tap row to the next in the input */
  int input_tap_step;  /* and from one tap to the next along a row */
  int filter_row_step; /* bytes from one tap row to the next in the filter */
  int filter_tap_step; /* and from one tap to the next along a row: the channels */
  int32_t input_offset;
} depthwise_window;

/* acc[k] += sum over the window of (in[k] + input_offset) * f[k], k < 4. A
   function of its own, so that GCC keeps the sums and pointers in registers. */
static __attribute__((noinline)) void depthwise_taps_4(const depthwise_window *w,
                                                      const int8_t *in, const int8_t *f,
                                                      int32_t *acc) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int32_t offset = w->input_offset;
  for (int row = w->rows; row > 0; --row, in += w->input_row_step, f += w->filter_row_step) {
    const int8_t *x = in, *k = f;
    for (int tap = w->columns; tap > 0; --tap, x += w->input_tap_step, k += w->filter_tap_step) {
      a0 += (x[0] + offset) * k[0];
      a1 += (x[1] + offset) * k[1];
      a2 += (x[2] + offset) * k[2];
      a3 += (x[3] + offset) * k[3];
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* DEPTHWISE_CONV_2D with depth multiplier 1: output channel c reads input
   channel c alone. At each output position four channels at a time sum over
   the taps inside the input, from consecutive bytes of input and filter. */
static void depthwise_multiplier_1_s8(const tflm_rt_conv_s8_params *p,
                                      const tflm_rt_conv_shape *s, const int8_t *input,
                                      const int8_t *filter, const int32_t *bias, int8_t *output) {
  const int channels = s->output_channels;
  const int32_t offset = p->input_offset;
  const int row_step = s->dilation_height * s->input_width * channels;
  const int tap_step = s->dilation_width * channels;
  const int filter_row = s->filter_width * channels;
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
        /* The first tap inside the input; with no tap inside, nothing is read. */
        const int8_t *in_start = input;
        if (fy_start < fy_end && fx_start < fx_end) {
          in_start += ((b * s->input_height + in_y0 + s->dilation_height * fy_start) *
                           s->input_width + in_x0 + s->dilation_width * fx_start) * channels;
        }
        const int8_t *f_start = filter + (fy_start * s->filter_width + fx_start) * channels;
        const depthwise_window window = {fy_end - fy_start, fx_end - fx_start, row_step,
                                         tap_step, filter_row, channels, offset};
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
          int32_t acc[4] = {0, 0, 0, 0};
          if (window.rows > 0 && window.columns > 0) {
            depthwise_taps_4(&window, in_start + c, f_start + c, acc);
          }
          for (int k = 0; k < 4; ++k) {
            out[c + k] = requantize(p, acc[k] + (bias ? bias[c + k] : 0), c + k);
          }
        }
        for (; c < channels; ++c) {
          int32_t acc = 0;
          const int8_t *in_row = in_start + c, *f_row = f_start + c;
          for (int fy = fy_start; fy < fy_end; ++fy, in_row += row_step, f_row += filter_row) {
            const int8_t *in = in_row, *f = f_row;
            for (int fx = fx_start; fx < fx_end; ++fx, in += tap_step, f += channels) {
              acc += (*in + offset) * *f;
            }
          }
          if (bias) acc += bias[c];
          out[c] = requantize(p, acc, c);
        }
      }
    }
  }
}

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
  if (depth_multiplier == 1) {
    depthwise_multiplier_1_s8(p, s, input, filter, bias, output);
    return;
  }
  const int channels = s->output_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * channels;
        /* The filter taps that fall inside the input, once per output position. */
        const int fy_start = first_tap(in_y0, s->dilation_height);
        const int fy_end = end_tap(in_y0, s->dilation_height, s->input_height, s->filter_height);
        const int fx_start = first_tap(in_x0, s->dilation_width);
        const int fx_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
        const int in_step = s->dilation_width * s->input_channels;
        /* Element index of the window's corner, which may lie in the padding. */
        const int origin = ((b * s->input_height + in_y0) * s->input_width + in_x0) * s->input_channels;
        for (int ic = 0; ic < s->input_channels; ++ic) {
          int m = 0;
          /* Four output channels of one input channel at a time: each input value
             is loaded once for four filters. */
          for (; m + 4 <= depth_multiplier; m += 4) {
            const int oc = m + ic * depth_multiplier;
            int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
            for (int fy = fy_start; fy < fy_end; ++fy) {
              const int8_t *in_px = input + origin + ic +
                                    (s->dilation_height * fy * s->input_width + s->dilation_width * fx_start) *
                                        s->input_channels;
              const int8_t *f_px = filter + (fy * s->filter_width + fx_start) * channels + oc;
              for (int fx = fx_start; fx < fx_end; ++fx, f_px += channels, in_px += in_step) {
                const int32_t x = *in_px + p->input_offset;
                acc0 += f_px[0] * x;
                acc1 += f_px[1] * x;
                acc2 += f_px[2] * x;
                acc3 += f_px[3] * x;
              }
            }
            if (bias) {
              acc0 += bias[oc];
              acc1 += bias[oc + 1];
              acc2 += bias[oc + 2];
              acc3 += bias[oc + 3];
            }
            out[oc] = requantize(p, acc0, oc);
            out[oc + 1] = requantize(p, acc1, oc + 1);
            out[oc + 2] = requantize(p, acc2, oc + 2);
            out[oc + 3] = requantize(p, acc3, oc + 3);
          }
          for (; m < depth_multiplier; ++m) {
            const int oc = m + ic * depth_multiplier;
            int32_t acc = 0;
            for (int fy = fy_start; fy < fy_end; ++fy) {
              const int8_t *in_px = input + origin + ic +
                                    (s->dilation_height * fy * s->input_width + s->dilation_width * fx_start) *
                                        s->input_channels;
              const int8_t *f_px = filter + (fy * s->filter_width + fx_start) * channels + oc;
              for (int fx = fx_start; fx < fx_end; ++fx, f_px += channels, in_px += in_step) {
                acc += *f_px * (*in_px + p->input_offset);
              }
            }
            if (bias) acc += bias[oc];
            out[oc] = requantize(p, acc, oc);
          }
        }
      }
    }
  }
}
