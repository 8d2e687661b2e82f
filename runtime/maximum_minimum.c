/* MAXIMUM and MINIMUM, broadcasting, of int8 and float32: TFLM's reference
   kernels compare the raw values, whatever the type, so one loop serves both.
   Output element i is written after the inputs it reads, so an input of the
   output's shape may be the output. */
#include "runtime/broadcast.h"
#include "runtime/elementwise.h"

/* The kernel `name` over elements of `type`: input1 `compare` input2 picks input1. */
#define TFLM_RT_PICK(name, type, compare)                                                    \
  void name(const tflm_rt_broadcast *broadcast, int size, const type *input1,               \
            const type *input2, type *output) {                                            \
    position at = start(broadcast);                                                        \
    for (int i = 0; i < size; ++i, advance(&at)) {                                         \
      const type a = input1[at.offset1], b = input2[at.offset2];                           \
      output[i] = a compare b ? a : b;                                                     \
    }                                                                                      \
  }

TFLM_RT_PICK(tflm_rt_maximum_s8, int8_t, >)
TFLM_RT_PICK(tflm_rt_minimum_s8, int8_t, <)
TFLM_RT_PICK(tflm_rt_maximum_f32, float, >)
TFLM_RT_PICK(tflm_rt_minimum_f32, float, <)
