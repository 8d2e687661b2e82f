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

#endif /* TFLM_RT_MVE */
