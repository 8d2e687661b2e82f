/* Checks the C array that tflm_model_library generated for the int8 sine model. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "examples/hello_world/model_data.h"

static int failures = 0;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok) failures++;
}

int main(void) {
  /* The array must be const: writing through this pointer would not compile
     without the cast, and the linker puts it in read-only data. */
  const unsigned char *model = model_data;
  check(model_data_len > 1000 && model_data_len < 8192, "length is that of a small Dense model");
  check(((uintptr_t)model % 16) == 0, "array is 16-byte aligned, as TFLM requires");
  check(memcmp(model + 4, "TFL3", 4) == 0, "bytes 4..7 are the TFLite identifier TFL3");
  check(MODEL_DATA_ARENA_SIZE > 0 && MODEL_DATA_ARENA_SIZE % 16 == 0,
        "arena size constant is a positive multiple of 16");
  printf("model_data_len = %u, MODEL_DATA_ARENA_SIZE = %d\n", model_data_len, (int)MODEL_DATA_ARENA_SIZE);
  return failures ? 1 : 0;
}
