/* fully_connected.c's and fully_connected.h's portable int8 kernels,
   compiled again with TFLM_RT_PORTABLE (so without the MVE or DSP paths) and
   renamed portable_* (portable_kernels.h), for accelerated_kernels_test.c to
   compare the core's kernels with. */
#define TFLM_RT_PORTABLE 1

#define tflm_rt_fully_connected_s8 portable_fully_connected_s8
#define tflm_rt_fully_connected_f32 portable_fully_connected_f32

#include "runtime/fully_connected.c"

#include "tests/runtime/portable_kernels.h"

/* fully_connected.h's inline kernel, here without its MVE call. */
void portable_fully_connected_s8_per_tensor(const tflm_rt_fc_s8_per_tensor_params *params,
                                            int batches, int depth, int units,
                                            const int8_t *input, const int8_t *weights,
                                            const int32_t *folded_bias, int8_t *output) {
  tflm_rt_fully_connected_s8_per_tensor(params, batches, depth, units, input, weights,
                                        folded_bias, output);
}
