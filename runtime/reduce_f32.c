/* Reductions of float32 tensors; semantics of TFLM's reference_ops::Mean for
   float (the general one and the one for axes 1 and 2 of a 4D tensor, which
   add in the same order) and of its ReduceGeneric (SUM, REDUCE_MAX). */
#include <float.h>

#include "runtime/reduce.h"

#include "runtime/walk.h"

/* The sum, from 0 and in order, of the elements the walk visits from input. */
static float sum_f32(const float *input, const tflm_rt_walk *w) {
  float sum = 0.0f;
  walker at = walk_from(w, 0);
  for (int n = walk_length(w); n > 0; --n, walk_next(&at)) sum += input[at.offset];
  return sum;
}

void tflm_rt_mean_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, int count,
                      const float *input, float *output) {
  const float divisor = (float)count;
  walker at = walk_from(kept, 0);
  for (int n = walk_length(kept); n > 0; --n, walk_next(&at)) {
    *output++ = sum_f32(input + at.offset, reduced) / divisor;
  }
}

void tflm_rt_sum_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, const float *input,
                     float *output) {
  walker at = walk_from(kept, 0);
  for (int n = walk_length(kept); n > 0; --n, walk_next(&at)) {
    *output++ = sum_f32(input + at.offset, reduced);
  }
}

/* The largest element the walk visits from input, from -FLT_MAX as TFLM starts. */
static float max_f32(const float *input, const tflm_rt_walk *w) {
  float max = -FLT_MAX;
  walker at = walk_from(w, 0);
  for (int n = walk_length(w); n > 0; --n, walk_next(&at)) {
    const float in = input[at.offset];
    max = in > max ? in : max;
  }
  return max;
}

void tflm_rt_reduce_max_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced,
                            const float *input, float *output) {
  walker at = walk_from(kept, 0);
  for (int n = walk_length(kept); n > 0; --n, walk_next(&at)) {
    *output++ = max_f32(input + at.offset, reduced);
  }
}
