/* Convolution kernels for int8 NHWC tensors; semantics of TFLM's
   reference kernels (reference_integer_ops::ConvPerChannel,
   DepthwiseConvPerChannel). Padded positions are skipped, not read as
   zeros. */
#include "runtime/conv.h"

#include "runtime/fixed_point.h"

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

void tflm_rt_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                     const int8_t *input, const int8_t *filter, const int32_t *bias,
                     int8_t *output) {
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_y0 = oy * s->stride_height - s->pad_height;
        const int in_x0 = ox * s->stride_width - s->pad_width;
        for (int oc = 0; oc < s->output_channels; ++oc) {
          int32_t acc = 0;
          for (int fy = 0; fy < s->filter_height; ++fy) {
            const int in_y = in_y0 + s->dilation_height * fy;
            if (in_y < 0 || in_y >= s->input_height) continue;
            for (int fx = 0; fx < s->filter_width; ++fx) {
              const int in_x = in_x0 + s->dilation_width * fx;
              if (in_x < 0 || in_x >= s->input_width) continue;
              const int8_t *in =
                  input + ((b * s->input_height + in_y) * s->input_width + in_x) * s->input_channels;
              const int8_t *f =
                  filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * s->input_channels;
              for (int ic = 0; ic < s->input_channels; ++ic) {
                acc += f[ic] * (in[ic] + p->input_offset);
              }
            }
          }
          if (bias) acc += bias[oc];
          output[((b * s->output_height + oy) * s->output_width + ox) * s->output_channels + oc] =
              requantize(p, acc, oc);
        }
      }
    }
  }
}

void tflm_rt_conv_1x1_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                         const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                         int8_t *output) {
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int8_t *in = input + ((b * s->input_height + oy * s->stride_height) * s->input_width +
                                    ox * s->stride_width) * s->input_channels;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * s->output_channels;
        const int8_t *f = filter;
        for (int oc = 0; oc < s->output_channels; ++oc, f += s->input_channels) {
          out[oc] = requantize(p, tflm_rt_dot_s8(in, f, s->input_channels) + folded_bias[oc], oc);
        }
      }
    }
  }
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
        int c = 0;
        for (; c + 4 <= channels; c += 4) {
          int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
          const int8_t *in_row = in_start + c, *f_row = f_start + c;
          for (int fy = fy_start; fy < fy_end; ++fy, in_row += row_step, f_row += filter_row) {
            const int8_t *in = in_row, *f = f_row;
            for (int fx = fx_start; fx < fx_end; ++fx, in += tap_step, f += channels) {
              acc0 += (in[0] + offset) * f[0];
              acc1 += (in[1] + offset) * f[1];
              acc2 += (in[2] + offset) * f[2];
              acc3 += (in[3] + offset) * f[3];
            }
          }
          if (bias) {
            acc0 += bias[c];
            acc1 += bias[c + 1];
            acc2 += bias[c + 2];
            acc3 += bias[c + 3];
          }
          out[c] = requantize(p, acc0, c);
          out[c + 1] = requantize(p, acc1, c + 1);
          out[c + 2] = requantize(p, acc2, c + 2);
          out[c + 3] = requantize(p, acc3, c + 3);
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
