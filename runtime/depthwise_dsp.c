/* DEPTHWISE_CONV_2D with the DSP extension, output pixel by output pixel as
   the portable kernel (so an output overlaps its input as
   tools/aot/overlap.py allows), four output channels at a time.

   With a depth multiplier of 1, one word of input holds four channels:
   SXTAB16 sign-extends bytes 0 and 2, and bytes 1 and 3, each with the input
   offset added, into 16-bit pairs, and SMLABB and SMLATT multiply each half by
   its channel's filter tap. With a multiplier that is a multiple of 4, four
   output channels read the same input value, which SMLABB and SMLABT multiply
   by the taps of both channels of a pair. The filter taps are extended into
   those pairs once per layer, into the scratch, with each channel's
   requantization constants (dsp.h). Taps that fall in the padding are
   skipped, as in TFLM. */
#include "runtime/dsp.h"

#if TFLM_RT_DSP

#include "runtime/fixed_point.h"

/* The scratch: the channels' requantization constants, then for each group of
   four output channels its taps, two words each. */
typedef struct {
  tflm_rt_dsp_channel *channels;
  const int32_t *taps;
} prepared;

/* The taps of one output position inside the input, and the steps between them. */
typedef struct {
  int rows, columns;   /* taps inside the input */
  int input_row_step;  /* bytes from one tap row to the next in the input */
  int input_tap_step;  /* and from one tap to the next along a row */
  int tap_row_skip;    /* tap pairs (two words) skipped after each row: the filter's other taps */
  int32_t offset_pair; /* the input offset in both halves */
} window;

/* Every channel of an output pixel from the taps of its window inside the
   input (multiplier 1): channel k of a group's value is byte k of an input
   word, the input offset added as it is extended. `taps` are the group's
   first tap pairs inside the window; `biases` the biases as they are, or
   NULL; `table` the fast requantization. */
static __attribute__((noinline)) void pixel_window(const window *w, int groups,
                                                  const int8_t *in, const int32_t *taps,
                                                  int taps_per_group, const int32_t *biases,
                                                  const tflm_rt_dsp_channel *table, int8_t *out) {
  const int32_t offset_pair = w->offset_pair;
  for (int g = groups; g > 0; --g, in += 4, taps += 2 * taps_per_group, out += 4, table += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (biases) {
      a0 = biases[0];
      a1 = biases[1];
      a2 = biases[2];
      a3 = biases[3];
      biases += 4;
    }
    const int8_t *row_in = in;
    const int32_t *t = taps;
    for (int row = w->rows; row > 0; --row, row_in += w->input_row_step, t += 2 * w->tap_row_skip) {
      const int8_t *x = row_in;
      for (int tap = w->columns; tap > 0; --tap, x += w->input_tap_step, t += 2) {
        const int32_t word = tflm_rt_dsp_load4(x);
        const int32_t even = tflm_rt_dsp_even_plus(offset_pair, word);
        const int32_t odd = tflm_rt_dsp_odd_plus(offset_pair, word);
        a0 = __smlabb(even, t[0], a0);
        a2 = __smlatt(even, t[0], a2);
        a1 = __smlabb(odd, t[1], a1);
        a3 = __smlatt(odd, t[1], a3);
      }
    }
    out[0] = tflm_rt_dsp_requantize(a0, &table[0]);
    out[1] = tflm_rt_dsp_requantize(a1, &table[1]);
    out[2] = tflm_rt_dsp_requantize(a2, &table[2]);
    out[3] = tflm_rt_dsp_requantize(a3, &table[3]);
  }
}

/* acc[k] += the window's taps of four channels from one input word per tap
   (multiplier 1), as pixel_window, for one group. */
static __attribute__((noinline)) void taps_4(const window *w, const int8_t *in,
                                            const int32_t *taps, int32_t *acc) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int32_t offset_pair = w->offset_pair;
  for (int row = w->rows; row > 0; --row, in += w->input_row_step, taps += 2 * w->tap_row_skip) {
    const int8_t *x = in;
    for (int tap = w->columns; tap > 0; --tap, x += w->input_tap_step, taps += 2) {
      const int32_t word = tflm_rt_dsp_load4(x);
      const int32_t even = tflm_rt_dsp_even_plus(offset_pair, word);
      const int32_t odd = tflm_rt_dsp_odd_plus(offset_pair, word);
      a0 = __smlabb(even, taps[0], a0);
      a2 = __smlatt(even, taps[0], a2);
      a1 = __smlabb(odd, taps[1], a1);
      a3 = __smlatt(odd, taps[1], a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* Two words at p, then p += 2: one LDRD (GCC emits two LDRs). */
static inline __attribute__((always_inline)) void load_pair(const int32_t **p, int32_t *a,
                                                            int32_t *b) {
  __asm__("ldrd %0, %1, [%2], #8"
          : "=r"(*a), "=r"(*b), "+r"(*p)
          : "m"(*(const int32_t(*)[2]) * p));
}

/* What pixel_3x3 reads besides the pixel. */
typedef struct {
  int groups;             /* of four channels */
  int input_row_step;     /* bytes from one input row of the window to the next */
  int channels;           /* bytes from one input pixel to the next */
  const int32_t *taps;    /* the tap pairs */
  const int32_t *biases;  /* per group: the four folded biases */
  const tflm_rt_dsp_channel *table;
} whole_3x3;

/* Every channel of an output pixel whose 3x3 window lies inside the input,
   with the input offset folded into the biases (all nine taps count). */
static inline __attribute__((always_inline)) void pixel_3x3(const whole_3x3 *k,
                                                           const int8_t *in, int8_t *out) {
  const int32_t *taps = k->taps, *biases = k->biases;
  const tflm_rt_dsp_channel *c = k->table;
  const int row_step = k->input_row_step, step = k->channels;
  for (int g = k->groups; g > 0; --g, in += 4, out += 4, biases += 4, c += 4) {
    int32_t a0 = biases[0], a1 = biases[1], a2 = biases[2], a3 = biases[3];
    const int8_t *x = in;
    for (int row = 3; row > 0; --row, x += row_step) {
      int32_t t02, t13;
      int32_t word = tflm_rt_dsp_load4(x);
      int32_t even = tflm_rt_dsp_even(word), odd = tflm_rt_dsp_odd(word);
      load_pair(&taps, &t02, &t13);
      a0 = __smlabb(even, t02, a0);
      a2 = __smlatt(even, t02, a2);
      a1 = __smlabb(odd, t13, a1);
      a3 = __smlatt(odd, t13, a3);
      word = tflm_rt_dsp_load4(x + step);
      even = tflm_rt_dsp_even(word);
      odd = tflm_rt_dsp_odd(word);
      load_pair(&taps, &t02, &t13);
      a0 = __smlabb(even, t02, a0);
      a2 = __smlatt(even, t02, a2);
      a1 = __smlabb(odd, t13, a1);
      a3 = __smlatt(odd, t13, a3);
      word = tflm_rt_dsp_load4(x + 2 * step);
      even = tflm_rt_dsp_even(word);
      odd = tflm_rt_dsp_odd(word);
      load_pair(&taps, &t02, &t13);
      a0 = __smlabb(even, t02, a0);
      a2 = __smlatt(even, t02, a2);
      a1 = __smlabb(odd, t13, a1);
      a3 = __smlatt(odd, t13, a3);
    }
    out[0] = tflm_rt_dsp_requantize(a0, &c[0]);
    out[1] = tflm_rt_dsp_requantize(a1, &c[1]);
    out[2] = tflm_rt_dsp_requantize(a2, &c[2]);
    out[3] = tflm_rt_dsp_requantize(a3, &c[3]);
  }
}

/* `count` output pixels in a row, `in_step` input bytes apart, as pixel_3x3. */
static __attribute__((noinline)) void row_3x3(const whole_3x3 *k, const int8_t *in, int in_step,
                                             int8_t *out, int count) {
  const int out_step = 4 * k->groups;
  for (; count > 0; --count, in += in_step, out += out_step) pixel_3x3(k, in, out);
}

/* acc[k] += the window's taps of four output channels that read one input
   channel (a multiplier that is a multiple of 4). */
static __attribute__((noinline)) void taps_broadcast(const window *w, const int8_t *in,
                                                    const int32_t *taps, int32_t *acc) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int32_t offset = (int16_t)w->offset_pair;
  for (int row = w->rows; row > 0; --row, in += w->input_row_step, taps += 2 * w->tap_row_skip) {
    const int8_t *x = in;
    for (int tap = w->columns; tap > 0; --tap, x += w->input_tap_step, taps += 2) {
      const int32_t value = *x + offset;
      a0 = __smlabb(value, taps[0], a0);
      a2 = __smlabt(value, taps[0], a2);
      a1 = __smlabb(value, taps[1], a1);
      a3 = __smlabt(value, taps[1], a3);
    }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* The filter [1][height][width][channels] as tap pairs per group of four
   channels: (c, c + 2) and (c + 1, c + 3) of each tap, 16 bits each. */
static void extend_taps(const int8_t *filter, int taps, int channels, int32_t *out) {
  for (int c = 0; c < channels; c += 4) {
    for (int t = 0; t < taps; ++t, out += 2) {
      const int32_t word = tflm_rt_dsp_load4(filter + t * channels + c);
      out[0] = tflm_rt_dsp_even(word);
      out[1] = tflm_rt_dsp_odd(word);
    }
  }
}

int tflm_rt_depthwise_conv_s8_dsp(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                                  int depth_multiplier, const int8_t *input, const int8_t *filter,
                                  const int32_t *bias, int8_t *output) {
  const int channels = s->output_channels, taps = s->filter_height * s->filter_width;
  const int broadcast = depth_multiplier % 4 == 0;
  if (!(broadcast || (depth_multiplier == 1 && channels % 4 == 0))) return 0;
  const tflm_rt_dsp_requant q = {p->output_offset, p->multipliers, p->shifts, 1,
                                 p->activation_min, p->activation_max};
  int fast = 1;
  for (int c = 0; c < channels; ++c) fast &= tflm_rt_dsp_fast(&q, p->multipliers[c], p->shifts[c]);
  tflm_rt_dsp_channel *table = (tflm_rt_dsp_channel *)p->scratch;
  int32_t *folded = p->scratch + 4 * channels;
  int32_t *tap_pairs = folded + channels;
  if (fast) {
    for (int c = 0; c < channels; ++c) {
      table[c] = tflm_rt_dsp_channel_of(p->multipliers[c], p->shifts[c], p->output_offset);
    }
  }
  extend_taps(filter, taps, channels, tap_pairs);
  /* The 3x3 interior: the input offset into the bias, for all nine taps. */
  const int is_3x3 = s->filter_height == 3 && s->filter_width == 3 && depth_multiplier == 1 && fast;
  if (is_3x3) {
    for (int c = 0; c < channels; ++c) {
      int32_t sum = 0;
      for (int t = 0; t < 9; ++t) sum += filter[t * channels + c];
      folded[c] = (bias ? bias[c] : 0) + p->input_offset * sum;
    }
  }
  const whole_3x3 k = {channels / 4, s->dilation_height * s->input_width * s->input_channels,
                       s->dilation_width * s->input_channels, tap_pairs, folded, table};
  const int in_channels = s->input_channels;
  window w;
  w.input_row_step = s->dilation_height * s->input_width * in_channels;
  w.input_tap_step = s->dilation_width * in_channels;
  w.offset_pair = tflm_rt_dsp_pair(p->input_offset);
  /* The output columns whose windows lie inside the input along x: [x_lo, x_hi). */
  int x_lo = 0, x_hi = s->output_width;
  while (x_lo < x_hi && x_lo * s->stride_width - s->pad_width < 0) ++x_lo;
  while (x_hi > x_lo && (x_hi - 1) * s->stride_width - s->pad_width +
                            (s->filter_width - 1) * s->dilation_width >= s->input_width) {
    --x_hi;
  }
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      int fy_start = 0, fy_end = s->filter_height;
      while (fy_start < fy_end && in_y0 + fy_start * s->dilation_height < 0) ++fy_start;
      while (fy_end > fy_start && in_y0 + (fy_end - 1) * s->dilation_height >= s->input_height) {
        --fy_end;
      }
      int8_t *out_row = output + (b * s->output_height + oy) * s->output_width * channels;
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        if (is_3x3 && fy_end - fy_start == 3 && ox == x_lo && x_lo < x_hi) {
          /* The row's pixels with whole windows, at once. */
          const int8_t *in = input + ((b * s->input_height + in_y0) * s->input_width + in_x0) *
                                         in_channels;
          row_3x3(&k, in, s->stride_width * in_channels, out_row + ox * channels, x_hi - x_lo);
          ox = x_hi - 1;
          continue;
        }
        int fx_start = 0, fx_end = s->filter_width;
        while (fx_start < fx_end && in_x0 + fx_start * s->dilation_width < 0) ++fx_start;
        while (fx_end > fx_start && in_x0 + (fx_end - 1) * s->dilation_width >= s->input_width) {
          --fx_end;
        }
        w.rows = fy_end - fy_start;
        w.columns = fx_end - fx_start;
        w.tap_row_skip = s->filter_width - w.columns;
        int8_t *out = out_row + ox * channels;
        if (w.rows == 0 || w.columns == 0) w.rows = w.columns = 0; /* no tap inside: the bias */
        /* The first tap inside the input, if any. */
        const int8_t *in = input;
        if (w.rows > 0) {
          in += ((b * s->input_height + in_y0 + fy_start * s->dilation_height) * s->input_width +
                 in_x0 + fx_start * s->dilation_width) * in_channels;
        }
        const int first_tap = fy_start * s->filter_width + fx_start;
        if (fast && !broadcast) {
          pixel_window(&w, channels / 4, in, tap_pairs + 2 * first_tap, taps, bias, table, out);
          continue;
        }
        for (int c = 0; c < channels; c += 4) {
          int32_t acc[4] = {0, 0, 0, 0};
          if (bias) {
            acc[0] = bias[c];
            acc[1] = bias[c + 1];
            acc[2] = bias[c + 2];
            acc[3] = bias[c + 3];
          }
          const int32_t *group = tap_pairs + 2 * (c / 4 * taps + first_tap);
          if (w.rows > 0) {
            if (broadcast) {
              taps_broadcast(&w, in + c / depth_multiplier, group, acc);
            } else {
              taps_4(&w, in + c, group, acc);
            }
          }
          if (fast) {
            for (int k = 0; k < 4; ++k) out[c + k] = tflm_rt_dsp_requantize(acc[k], &table[c + k]);
          } else {
            for (int k = 0; k < 4; ++k) {
              out[c + k] = tflm_rt_requantize(acc[k], p->multipliers[c + k], p->shifts[c + k],
                                              p->output_offset, p->activation_min,
                                              p->activation_max);
            }
          }
        }
      }
    }
  }
  return 1;
}

#endif /* TFLM_RT_DSP */
