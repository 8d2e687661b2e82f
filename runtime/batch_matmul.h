/* BATCH_MATMUL kernels: int8 and float32, the batch dimensions broadcast.
   The argument convention is tflm_rt.h's. */
#ifndef RUNTIME_BATCH_MATMUL_H_
#define RUNTIME_BATCH_MATMUL_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Shape of a BATCH_MATMUL, output[b][r][c] = sum_k lhs[b][r][k] * rhs[b][k][c]
   over `depth` values of k, for each of `batches` output matrices. `batch`
   walks the output's batch dimensions (one of size 1 when there are none):
   stride1 is the lhs's element step per batch dimension and stride2 the
   rhs's, 0 where that input broadcasts. Within one matrix, element (r, k) of
   the lhs is at r * lhs_row_step + k * lhs_depth_step and element (k, c) of
   the rhs at k * rhs_depth_step + c * rhs_col_step: the compiler folds adj_x
   and adj_y into the steps. Output matrices follow one another, row-major. */
typedef struct {
  int batches;
  tflm_rt_broadcast batch;
  int rows, depth, cols;
  int lhs_row_step, lhs_depth_step;
  int rhs_depth_step, rhs_col_step;
} tflm_rt_matmul_shape;

/* Parameters of an int8 BATCH_MATMUL (per-tensor quantization, no fused
   activation: the output clamps to int8). */
typedef struct {
  int32_t lhs_offset;
  int32_t rhs_offset;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
} tflm_rt_batch_matmul_s8_params;

/* int8 BATCH_MATMUL, as TFLM's reference_ops::BatchMatMul for int8: the int32
   sum over k of (lhs + lhs_offset) * (rhs + rhs_offset), requantized with the
   multiplier and shift, plus output_offset, clamped to [-128, 127]. */
void tflm_rt_batch_matmul_s8(const tflm_rt_batch_matmul_s8_params *params,
                             const tflm_rt_matmul_shape *shape, const int8_t *lhs,
                             const int8_t *rhs, int8_t *output);

/* float32 BATCH_MATMUL, as TFLM's reference_ops::BatchMatMul for float: each
   output the sum from 0.0f of the products in order of k. */
void tflm_rt_batch_matmul_f32(const tflm_rt_matmul_shape *shape, const float *lhs,
                              const float *rhs, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_BATCH_MATMUL_H_ */
