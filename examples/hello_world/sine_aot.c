/* The int8 sine model compiled ahead of time, used as firmware uses it: set
   the input in the model's quantization, invoke, read the output back.
   Returns 0 when sin(x) comes out within 0.1 for x across [0, 2 pi]. */
#include <math.h>
#include <stdio.h>

#include "examples/hello_world/sine.h"

static float predict(float x) {
  /* Quantize with the input's scale and zero point, saturating to int8. */
  float q = roundf(x / SINE_INPUT_SCALE) + SINE_INPUT_ZERO_POINT;
  q = q < -128.0f ? -128.0f : q > 127.0f ? 127.0f : q;
  /* Set the input before every invoke: the arena reuses its memory. */
  sine_input()[0] = (int8_t)q;
  if (sine_invoke() != 0) return NAN;
  return (sine_output()[0] - SINE_OUTPUT_ZERO_POINT) * SINE_OUTPUT_SCALE;
}

int main(void) {
  int failures = 0;
  for (int i = 0; i <= 20; ++i) {
    const float x = 6.2831853f * (float)i / 20.0f;
    const float y = predict(x);
    const float error = fabsf(y - sinf(x));
    /* In thousandths: newlib-nano's printf has no %f. */
    printf("x %4d: model %5d, sin %5d (thousandths)\n", (int)lroundf(x * 1000),
           (int)lroundf(y * 1000), (int)lroundf(sinf(x) * 1000));
    if (!(error < 0.1f)) ++failures;
  }
  printf("%d of 21 within 0.1 of sin(x); %d bytes of arena\n", 21 - failures, SINE_ARENA_BYTES);
  return failures == 0 ? 0 : 1;
}
