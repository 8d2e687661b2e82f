/* ARG_MAX and ARG_MIN of int8 and float32: TFLM's micro kernel compares the
   raw values with > or <, whatever the type, so one loop serves all four. */
#include "runtime/arg_min_max.h"

/* The kernel `name` over elements of `type`: candidate `compare` best moves the index. */
#define TFLM_RT_ARG(name, type, compare)                                                     \
  void name(int outer, int axis_size, int inner, const type *input, int32_t *output) {       \
    for (int o = 0; o < outer; ++o, input += axis_size * inner) {                            \
      for (int j = 0; j < inner; ++j) {                                                      \
        type best = input[j];                                                                \
        int32_t index = 0;                                                                   \
        for (int i = 1; i < axis_size; ++i) {                                                \
          const type candidate = input[i * inner + j];                                       \
          if (candidate compare best) {                                                      \
            best = candidate;                                                                \
            index = i;                                                                       \
          }                                                                                  \
        }                                                                                    \
        *output++ = index;                                                                   \
      }                                                                                      \
    }                                                                                        \
  }

TFLM_RT_ARG(tflm_rt_arg_max_s8, int8_t, >)
TFLM_RT_ARG(tflm_rt_arg_min_s8, int8_t, <)
TFLM_RT_ARG(tflm_rt_arg_max_f32, float, >)
TFLM_RT_ARG(tflm_rt_arg_min_f32, float, <)
