/* CONV_2D of any filter with the DSP extension: each output pixel's window
   (filter rows x filter columns x input channels, in the filter's order) is
   gathered into the scratch, the padding read as the input's zero point, so
   that with the input offset added it counts 0, as TFLM's skipped taps do.
   Four windows at a time are then one group of rows of matmul_dsp.c's
   product with the filter. A group's windows are read before any of its
   outputs is written, so an output may overlap its input as
   tools/aot/overlap.py allows for one output pixel at a time. */
#include "runtime/dsp.h"

#if TFLM_RT_DSP

/* n bytes from src to dst, a word at a time (newlib-nano's memcpy goes byte
   by byte). */
static void copy(int8_t *dst, const int8_t *src, int n) {
  for (; n >= 4; n -= 4, src += 4, dst += 4) {
    const int32_t word = tflm_rt_dsp_load4(src);
    memcpy(dst, &word, 4);
  }
  for (; n > 0; --n) *dst++ = *src++;
}

static void fill(int8_t *dst, int8_t value, int n) {
  for (; n > 0; --n) *dst++ = value;
}

/* The window of output pixel (b, oy, ox) into `window`, in the filter's
   order, `zero` where it lies in the padding. */
static void gather(const tflm_rt_conv_shape *s, const int8_t *input, int b, int oy, int ox,
                   int8_t zero, int8_t *window) {
  const int channels = s->input_channels;
  const int row_bytes = s->filter_width * channels;
  const int in_y0 = oy * s->stride_height - s->pad_height;
  const int in_x0 = ox * s->stride_width - s->pad_width;
  /* The whole filter row lies inside the input along x, one run of bytes
     without dilation. */
  const int inside_x = in_x0 >= 0 && in_x0 + (s->filter_width - 1) * s->dilation_width < s->input_width;
  for (int fy = 0; fy < s->filter_height; ++fy, window += row_bytes) {
    const int in_y = in_y0 + fy * s->dilation_height;
    if (in_y < 0 || in_y >= s->input_height) {
      fill(window, zero, row_bytes);
      continue;
    }
    const int8_t *in_row = input + ((b * s->input_height + in_y) * s->input_width) * channels;
    if (inside_x && s->dilation_width == 1) {
      copy(window, in_row + in_x0 * channels, row_bytes);
      continue;
    }
    for (int fx = 0; fx < s->filter_width; ++fx) {
      const int in_x = in_x0 + fx * s->dilation_width;
      if (in_x < 0 || in_x >= s->input_width) {
        fill(window + fx * channels, zero, channels);
      } else {
        copy(window + fx * channels, in_row + in_x * channels, channels);
      }
    }
  }
}

void tflm_rt_conv_s8_dsp(const tflm_rt_conv_s8_params *p, const tflm_rt_conv_shape *s,
                         const int8_t *input, const int8_t *filter, const int32_t *bias,
                         int8_t *output) {
  const tflm_rt_dsp_requant q = {p->output_offset, p->multipliers, p->shifts, 1,
                                 p->activation_min, p->activation_max};
  const int size = s->filter_height * s->filter_width * s->input_channels;
  const int units = s->output_channels;
  /* The extended rows, then one window of bytes. */
  int8_t *window = (int8_t *)(p->scratch + TFLM_RT_DSP_ROWS_BYTES(4, size) / 4);
  const int8_t zero = (int8_t)-p->input_offset;
  const int pixels = s->batches * s->output_height * s->output_width;
  for (int px = 0; px < pixels; px += 4) {
    const int rows = pixels - px < 4 ? pixels - px : 4;
    for (int r = 0; r < rows; ++r) {
      const int pixel = px + r, ox = pixel % s->output_width, rest = pixel / s->output_width;
      gather(s, input, rest / s->output_height, rest % s->output_height, ox, zero, window);
      tflm_rt_dsp_extend_row(window, size, p->input_offset, r, p->scratch);
    }
    /* Rows past the last repeat it: their outputs land on its own, with its values. */
    for (int r = rows; r < 4; ++r) {
      tflm_rt_dsp_extend_row(window, size, p->input_offset, r, p->scratch);
    }
    tflm_rt_dsp_rows_times_weights(&q, rows, size, units, p->scratch, filter, bias,
                                   output + px * units, units);
  }
}

#endif /* TFLM_RT_DSP */
