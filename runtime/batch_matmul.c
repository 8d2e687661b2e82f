/* int8 BATCH_MATMUL; semantics of TFLM's reference_ops::BatchMatMul (TFLM
   transposes the operands and swaps them so that its loops run over the
   transposed output; the sums, each over k in order, are the same). */
#include "runtime/batch_matmul.h"

#include "runtime/broadcast.h"
#include "runtime/fixed_point.h"

void tflm_rt_batch_matmul_s8(const tflm_rt_batch_matmul_s8_params *params,
                             const tflm_rt_matmul_shape *shape, const int8_t *lhs,
                             const int8_t *rhs, int8_t *output) {
  position at = start(&shape->batch);
  for (int b = 0; b < shape->batches; ++b, advance(&at)) {
    const int8_t *x = lhs + at.offset1, *y = rhs + at.offset2;
    for (int r = 0; r < shape->rows; ++r) {
      const int8_t *row = x + r * shape->lhs_row_step;
      for (int c = 0; c < shape->cols; ++c) {
        const int8_t *col = y + c * shape->rhs_col_step;
        int32_t total = 0;
        for (int k = 0; k < shape->depth; ++k) {
          total += (row[k * shape->lhs_depth_step] + params->lhs_offset) *
                   (col[k * shape->rhs_depth_step] + params->rhs_offset);
        }
        *output++ = tflm_rt_requantize(total, params->multiplier, params->shift,
                                       params->output_offset, -128, 127);
      }
    }
  }
}
