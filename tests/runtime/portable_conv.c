/* conv.c's portable int8 kernels, compiled again with TFLM_RT_PORTABLE (so
   without the MVE or DSP paths) and renamed portable_* (portable_kernels.h),
   for accelerated_kernels_test.c to compare the core's kernels with. */
#define TFLM_RT_PORTABLE 1

#define tflm_rt_conv_s8 portable_conv_s8
#define tflm_rt_conv_1x1_s8 portable_conv_1x1_s8
#define tflm_rt_depthwise_conv_s8 portable_depthwise_conv_s8
/* conv.h's other kernels, renamed so as not to clash with the runtime's. */
#define tflm_rt_conv_f32 portable_conv_f32
#define tflm_rt_depthwise_conv_f32 portable_depthwise_conv_f32
#define tflm_rt_transpose_conv_s8 portable_transpose_conv_s8
#define tflm_rt_transpose_conv_f32 portable_transpose_conv_f32

#include "runtime/conv.c"
