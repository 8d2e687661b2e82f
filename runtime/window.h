/* The window of one output position of a convolution or pooling over NHWC
   tensors: the filter taps that fall inside the input, which the kernels
   visit in TFLM's order (padded positions are skipped, not read as zeros).
   Internal to runtime/ (conv.c, conv_f32.c, pooling.c). */
#ifndef RUNTIME_WINDOW_H_
#define RUNTIME_WINDOW_H_

#include "runtime/shapes.h"

/* Filter rows [y_start, y_end) and columns [x_start, x_end) lie inside the
   input; `origin` is the element index of tap (0, 0), channel 0, which may
   lie in the padding. */
typedef struct {
  int y_start, y_end;
  int x_start, x_end;
  int origin;
} window;

/* The first filter tap k with origin + dilation * k >= 0. */
static inline int first_tap(int origin, int dilation) {
  return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
}

/* One past the last filter tap k < taps with origin + dilation * k < size. */
static inline int end_tap(int origin, int dilation, int size, int taps) {
  const int end = size - origin <= 0 ? 0 : (size - origin + dilation - 1) / dilation;
  return end < taps ? end : taps;
}

/* The window of output (b, oy, ox). */
static inline window window_at(const tflm_rt_conv_shape *s, int b, int oy, int ox) {
  const int in_y0 = oy * s->stride_height - s->pad_height;
  const int in_x0 = ox * s->stride_width - s->pad_width;
  window w;
  w.y_start = first_tap(in_y0, s->dilation_height);
  w.y_end = end_tap(in_y0, s->dilation_height, s->input_height, s->filter_height);
  w.x_start = first_tap(in_x0, s->dilation_width);
  w.x_end = end_tap(in_x0, s->dilation_width, s->input_width, s->filter_width);
  w.origin = ((b * s->input_height + in_y0) * s->input_width + in_x0) * s->input_channels;
  return w;
}

/* The element index of the input under tap (fy, fx) of window `w`, channel 0. */
static inline __attribute__((always_inline)) int window_tap(const tflm_rt_conv_shape *s,
                                                             const window *w, int fy, int fx) {
  return w->origin +
         (s->dilation_height * fy * s->input_width + s->dilation_width * fx) * s->input_channels;
}

/* An output position (batch b, row oy, column ox) with its window and the
   element index of its output, channel 0. A kernel visits them in order,
   (batch, y, x), with
     for (position at = first_position(s); at.b < s->batches; next_position(s, &at))
   as three nested loops would. */
typedef struct {
  int b, oy, ox;
  int output;
  window w;
} position;

static inline position position_at(const tflm_rt_conv_shape *s, int b, int oy, int ox) {
  position at;
  at.b = b;
  at.oy = oy;
  at.ox = ox;
  at.output = ((b * s->output_height + oy) * s->output_width + ox) * s->output_channels;
  at.w = window_at(s, b, oy, ox);
  return at;
}

/* The first output position; none (b == batches) if the output is empty. */
static inline position first_position(const tflm_rt_conv_shape *s) {
  const int empty = s->output_height <= 0 || s->output_width <= 0;
  return position_at(s, empty ? s->batches : 0, 0, 0);
}

/* The position after `at` in order; b == batches after the last. */
static inline void next_position(const tflm_rt_conv_shape *s, position *at) {
  int b = at->b, oy = at->oy, ox = at->ox + 1;
  if (ox == s->output_width) {
    ox = 0;
    if (++oy == s->output_height) {
      oy = 0;
      ++b;
    }
  }
  *at = position_at(s, b, oy, ox);
}

#endif /* RUNTIME_WINDOW_H_ */
