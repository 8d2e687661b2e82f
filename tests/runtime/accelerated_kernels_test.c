/* The int8 kernels this core's build of the runtime runs (Helium on
   Cortex-M55, the runtime's _mve.c files; the portable C elsewhere) give the portable
   kernels' bytes, on random shapes, quantization parameters and data: odd
   channel counts and channels not a multiple of 16, depths not a multiple of
   16, padding, strides, dilation, depth multipliers, positive and negative
   shifts, narrow activation ranges. Guard bytes around every output catch a
   store past its end. Exits 1 at the first difference, naming the case. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runtime/tflm_rt.h"
#include "tests/runtime/portable_kernels.h"

/* xorshift32: the same cases on every run and core. */
static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}
/* A number in [low, high]. */
static int range(int low, int high) { return low + (int)(next() % (uint32_t)(high - low + 1)); }

#define MAX_INPUT 12000
#define MAX_FILTER 12000
#define MAX_CHANNELS 300
#define MAX_OUTPUT 12000
#define GUARD 32

static int8_t input[MAX_INPUT], filter[MAX_FILTER];
static int32_t bias[MAX_CHANNELS], multipliers[MAX_CHANNELS], shifts[MAX_CHANNELS];
/* Each output with GUARD bytes before and after. */
static int8_t want[MAX_OUTPUT + 2 * GUARD], got[MAX_OUTPUT + 2 * GUARD];

static void fill_s8(int8_t *data, int n) {
  for (int i = 0; i < n; ++i) data[i] = (int8_t)next();
}

/* Multipliers as the compiler makes them, [2^30, 2^31), shifts mostly
   negative (some cases with positive ones), biases of either sign. */
static void fill_quantization(int channels, int positive_shifts) {
  for (int c = 0; c < channels; ++c) {
    multipliers[c] = (int32_t)(0x40000000u | (next() >> 2));
    shifts[c] = positive_shifts ? range(-8, 3) : range(-14, 0);
    bias[c] = (int32_t)(next() % 20001) - 10000;
  }
}

static void fill_outputs(void) {
  memset(want, 0x5a, sizeof want);
  memset(got, 0x5a, sizeof got);
}

static int compare(const char *kernel, int index, int bytes) {
  for (int i = 0; i < bytes + 2 * GUARD; ++i) {
    if (want[i] != got[i]) {
      const int at = i - GUARD;
      printf("%s case %d: byte %d of %d differs (%s): portable %d, this core %d\n", kernel,
             index, at, bytes, at < 0 || at >= bytes ? "a guard byte" : "an output", want[i],
             got[i]);
      return 1;
    }
  }
  return 0;
}

static void activation_range(int32_t *low, int32_t *high) {
  *low = -128;
  *high = 127;
  if (next() % 3 == 0) {
    *low = range(-128, 60);
    *high = range(*low, 127);
  }
}

static int fully_connected_cases(int cases) {
  for (int n = 0; n < cases; ++n) {
    const int batches = range(1, 3);
    const int depth = n % 4 == 0 ? range(1, 20) : range(1, 400);
    const int units = n % 5 == 0 ? range(1, 5) : range(1, 70);
    if (batches * depth > MAX_INPUT || units * depth > MAX_FILTER) continue;
    fill_s8(input, batches * depth);
    fill_s8(filter, units * depth);
    fill_quantization(units, n % 3 == 0);
    int32_t low, high;
    activation_range(&low, &high);
    const int32_t output_offset = range(-128, 127);
    const int32_t *b = n % 7 == 6 ? NULL : bias;
    fill_outputs();
    const tflm_rt_fc_s8_params p = {output_offset, multipliers, shifts, low, high, NULL};
    portable_fully_connected_s8(&p, batches, depth, units, input, filter, b, want + GUARD);
    tflm_rt_fully_connected_s8(&p, batches, depth, units, input, filter, b, got + GUARD);
    if (compare("FULLY_CONNECTED per channel", n, batches * units)) return 1;
    if (!b) continue;
    fill_outputs();
    const tflm_rt_fc_s8_per_tensor_params t = {output_offset, multipliers[0], (int)shifts[0], low,
                                               high, NULL, 0};
    portable_fully_connected_s8_per_tensor(&t, batches, depth, units, input, filter, bias,
                                           want + GUARD);
    tflm_rt_fully_connected_s8_per_tensor(&t, batches, depth, units, input, filter, bias,
                                          got + GUARD);
    if (compare("FULLY_CONNECTED per tensor", n, batches * units)) return 1;
  }
  return 0;
}

/* A random convolution window: shape and parameters; 0 if it does not fit
   the buffers. `channels_in` and `channels_out` as the kernel needs. */
static int random_shape(tflm_rt_conv_shape *s, int filter_max, int channels_in, int channels_out,
                        int pointwise) {
  s->batches = range(1, 2);
  s->input_height = range(1, 10);
  s->input_width = range(1, 10);
  s->input_channels = channels_in;
  s->output_channels = channels_out;
  s->filter_height = pointwise ? 1 : range(1, filter_max);
  s->filter_width = pointwise ? 1 : range(1, filter_max);
  s->stride_height = range(1, 3);
  s->stride_width = range(1, 3);
  s->dilation_height = pointwise || next() % 4 ? 1 : 2;
  s->dilation_width = pointwise || next() % 4 ? 1 : 2;
  const int span_h = (s->filter_height - 1) * s->dilation_height + 1;
  const int span_w = (s->filter_width - 1) * s->dilation_width + 1;
  /* VALID, or SAME-like padding of up to the span minus one. */
  s->pad_height = pointwise ? 0 : range(0, span_h - 1);
  s->pad_width = pointwise ? 0 : range(0, span_w - 1);
  const int padded_h = s->input_height + 2 * s->pad_height, padded_w = s->input_width + 2 * s->pad_width;
  if (padded_h < span_h || padded_w < span_w) return 0;
  s->output_height = (padded_h - span_h) / s->stride_height + 1;
  s->output_width = (padded_w - span_w) / s->stride_width + 1;
  if (pointwise) {
    s->output_height = (s->input_height - 1) / s->stride_height + 1;
    s->output_width = (s->input_width - 1) / s->stride_width + 1;
  }
  const int inputs = s->batches * s->input_height * s->input_width * channels_in;
  const int outputs = s->batches * s->output_height * s->output_width * channels_out;
  return inputs <= MAX_INPUT && outputs <= MAX_OUTPUT && channels_out <= MAX_CHANNELS;
}

static tflm_rt_conv_s8_params conv_params(void) {
  tflm_rt_conv_s8_params p;
  p.input_offset = range(-127, 128);
  p.output_offset = range(-128, 127);
  p.multipliers = multipliers;
  p.shifts = shifts;
  activation_range(&p.activation_min, &p.activation_max);
  p.scratch = NULL; /* the DSP kernels, which need one, are checked by differential_cores_test */
  /* DEPTHWISE_CONV_2D's DSP kernel without the compiler's constants: its
     general path (each tap inside the input, the slow requantization). */
  p.dsp_channels = NULL;
  p.dsp_zeros = NULL;
  p.folded_bias = NULL; /* the MVE kernel folds the bias itself */
  return p;
}

/* Channel counts around the vector widths (4, 8, 16), and some larger. */
static int channel_count(int n) {
  static const int counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 40, 64};
  return n % 3 == 0 ? range(1, 70) : counts[next() % (sizeof counts / sizeof counts[0])];
}

static int depthwise_cases(int cases) {
  for (int n = 0; n < cases;) {
    const int multipliers_of[] = {1, 1, 1, 2, 3, 4, 8};
    const int multiplier = multipliers_of[next() % 7];
    const int in_channels = multiplier > 2 ? range(1, 6) : channel_count(n);
    const int channels = in_channels * multiplier;
    tflm_rt_conv_shape s;
    if (!random_shape(&s, 5, in_channels, channels, 0)) continue;
    if (s.filter_height * s.filter_width * channels > MAX_FILTER) continue;
    fill_s8(input, s.batches * s.input_height * s.input_width * in_channels);
    fill_s8(filter, s.filter_height * s.filter_width * channels);
    fill_quantization(channels, n % 3 == 0);
    const tflm_rt_conv_s8_params p = conv_params();
    fill_outputs();
    portable_depthwise_conv_s8(&p, &s, multiplier, input, filter, bias, want + GUARD);
    tflm_rt_depthwise_conv_s8(&p, &s, multiplier, input, filter, bias, got + GUARD);
    if (compare("DEPTHWISE_CONV_2D", n, s.batches * s.output_height * s.output_width * channels)) {
      printf("  %dx%dx%d input, %dx%d filter, multiplier %d, stride %d,%d, dilation %d,%d, "
             "padding %d,%d\n", s.input_height, s.input_width, in_channels, s.filter_height,
             s.filter_width, multiplier, s.stride_height, s.stride_width, s.dilation_height,
             s.dilation_width, s.pad_height, s.pad_width);
      return 1;
    }
    ++n;
  }
  return 0;
}

/* bias (0 if NULL) + input_offset * the sum of each output channel's filter, as
   tflm_rt_conv_s8_params.folded_bias holds it. */
static const int32_t *fold_bias(const tflm_rt_conv_s8_params *p, const int8_t *weights,
                                const int32_t *b, int filter_size, int channels) {
  static int32_t folded[MAX_CHANNELS];
  for (int c = 0; c < channels; ++c) {
    int32_t sum = 0;
    for (int i = 0; i < filter_size; ++i) sum += weights[c * filter_size + i];
    folded[c] = (b ? b[c] : 0) + p->input_offset * sum;
  }
  return folded;
}

static int conv_cases(int cases, int pointwise) {
  for (int n = 0; n < cases;) {
    const int in_channels = channel_count(n), out_channels = channel_count(n + 1);
    tflm_rt_conv_shape s;
    if (!random_shape(&s, 4, in_channels, out_channels, pointwise)) continue;
    const int filter_size = s.filter_height * s.filter_width * in_channels;
    if (filter_size * out_channels > MAX_FILTER) continue;
    fill_s8(input, s.batches * s.input_height * s.input_width * in_channels);
    fill_s8(filter, filter_size * out_channels);
    fill_quantization(out_channels, n % 3 == 0);
    tflm_rt_conv_s8_params p = conv_params();
    const int32_t *b = !pointwise && n % 5 == 4 ? NULL : bias;
    /* Every other convolution with the folded bias the compiler gives a sliced one. */
    if (!pointwise && n % 2 == 1) {
      p.folded_bias = fold_bias(&p, filter, b, filter_size, out_channels);
    }
    fill_outputs();
    if (pointwise) {
      portable_conv_1x1_s8(&p, &s, input, filter, b, want + GUARD);
      tflm_rt_conv_1x1_s8(&p, &s, input, filter, b, got + GUARD);
    } else {
      portable_conv_s8(&p, &s, input, filter, b, want + GUARD);
      tflm_rt_conv_s8(&p, &s, input, filter, b, got + GUARD);
    }
    if (compare(pointwise ? "1x1 CONV_2D" : "CONV_2D", n,
                s.batches * s.output_height * s.output_width * out_channels)) {
      printf("  %dx%dx%d input, %dx%dx%d filter, stride %d,%d, dilation %d,%d, padding %d,%d\n",
             s.input_height, s.input_width, in_channels, s.filter_height, s.filter_width,
             out_channels, s.stride_height, s.stride_width, s.dilation_height, s.dilation_width,
             s.pad_height, s.pad_width);
      return 1;
    }
    ++n;
  }
  return 0;
}

/* ADD and SUB (a negated second multiplier) as the compiler sets them up:
   a left shift of 20, input multipliers below one, random offsets. */
static int add_cases(int cases) {
  for (int n = 0; n < cases; ++n) {
    const int size = n % 4 == 0 ? range(1, 20) : range(1, 3000);
    fill_s8(input, size);
    fill_s8(filter, size);
    tflm_rt_add_s8_params p;
    p.input1_offset = range(-127, 128);
    p.input2_offset = range(-127, 128);
    p.output_offset = range(-128, 127);
    p.left_shift = n % 5 == 0 ? range(0, 20) : 20;
    p.input1_multiplier = (int32_t)(0x40000000u | (next() >> 2));
    p.input1_shift = range(-8, n % 7 == 0 ? 2 : 0);
    p.input2_multiplier = (int32_t)(0x40000000u | (next() >> 2));
    if (n % 2) p.input2_multiplier = -p.input2_multiplier; /* SUB */
    p.input2_shift = range(-8, n % 7 == 0 ? 2 : 0);
    p.output_multiplier = (int32_t)(0x40000000u | (next() >> 2));
    p.output_shift = range(-24, n % 11 == 0 ? 2 : -14);
    activation_range(&p.activation_min, &p.activation_max);
    fill_outputs();
    portable_add_s8(&p, NULL, size, input, filter, want + GUARD);
    tflm_rt_add_s8(&p, NULL, size, input, filter, got + GUARD);
    if (compare("ADD", n, size)) return 1;
  }
  return 0;
}

static int pool_cases(int cases) {
  for (int n = 0; n < cases;) {
    const int channels = channel_count(n);
    tflm_rt_conv_shape s;
    if (!random_shape(&s, 4, channels, channels, 0)) continue;
    /* Pooling has no dilation, and no window outside the input. */
    s.dilation_height = s.dilation_width = 1;
    if (s.pad_height >= s.filter_height || s.pad_width >= s.filter_width) continue;
    s.output_height = (s.input_height + 2 * s.pad_height - s.filter_height) / s.stride_height + 1;
    s.output_width = (s.input_width + 2 * s.pad_width - s.filter_width) / s.stride_width + 1;
    if (n % 10 == 0) {
      /* A global average, as the models end with: more than 256 taps too. */
      s.batches = 1;
      s.input_height = range(1, 20);
      s.input_width = range(1, 20);
      s.filter_height = s.input_height;
      s.filter_width = s.input_width;
      s.pad_height = s.pad_width = 0;
      s.output_height = s.output_width = 1;
      if (s.input_height * s.input_width * channels > MAX_INPUT) continue;
    }
    fill_s8(input, s.batches * s.input_height * s.input_width * channels);
    int32_t low, high;
    activation_range(&low, &high);
    const int outputs = s.batches * s.output_height * s.output_width * channels;
    fill_outputs();
    portable_average_pool_s8(low, high, &s, input, want + GUARD);
    tflm_rt_average_pool_s8(low, high, &s, input, got + GUARD);
    if (compare("AVERAGE_POOL_2D", n, outputs)) return 1;
    fill_outputs();
    portable_max_pool_s8(low, high, &s, input, want + GUARD);
    tflm_rt_max_pool_s8(low, high, &s, input, got + GUARD);
    if (compare("MAX_POOL_2D", n, outputs)) return 1;
    ++n;
  }
  return 0;
}

int main(void) {
  if (fully_connected_cases(300)) return 1;
  if (conv_cases(150, 1)) return 1;
  if (depthwise_cases(300)) return 1;
  if (conv_cases(150, 0)) return 1;
  if (add_cases(200)) return 1;
  if (pool_cases(200)) return 1;
  printf("the core's int8 kernels equal the portable ones on every case\n");
  return 0;
}
