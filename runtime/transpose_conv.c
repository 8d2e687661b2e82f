/* TRANSPOSE_CONV kernels for int8 and float32 NHWC tensors; semantics of
   TFLM's reference kernels (reference_integer_ops::TransposeConv and
   reference_ops::TransposeConv). TFLM scatters each input pixel over the
   output through a scratch sum; these kernels gather instead: each output
   element sums the input pixels that reach it, in the order TFLM adds them
   (input row, then column, then channel, each ascending), so no scratch
   buffer is needed and float32 sums round as TFLM's. Both kernels share the
   one loop shape below. */
#include "runtime/conv.h"

#include "runtime/fixed_point.h"

/* The input positions i in [*first, *end) with a filter tap
   out + pad - i * stride in [0, taps), within [0, size). */
static void reaching(int out, int pad, int stride, int taps, int size, int *first, int *end) {
  const int reach = out + pad; /* the tap of input position 0; >= 0 */
  const int low = reach - taps + 1;
  const int last = reach / stride + 1;
  *first = low <= 0 ? 0 : (low + stride - 1) / stride;
  *end = last < size ? last : size;
}

void tflm_rt_transpose_conv_s8(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                               const int8_t *input, const int8_t *filter, const int32_t *bias,
                               int8_t *output) {
  const int depth = s->input_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      int y0, y1;
      reaching(oy, s->pad_height, s->stride_height, s->filter_height, s->input_height, &y0, &y1);
      for (int ox = 0; ox < s->output_width; ++ox) {
        int x0, x1;
        reaching(ox, s->pad_width, s->stride_width, s->filter_width, s->input_width, &x0, &x1);
        for (int oc = 0; oc < s->output_channels; ++oc) {
          int32_t acc = 0;
          for (int iy = y0; iy < y1; ++iy) {
            const int fy = oy + s->pad_height - iy * s->stride_height;
            for (int ix = x0; ix < x1; ++ix) {
              const int fx = ox + s->pad_width - ix * s->stride_width;
              const int8_t *in = input + ((b * s->input_height + iy) * s->input_width + ix) * depth;
              const int8_t *f =
                  filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * depth;
              for (int ic = 0; ic < depth; ++ic) acc += (in[ic] + p->input_offset) * f[ic];
            }
          }
          if (bias) acc += bias[oc];
          *output++ = tflm_rt_requantize(acc, p->multipliers[oc], p->shifts[oc], p->output_offset,
                                         p->activation_min, p->activation_max);
        }
      }
    }
  }
}

void tflm_rt_transpose_conv_f32(float activation_min, float activation_max,
                                const tflm_rt_conv_shape *s, const float *input,
                                const float *filter, const float *bias, float *output) {
  const int depth = s->input_channels;
  for (int b = 0; b < s->batches; ++b) {
    for (int oy = 0; oy < s->output_height; ++oy) {
      int y0, y1;
      reaching(oy, s->pad_height, s->stride_height, s->filter_height, s->input_height, &y0, &y1);
      for (int ox = 0; ox < s->output_width; ++ox) {
        int x0, x1;
        reaching(ox, s->pad_width, s->stride_width, s->filter_width, s->input_width, &x0, &x1);
        for (int oc = 0; oc < s->output_channels; ++oc) {
          float total = 0.0f;
          for (int iy = y0; iy < y1; ++iy) {
            const int fy = oy + s->pad_height - iy * s->stride_height;
            for (int ix = x0; ix < x1; ++ix) {
              const int fx = ox + s->pad_width - ix * s->stride_width;
              const float *in = input + ((b * s->input_height + iy) * s->input_width + ix) * depth;
              const float *f =
                  filter + ((oc * s->filter_height + fy) * s->filter_width + fx) * depth;
              for (int ic = 0; ic < depth; ++ic) total += in[ic] * f[ic];
            }
          }
          if (bias) total += bias[oc]; /* TFLM adds nothing without a bias */
          *output++ = tflm_rt_clamp_f32(total, activation_min, activation_max);
        }
      }
    }
  }
}
