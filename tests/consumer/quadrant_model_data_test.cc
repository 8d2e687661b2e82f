// The consumer's generated model header, on the host and on a Cortex-M4.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "quadrant_model_data.h"

int main() {
  using firmware::models::g_quadrant_model;
  using firmware::models::g_quadrant_model_len;
  int failures = 0;
  if (reinterpret_cast<std::uintptr_t>(g_quadrant_model) % 16 != 0) {
    std::printf("FAILED: model array is not 16-byte aligned\n");
    failures++;
  }
  if (std::memcmp(g_quadrant_model + 4, "TFL3", 4) != 0) {
    std::printf("FAILED: model array lacks the TFL3 identifier\n");
    failures++;
  }
  if (G_QUADRANT_MODEL_ARENA_SIZE <= 0) {
    std::printf("FAILED: no arena size\n");
    failures++;
  }
  std::printf("%u model bytes, arena %d bytes: %s\n", g_quadrant_model_len,
              static_cast<int>(G_QUADRANT_MODEL_ARENA_SIZE), failures ? "FAILED" : "ok");
  return failures;
}
