/* pooling.c's portable kernels, compiled again with TFLM_RT_PORTABLE (so
   without the MVE or DSP paths) and renamed portable_* (portable_kernels.h),
   for accelerated_kernels_test.c to compare the core's kernels with. */
#define TFLM_RT_PORTABLE 1

#define tflm_rt_average_pool_s8 portable_average_pool_s8
#define tflm_rt_max_pool_s8 portable_max_pool_s8
#define tflm_rt_average_pool_f32 portable_average_pool_f32
#define tflm_rt_max_pool_f32 portable_max_pool_f32

#include "runtime/pooling.c"
