/* Reductions of int8 tensors; semantics of TFLM's reference kernels
   (reference_ops::QuantizedMeanOrSum). */
#include "runtime/tflm_rt.h"

/* The sum of the elements the walk visits from input. */
static int32_t sum_s8(const int8_t *input, const tflm_rt_walk *w) {
  const int *count = w->count, *step = w->step;
  int32_t sum = 0;
  for (int i0 = 0, at0 = 0; i0 < count[0]; ++i0, at0 += step[0]) {
    for (int i1 = 0, at1 = at0; i1 < count[1]; ++i1, at1 += step[1]) {
      for (int i2 = 0, at2 = at1; i2 < count[2]; ++i2, at2 += step[2]) {
        for (int i3 = 0, at3 = at2; i3 < count[3]; ++i3, at3 += step[3]) {
          for (int i4 = 0, at4 = at3; i4 < count[4]; ++i4, at4 += step[4]) sum += input[at4];
        }
      }
    }
  }
  return sum;
}

void tflm_rt_mean_s8(const tflm_rt_mean_s8_params *p, const int8_t *input, int8_t *output) {
  const int *count = p->kept.count, *step = p->kept.step;
  /* TFLM takes count * zero point from the sum in 64 bits, then narrows. */
  const int64_t offset = (int64_t)p->input_zero_point * p->count;
  for (int i0 = 0, at0 = 0; i0 < count[0]; ++i0, at0 += step[0]) {
    for (int i1 = 0, at1 = at0; i1 < count[1]; ++i1, at1 += step[1]) {
      for (int i2 = 0, at2 = at1; i2 < count[2]; ++i2, at2 += step[2]) {
        for (int i3 = 0, at3 = at2; i3 < count[3]; ++i3, at3 += step[3]) {
          for (int i4 = 0, at4 = at3; i4 < count[4]; ++i4, at4 += step[4]) {
            const int32_t sum = (int32_t)(sum_s8(input + at4, &p->reduced) - offset);
            int32_t value = tflm_rt_multiply_by_quantized_multiplier(sum, p->multiplier, p->shift) +
                            p->output_zero_point;
            if (value < -128) value = -128;
            if (value > 127) value = 127;
            *output++ = (int8_t)value;
          }
        }
      }
    }
  }
}
