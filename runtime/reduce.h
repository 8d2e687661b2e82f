/* MEAN kernels over walks the compiler resolves from the constant axes:
   int8 and float32. The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_REDUCE_H_
#define RUNTIME_REDUCE_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 MEAN, as TFLM's reference_ops::QuantizedMeanOrSum
   (which current TFLM runs for every int8 MEAN, whatever the axes and
   quantization): the sum over the reduced dimensions, plus count times the
   input offset, scaled by input_scale / output_scale with 1 / count folded
   into the multiplier as TFLM folds it, plus the output offset. */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
  int32_t count;        /* input elements summed into each output */
  tflm_rt_walk kept;    /* the dimensions kept, in output order */
  tflm_rt_walk reduced; /* the dimensions summed over */
} tflm_rt_mean_s8_params;

void tflm_rt_mean_s8(const tflm_rt_mean_s8_params *params, const int8_t *input, int8_t *output);

/* float32 MEAN, as TFLM's reference_ops::Mean for float: each output, in the
   order the `kept` walk visits, is the sum from 0 of the elements the
   `reduced` walk visits (in the input's row-major order, as TFLM's Reduce
   adds them), divided by `count` as a float. */
void tflm_rt_mean_f32(const tflm_rt_walk *kept, const tflm_rt_walk *reduced, int count,
                      const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_REDUCE_H_ */
