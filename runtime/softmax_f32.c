/* float32 SOFTMAX; semantics of TFLM's reference_ops::Softmax for float. Row
   by row: the maximum, then each exponential written to the output and summed
   in order, then each divided by the sum. A row's input is read before its
   output is written, element i before output i, so the output may be the
   input or overlap it from below (tools/aot_overlap.py). */
#include "runtime/softmax.h"

#include <float.h>
#include <math.h>

void tflm_rt_softmax_f32(float beta, int rows, int depth, const float *input, float *output) {
  for (int r = 0; r < rows; ++r) {
    const float *in = input + r * depth;
    float *out = output + r * depth;
    float max = -FLT_MAX;
    for (int c = 0; c < depth; ++c) max = max < in[c] ? in[c] : max;
    float sum = 0.0f;
    for (int c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * beta);
      out[c] = e;
      sum += e;
    }
    for (int c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}
