"""runtime/fixed_point.h's fast forms against TFLM's arithmetic, on the host: Cortex-M0's
high multiply (16-bit halves, no 64-bit multiply) against the 64-bit formula, the single
rounding of a right shift, the prepared channel requantization and Cortex-M0's narrow
multiply of bounded sums."""

import subprocess

from tools.aot import harness


# The checks: fixed_point.h and a pseudo-random source (xorshift32, the same
# values on every run).
_PRELUDE = r"""
#include <stdint.h>
#include <stdio.h>
#include "runtime/fixed_point.h"

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}
"""


def _run_on_both_paths(tmp_path, program: str) -> list[str]:
  """Builds and runs `program` as the host and as Cortex-M0 (__ARM_ARCH_6M__) compile
  fixed_point.h; each run's output, after checking that it exited 0."""
  source = tmp_path / "check.c"
  source.write_text(program)
  outputs = []
  for defines in ([], ["-D__ARM_ARCH_6M__"]):
    exe = tmp_path / "check"
    subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", *defines, "-I",
                    str(harness.REPO), str(source), "-o", str(exe)], check=True)
    run = subprocess.run([str(exe)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout
    outputs.append(run.stdout)
  return outputs


_CHECK = _PRELUDE + r"""
static int32_t reference(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * b + (1LL << 30)) >> 31);
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


_DOWN = _PRELUDE + r"""
/* With the offset folded in where the shift allows (s <= 23), else added after. */
static int check(int32_t x, int32_t multiplier, int shift, int32_t offset) {
  const int32_t folded = shift >= -23 ? offset : 0;
  const int32_t fast = tflm_rt_multiply_down(x, multiplier,
                                             tflm_rt_multiply_down_rounding(shift, folded),
                                             -shift - 1) + (offset - folded);
  if (fast == tflm_rt_multiply_by_quantized_multiplier(x, multiplier, shift) + offset) return 1;
  printf("differs at x=%ld multiplier=%ld shift=%d offset=%ld\n", (long)x, (long)multiplier,
         shift, (long)offset);
  return 0;
}

int main(void) {
  /* Multipliers as the compiler makes them ([2^30, 2^31), or 0) and the edges;
     every x near zero (each tie of both roundings), then random ones. */
  static const int32_t multipliers[] = {0, 1, 0x40000000, 0x40000001, 0x55555555, 0x7fffffff};
  static const int32_t edges[] = {INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1,
                                  -0x40000000, 0x40000000, 0x3fffffff};
  long checked = 0;
  for (int shift = -31; shift <= -1; ++shift) {
    for (unsigned m = 0; m < sizeof multipliers / sizeof multipliers[0]; ++m) {
      for (int32_t x = -5000; x <= 5000; ++x, ++checked) {
        if (!check(x, multipliers[m], shift, (int32_t)(x % 256) - 128)) return 1;
      }
      for (unsigned e = 0; e < sizeof edges / sizeof edges[0]; ++e) {
        for (int32_t offset = -128; offset <= 127; offset += 127, ++checked) {
          if (!check(edges[e], multipliers[m], shift, offset)) return 1;
        }
      }
    }
    for (long k = 0; k < 100000; ++k, ++checked) {
      const int32_t x = (int32_t)next() >> (next() % 32);
      const int32_t offset = (int32_t)(next() % 256) - 128;
      if (!check(x, (int32_t)(0x40000000u | (next() >> 2)), shift, offset)) return 1;
    }
  }
  printf("%ld equal\n", checked);
  return 0;
}
"""


def test_one_rounding_of_a_right_shift_equals_tflms_two(tmp_path):
  # tflm_rt_multiply_down, which the DSP kernels' requantization builds on (the output
  # offset in its rounding constant), against tflm_rt_multiply_by_quantized_multiplier plus
  # the offset, for every right shift.
  source = tmp_path / "down.c"
  source.write_text(_DOWN)
  exe = tmp_path / "down"
  subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-I", str(harness.REPO),
                  str(source), "-o", str(exe)], check=True)
  run = subprocess.run([str(exe)], capture_output=True, text=True, check=False)
  assert run.returncode == 0, run.stdout
  assert run.stdout == "4964092 equal\n"


_CHANNEL = _PRELUDE + r"""
static int check(int32_t x, int32_t multiplier, int shift, int32_t offset, int32_t low,
                 int32_t high) {
  const tflm_rt_channel_requant c = tflm_rt_channel_requant_of(multiplier, shift, offset);
  const int8_t got = tflm_rt_channel_requantize(x, &c, low, high);
  if (got == tflm_rt_requantize(x, multiplier, shift, offset, low, high)) return 1;
  printf("differs at x=%ld multiplier=%ld shift=%d offset=%ld range=[%ld, %ld]\n", (long)x,
         (long)multiplier, shift, (long)offset, (long)low, (long)high);
  return 0;
}

int main(void) {
  static const int32_t multipliers[] = {0, 1, 0x40000000, 0x40000001, 0x55555555, 0x7fffffff};
  long checked = 0;
  for (int shift = -31; shift <= 8; ++shift) {
    for (unsigned m = 0; m < sizeof multipliers / sizeof multipliers[0]; ++m) {
      for (int32_t x = -3000; x <= 3000; ++x, ++checked) {
        if (!check(x, multipliers[m], shift, (x & 255) - 128, -128, 127)) return 1;
      }
    }
    for (long k = 0; k < 50000; ++k, ++checked) {
      const int32_t x = (int32_t)next() >> (next() % 32);
      const int32_t offset = (int32_t)(next() % 256) - 128;
      const int32_t low = (int32_t)(next() % 128) - 128, high = (int32_t)(next() % 128);
      if (!check(x, (int32_t)(0x40000000u | (next() >> 2)), shift, offset, low, high)) return 1;
    }
  }
  printf("%ld equal\n", checked);
  return 0;
}
"""


def test_a_prepared_channel_requantizes_as_tflm(tmp_path):
  # tflm_rt_channel_requantize, which the portable kernels use (the single rounding for
  # right shifts of 1 to 23, the general form otherwise), against tflm_rt_requantize, for
  # shifts from -31 to 8 and any activation range; and the general form alone, as
  # Cortex-M0 takes it.
  for out in _run_on_both_paths(tmp_path, _CHANNEL):
    assert out == f"{40 * (6 * 6001 + 50000)} equal\n"


_NARROW = _PRELUDE + r"""
static int check(int32_t x, int32_t multiplier, int shift) {
  if (tflm_rt_multiply_down_narrow(x, multiplier, shift) ==
      tflm_rt_multiply_by_quantized_multiplier(x, multiplier, shift)) {
    return 1;
  }
  printf("differs at x=%ld multiplier=%ld shift=%d\n", (long)x, (long)multiplier, shift);
  return 0;
}

int main(void) {
  static const int32_t multipliers[] = {0, 1, 0x7ff, 0x40000000, 0x40000001, 0x55555555,
                                        0x7fffffff};
  const int32_t limit = (1 << 19) - 1;
  long checked = 0;
  for (int shift = -21; shift <= -1; ++shift) {
    for (unsigned m = 0; m < sizeof multipliers / sizeof multipliers[0]; ++m) {
      /* Every x near zero and the ends of the range, every 97th between. */
      for (int32_t x = -limit; x <= limit; x += x > -5000 && x < 5000 ? 1 : 97, ++checked) {
        if (!check(x, multipliers[m], shift)) return 1;
      }
      if (!check(limit, multipliers[m], shift)) return 1;
      ++checked;
    }
    for (long k = 0; k < 100000; ++k, ++checked) {
      const int32_t x = (int32_t)(next() % (2u * (uint32_t)limit + 1u)) - limit;
      if (!check(x, (int32_t)(0x40000000u | (next() >> 2)), shift)) return 1;
    }
  }
  printf("%ld equal\n", checked);
  return 0;
}
"""


def test_the_narrow_multiply_equals_tflms_for_bounded_sums(tmp_path):
  # tflm_rt_multiply_down_narrow, Cortex-M0's requantization of FULLY_CONNECTED sums the
  # compiler bounded below 2^19, against tflm_rt_multiply_by_quantized_multiplier for its
  # shifts (1 to 21 to the right), with Cortex-M0's general form of the latter too.
  for out in _run_on_both_paths(tmp_path, _NARROW):
    assert out.endswith(" equal\n") and int(out.split()[0]) > 5_000_000, out
