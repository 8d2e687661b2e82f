/* MEAN, SUM and REDUCE_MAX kernels over walks the compiler resolves from the
   constant axes: int8 and float32. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_REDUCE_H_
#define RUNTIME_REDUCE_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 MEAN or SUM, as TFLM's reference_ops::QuantizedMeanOrSum
   (which current TFLM runs for every int8 MEAN and SUM, whatever the axes and
   quantization): the sum over the reduced dimensions, plus count times the
   input offset, scaled by input_scale / output_scale (for MEAN with 1 / count
   folded into the multiplier as TFLM folds it), plus the output offset. */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
  int32_t count;        /* input elements summed into each output */
  tflm_rt_walk kept;    /* the dimensions kept, in output order */
  tflm_rt_walk reduced; /* the dimensions summed over */
} tflm_rt_mean_s8_params;

/* int8 MEAN and SUM: the same arithmetic, only the multiplier differs. */
void tflm_rt_mean_s8(const tflm_rt_mean_s8_params *params, const int8_t *input, int8_t *output);
void tflm_rt_sum_s8(const tflm_rt_mean_s8_params *params, const int8_t *input, int8_t *output);

/* float32 MEAN, as TFLM's reference_ops::Mean for float: each output, in the
   order the `kept` walk visits, is the sum from 0 of the elements the
   `reduced` walk visits (in the input's row-major order, as TFLM's Reduce
   adds them), divided by `count` as a float. */
void tflm_rt_mean_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, int count,
                      const float *input, float *output);

/* float32 SUM, as TFLM's ReduceGeneric with 0 and +: each output, in the
   order the `kept` walk visits, is the sum from 0 of the elements the
   `reduced` walk visits, in the input's row-major order. */
void tflm_rt_sum_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, const float *input,
                     float *output);

/* REDUCE_MAX, as TFLM's ReduceGeneric with the type's lowest value and
   `in > current ? in : current`: each output is the largest element the
   `reduced` walk visits, or -128 (int8) or -FLT_MAX (float32) if none is
   larger; a float32 NaN never wins, and neither does -inf. int8 input and
   output share one scale and zero point (the compiler checks). */
void tflm_rt_reduce_max_s8(const tflm_rt_walk *kept, const tflm_rt_walk *reduced,
                           const int8_t *input, int8_t *output);
void tflm_rt_reduce_max_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced,
                            const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_REDUCE_H_ */
