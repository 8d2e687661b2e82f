/* elementwise.c's portable int8 ADD and MUL, compiled again with
   TFLM_RT_PORTABLE (so without the MVE or DSP paths) and renamed portable_*
   (portable_kernels.h), for accelerated_kernels_test.c to compare the
   core's kernels with. */
#define TFLM_RT_PORTABLE 1

#define tflm_rt_add_s8 portable_add_s8
#define tflm_rt_mul_s8 portable_mul_s8

#include "runtime/elementwise.c"
