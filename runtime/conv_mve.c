/* Helium (MVE) kernels of CONV_2D and DEPTHWISE_CONV_2D, int8: the bytes of
   conv.c's portable kernels (which call these on a core with MVE), in fewer
   instructions. */
#include "runtime/mve.h"

#if TFLM_RT_MVE

/* Each output pixel as one row of a FULLY_CONNECTED: four output channels
   at a time (tflm_rt_mve_units_s8). */
void tflm_rt_mve_conv_1x1_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                             const int8_t *input, const int8_t *filter,
                             const int32_t *folded_bias, int8_t *output) {
  const int depth = s->input_channels, units = s->output_channels;
  const tflm_rt_mve_units q = tflm_rt_mve_units_of(p->multipliers, p->shifts, 1, units,
                                                   p->output_offset, p->activation_min,
                                                   p->activation_max);
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int8_t *in = input + ((b * s->input_height + oy * s->stride_height) *
                                        s->input_width + ox * s->stride_width) * depth;
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * units;
        tflm_rt_mve_units_s8(&q, in, filter, folded_bias, depth, units, out);
      }
    }
  }
}

/* n bytes from `from` to `to`, 16 a vector (tail-predicated). */
static inline __attribute__((always_inline)) void copy_bytes(int8_t *to, const int8_t *from,
                                                             int n) {
  __asm__ volatile(
      "   wlstp.8 lr, %[n], 2f\n"
      "1: vldrb.8 q0, [%[from]], #16\n"
      "   vstrb.8 q0, [%[to]], #16\n"
      "   letp lr, 1b\n"
      "2:\n"
      : [to] "+r"(to), [from] "+r"(from)
      : [n] "r"(n)
      : "q0", "lr", "memory");
}

/* n bytes of `value` from `to` on. */
static inline __attribute__((always_inline)) void fill_bytes(int8_t *to, int8_t value, int n) {
  __asm__ volatile(
      "   vdup.8 q0, %[value]\n"
      "   wlstp.8 lr, %[n], 2f\n"
      "1: vstrb.8 q0, [%[to]], #16\n"
      "   letp lr, 1b\n"
      "2:\n"
      : [to] "+r"(to)
      : [n] "r"(n), [value] "r"((int32_t)value)
      : "q0", "lr", "memory");
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

/* The window of output pixel (b, oy, ox) as one run of
   filter_height * filter_width * input_channels bytes in the filter's order,
   the taps outside the input filled with the input's zero point: its
   products with the filter are then the portable kernel's sums less
   input_offset times the filter's sum (the folded bias adds it back). */
static void gather_window(const tflm_rt_conv_shape *s, const int8_t *input, int b, int oy,
                          int ox, int8_t zero_point, int8_t *window) {
  const int channels = s->input_channels;
  const int row_bytes = s->filter_width * channels;
  const int in_y0 = oy * s->stride_height - s->pad_height;
  const int in_x0 = ox * s->stride_width - s->pad_width;
  const int fx_start = first_tap(in_x0, s->dilation_width);
  const int fx_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
  for (int fy = 0; fy < s->filter_height; ++fy, window += row_bytes) {
    const int in_y = in_y0 + s->dilation_height * fy;
    if (in_y < 0 || in_y >= s->input_height || fx_start >= fx_end) {
      fill_bytes(window, zero_point, row_bytes);
      continue;
    }
    const int8_t *row = input + ((b * s->input_height + in_y) * s->input_width + in_x0) * channels;
    fill_bytes(window, zero_point, fx_start * channels);
    if (s->dilation_width == 1) {
      copy_bytes(window + fx_start * channels, row + fx_start * channels,
                 (fx_end - fx_start) * channels);
    } else {
      for (int fx = fx_start; fx < fx_end; ++fx) {
        copy_bytes(window + fx * channels, row + fx * s->dilation_width * channels, channels);
      }
    }
    fill_bytes(window + fx_end * channels, zero_point, (s->filter_width - fx_end) * channels);
  }
}

/* folded[u] = bias[u] + input_offset * the sum of filter u's `depth` bytes, for
   u < units; returns folded. */
static const int32_t *fold_bias(const tflm_rt_conv_s8_params *p, const int8_t *filter,
                                const int32_t *bias, int depth, int units, int32_t *folded) {
  const int8_t *w = filter;
  for (int u = 0; u < units; ++u, w += depth) {
    int32_t sum = 0;
    for (int i = 0; i < depth; i += 16) {
      const mve_pred16_t lanes = vctp8q((uint32_t)(depth - i));
      sum = vaddvaq_p_s8(sum, vldrbq_z_s8(w + i, lanes), lanes);
    }
    folded[u] = (bias ? bias[u] : 0) + p->input_offset * sum;
  }
  return folded;
}

int tflm_rt_mve_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                        const int8_t *input, const int8_t *filter, const int32_t *bias,
                        int8_t *output) {
  const int units = s->output_channels;
  const int depth = s->filter_height * s->filter_width * s->input_channels;
  if (depth > TFLM_RT_MVE_CONV_WINDOW_BYTES || units > TFLM_RT_MVE_CONV_CHANNELS) return 0;
  /* The bias with the input offset folded in, exact in int32 as TFLM's sums
     are: bias + input_offset * the sum of the channel's filter; the
     compiler's if it gave one. */
  int32_t own[p->folded_bias ? 1 : units];
  const int32_t *folded =
      p->folded_bias ? p->folded_bias : fold_bias(p, filter, bias, depth, units, own);
  const tflm_rt_mve_units q = tflm_rt_mve_units_of(p->multipliers, p->shifts, 1, units,
                                                   p->output_offset, p->activation_min,
                                                   p->activation_max);
  const int8_t zero_point = (int8_t)-p->input_offset;
  int8_t window[depth];
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      for (int ox = 0; ox < s->output_width; ++ox) {
        gather_window(s, input, b, oy, ox, zero_point, window);
        int8_t *out = output + ((b * s->output_height + oy) * s->output_width + ox) * units;
        tflm_rt_mve_units_s8(&q, window, filter, folded, depth, units, out);
      }
    }
  }
  return 1;
}

#endif /* TFLM_RT_MVE */
