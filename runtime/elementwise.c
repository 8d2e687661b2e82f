/* int8 ADD, SUB and MUL, broadcasting; semantics of TFLM's reference kernels
   (reference_integer_ops::Add and Mul and their broadcasting variants). */
#include "runtime/elementwise.h"

#include "runtime/broadcast.h"
#include "runtime/fixed_point.h"
#include "runtime/mve.h"

void tflm_rt_add_s8(const tflm_rt_add_s8_params *p, const tflm_rt_broadcast *broadcast, int size,
                    const int8_t *input1, const int8_t *input2, int8_t *output) {
#if TFLM_RT_MVE
  if (broadcast == NULL) {
    tflm_rt_mve_add_s8(p, size, input1, input2, output);
    return;
  }
#endif
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const int32_t shifted1 = (input1[at.offset1] + p->input1_offset) * (1 << p->left_shift);
    const int32_t shifted2 = (input2[at.offset2] + p->input2_offset) * (1 << p->left_shift);
    const int32_t scaled1 =
        tflm_rt_multiply_by_quantized_multiplier(shifted1, p->input1_multiplier, p->input1_shift);
    const int32_t scaled2 =
        tflm_rt_multiply_by_quantized_multiplier(shifted2, p->input2_multiplier, p->input2_shift);
    /* SUB is ADD with the second input's multiplier negated by the compiler. */
    output[i] = tflm_rt_requantize(scaled1 + scaled2, p->output_multiplier, p->output_shift,
                                   p->output_offset, p->activation_min, p->activation_max);
  }
}

void tflm_rt_mul_s8(const tflm_rt_mul_s8_params *p, const tflm_rt_broadcast *broadcast, int size,
                    const int8_t *input1, const int8_t *input2, int8_t *output) {
  position at = start(broadcast);
  for (int i = 0; i < size; ++i, advance(&at)) {
    const int32_t product =
        (input1[at.offset1] + p->input1_offset) * (input2[at.offset2] + p->input2_offset);
    output[i] = tflm_rt_requantize(product, p->output_multiplier, p->output_shift,
                                   p->output_offset, p->activation_min, p->activation_max);
  }
}
