/* The int8 matrix product behind the DSP kernels of CONV_2D and
   FULLY_CONNECTED (dsp.h): rows of input times rows of weights, each sum
   requantized per weight row (output channel).

   Four input rows at a time are sign-extended to 16 bits once, the input
   offset added (SXTAB16), into a scratch buffer, so that the inner loop only
   extends the weights, each weight word once for the four rows. In blocks of
   four depth positions: block b holds, for row r, words 8b + 2r and
   8b + 2r + 1, the 16-bit pairs (x[4b], x[4b+2]) and (x[4b+1], x[4b+3]) that
   SXTB16 of the weight word and of the word rotated by 8 match; the last
   block is padded with zeros. Four rows by one weight row cost, per block,
   one weight load, two extensions, four LDRDs and eight SMLADs: 16
   multiply-adds in 15 instructions (and the loop's two).

   A single row (FULLY_CONNECTED of one batch) is read as it is, each input
   word extended once for four weight rows. */
#include "runtime/dsp.h"

#if TFLM_RT_DSP

#include "runtime/fixed_point.h"

/* Two words at p, then p += 2: one LDRD, which GCC does not emit for two
   32-bit loads by itself. `p` is 8-byte aligned (the scratch buffer). */
static inline __attribute__((always_inline)) void load_pair(const int32_t **p, int32_t *a,
                                                            int32_t *b) {
  __asm__("ldrd %0, %1, [%2], #8"
          : "=r"(*a), "=r"(*b), "+r"(*p)
          : "m"(*(const int32_t(*)[2]) * p));
}

void tflm_rt_dsp_extend_row(const int8_t *row, int depth, int32_t offset, int r,
                            int32_t *scratch) {
  const int32_t offset_pair = tflm_rt_dsp_pair(offset);
  const int step = 8;
  int32_t *out = scratch + 2 * r;
  for (int b = depth >> 2; b > 0; --b, row += 4, out += step) {
    const int32_t word = tflm_rt_dsp_load4(row);
    out[0] = tflm_rt_dsp_even_plus(offset_pair, word);
    out[1] = tflm_rt_dsp_odd_plus(offset_pair, word);
  }
  const int tail = depth & 3;
  if (tail) {
    /* x + offset where the row has a value, 0 past its end. */
    const int32_t x0 = row[0] + offset;
    const int32_t x1 = tail > 1 ? row[1] + offset : 0;
    const int32_t x2 = tail > 2 ? row[2] + offset : 0;
    out[0] = tflm_rt_dsp_pack_low(x0, x2);
    out[1] = tflm_rt_dsp_pack_low(x1, 0);
  }
}

/* The last, partial block of weights as a word, zeros past the row's end:
   the row is not read past its end. */
static int32_t tail_word(const int8_t *w, int tail) {
  uint32_t word = (uint8_t)w[0];
  if (tail > 1) word |= (uint32_t)(uint8_t)w[1] << 8;
  if (tail > 2) word |= (uint32_t)(uint8_t)w[2] << 16;
  return (int32_t)word;
}

/* One product of a group of four rows with the weights, and where its
   outputs go. */
typedef struct {
  const int32_t *x;    /* the extended group */
  int blocks, tail;    /* full blocks of four depth positions, and what is left */
  const int32_t *bias; /* or NULL */
  const tflm_rt_dsp_requant *q;
  int8_t *output; /* row 0's output u at output[u] */
  int steps[3];   /* from row r's outputs to row r + 1's; 0 past the group's rows */
} product;

/* acc[r] += the sums of `blocks` (at least 1) blocks of a four-row group and
   one row of weights, r < 4. A function of its own, so that GCC keeps the sums
   and pointers in registers (11 of them). */
static __attribute__((noinline)) void dot_4x1(const int32_t *x, const int8_t *w, int blocks,
                                             int32_t *acc) {
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int8_t *end = w + 4 * blocks;
  do {
    const int32_t f = tflm_rt_dsp_load4(w);
    w += 4;
    const int32_t even = tflm_rt_dsp_even(f), odd = tflm_rt_dsp_odd(f);
    int32_t lo, hi;
    load_pair(&x, &lo, &hi);
    a0 = __smlad(lo, even, a0);
    a0 = __smlad(hi, odd, a0);
    load_pair(&x, &lo, &hi);
    a1 = __smlad(lo, even, a1);
    a1 = __smlad(hi, odd, a1);
    load_pair(&x, &lo, &hi);
    a2 = __smlad(lo, even, a2);
    a2 = __smlad(hi, odd, a2);
    load_pair(&x, &lo, &hi);
    a3 = __smlad(lo, even, a3);
    a3 = __smlad(hi, odd, a3);
  } while (w != end);
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

static inline __attribute__((always_inline)) int8_t requantize(const tflm_rt_dsp_requant *q,
                                                               int32_t acc, int unit) {
  return tflm_rt_requantize(acc, q->multipliers[unit * q->step], q->shifts[unit * q->step],
                            q->output_offset, q->activation_min, q->activation_max);
}

/* Output u of the group's rows: four rows of sums against weight row w. */
static void unit_4(const product *g, const int8_t *w, int u) {
  const int32_t b = g->bias ? g->bias[u] : 0;
  int32_t acc[4] = {b, b, b, b};
  if (g->blocks) dot_4x1(g->x, w, g->blocks, acc);
  if (g->tail) {
    const int32_t *x = g->x + 8 * g->blocks; /* the padded last block */
    const int32_t f = tail_word(w + 4 * g->blocks, g->tail);
    const int32_t even = tflm_rt_dsp_even(f), odd = tflm_rt_dsp_odd(f);
    for (int r = 0; r < 4; ++r) {
      acc[r] = __smlad(x[2 * r], even, __smlad(x[2 * r + 1], odd, acc[r]));
    }
  }
  const tflm_rt_dsp_requant *q = g->q;
  int8_t *out0 = g->output + u, *out1 = out0 + g->steps[0];
  int8_t *out2 = out1 + g->steps[1], *out3 = out2 + g->steps[2];
  const int32_t multiplier = q->multipliers[u * q->step], shift = q->shifts[u * q->step];
  if (tflm_rt_dsp_fast(q, multiplier, shift)) {
    const tflm_rt_dsp_channel c = tflm_rt_dsp_channel_of(multiplier, shift, q->output_offset);
    *out0 = tflm_rt_dsp_requantize(acc[0], &c);
    *out1 = tflm_rt_dsp_requantize(acc[1], &c);
    *out2 = tflm_rt_dsp_requantize(acc[2], &c);
    *out3 = tflm_rt_dsp_requantize(acc[3], &c);
  } else {
    *out0 = requantize(q, acc[0], u);
    *out1 = requantize(q, acc[1], u);
    *out2 = requantize(q, acc[2], u);
    *out3 = requantize(q, acc[3], u);
  }
}

void tflm_rt_dsp_rows_times_weights(const tflm_rt_dsp_requant *q, int rows, int depth,
                                    int units, const int32_t *x, const int8_t *weights,
                                    const int32_t *bias, int8_t *output, int output_step) {
  const product g = {x, depth >> 2, depth & 3, bias, q, output,
                     {rows > 1 ? output_step : 0, rows > 2 ? output_step : 0,
                      rows > 3 ? output_step : 0}};
  const int8_t *w = weights;
  for (int u = 0; u < units; ++u, w += depth) unit_4(&g, w, u);
}

/* acc[j] += dot(x, w_j) over n bytes for weight rows j < 4, `w_step` bytes
   apart: one row of int8 input, each word extended once for the four. The
   loop is written in assembly: GCC's -Os spills the input pointer of the C
   version to the stack, 28 instructions per 16 multiply-adds where this
   takes 25 (12 registers). */
static __attribute__((noinline)) void dot_1x4(const int8_t *x, const int8_t *w, int w_step,
                                             int n, int32_t *acc) {
  const int8_t *w2 = w + 2 * w_step;
  int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  if (n >= 4) {
    const int8_t *end = x + (n & ~3);
    int32_t word, even, filter, filter_even;
    /* Row 1 before row 0 (and 3 before 2): the post-increment of w (w2)
       comes with its last load. */
    __asm__(
        "1:\n\t"
        "ldr %[word], [%[x]], #4\n\t"
        "sxtb16 %[even], %[word]\n\t"
        "sxtb16 %[word], %[word], ror #8\n\t"
        "ldr %[filter], [%[w], %[step]]\n\t"
        "sxtb16 %[filter_even], %[filter]\n\t"
        "sxtb16 %[filter], %[filter], ror #8\n\t"
        "smlad %[a1], %[even], %[filter_even], %[a1]\n\t"
        "smlad %[a1], %[word], %[filter], %[a1]\n\t"
        "ldr %[filter], [%[w]], #4\n\t"
        "sxtb16 %[filter_even], %[filter]\n\t"
        "sxtb16 %[filter], %[filter], ror #8\n\t"
        "smlad %[a0], %[even], %[filter_even], %[a0]\n\t"
        "smlad %[a0], %[word], %[filter], %[a0]\n\t"
        "ldr %[filter], [%[w2], %[step]]\n\t"
        "sxtb16 %[filter_even], %[filter]\n\t"
        "sxtb16 %[filter], %[filter], ror #8\n\t"
        "smlad %[a3], %[even], %[filter_even], %[a3]\n\t"
        "smlad %[a3], %[word], %[filter], %[a3]\n\t"
        "ldr %[filter], [%[w2]], #4\n\t"
        "sxtb16 %[filter_even], %[filter]\n\t"
        "sxtb16 %[filter], %[filter], ror #8\n\t"
        "smlad %[a2], %[even], %[filter_even], %[a2]\n\t"
        "smlad %[a2], %[word], %[filter], %[a2]\n\t"
        "cmp %[x], %[end]\n\t"
        "bne 1b"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [x] "+r"(x), [w] "+r"(w),
          [w2] "+r"(w2), [word] "=&r"(word), [even] "=&r"(even), [filter] "=&r"(filter),
          [filter_even] "=&r"(filter_even)
        : [end] "r"(end), [step] "r"(w_step)
        : "cc", "memory");
  }
  for (int i = n & 3; i > 0; --i) {
    const int32_t v = *x++;
    a0 += v * *w++;
    a1 += v * w[w_step - 1];
    a2 += v * *w2++;
    a3 += v * w2[w_step - 1];
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/* dot(x, w) over n bytes. */
static int32_t dot_1x1(const int8_t *x, const int8_t *w, int n) {
  int32_t acc = 0;
  for (int i = n >> 2; i > 0; --i) {
    const int32_t u = tflm_rt_dsp_load4(x), f = tflm_rt_dsp_load4(w);
    x += 4;
    w += 4;
    acc = __smlad(tflm_rt_dsp_even(u), tflm_rt_dsp_even(f), acc);
    acc = __smlad(tflm_rt_dsp_odd(u), tflm_rt_dsp_odd(f), acc);
  }
  for (int i = n & 3; i > 0; --i) acc += *x++ * *w++;
  return acc;
}

/* acc requantized as unit u's, then clamped to the activation range (which
   lies inside SSAT's int8). */
static inline __attribute__((always_inline)) int8_t requantize_clamped(
    const tflm_rt_dsp_requant *q, const tflm_rt_dsp_channel *c, int32_t acc) {
  return (int8_t)tflm_rt_clamp(tflm_rt_dsp_requantize(acc, c), q->activation_min,
                               q->activation_max);
}

/* output[unit + k] = the requantized acc[k], k < count; `shared` the
   constants of a per-tensor quantization, or NULL. */
static inline __attribute__((always_inline)) void requantize_n(
    const tflm_rt_dsp_requant *q, const tflm_rt_dsp_channel *shared, const int32_t *acc,
    int unit, int count, int8_t *output) {
  for (int k = 0; k < count; ++k) {
    const int u = unit + k;
    if (shared) {
      output[u] = requantize_clamped(q, shared, acc[k]);
      continue;
    }
    const int32_t m = q->multipliers[u * q->step], sh = q->shifts[u * q->step];
    if (tflm_rt_dsp_fast_shift(m, sh)) {
      const tflm_rt_dsp_channel c = tflm_rt_dsp_channel_of(m, sh, q->output_offset);
      output[u] = requantize_clamped(q, &c, acc[k]);
    } else {
      output[u] = requantize(q, acc[k], u);
    }
  }
}

void tflm_rt_dsp_row_times_weights(const tflm_rt_dsp_requant *q, int depth, int units,
                                   const int8_t *x, const int8_t *weights, const int32_t *bias,
                                   int8_t *output) {
  /* A per-tensor quantization's constants, once. */
  const int32_t multiplier = q->multipliers[0], shift = q->shifts[0];
  const int shared = q->step == 0 && tflm_rt_dsp_fast_shift(multiplier, shift);
  const tflm_rt_dsp_channel c =
      tflm_rt_dsp_channel_of(shared ? multiplier : 0, shared ? shift : -1, q->output_offset);
  int u = 0;
  for (; u + 4 <= units; u += 4) {
    /* Set one by one: GCC calls memset for an initializer and a loop. */
    int32_t acc[4];
    for (int k = 0; k < 4; ++k) acc[k] = bias ? bias[u + k] : 0;
    dot_1x4(x, weights + u * depth, depth, depth, acc);
    requantize_n(q, shared ? &c : NULL, acc, u, 4, output);
  }
  for (; u < units; ++u) {
    const int32_t acc = (bias ? bias[u] : 0) + dot_1x1(x, weights + u * depth, depth);
    requantize_n(q, shared ? &c : NULL, &acc, u, 1, output);
  }
}

#endif /* TFLM_RT_DSP */
