/* Convolution kernels for int8 NHWC tensors; semantics of TFLM's reference
   kernels (reference_integer_ops::ConvPerChannel, DepthwiseConvPerChannel).
   Padded positions are skipped, not read as zeros. */
#include "runtime/conv.h"

#include "runtime/fixed_point.h"
#include "runtime/window.h"

/* Output channel `channel` from its accumulator: plus its bias (none if
   `bias` is NULL), requantized by the channel's multiplier and shift. */
static int8_t requantize(const tflm_rt_conv_s8_params *p, const int32_t *bias, int32_t acc,
                         int channel) {
  if (bias) acc += bias[channel];
  return tflm_rt_requantize(acc, p->multipliers[channel], p->shifts[channel], p->output_offset,
                            p->activation_min, p->activation_max);
}

void tflm_rt_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                     const int8_t *input, const int8_t *filter, const int32_t *bias,
                     int8_t *output) {
  const int depth = s->input_channels;
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    for (int oc = 0; oc < s->output_channels; ++oc) {
      int32_t acc = 0;
      for (int fy = w->y_start; fy < w->y_end; ++fy) {
        for (int fx = w->x_start; fx < w->x_end; ++fx) {
          const int8_t *in = input + window_tap(s, w, fy, fx);
          const int8_t *f = filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * depth;
          for (int ic = 0; ic < depth; ++ic) acc += f[ic] * (in[ic] + p->input_offset);
        }
      }
      output[at.output + oc] = requantize(p, bias, acc, oc);
    }
  }
}

void tflm_rt_conv_1x1_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                         const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                         int8_t *output) {
  const int depth = s->input_channels;
  /* No window to clip (no padding, one tap): three plain loops. */
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int8_t *in = input + ((b * s->input_height + oy * s->stride_height) * s->input_width +
                                    ox * s->stride_width) * depth;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * s->output_channels;
        const int8_t *f = filter;
        for (int oc = 0; oc < s->output_channels; ++oc, f += depth) {
          out[oc] = requantize(p, folded_bias, tflm_rt_dot_s8(in, f, depth), oc);
        }
      }
    }
  }
}

void tflm_rt_depthwise_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                               int depth_multiplier, const int8_t *input, const int8_t *filter,
                               const int32_t *bias, int8_t *output) {
  const int channels = s->output_channels;
  const int in_step = s->dilation_width * s->input_channels;
  for (position at = first_position(s); at.b < s->batches; next_position(s, &at)) {
    const window *w = &at.w;
    int8_t *out = output + at.output;
    for (int ic = 0; ic < s->input_channels; ++ic) {
      int m = 0;
      /* Four output channels of one input channel at a time: each input value
         is loaded once for four filters. */
      for (; m + 4 <= depth_multiplier; m += 4) {
        const int oc = m + ic * depth_multiplier;
        int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
        for (int fy = w->y_start; fy < w->y_end; ++fy) {
          const int8_t *in_px = input + window_tap(s, w, fy, w->x_start) + ic;
          const int8_t *f_px = filter + (fy * s->filter_width + w->x_start) * channels + oc;
          for (int fx = w->x_start; fx < w->x_end; ++fx, f_px += channels, in_px += in_step) {
            const int32_t x = *in_px + p->input_offset;
            acc0 += f_px[0] * x;
            acc1 += f_px[1] * x;
            acc2 += f_px[2] * x;
            acc3 += f_px[3] * x;
          }
        }
        out[oc] = requantize(p, bias, acc0, oc);
        out[oc + 1] = requantize(p, bias, acc1, oc + 1);
        out[oc + 2] = requantize(p, bias, acc2, oc + 2);
        out[oc + 3] = requantize(p, bias, acc3, oc + 3);
      }
      for (; m < depth_multiplier; ++m) {
        const int oc = m + ic * depth_multiplier;
        int32_t acc = 0;
        for (int fy = w->y_start; fy < w->y_end; ++fy) {
          const int8_t *in_px = input + window_tap(s, w, fy, w->x_start) + ic;
          const int8_t *f_px = filter + (fy * s->filter_width + w->x_start) * channels + oc;
          for (int fx = w->x_start; fx < w->x_end; ++fx, f_px += channels, in_px += in_step) {
            acc += *f_px * (*in_px + p->input_offset);
          }
        }
        out[oc] = requantize(p, bias, acc, oc);
      }
    }
  }
}
