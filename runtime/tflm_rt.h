/* rules_tflm's runtime: the kernels that ahead-of-time compiled models call.
 *
 * C99, no malloc, no libc beyond the freestanding headers (and libm's expf
 * and tanhf, for float32 LOGISTIC, SOFTMAX and TANH only). Each kernel is a
 * function of plain arguments with every quantization parameter precomputed
 * by the compiler (tools/aot_compile.py), and matches TFLM's reference kernel
 * arithmetic and rounding exactly, as the kernel's comment says.
 */
#ifndef RUNTIME_TFLM_RT_H_
#define RUNTIME_TFLM_RT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* x * multiplier * 2^shift, with TFLM's rounding (a rounding doubling high
   multiply by a Q31 multiplier, then a rounding right shift). Inline: the
   kernels call it once per output.

   The doubling high multiply rounds (a * m + nudge) / 2^31 toward zero, with
   nudge 2^30 for a non-negative product and 1 - 2^30 for a negative one;
   both cases equal floor((a * m + 2^30) / 2^31), one add and an arithmetic
   shift (which GCC, our only compiler, defines for negative values). */
static inline __attribute__((always_inline)) int32_t tflm_rt_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                               int shift) {
  const int32_t a = shift > 0 ? (int32_t)((uint32_t)x << shift) : x;
  if (a == INT32_MIN && multiplier == INT32_MIN) return INT32_MAX; /* the one overflow */
  const int32_t high = (int32_t)(((int64_t)a * multiplier + (1LL << 30)) >> 31);
  if (shift >= 0) return high;
  /* Divide by 2^-shift, rounding half away from zero. */
  const int right_shift = -shift;
  const int32_t mask = (int32_t)((1u << right_shift) - 1);
  const int32_t remainder = high & mask;
  const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> right_shift) + (remainder > threshold ? 1 : 0);
}

/* sum(a[i] * b[i]) for i < n, four at a time. */
static inline __attribute__((always_inline)) int32_t tflm_rt_dot_s8(const int8_t *a, const int8_t *b, int n) {
  int32_t acc = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    acc += a[i] * b[i] + a[i + 1] * b[i + 1] + a[i + 2] * b[i + 2] + a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

/* Parameters of an int8 FULLY_CONNECTED with per-channel weights, as TFLM's
   reference kernel (reference_integer_ops::FullyConnectedPerChannel) uses
   them: one multiplier and shift per output unit. The input offset is folded
   into the bias by the compiler:
   sum((x + offset) * w) + bias = sum(x * w) + (bias + offset * sum(w)). */
typedef struct {
  int32_t output_offset;  /* output zero point */
  const int32_t *multipliers;
  const int32_t *shifts;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_fc_s8_params;

/* output[b][u] = act(requant(sum_d input[b][d] * weights[u][d] + folded_bias[u])). */
void tflm_rt_fully_connected_s8(const tflm_rt_fc_s8_params *params, const int8_t *input,
                                const int8_t *weights, const int32_t *bias, int8_t *output,
                                int batches, int depth, int units);

/* act(acc * multiplier * 2^shift + output_offset), as int8: the end of every
   int8 kernel with an int32 accumulator. */
static inline __attribute__((always_inline)) int8_t tflm_rt_requantize(
    int32_t acc, int32_t multiplier, int shift, int32_t output_offset, int32_t activation_min,
    int32_t activation_max) {
  acc = tflm_rt_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_offset;
  if (acc < activation_min) acc = activation_min;
  if (acc > activation_max) acc = activation_max;
  return (int8_t)acc;
}

/* FULLY_CONNECTED with per-tensor quantization, inline: the compiler calls it
   with every argument a constant, so the shifts, offsets and clamps fold into
   the code and the loop counts are known. Same arithmetic as
   tflm_rt_fully_connected_s8 (the input offset folded into the bias). */
static inline __attribute__((always_inline)) void tflm_rt_fully_connected_s8_per_tensor(
    const int8_t *input, const int8_t *weights, const int32_t *folded_bias, int8_t *output,
    int batches, int depth, int units, int32_t multiplier, int shift, int32_t output_offset,
    int32_t activation_min, int32_t activation_max) {
  for (int b = 0; b < batches; ++b) {
    const int8_t *in = input + b * depth;
    int8_t *out = output + b * units;
    int u = 0;
    /* Two units at a time: each input value is loaded once for two rows of
       weights (four would run out of Cortex-M registers). */
    for (; u + 2 <= units; u += 2) {
      const int8_t *w0 = weights + u * depth, *w1 = w0 + depth;
      int32_t acc0 = folded_bias[u], acc1 = folded_bias[u + 1];
      int d = 0;
      for (; d + 4 <= depth; d += 4) {
        acc0 += in[d] * w0[d] + in[d + 1] * w0[d + 1] + in[d + 2] * w0[d + 2] + in[d + 3] * w0[d + 3];
        acc1 += in[d] * w1[d] + in[d + 1] * w1[d + 1] + in[d + 2] * w1[d + 2] + in[d + 3] * w1[d + 3];
      }
      for (; d < depth; ++d) {
        acc0 += in[d] * w0[d];
        acc1 += in[d] * w1[d];
      }
      out[u] = tflm_rt_requantize(acc0, multiplier, shift, output_offset,
                                             activation_min, activation_max);
      out[u + 1] = tflm_rt_requantize(acc1, multiplier, shift, output_offset,
                                                 activation_min, activation_max);
    }
    for (; u < units; ++u) {
      const int32_t acc = folded_bias[u] + tflm_rt_dot_s8(in, weights + u * depth, depth);
      out[u] = tflm_rt_requantize(acc, multiplier, shift, output_offset, activation_min,
                                             activation_max);
    }
  }
}

/* float32 FULLY_CONNECTED, as TFLM's reference_ops::FullyConnected: the sum in
   input order, bias added last, then the activation clamp. */
void tflm_rt_fully_connected_f32(const float *input, const float *weights, const float *bias,
                                 float *output, int batches, int depth, int units,
                                 float activation_min, float activation_max);

/* Parameters of an int8 ADD, as TFLM's
   reference kernel (reference_integer_ops::Add) uses them: both inputs are
   shifted left, scaled to a common scale, added, and scaled to the output. */
typedef struct {
  int32_t input1_offset;  /* -zero points */
  int32_t input2_offset;
  int32_t output_offset;  /* output zero point */
  int left_shift;
  int32_t input1_multiplier;
  int input1_shift;
  int32_t input2_multiplier;
  int input2_shift;
  int32_t output_multiplier;
  int output_shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_add_s8_params;

/* How the inputs of a binary op (ADD, SUB, MUL) broadcast to its output
   shape: each input's element stride per output dimension, 0 where the
   input has size 1 there. Kernels take NULL when both inputs have the
   output's shape. */
#define TFLM_RT_MAX_RANK 6
typedef struct {
  int rank;
  int shape[TFLM_RT_MAX_RANK];
  int stride1[TFLM_RT_MAX_RANK];
  int stride2[TFLM_RT_MAX_RANK];
} tflm_rt_broadcast;

/* `size` output elements; broadcast as above, or NULL. */
void tflm_rt_add_s8(const tflm_rt_add_s8_params *params, const tflm_rt_broadcast *broadcast,
                    const int8_t *input1, const int8_t *input2, int8_t *output, int size);

/* Shape of a 2D convolution or pooling over NHWC tensors. */
typedef struct {
  int batches;
  int input_height, input_width, input_channels;
  int output_height, output_width, output_channels;
  int filter_height, filter_width;
  int stride_height, stride_width;
  int dilation_height, dilation_width;
  int pad_height, pad_width; /* before the first row and column */
} tflm_rt_conv_shape;

/* Quantization of an int8 convolution: one multiplier and shift per output channel. */
typedef struct {
  int32_t input_offset;  /* -input zero point */
  int32_t output_offset; /* output zero point */
  const int32_t *multipliers;
  const int32_t *shifts;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_conv_s8_params;

/* CONV_2D; filter [output_channels][filter_height][filter_width][input_channels]. */
void tflm_rt_conv_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                     const int8_t *input, const int8_t *filter, const int32_t *bias,
                     int8_t *output);

/* CONV_2D with a 1x1 filter and no padding (a pointwise convolution); the
   compiler folds the input offset into the bias as for FULLY_CONNECTED. */
void tflm_rt_conv_1x1_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                         const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                         int8_t *output);

/* DEPTHWISE_CONV_2D; filter [1][filter_height][filter_width][output_channels]. */
void tflm_rt_depthwise_conv_s8(const tflm_rt_conv_s8_params *params,
                               const tflm_rt_conv_shape *shape, int depth_multiplier,
                               const int8_t *input, const int8_t *filter, const int32_t *bias,
                               int8_t *output);

/* AVERAGE_POOL_2D (input and output share scale and zero point); -1 if a
   window holds no input element. */
int tflm_rt_average_pool_s8(const tflm_rt_conv_shape *shape, int32_t activation_min,
                            int32_t activation_max, const int8_t *input, int8_t *output);

/* MAX_POOL_2D (input and output share scale and zero point); -1 if a window
   holds no input element. */
int tflm_rt_max_pool_s8(const tflm_rt_conv_shape *shape, int32_t activation_min,
                        int32_t activation_max, const int8_t *input, int8_t *output);

/* DEQUANTIZE int8 -> float32: scale * (x - zero_point). */
void tflm_rt_dequantize_s8(const int8_t *input, float *output, int size, float scale,
                           int32_t zero_point);

/* QUANTIZE float32 -> int8: round(x / scale) + zero_point, saturated. */
void tflm_rt_quantize_f32_s8(const float *input, int8_t *output, int size, float scale,
                             int32_t zero_point);

/* QUANTIZE int8 -> int8 (a change of scale and zero point). */
void tflm_rt_requantize_s8(const int8_t *input, int8_t *output, int size, int32_t input_zero_point,
                           int32_t multiplier, int shift, int32_t output_zero_point);

/* Parameters of an int8 SOFTMAX (output scale 1/256, zero point -128), as
   TFLM's Prepare computes them from beta and the input scale. */
typedef struct {
  int32_t input_multiplier;
  int input_left_shift;
  int32_t diff_min;
} tflm_rt_softmax_s8_params;

/* Softmax over the last dimension: `rows` rows of `depth` values. */
void tflm_rt_softmax_s8(const tflm_rt_softmax_s8_params *params, const int8_t *input,
                        int8_t *output, int rows, int depth);

/* Parameters of an int8 MUL, as TFLM's reference kernel: the product of the
   offset inputs scaled by input1_scale * input2_scale / output_scale. */
typedef struct {
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t output_offset;
  int32_t output_multiplier;
  int output_shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_mul_s8_params;

void tflm_rt_mul_s8(const tflm_rt_mul_s8_params *params, const tflm_rt_broadcast *broadcast,
                    const int8_t *input1, const int8_t *input2, int8_t *output, int size);

/* Parameters of an int8 RELU or RELU6 (a rescale, then the clamp). */
typedef struct {
  int32_t input_zero_point;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_relu_s8_params;

void tflm_rt_relu_s8(const tflm_rt_relu_s8_params *params, const int8_t *input, int8_t *output,
                     int size);

/* Copies `bytes` bytes; the regions may overlap (RESHAPE, SQUEEZE). */
void tflm_rt_copy(const void *input, void *output, int bytes);

/* The most dimensions the data movement and reduction kernels walk; the
   compiler extends tensors of lower rank with leading dimensions of size 1. */
#define TFLM_RT_MAX_DIMS 5

/* A walk over nested dimensions of a tensor, outermost first: count[d]
   positions along dimension d, step[d] elements apart (a negative step walks
   backwards). Dimensions of count 1 extend a shorter walk. */
typedef struct {
  int count[TFLM_RT_MAX_DIMS];
  int step[TFLM_RT_MAX_DIMS];
} tflm_rt_walk;

/* Shape of a PAD or PADV2, extended to TFLM_RT_MAX_DIMS dimensions:
   the input shape and the padding before and after each dimension. */
typedef struct {
  int input_shape[TFLM_RT_MAX_DIMS];
  int before[TFLM_RT_MAX_DIMS];
  int after[TFLM_RT_MAX_DIMS];
} tflm_rt_pad_shape;

/* PAD and PADV2, as TFLM's reference_ops::Pad: the input copied into the
   middle of the output, every padded position set to the element at
   `pad_value` (PAD's output zero point, or 0.0f, or PADV2's constant).
   Elements of `element_size` bytes are copied unchanged: TFLM does not
   requantize. */
void tflm_rt_pad(const tflm_rt_pad_shape *shape, int element_size, const void *pad_value,
                 const void *input, void *output);

/* One input of a CONCATENATION, as TFLM's reference_ops::Concatenation
   copies it: `blocks` blocks of `block_bytes` bytes, block i to
   output + i * output_stride_bytes. The compiler emits one call per input,
   with `output` at the input's offset along the axis. TFLM requires int8
   inputs to share the output's scale and zero point, so bytes are copied
   unchanged. */
void tflm_rt_concat(const void *input, void *output, int blocks, int block_bytes,
                    int output_stride_bytes);

/* STRIDED_SLICE, as TFLM's reference_ops::StridedSlice: the elements (of
   `element_size` bytes) the walk visits from element `start` of input,
   written in order. The compiler resolves begin, end, strides and the begin,
   end and shrink-axis masks into the walk. */
void tflm_rt_strided_slice(const tflm_rt_walk *walk, int start, int element_size,
                           const void *input, void *output);

/* Parameters of an int8 MEAN, as TFLM's reference_ops::QuantizedMeanOrSum
   (which current TFLM runs for every int8 MEAN, whatever the axes and
   quantization): the sum over the reduced dimensions, less count times the
   input zero point, scaled by input_scale / output_scale with 1 / count
   folded into the multiplier as TFLM folds it, plus the output zero point. */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t multiplier;
  int shift;
  int32_t count;        /* input elements summed into each output */
  tflm_rt_walk kept;    /* the dimensions kept, in output order */
  tflm_rt_walk reduced; /* the dimensions summed over */
} tflm_rt_mean_s8_params;

void tflm_rt_mean_s8(const tflm_rt_mean_s8_params *params, const int8_t *input, int8_t *output);

/* Parameters of an int8 LEAKY_RELU, as TFLM's reference_ops::QuantizeLeakyRelu
   uses them: inputs at or above the zero point are scaled by the identity
   multiplier (input_scale / output_scale), those below by the alpha multiplier
   (|alpha| * input_scale / output_scale) and negated if alpha is negative. */
typedef struct {
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t identity_multiplier;
  int identity_shift;
  int32_t alpha_multiplier;
  int alpha_shift;
  int alpha_negative;
} tflm_rt_leaky_relu_s8_params;

void tflm_rt_leaky_relu_s8(const tflm_rt_leaky_relu_s8_params *params, const int8_t *input,
                           int8_t *output, int size);
/* Parameters of an int8 LOGISTIC or TANH, as TFLM's Prepare computes them:
   the input relative to its zero point is rescaled to Q4.27 by
   input_multiplier * 2^input_left_shift (the input scale times 2^27), and
   inputs at least input_range_radius away from the zero point saturate. */
typedef struct {
  int32_t input_zero_point;
  int32_t input_range_radius;
  int32_t input_multiplier;
  int input_left_shift;
} tflm_rt_sigmoid_s8_params;

/* int8 LOGISTIC, as TFLM's reference_integer_ops::Logistic: gemmlowp's
   fixed-point logistic (exp_on_negative_values, then 1 / (1 + x) by
   Newton-Raphson), written in scale 1/256 with zero point -128 whatever the
   output tensor says, as TFLM does. */
void tflm_rt_logistic_s8(const tflm_rt_sigmoid_s8_params *params, const int8_t *input,
                         int8_t *output, int size);

/* int8 TANH, as TFLM's reference_integer_ops::Tanh: gemmlowp's fixed-point
   tanh, (1 - exp(-2|x|)) / (1 + exp(-2|x|)) with the sign of x, written in
   scale 1/128 with zero point 0 whatever the output tensor says, as TFLM
   does. */
void tflm_rt_tanh_s8(const tflm_rt_sigmoid_s8_params *params, const int8_t *input,
                     int8_t *output, int size);

/* float32 LOGISTIC, as TFLM's reference_ops::Logistic: 1 above
   16.619047164916992188, expf(x) below -9, else 1 / (1 + expf(-x)). Bit-exact
   where libm's expf is the one TFLM was linked with. */
void tflm_rt_logistic_f32(const float *input, float *output, int size);

/* float32 TANH, as TFLM's reference_ops::Tanh: tanhf(x). Bit-exact where
   libm's tanhf is the one TFLM was linked with. */
void tflm_rt_tanh_f32(const float *input, float *output, int size);

/* float32 RELU and RELU6, as TFLM's ReluFloat and Relu6Float: x < 0 ? 0 : x,
   and x > 6 ? 6 : x < 0 ? 0 : x (so -0 and NaN pass through). */
void tflm_rt_relu_f32(const float *input, float *output, int size);
void tflm_rt_relu6_f32(const float *input, float *output, int size);

/* TFLM's ActivationFunctionWithMinMax for float32: min(max(x, low), high),
   with std::max(a, b) = a < b ? b : a and std::min(a, b) = b < a ? b : a, so
   NaN passes through and -0 stays -0. */
static inline float tflm_rt_clamp_f32(float x, float low, float high) {
  const float at_least_low = x < low ? low : x;
  return high < at_least_low ? high : at_least_low;
}

/* float32 ADD, SUB and MUL, as TFLM's reference_ops::Add, SubWithActivation
   and Mul and their broadcasting variants: the operation, then
   tflm_rt_clamp_f32. `size` output elements; broadcast as for the int8
   kernels, or NULL for equal shapes. */
void tflm_rt_add_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max);
void tflm_rt_sub_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max);
void tflm_rt_mul_f32(const tflm_rt_broadcast *broadcast, const float *input1,
                     const float *input2, float *output, int size, float activation_min,
                     float activation_max);

/* float32 LEAKY_RELU, as TFLM's reference_ops::LeakyRelu: x > 0 ? x : x * alpha. */
void tflm_rt_leaky_relu_f32(const float *input, float *output, int size, float alpha);

/* float32 CONV_2D, as TFLM's reference_ops::Conv for float: for each output
   (batch, y, x, channel in that order), a sum from 0 of input * filter over
   filter_y, filter_x and input channel in that order, padded positions
   skipped; then + bias (0 without one) and tflm_rt_clamp_f32. Filter
   [output_channels][filter_height][filter_width][input_channels]; `bias` may
   be NULL. */
void tflm_rt_conv_f32(const tflm_rt_conv_shape *shape, const float *input, const float *filter,
                      const float *bias, float *output, float activation_min,
                      float activation_max);

/* float32 DEPTHWISE_CONV_2D, as TFLM's reference_ops::DepthwiseConv for
   float: output channel m + input_channel * depth_multiplier sums
   input * filter over filter_y, filter_x from 0, then + bias and the clamp.
   Filter [1][filter_height][filter_width][output_channels]; `bias` may be
   NULL. */
void tflm_rt_depthwise_conv_f32(const tflm_rt_conv_shape *shape, int depth_multiplier,
                                const float *input, const float *filter, const float *bias,
                                float *output, float activation_min, float activation_max);

/* float32 AVERAGE_POOL_2D, as TFLM's reference_ops::AveragePool for float:
   the window's sum from 0 in filter_y, filter_x order, divided by the count of
   input elements in it (a float), then the clamp; -1 if a window holds no
   input element (TFLM fails then). */
int tflm_rt_average_pool_f32(const tflm_rt_conv_shape *shape, float activation_min,
                             float activation_max, const float *input, float *output);

/* float32 MAX_POOL_2D, as TFLM's reference_ops::MaxPool for float: from
   -FLT_MAX, max = max < x ? x : max over the window (so NaN is skipped and a
   window of -inf gives -FLT_MAX), then the clamp. */
void tflm_rt_max_pool_f32(const tflm_rt_conv_shape *shape, float activation_min,
                          float activation_max, const float *input, float *output);

/* float32 SOFTMAX over the last dimension, as TFLM's reference_ops::Softmax
   for float: per row, the maximum (from -FLT_MAX, as MAX_POOL_2D), then
   e = expf((x - max) * beta) written to the output and summed from 0 in
   order, then each e / sum. Bit-exact where libm's expf is the one TFLM was
   linked with. */
void tflm_rt_softmax_f32(const float *input, float *output, int rows, int depth, float beta);

/* float32 MEAN, as TFLM's reference_ops::Mean for float: each output, in the
   order the `kept` walk visits, is the sum from 0 of the elements the
   `reduced` walk visits (in the input's row-major order, as TFLM's Reduce
   adds them), divided by `count` as a float. */
void tflm_rt_mean_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, int count,
                      const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_TFLM_RT_H_ */
