/* Reductions of float32 tensors; semantics of TFLM's reference_ops::Mean for
   float (the general one and the one for axes 1 and 2 of a 4D tensor, which
   add in the same order). */
#include "runtime/tflm_rt.h"

/* The sum, from 0 and in order, of the elements the walk visits from input. */
static float sum_f32(const float *input, const tflm_rt_walk *w) {
  const int *count = w->count, *step = w->step;
  float sum = 0.0f;
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

void tflm_rt_mean_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, int count,
                      const float *input, float *output) {
  const int *n = kept->count, *step = kept->step;
  const float divisor = (float)count;
  for (int i0 = 0, at0 = 0; i0 < n[0]; ++i0, at0 += step[0]) {
    for (int i1 = 0, at1 = at0; i1 < n[1]; ++i1, at1 += step[1]) {
      for (int i2 = 0, at2 = at1; i2 < n[2]; ++i2, at2 += step[2]) {
        for (int i3 = 0, at3 = at2; i3 < n[3]; ++i3, at3 += step[3]) {
          for (int i4 = 0, at4 = at3; i4 < n[4]; ++i4, at4 += step[4]) {
            *output++ = sum_f32(input + at4, reduced) / divisor;
          }
        }
      }
    }
  }
}
