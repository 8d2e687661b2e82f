/* float32 BATCH_MATMUL; semantics of TFLM's reference_ops::BatchMatMul for
   float: every output a sum from 0.0f over k in order (built with
   -ffp-contract=off, as the runtime is, so no product fuses into the sum). */
#include "runtime/batch_matmul.h"

#include "runtime/broadcast.h"

void tflm_rt_batch_matmul_f32(const tflm_rt_matmul_shape *shape, const float *lhs,
                              const float *rhs, float *output) {
  position at = start(&shape->batch);
  for (int b = 0; b < shape->batches; ++b, advance(&at)) {
    const float *x = lhs + at.offset1, *y = rhs + at.offset2;
    for (int r = 0; r < shape->rows; ++r) {
      const float *row = x + r * shape->lhs_row_step;
      for (int c = 0; c < shape->cols; ++c) {
        const float *col = y + c * shape->rhs_col_step;
        float total = 0.0f;
        for (int k = 0; k < shape->depth; ++k) {
          total += row[k * shape->lhs_depth_step] * col[k * shape->rhs_depth_step];
        }
        *output++ = total;
      }
    }
  }
}
