/* The same model with and without rules_tflm's offline memory plan: the
   arena TFLM needs (measured at build time) is smaller with the plan. */
#include <stdio.h>
#include <string.h>

#include "tests/simple_add.h"
#include "tests/simple_add_planned.h"

int main(void) {
  printf("simple_add arena: %d bytes with TFLM's plan, %d with ours\n", SIMPLE_ADD_ARENA_SIZE,
         SIMPLE_ADD_PLANNED_ARENA_SIZE);
  if (SIMPLE_ADD_PLANNED_ARENA_SIZE >= SIMPLE_ADD_ARENA_SIZE) return 1;
  /* The planned copy is the same model plus metadata: same header bytes. */
  if (memcmp(simple_add + 4, simple_add_planned + 4, 4) != 0) return 1;
  return simple_add_planned_len > simple_add_len ? 0 : 1;
}
