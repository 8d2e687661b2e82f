/* int8 functions of one input as a table lookup: the compiler evaluates
   TFLM's arithmetic for each of the 256 inputs (tools/aot/lookup.py). */
#include "runtime/unary.h"

void tflm_rt_lookup_s8(const int8_t *table, int size, const int8_t *input, int8_t *output) {
  for (int i = 0; i < size; ++i) output[i] = table[input[i] + 128];
}
