/* DEPTHWISE_CONV_2D with the DSP extension, output pixel by output pixel as
   the portable kernel (so an output overlaps its input as
   tools/aot/overlap.py allows), four output channels at a time.

   With a depth multiplier of 1, one word of input holds four channels:
   SXTB16 sign-extends bytes 0 and 2, and bytes 1 and 3, into 16-bit pairs,
   and SMLABB and SMLATT multiply each half by its channel's filter tap. With
   a multiplier that is a multiple of 4, four output channels read the same
   input value, which SMLABB and SMLABT multiply by the taps of both channels
   of a pair.

   Once per layer, the scratch receives, for each group of four output
   channels, one run of words that the kernels read in order: the biases
   with the input offset folded in over all the taps, and the taps extended
   into those pairs. The channels' requantization constants (dsp.h) and a
   row of input zero points are in flash, computed by the compiler
   (conv.h's dsp_channels and dsp_zeros) where every channel takes the fast
   requantization. A 3x3 window then uses the folded biases, its taps in
   the padding reading zero points (which count 0); other windows skip the
   taps in the padding as TFLM does, and SXTAB16 adds the input offset to
   the others. */
#include "runtime/dsp.h"

#if TFLM_RT_DSP

#include "runtime/fixed_point.h"

/* Words of one group's run: 4 folded biases, 2 per tap. */
static int group_words(int taps) { return 4 + 2 * taps; }

/* Two words at p, then p += 2: one LDRD (GCC emits two LDRs). */
static inline __attribute__((always_inline)) void load_pair(const int32_t **p, int32_t *a,
                                                            int32_t *b) {
  __asm__("ldrd %0, %1, [%2], #8"
          : "=r"(*a), "=r"(*b), "+r"(*p)
          : "m"(*(const int32_t(*)[2]) * p));
}

/* a += the products of one tap of four channels: even holds channels 0 and
   2, odd 1 and 3; t02 and t13 the taps of the same channels. */
#define TAP_4(even, odd, t02, t13) \
  do {                             \
    a0 = __smlabb(even, t02, a0);  \
    a2 = __smlatt(even, t02, a2);  \
    a1 = __smlabb(odd, t13, a1);   \
    a3 = __smlatt(odd, t13, a3);   \
  } while (0)

/* The four outputs of a group from the channel constants at c. */
static inline __attribute__((always_inline)) void store_4(const int32_t *c, int32_t a0,
                                                          int32_t a1, int32_t a2, int32_t a3,
                                                          int8_t *out) {
  const tflm_rt_dsp_channel *channel = (const tflm_rt_dsp_channel *)c;
  out[0] = tflm_rt_dsp_requantize(a0, &channel[0]);
  out[1] = tflm_rt_dsp_requantize(a1, &channel[1]);
  out[2] = tflm_rt_dsp_requantize(a2, &channel[2]);
  out[3] = tflm_rt_dsp_requantize(a3, &channel[3]);
}

/* One input word of four channels, extended. */
#define LOAD_4(address, even, odd)                     \
  do {                                                 \
    const int32_t word_ = tflm_rt_dsp_load4(address);  \
    even = tflm_rt_dsp_even(word_);                    \
    odd = tflm_rt_dsp_odd(word_);                      \
  } while (0)

/* One tap of the 3x3 window: the four input bytes at `address` times the next
   pair of extended taps at p. */
#define WINDOW_TAP(address)                \
  do {                                     \
    LOAD_4(address, even, odd);            \
    load_pair(&p, &t02, &t13);             \
    TAP_4(even, odd, t02, t13);            \
  } while (0)

/* `count` output pixels of a row, `in_step` input bytes apart, each with its
   whole 3x3 window inside the input (multiplier 1, fast requantization):
   every channel, the nine taps unrolled. `channels` is the bytes from one
   input pixel to the next, `row_step` from one window row to the next. */
static __attribute__((noinline)) void row_3x3(const int32_t *runs, const int32_t *table,
                                             int groups, int channels,
                                             int row_step, const int8_t *in, int in_step,
                                             int8_t *out, int count) {
  for (; count > 0; --count, in += in_step) {
    const int32_t *p = runs, *c = table;
    const int8_t *x = in;
    for (int g = groups; g > 0; --g, x += 4, out += 4, c += 16) {
      int32_t a0, a1, a2, a3, t02, t13, even, odd;
      load_pair(&p, &a0, &a1);
      load_pair(&p, &a2, &a3);
      const int8_t *y = x + row_step, *z = y + row_step;
      WINDOW_TAP(x);
      WINDOW_TAP(x + channels);
      WINDOW_TAP(x + 2 * channels);
      WINDOW_TAP(y);
      WINDOW_TAP(y + channels);
      WINDOW_TAP(y + 2 * channels);
      WINDOW_TAP(z);
      WINDOW_TAP(z + channels);
      WINDOW_TAP(z + 2 * channels);
      store_4(c, a0, a1, a2, a3, out);
    }
  }
}

/* One output pixel with a 3x3 window (multiplier 1, fast requantization)
   that may reach into the padding: tap t's four channels of group g at
   at[t] + 4 g, where the taps in the padding point into a row of the input
   zero point (which counts 0 against the folded biases). */
static __attribute__((noinline)) void border_3x3(const int32_t *runs, const int32_t *table,
                                                int groups, const int8_t *const *at,
                                                int8_t *out) {
  const int32_t *p = runs, *c = table;
  for (int g = 0; g < groups; ++g, out += 4, c += 16) {
    int32_t a0, a1, a2, a3, t02, t13, even, odd;
    load_pair(&p, &a0, &a1);
    load_pair(&p, &a2, &a3);
    const int offset = 4 * g;
#define BORDER_TAP(t)                     \
  do {                                    \
    LOAD_4(at[t] + offset, even, odd);    \
    load_pair(&p, &t02, &t13);            \
    TAP_4(even, odd, t02, t13);           \
  } while (0)
    /* Unrolled: GCC's -Os keeps the loop, and spills. */
    BORDER_TAP(0);
    BORDER_TAP(1);
    BORDER_TAP(2);
    BORDER_TAP(3);
    BORDER_TAP(4);
    BORDER_TAP(5);
    BORDER_TAP(6);
    BORDER_TAP(7);
    BORDER_TAP(8);
#undef BORDER_TAP
    store_4(c, a0, a1, a2, a3, out);
  }
}

/* As border_3x3 for a multiplier that is a multiple of 4: the four output
   channels of group g read input channel 4 g / multiplier, one value per tap
   for both channels of each pair (SMLABB, SMLABT). The value of tap t is
   VALUE(t, channel). */
#define BROADCAST_GROUPS(VALUE)                                   \
  do {                                                            \
    const int32_t *p = runs, *c = table;                          \
    const int per_channel = multiplier / 4;                       \
    int channel = 0, left = per_channel;                          \
    for (int g = 0; g < groups; ++g, out += 4, c += 16) {         \
      int32_t a0, a1, a2, a3, t02, t13, v;                        \
      load_pair(&p, &a0, &a1);                                    \
      load_pair(&p, &a2, &a3);                                    \
      BROADCAST_TAP(VALUE, 0);                                    \
      BROADCAST_TAP(VALUE, 1);                                    \
      BROADCAST_TAP(VALUE, 2);                                    \
      BROADCAST_TAP(VALUE, 3);                                    \
      BROADCAST_TAP(VALUE, 4);                                    \
      BROADCAST_TAP(VALUE, 5);                                    \
      BROADCAST_TAP(VALUE, 6);                                    \
      BROADCAST_TAP(VALUE, 7);                                    \
      BROADCAST_TAP(VALUE, 8);                                    \
      store_4(c, a0, a1, a2, a3, out);                            \
      if (--left == 0) {                                          \
        left = per_channel;                                       \
        ++channel;                                                \
      }                                                           \
    }                                                             \
  } while (0)
#define BROADCAST_TAP(VALUE, t)  \
  do {                           \
    v = VALUE(t, channel);       \
    load_pair(&p, &t02, &t13);   \
    a0 = __smlabb(v, t02, a0);   \
    a2 = __smlabt(v, t02, a2);   \
    a1 = __smlabb(v, t13, a1);   \
    a3 = __smlabt(v, t13, a3);   \
  } while (0)

static __attribute__((noinline)) void broadcast_3x3(const int32_t *runs, const int32_t *table,
                                                   int groups,
                                                   int multiplier, const int8_t *const *at,
                                                   int8_t *out) {
#define AT(t, channel) at[t][channel]
  BROADCAST_GROUPS(AT);
#undef AT
}

/* `count` output pixels of a row, `in_step` input bytes apart, each with its
   whole window inside the input, as broadcast_3x3; `dx` and `row_step` as
   for row_3x3. */
static __attribute__((noinline)) void row_broadcast_3x3(const int32_t *runs,
                                                       const int32_t *table, int groups,
                                                       int multiplier, int dx, int row_step,
                                                       const int8_t *in, int in_step,
                                                       int8_t *out, int count) {
  for (; count > 0; --count, in += in_step) {
    const int8_t *x = in, *y = x + row_step, *z = y + row_step;
#define INSIDE(t, channel) \
  ((t) < 3 ? x : (t) < 6 ? y : z)[(channel) + (t) % 3 * dx]
    BROADCAST_GROUPS(INSIDE);
#undef INSIDE
  }
}
#undef BROADCAST_TAP
#undef BROADCAST_GROUPS

/* The taps of one output position inside the input, and the steps between them. */
typedef struct {
  int rows, columns;   /* taps inside the input; none: rows == 0 */
  int input_row_step;  /* bytes from one tap row to the next in the input */
  int input_tap_step;  /* and from one tap to the next along a row */
  int tap_row_skip;    /* taps skipped after each row: the filter's others */
  int32_t offset_pair; /* the input offset in both halves */
  int taps;            /* of the filter */
  int multiplier;      /* depth multiplier */
  const int32_t *table; /* the channels' constants (conv.h's dsp_channels), or NULL */
} window;

/* Every channel of one output pixel from the taps of its window inside the
   input, `first` the first of them in the filter; the input offset added as
   the values are extended, `bias` as it is (or NULL). */
static __attribute__((noinline)) void pixel(const window *w, const int32_t *runs, int first,
                                           const int8_t *in, int groups,
                                           const tflm_rt_conv_s8_params *p,
                                           const int32_t *bias, int8_t *out) {
  const int32_t offset_pair = w->offset_pair, offset = (int16_t)offset_pair;
  for (int g = 0; g < groups; ++g, runs += group_words(w->taps), out += 4) {
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (bias) {
      a0 = bias[4 * g];
      a1 = bias[4 * g + 1];
      a2 = bias[4 * g + 2];
      a3 = bias[4 * g + 3];
    }
    const int32_t *t = runs + 4 + 2 * first;
    const int8_t *row = w->multiplier == 1 ? in + 4 * g : in + 4 * g / w->multiplier;
    for (int r = w->rows; r > 0; --r, row += w->input_row_step, t += 2 * w->tap_row_skip) {
      const int8_t *x = row;
      for (int k = w->columns; k > 0; --k, x += w->input_tap_step, t += 2) {
        if (w->multiplier == 1) {
          const int32_t word = tflm_rt_dsp_load4(x);
          const int32_t even = tflm_rt_dsp_even_plus(offset_pair, word);
          const int32_t odd = tflm_rt_dsp_odd_plus(offset_pair, word);
          TAP_4(even, odd, t[0], t[1]);
        } else {
          /* Four output channels of one input channel. */
          const int32_t value = *x + offset;
          a0 = __smlabb(value, t[0], a0);
          a2 = __smlabt(value, t[0], a2);
          a1 = __smlabb(value, t[1], a1);
          a3 = __smlabt(value, t[1], a3);
        }
      }
    }
    if (w->table) {
      store_4(w->table + 16 * g, a0, a1, a2, a3, out);
    } else {
      const int32_t acc[4] = {a0, a1, a2, a3};
      for (int k = 0; k < 4; ++k) {
        out[k] = tflm_rt_requantize(acc[k], p->multipliers[4 * g + k], p->shifts[4 * g + k],
                                    p->output_offset, p->activation_min, p->activation_max);
      }
    }
  }
}

/* A layer of 3x3 windows with the fast requantization: the windows wholly
   inside the input of a multiplier of 1 through row_3x3, every other pixel
   through border_3x3 or broadcast_3x3 with its taps' addresses. [x_lo, x_hi)
   are the output columns whose windows lie inside the input along x. */
static void layer_3x3(const tflm_rt_conv_shape *s, int multiplier, const int32_t *runs,
                      const int32_t *table, const int8_t *zeros, int x_lo, int x_hi, const int8_t *input,
                      int8_t *output) {
  const int in_channels = s->input_channels, channels = s->output_channels;
  const int groups = channels / 4, row_bytes = s->input_width * in_channels;
  const int dx = s->dilation_width * in_channels;
  int8_t *out = output;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      /* The window's three input rows, NULL in the padding. */
      const int8_t *rows[3];
      int whole_rows = 1;
      for (int fy = 0; fy < 3; ++fy) {
        const int y = oy * s->stride_height - s->pad_height + fy * s->dilation_height;
        const int inside = y >= 0 && y < s->input_height;
        rows[fy] = inside ? input + (b * s->input_height + y) * row_bytes : NULL;
        whole_rows &= inside;
      }
      for (int ox = 0; ox < s->output_width; ++ox, out += channels) {
        const int x0 = ox * s->stride_width - s->pad_width;
        if (whole_rows && ox == x_lo && x_lo < x_hi) {
          const int8_t *corner = rows[0] + x0 * in_channels;
          const int in_step = s->stride_width * in_channels, row_step = s->dilation_height * row_bytes;
          if (multiplier == 1) {
            row_3x3(runs, table, groups, dx, row_step, corner, in_step, out, x_hi - x_lo);
          } else {
            row_broadcast_3x3(runs, table, groups, multiplier, dx, row_step, corner, in_step, out,
                              x_hi - x_lo);
          }
          out += (x_hi - 1 - ox) * channels;
          ox = x_hi - 1;
          continue;
        }
        /* The nine taps' addresses, the padding's in the row of zero points. */
        const int8_t *at[9];
        for (int fx = 0, x = x0; fx < 3; ++fx, x += s->dilation_width) {
          const int column = x >= 0 && x < s->input_width, offset = x * in_channels;
          at[fx] = column && rows[0] ? rows[0] + offset : zeros;
          at[3 + fx] = column && rows[1] ? rows[1] + offset : zeros;
          at[6 + fx] = column && rows[2] ? rows[2] + offset : zeros;
        }
        if (multiplier == 1) {
          border_3x3(runs, table, groups, at, out);
        } else {
          broadcast_3x3(runs, table, groups, multiplier, at, out);
        }
      }
    }
  }
}

/* The groups' runs into the scratch (see the top of the file). */
static void prepare(const tflm_rt_conv_s8_params *p, int channels, int taps,
                    const int8_t *filter, const int32_t *bias, int32_t *runs) {
  for (int c = 0; c < channels; c += 4, runs += group_words(taps)) {
    for (int k = 0; k < 4; ++k) {
      int32_t sum = 0;
      for (int t = 0; t < taps; ++t) sum += filter[t * channels + c + k];
      runs[k] = (bias ? bias[c + k] : 0) + p->input_offset * sum;
    }
    for (int t = 0; t < taps; ++t) {
      const int32_t word = tflm_rt_dsp_load4(filter + t * channels + c);
      runs[4 + 2 * t] = tflm_rt_dsp_even(word);
      runs[5 + 2 * t] = tflm_rt_dsp_odd(word);
    }
  }
}

/* The first tap k (< taps) with origin + dilation * k inside [0, size), and
   one past the last. */
static void inside(int origin, int dilation, int size, int taps, int *start, int *end) {
  int k0 = 0, k1 = taps;
  while (k0 < k1 && origin + k0 * dilation < 0) ++k0;
  while (k1 > k0 && origin + (k1 - 1) * dilation >= size) --k1;
  *start = k0;
  *end = k1;
}

int tflm_rt_depthwise_conv_s8_dsp(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                                  int depth_multiplier, const int8_t *input, const int8_t *filter,
                                  const int32_t *bias, int8_t *output) {
  const int channels = s->output_channels, taps = s->filter_height * s->filter_width;
  if (!(depth_multiplier % 4 == 0 || (depth_multiplier == 1 && channels % 4 == 0))) return 0;
  int32_t *runs = p->scratch;
  prepare(p, channels, taps, filter, bias, runs);
  const int in_channels = s->input_channels, groups = channels / 4;
  window w;
  w.input_row_step = s->dilation_height * s->input_width * in_channels;
  w.input_tap_step = s->dilation_width * in_channels;
  w.offset_pair = tflm_rt_dsp_pair(p->input_offset);
  w.taps = taps;
  w.multiplier = depth_multiplier;
  w.table = p->dsp_channels;
  /* The output columns whose windows lie inside the input along x: [x_lo, x_hi). */
  int x_lo = 0, x_hi = s->output_width;
  while (x_lo < x_hi && x_lo * s->stride_width - s->pad_width < 0) ++x_lo;
  while (x_hi > x_lo && (x_hi - 1) * s->stride_width - s->pad_width +
                            (s->filter_width - 1) * s->dilation_width >= s->input_width) {
    --x_hi;
  }
  if (s->filter_height == 3 && s->filter_width == 3 && p->dsp_channels && p->dsp_zeros) {
    /* 3x3 windows read the padding as zero points. */
    layer_3x3(s, depth_multiplier, runs, p->dsp_channels, p->dsp_zeros, x_lo, x_hi, input,
              output);
    return 1;
  }
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      const int in_y0 = oy * s->stride_height - s->pad_height;
      int fy_start, fy_end;
      inside(in_y0, s->dilation_height, s->input_height, s->filter_height, &fy_start, &fy_end);
      int8_t *out_row = output + (b * s->output_height + oy) * s->output_width * channels;
      for (int ox = 0; ox < s->output_width; ++ox) {
        const int in_x0 = ox * s->stride_width - s->pad_width;
        int fx_start, fx_end;
        inside(in_x0, s->dilation_width, s->input_width, s->filter_width, &fx_start, &fx_end);
        w.rows = fx_start < fx_end ? fy_end - fy_start : 0;
        w.columns = fx_end - fx_start;
        w.tap_row_skip = s->filter_width - w.columns;
        /* The first tap inside the input, if any. */
        const int8_t *in = input;
        if (w.rows > 0) {
          in += ((b * s->input_height + in_y0 + fy_start * s->dilation_height) * s->input_width +
                 in_x0 + fx_start * s->dilation_width) * in_channels;
        }
        pixel(&w, runs, fy_start * s->filter_width + fx_start, in, groups, p, bias,
              out_row + ox * channels);
      }
    }
  }
  return 1;
}

#endif /* TFLM_RT_DSP */
