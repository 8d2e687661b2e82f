/* Reductions of int8 tensors; semantics of TFLM's reference kernels
   (reference_ops::QuantizedMeanOrSum for MEAN and SUM, ReduceGeneric for REDUCE_MAX). */
#include "runtime/reduce.h"

#include "runtime/fixed_point.h"
#include "runtime/walk.h"

/* The sum of the elements the walk visits from input. */
static int32_t sum_s8(const int8_t *input, const tflm_rt_walk *w) {
  int32_t sum = 0;
  walker at = walk_from(w, 0);
  for (int n = walk_length(w); n > 0; --n, walk_next(&at)) sum += input[at.offset];
  return sum;
}

/* QuantizedMeanOrSum: MEAN and SUM differ only in the multiplier the compiler gives. */
static void mean_or_sum_s8(const tflm_rt_mean_s8_params *p, const int8_t *input,
                           int8_t *output) {
  /* TFLM takes count * zero point from the sum in 64 bits, then narrows. */
  const int64_t offset = (int64_t)p->input_offset * p->count;
  walker at = walk_from(&p->kept, 0);
  for (int n = walk_length(&p->kept); n > 0; --n, walk_next(&at)) {
    const int32_t sum = (int32_t)(sum_s8(input + at.offset, &p->reduced) + offset);
    *output++ = tflm_rt_requantize(sum, p->multiplier, p->shift, p->output_offset, -128, 127);
  }
}

void tflm_rt_mean_s8(const tflm_rt_mean_s8_params *p, const int8_t *input, int8_t *output) {
  mean_or_sum_s8(p, input, output);
}

void tflm_rt_sum_s8(const tflm_rt_mean_s8_params *p, const int8_t *input, int8_t *output) {
  mean_or_sum_s8(p, input, output);
}

/* The largest element the walk visits from input. */
static int8_t max_s8(const int8_t *input, const tflm_rt_walk *w) {
  int8_t max = -128;
  walker at = walk_from(w, 0);
  for (int n = walk_length(w); n > 0; --n, walk_next(&at)) {
    if (input[at.offset] > max) max = input[at.offset];
  }
  return max;
}

void tflm_rt_reduce_max_s8(const tflm_rt_walk *kept, const tflm_rt_walk *reduced,
                           const int8_t *input, int8_t *output) {
  walker at = walk_from(kept, 0);
  for (int n = walk_length(kept); n > 0; --n, walk_next(&at)) {
    *output++ = max_s8(input + at.offset, reduced);
  }
}
