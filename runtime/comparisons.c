/* The comparisons, broadcasting: int8 rescaled as TFLM's ComparisonWithScaling
   (each input offset, shifted left and multiplied by its scale), int32 and
   float32 compared raw as TFLM's ComparisonImpl. Output element i is written
   after the inputs it reads, so one loop shape serves all. */
#include "runtime/comparisons.h"

#include "runtime/broadcast.h"
#include "runtime/fixed_point.h"

/* An int8 input on the common scale of the comparison. */
static inline int32_t rescaled(int8_t value, int32_t offset, int left_shift, int32_t multiplier,
                               int shift) {
  return tflm_rt_multiply_by_quantized_multiplier((value + offset) * (1 << left_shift),
                                                  multiplier, shift);
}

#define TFLM_RT_COMPARE_S8(name, compare)                                                    \
  void name(const tflm_rt_compare_s8_params *p, const tflm_rt_broadcast *broadcast, int size, \
            const int8_t *input1, const int8_t *input2, uint8_t *output) {                   \
    position at = start(broadcast);                                                          \
    for (int i = 0; i < size; ++i, advance(&at)) {                                           \
      const int32_t a = rescaled(input1[at.offset1], p->input1_offset, p->left_shift,        \
                                 p->input1_multiplier, p->input1_shift);                     \
      const int32_t b = rescaled(input2[at.offset2], p->input2_offset, p->left_shift,        \
                                 p->input2_multiplier, p->input2_shift);                     \
      output[i] = (uint8_t)(a compare b);                                                    \
    }                                                                                        \
  }

TFLM_RT_COMPARE_S8(tflm_rt_less_s8, <)
TFLM_RT_COMPARE_S8(tflm_rt_less_equal_s8, <=)
TFLM_RT_COMPARE_S8(tflm_rt_greater_s8, >)
TFLM_RT_COMPARE_S8(tflm_rt_greater_equal_s8, >=)
TFLM_RT_COMPARE_S8(tflm_rt_equal_s8, ==)
TFLM_RT_COMPARE_S8(tflm_rt_not_equal_s8, !=)

#define TFLM_RT_COMPARE(name, type, compare)                                                 \
  void name(const tflm_rt_broadcast *broadcast, int size, const type *input1,               \
            const type *input2, uint8_t *output) {                                         \
    position at = start(broadcast);                                                        \
    for (int i = 0; i < size; ++i, advance(&at)) {                                         \
      output[i] = (uint8_t)(input1[at.offset1] compare input2[at.offset2]);                \
    }                                                                                      \
  }

TFLM_RT_COMPARE(tflm_rt_less_s32, int32_t, <)
TFLM_RT_COMPARE(tflm_rt_less_equal_s32, int32_t, <=)
TFLM_RT_COMPARE(tflm_rt_greater_s32, int32_t, >)
TFLM_RT_COMPARE(tflm_rt_greater_equal_s32, int32_t, >=)
TFLM_RT_COMPARE(tflm_rt_equal_s32, int32_t, ==)
TFLM_RT_COMPARE(tflm_rt_not_equal_s32, int32_t, !=)
TFLM_RT_COMPARE(tflm_rt_less_f32, float, <)
TFLM_RT_COMPARE(tflm_rt_less_equal_f32, float, <=)
TFLM_RT_COMPARE(tflm_rt_greater_f32, float, >)
TFLM_RT_COMPARE(tflm_rt_greater_equal_f32, float, >=)
TFLM_RT_COMPARE(tflm_rt_equal_f32, float, ==)
TFLM_RT_COMPARE(tflm_rt_not_equal_f32, float, !=)
