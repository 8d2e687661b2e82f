/* FULLY_CONNECTED and the 1x1 CONV_2D with the DSP extension: the matrix
   product of matmul_dsp.c, the input offset folded into the bias by the
   compiler. Each group of rows (input pixels, or batches) is extended into
   the scratch before any output of the group is written, so an output may
   overlap its input as tools/aot/overlap.py allows for one row at a time. */
#include "runtime/dsp.h"

#if TFLM_RT_DSP

/* Output pixels four at a time, in storage order. */
void tflm_rt_conv_1x1_s8_dsp(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                             const int8_t *input, const int8_t *filter,
                             const int32_t *folded_bias, int8_t *output) {
  const tflm_rt_dsp_requant q = {p->output_offset, p->multipliers, p->shifts, 1,
                                 p->activation_min, p->activation_max};
  const int depth = s->input_channels, units = s->output_channels;
  const int pixels = s->batches * s->output_height * s->output_width;
  for (int px = 0; px < pixels; px += 4) {
    const int rows = pixels - px < 4 ? pixels - px : 4;
    /* Rows past the last repeat it: their outputs land on its own, with its values. */
    for (int r = 0; r < 4; ++r) {
      const int8_t *row = tflm_rt_pointwise_input(s, input, px + (r < rows ? r : rows - 1));
      tflm_rt_dsp_extend_row(row, depth, 0, r, p->scratch);
    }
    tflm_rt_dsp_rows_times_weights(&q, rows, depth, units, p->scratch, filter, folded_bias,
                                   output + px * units, units);
  }
}

/* Batches four at a time with a scratch buffer, else one at a time. */
void tflm_rt_fully_connected_s8_dsp(const tflm_rt_dsp_requant *q, int32_t *scratch, int batches,
                                    int depth, int units, const int8_t *input,
                                    const int8_t *weights, const int32_t *folded_bias,
                                    int8_t *output) {
  if (!scratch) {
    for (int b = 0; b < batches; ++b) {
      tflm_rt_dsp_row_times_weights(q, depth, units, input + b * depth, weights, folded_bias,
                                    output + b * units);
    }
    return;
  }
  for (int b = 0; b < batches; b += 4) {
    const int rows = batches - b < 4 ? batches - b : 4;
    for (int r = 0; r < 4; ++r) {
      tflm_rt_dsp_extend_row(input + (b + (r < rows ? r : rows - 1)) * depth, depth, 0, r,
                             scratch);
    }
    tflm_rt_dsp_rows_times_weights(q, rows, depth, units, scratch, weights, folded_bias,
                                   output + b * units, units);
  }
}

#endif /* TFLM_RT_DSP */
