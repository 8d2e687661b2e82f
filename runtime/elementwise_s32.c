/* int32 ADD, SUB and MUL, broadcasting, as TFLM's reference_ops::Add,
   SubWithActivation and Mul for int32_t: TFLM's C++ adds and subtracts in
   int32 (wrapping around on the targets it runs on) and multiplies with
   WrappingMul; here each is done in uint32_t, whose overflow C defines, and
   converted back (modulo 2^32: GCC's conversion), then clamped. Output
   element i is written after the inputs it reads. */
#include "runtime/broadcast.h"
#include "runtime/elementwise.h"
#include "runtime/fixed_point.h"

/* The kernel `name`: each output element is the wrapped `a operation b`, clamped. */
#define TFLM_RT_WRAPPING(name, operation)                                                      \
  void name(int32_t activation_min, int32_t activation_max, const tflm_rt_broadcast *broadcast, \
            int size, const int32_t *input1, const int32_t *input2, int32_t *output) {        \
    position at = start(broadcast);                                                           \
    for (int i = 0; i < size; ++i, advance(&at)) {                                            \
      const uint32_t a = (uint32_t)input1[at.offset1], b = (uint32_t)input2[at.offset2];       \
      output[i] = tflm_rt_clamp((int32_t)(a operation b), activation_min, activation_max);    \
    }                                                                                         \
  }

TFLM_RT_WRAPPING(tflm_rt_add_s32, +)
TFLM_RT_WRAPPING(tflm_rt_sub_s32, -)
TFLM_RT_WRAPPING(tflm_rt_mul_s32, *)
