/* CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV kernels over NHWC tensors:
   int8 per channel and float32. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_CONV_H_
#define RUNTIME_CONV_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Quantization of an int8 convolution: one multiplier and shift per output channel. */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  const int32_t *multipliers;
  const int32_t *shifts;
  int32_t activation_min;
  int32_t activation_max;
  /* Working memory of the kernels that use the DSP extension (arch.h), 8-byte
     aligned, as many bytes as the compiler asked for the op; NULL to run the
     portable kernel on every core. */
  int32_t *scratch;
  /* DEPTHWISE_CONV_2D's DSP kernel, where every output channel takes its fast
     requantization (dsp.h), else NULL: each channel's constants (four words,
     tflm_rt_dsp_channel), and a row of the input zero point for 3x3 windows'
     padding, both computed by the compiler, in flash. */
  const int32_t *dsp_channels;
  const int8_t *dsp_zeros;
  /* The bias with the input offset folded in (bias + input_offset times the
     sum of each output channel's filter), or NULL. tflm_rt_conv_s8's MVE
     kernel folds it itself on every call otherwise; the compiler gives it for
     a convolution run in slices (tools/aot/fusion.py), to fold once. */
  const int32_t *folded_bias;
} tflm_rt_conv_s8_params;

/* CONV_2D, as TFLM's reference_integer_ops::ConvPerChannel; filter
   [output_channels][filter_height][filter_width][input_channels]; `bias` may
   be NULL. */
void tflm_rt_conv_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                     const int8_t *input, const int8_t *filter, const int32_t *bias,
                     int8_t *output);

/* CONV_2D with a 1x1 filter and no padding (a pointwise convolution); the
   compiler folds the input offset into the bias as for FULLY_CONNECTED. */
void tflm_rt_conv_1x1_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                         const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                         int8_t *output);

/* The input pixel that output pixel `pixel` (counted in storage order) of a
   1x1 convolution reads: for the kernels of runtime/ (the portable and the
   DSP one). */
static inline const int8_t *tflm_rt_pointwise_input(const tflm_rt_conv_shape *s,
                                                    const int8_t *input, int pixel) {
  const int ox = pixel % s->output_width, rows = pixel / s->output_width;
  const int oy = rows % s->output_height, b = rows / s->output_height;
  return input + ((b * s->input_height + oy * s->stride_height) * s->input_width +
                  ox * s->stride_width) * s->input_channels;
}

/* DEPTHWISE_CONV_2D, as TFLM's reference_integer_ops::DepthwiseConvPerChannel;
   filter [1][filter_height][filter_width][output_channels]. */
void tflm_rt_depthwise_conv_s8(const tflm_rt_conv_s8_params *params,
                               const tflm_rt_conv_shape *shape, int depth_multiplier,
                               const int8_t *input, const int8_t *filter, const int32_t *bias,
                               int8_t *output);

/* float32 CONV_2D, as TFLM's reference_ops::Conv for float: for each output
   (batch, y, x, channel in that order), a sum from 0 of input * filter over
   filter_y, filter_x and input channel in that order, padded positions
   skipped; then + bias (0 without one) and tflm_rt_clamp_f32. Filter
   [output_channels][filter_height][filter_width][input_channels]; `bias` may
   be NULL. */
void tflm_rt_conv_f32(float activation_min, float activation_max,
                      const tflm_rt_conv_shape *shape, const float *input, const float *filter,
                      const float *bias, float *output);

/* float32 DEPTHWISE_CONV_2D, as TFLM's reference_ops::DepthwiseConv for
   float: output channel m + input_channel * depth_multiplier sums
   input * filter over filter_y, filter_x from 0, then + bias and the clamp.
   Filter [1][filter_height][filter_width][output_channels]; `bias` may be
   NULL. */
void tflm_rt_depthwise_conv_f32(float activation_min, float activation_max,
                                const tflm_rt_conv_shape *shape, int depth_multiplier,
                                const float *input, const float *filter, const float *bias,
                                float *output);

/* TRANSPOSE_CONV, as TFLM's reference_integer_ops::TransposeConv: input
   pixel (y, x) times filter tap (fy, fx) lands on output pixel
   (y * stride_height - pad_height + fy, x * stride_width - pad_width + fx).
   Each output element gathers its int32 sum (no scratch buffer; int32 sums
   are exact, so TFLM's scatter order does not matter), adds the bias and is
   requantized per channel. `shape` is the output's, the input's and the
   filter's, dilations unused and the paddings TFLM's (the compiler's); filter
   [output_channels][filter_height][filter_width][input_channels]; `bias` may
   be NULL. */
void tflm_rt_transpose_conv_s8(const tflm_rt_conv_s8_params *params,
                               const tflm_rt_conv_shape *shape, const int8_t *input,
                               const int8_t *filter, const int32_t *bias, int8_t *output);

/* float32 TRANSPOSE_CONV, as TFLM's reference_ops::TransposeConv for float:
   each output element is the sum from 0 of input * filter over the input
   pixels that reach it, in TFLM's scatter order (input row, column, then
   channel, each ascending), then + bias (none without one) and
   tflm_rt_clamp_f32. Shape and filter as for tflm_rt_transpose_conv_s8. */
void tflm_rt_transpose_conv_f32(float activation_min, float activation_max,
                                const tflm_rt_conv_shape *shape, const float *input,
                                const float *filter, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_CONV_H_ */
