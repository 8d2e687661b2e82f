/* Data movement kernels for float32 tensors; semantics of TFLM's reference
   kernels (reference_ops::Pad, Concatenation and StridedSlice), as the int8
   ones in data_movement.c with float elements. The compiler resolves shapes
   and index ranges ahead of time. */
#include "runtime/tflm_rt.h"

static void fill(float *output, int size, float value) {
  for (int i = 0; i < size; ++i) output[i] = value;
}

static void copy(const float *input, float *output, int size) {
  for (int i = 0; i < size; ++i) output[i] = input[i];
}

/* Whether position i of a padded dimension holds an input element. */
static int inside(int i, int before, int size) { return i >= before && i < before + size; }

void tflm_rt_pad_f32(const tflm_rt_pad_shape *s, float pad_value, const float *input,
                     float *output) {
  int out[TFLM_RT_MAX_DIMS];
  for (int d = 0; d < TFLM_RT_MAX_DIMS; ++d) out[d] = s->before[d] + s->input_shape[d] + s->after[d];
  /* Row by row along the innermost dimension, in output order: a row outside
     the input in any outer dimension is all padding. */
  for (int i0 = 0; i0 < out[0]; ++i0) {
    for (int i1 = 0; i1 < out[1]; ++i1) {
      for (int i2 = 0; i2 < out[2]; ++i2) {
        for (int i3 = 0; i3 < out[3]; ++i3, output += out[4]) {
          if (!(inside(i0, s->before[0], s->input_shape[0]) &&
                inside(i1, s->before[1], s->input_shape[1]) &&
                inside(i2, s->before[2], s->input_shape[2]) &&
                inside(i3, s->before[3], s->input_shape[3]))) {
            fill(output, out[4], pad_value);
            continue;
          }
          fill(output, s->before[4], pad_value);
          copy(input, output + s->before[4], s->input_shape[4]);
          fill(output + s->before[4] + s->input_shape[4], s->after[4], pad_value);
          input += s->input_shape[4];
        }
      }
    }
  }
}

void tflm_rt_concat_f32(const float *input, float *output, int blocks, int block_size,
                        int output_stride) {
  for (int i = 0; i < blocks; ++i, input += block_size, output += output_stride) {
    copy(input, output, block_size);
  }
}

void tflm_rt_strided_slice_f32(const tflm_rt_walk *w, int start, const float *input,
                               float *output) {
  const int *count = w->count, *step = w->step;
  for (int i0 = 0, at0 = start; i0 < count[0]; ++i0, at0 += step[0]) {
    for (int i1 = 0, at1 = at0; i1 < count[1]; ++i1, at1 += step[1]) {
      for (int i2 = 0, at2 = at1; i2 < count[2]; ++i2, at2 += step[2]) {
        for (int i3 = 0, at3 = at2; i3 < count[3]; ++i3, at3 += step[3]) {
          for (int i4 = 0, at4 = at3; i4 < count[4]; ++i4, at4 += step[4]) *output++ = input[at4];
        }
      }
    }
  }
}
