/* The runtime's portable int8 kernels under other names (portable_*.c compile
   their sources again with TFLM_RT_PORTABLE), next to the kernels the core's build picks
   (runtime/arch.h), for accelerated_kernels_test.c. */
#ifndef TESTS_RUNTIME_PORTABLE_KERNELS_H_
#define TESTS_RUNTIME_PORTABLE_KERNELS_H_

#include <stdint.h>

#include "runtime/tflm_rt.h"

void portable_conv_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                      const int8_t *input, const int8_t *filter, const int32_t *bias,
                      int8_t *output);
void portable_conv_1x1_s8(const tflm_rt_conv_s8_params *params, const tflm_rt_conv_shape *shape,
                          const int8_t *input, const int8_t *filter, const int32_t *folded_bias,
                          int8_t *output);
void portable_depthwise_conv_s8(const tflm_rt_conv_s8_params *params,
                                const tflm_rt_conv_shape *shape, int depth_multiplier,
                                const int8_t *input, const int8_t *filter, const int32_t *bias,
                                int8_t *output);
void portable_fully_connected_s8(const tflm_rt_fc_s8_params *params, int batches, int depth,
                                 int units, const int8_t *input, const int8_t *weights,
                                 const int32_t *folded_bias, int8_t *output);
void portable_fully_connected_s8_per_tensor(const tflm_rt_fc_s8_per_tensor_params *params,
                                            int batches, int depth, int units,
                                            const int8_t *input, const int8_t *weights,
                                            const int32_t *folded_bias, int8_t *output);
void portable_add_s8(const tflm_rt_add_s8_params *params, const tflm_rt_broadcast *broadcast,
                     int size, const int8_t *input1, const int8_t *input2, int8_t *output);
void portable_average_pool_s8(int32_t activation_min, int32_t activation_max,
                              const tflm_rt_conv_shape *shape, const int8_t *input,
                              int8_t *output);
void portable_max_pool_s8(int32_t activation_min, int32_t activation_max,
                          const tflm_rt_conv_shape *shape, const int8_t *input, int8_t *output);

#endif /* TESTS_RUNTIME_PORTABLE_KERNELS_H_ */
