/* Data movement kernels for tensors of any element type; semantics of TFLM's
   reference kernels (reference_ops::Pad, Concatenation, StridedSlice and
   ResizeNearestNeighbor, and the Gather of TFLM's gather.cc), of its SPLIT,
   SPLIT_V, PACK and UNPACK kernels, and of TF Lite's Select (SELECT and SELECT_V2).
   Elements are moved as bytes, never requantized or converted; the compiler
   resolves shapes and index ranges ahead of time and passes the element size. */
#include "runtime/data_movement.h"

#include "runtime/broadcast.h"
#include "runtime/walk.h"

/* `count` copies of the element at `value`, of `element_size` bytes. */
static unsigned char *fill(unsigned char *output, int count, const unsigned char *value,
                           int element_size) {
  for (int i = 0; i < count; ++i) {
    for (int b = 0; b < element_size; ++b) *output++ = value[b];
  }
  return output;
}

static unsigned char *copy(const unsigned char *input, unsigned char *output, int bytes) {
  for (int i = 0; i < bytes; ++i) *output++ = input[i];
  return output;
}

/* Whether position i of a padded dimension holds an input element. */
static int inside(int i, int before, int size) { return i >= before && i < before + size; }

void tflm_rt_copy(int bytes, const void *input, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  if (in == out) return;
  if (out < in) {
    for (int i = 0; i < bytes; ++i) out[i] = in[i];
  } else {
    for (int i = bytes; i-- > 0;) out[i] = in[i];
  }
}

void tflm_rt_pad(const void *pad_value, const tflm_rt_pad_shape *s, int element_size,
                 const void *input, void *output) {
  const unsigned char *value = (const unsigned char *)pad_value;
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  int size[TFLM_RT_MAX_DIMS];
  for (int d = 0; d < TFLM_RT_MAX_DIMS; ++d) size[d] = s->before[d] + s->input_shape[d] + s->after[d];
  /* Row by row along the innermost dimension, in output order: a row outside
     the input in any outer dimension is all padding. */
  for (int i0 = 0; i0 < size[0]; ++i0) {
    for (int i1 = 0; i1 < size[1]; ++i1) {
      for (int i2 = 0; i2 < size[2]; ++i2) {
        for (int i3 = 0; i3 < size[3]; ++i3) {
          if (!(inside(i0, s->before[0], s->input_shape[0]) &&
                inside(i1, s->before[1], s->input_shape[1]) &&
                inside(i2, s->before[2], s->input_shape[2]) &&
                inside(i3, s->before[3], s->input_shape[3]))) {
            out = fill(out, size[4], value, element_size);
            continue;
          }
          out = fill(out, s->before[4], value, element_size);
          out = copy(in, out, s->input_shape[4] * element_size);
          in += s->input_shape[4] * element_size;
          out = fill(out, s->after[4], value, element_size);
        }
      }
    }
  }
}

/* Block i of `block_bytes` bytes from input + i * input_stride_bytes to
   output + i * output_stride_bytes: one block per outer index of a
   CONCATENATION, PACK, SPLIT or UNPACK. */
static void copy_blocks(int blocks, int block_bytes, int input_stride_bytes,
                        int output_stride_bytes, const void *input, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  for (int i = 0; i < blocks; ++i, in += input_stride_bytes, out += output_stride_bytes) {
    copy(in, out, block_bytes);
  }
}

void tflm_rt_concat(int blocks, int block_bytes, int output_stride_bytes, const void *input,
                    void *output) {
  copy_blocks(blocks, block_bytes, block_bytes, output_stride_bytes, input, output);
}

void tflm_rt_split(int blocks, int block_bytes, int input_stride_bytes, const void *input,
                   void *output) {
  copy_blocks(blocks, block_bytes, input_stride_bytes, block_bytes, input, output);
}

void tflm_rt_strided_slice(const tflm_rt_walk *w, int start, int element_size, const void *input,
                           void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  walker at = walk_from(w, start);
  for (int n = walk_length(w); n > 0; --n, walk_next(&at)) {
    out = copy(in + at.offset * element_size, out, element_size);
  }
}

void tflm_rt_resize_nearest(int batches, int batch_bytes, int out_height, const int32_t *rows,
                            int out_width, const int32_t *cols, int pixel_bytes,
                            const void *input, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  for (int b = 0; b < batches; ++b, in += batch_bytes) {
    for (int y = 0; y < out_height; ++y) {
      for (int x = 0; x < out_width; ++x) out = copy(in + rows[y] + cols[x], out, pixel_bytes);
    }
  }
}

int tflm_rt_gather(int batches, int outer, int axis_size, int coords, int slice_bytes,
                   const int32_t *indices, const void *input, void *output) {
  const unsigned char *in = (const unsigned char *)input;
  unsigned char *out = (unsigned char *)output;
  /* Every index checked before anything moves: no read outside the input. */
  for (int i = 0; i < batches * coords; ++i) {
    if (indices[i] < 0 || indices[i] >= axis_size) return -1;
  }
  for (int b = 0; b < batches; ++b) {
    const int32_t *batch_indices = indices + b * coords;
    for (int o = 0; o < outer; ++o, in += axis_size * slice_bytes) {
      for (int c = 0; c < coords; ++c) {
        out = copy(in + batch_indices[c] * slice_bytes, out, slice_bytes);
      }
    }
  }
  return 0;
}

void tflm_rt_select(const tflm_rt_broadcast *condition_x, const tflm_rt_broadcast *y_broadcast,
                    int size, int element_size, const uint8_t *condition, const void *x,
                    const void *y, void *output) {
  const unsigned char *x_bytes = (const unsigned char *)x, *y_bytes = (const unsigned char *)y;
  unsigned char *out = (unsigned char *)output;
  position at = start(condition_x), at_y = start(y_broadcast);
  for (int i = 0; i < size; ++i, advance(&at), advance(&at_y)) {
    const unsigned char *from = condition[at.offset1] ? x_bytes + at.offset2 * element_size
                                                      : y_bytes + at_y.offset1 * element_size;
    out = copy(from, out, element_size);
  }
}
