"""runtime/fixed_point.h's Cortex-M0 path of the high multiply (16-bit halves, no
64-bit multiply) against the 64-bit formula every other core uses, on the host."""

import subprocess

from tools.aot import harness

_CHECK = r"""
#include <stdint.h>
#include <stdio.h>
#include "runtime/fixed_point.h"

static int32_t reference(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * b + (1LL << 30)) >> 31);
}

/* xorshift32: the same pseudo-random pairs on every run. */
static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int main(void) {
  static const int32_t edges[] = {0, 1, -1, 2, -2, 0x3fffffff, -0x40000000, 0x40000000,
                                  INT32_MAX, INT32_MIN, INT32_MIN + 1, 0xffff, -0x10000};
  const int n = (int)(sizeof edges / sizeof edges[0]);
  long checked = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j, ++checked) {
      const int32_t a = edges[i], b = edges[j];
      if (tflm_rt_rounding_doubling_high_mul(a, b) != reference(a, b)) {
        printf("differs at a=%ld b=%ld\n", (long)a, (long)b);
        return 1;
      }
    }
  }
  for (long k = 0; k < 3000000; ++k, ++checked) {
    /* Multipliers as the compiler makes them, [2^30, 2^31), and any b. */
    const int32_t a = (int32_t)next();
    const int32_t b = k % 2 ? (int32_t)(0x40000000u | (next() >> 2)) : (int32_t)next();
    if (tflm_rt_rounding_doubling_high_mul(a, b) != reference(a, b)) {
      printf("differs at a=%ld b=%ld\n", (long)a, (long)b);
      return 1;
    }
  }
  printf("%ld pairs equal\n", checked);
  return 0;
}
"""


def test_cortex_m0_high_multiply_equals_the_64_bit_one(tmp_path):
  source = tmp_path / "check.c"
  source.write_text(_CHECK)
  exe = tmp_path / "check"
  subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-D__ARM_ARCH_6M__",
                  "-I", str(harness.REPO), str(source), "-o", str(exe)], check=True)
  run = subprocess.run([str(exe)], capture_output=True, text=True, check=False)
  assert run.returncode == 0, run.stdout
  assert run.stdout == "3000169 pairs equal\n"
