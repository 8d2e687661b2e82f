"""The C that aot_compile wrote for an accepted model, built with ASan and UBSan and run.

runtime/*.c is compiled once (`Runtime`), with
`-fsanitize=address,undefined -fno-sanitize-recover=all`; each model's .c is
compiled with it, warnings as errors (an injected statement or a broken
comment shows), and linked with a driver that fills every input with seeded
random values and invokes the model a few times (a failure that invoke returns,
such as a GATHER index out of range, is no finding). The outcome is "ok",
"bad C" (gcc refused the generated code, or it printed what a name
injected) or "sanitizer" (a report, a crash or a hang at run time).
"""

import dataclasses
import pathlib
import subprocess

from tools import tflite_reader

REPO = pathlib.Path(__file__).absolute().parents[2]
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
CFLAGS = ["-std=c99", "-ffp-contract=off", "-O1", "-g", *SANITIZE]
_ENV = {"ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0", "UBSAN_OPTIONS": "print_stacktrace=1",
        "PATH": "/usr/bin:/bin"}

_DRIVER = r"""
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "m.h"

static uint32_t state = %(seed)du;
static uint32_t next(void) { state = state * 1664525u + 1013904223u; return state >> 8; }

int main(void) {
  static const int is_float[] = {%(is_float)s};
  static const unsigned bytes[] = M_INPUTS_BYTES;
  for (int run = 0; run < 3; ++run) {
    for (int i = 0; i < M_INPUT_COUNT; ++i) {
      unsigned char *in = (unsigned char *)m_input_at(i);
      if (is_float[i]) {
        for (unsigned k = 0; k < bytes[i] / 4; ++k) {
          const float v = run == 2 ? (float)(next() %% 7) - 3.0f
                                   : ((float)(next() %% 4001) - 2000.0f) / 500.0f;
          memcpy(in + 4 * k, &v, 4);
        }
      } else {
        for (unsigned k = 0; k < bytes[i]; ++k) in[k] = (unsigned char)(run == 1 ? 0x80 : next());
      }
    }
    /* A GATHER index outside its axis (random bytes make them) returns the op's index + 1:
       a reported failure, not a sanitizer's finding; the next run goes on. */
    (void)m_invoke();
  }
  puts("done");
  return 0;
}
"""


class Runtime:
  """runtime/*.c compiled once with the sanitizers, into `folder`."""

  def __init__(self, folder: pathlib.Path):
    folder.mkdir(parents=True, exist_ok=True)
    self.objects = []
    for source in sorted((REPO / "runtime").glob("*.c")):
      obj = folder / (source.stem + ".o")
      subprocess.run(["gcc", *CFLAGS, "-Wall", "-Wextra", "-Werror", "-I", str(REPO), "-c",
                      str(source), "-o", str(obj)], check=True)
      self.objects.append(str(obj))


@dataclasses.dataclass
class Outcome:
  outcome: str  # "ok", "bad C" or "sanitizer"
  detail: str


def check(runtime: Runtime, model: bytes, folder: pathlib.Path, seed: int,
          timeout: float = 20.0) -> Outcome:
  """Builds m.c (and m.h) in `folder` with the runtime and a driver, and runs it."""
  graph = tflite_reader.read_model(model, "m.tflite").main
  is_float = [int(graph.tensors[i].dtype == "float32") for i in graph.inputs] or [0]
  (folder / "driver.c").write_text(_DRIVER % {"seed": seed % (1 << 31),
                                              "is_float": ", ".join(map(str, is_float))})
  exe = folder / "m"
  try:
    built = subprocess.run(
        ["gcc", *CFLAGS, "-Wall", "-Werror", "-Wno-unused-function", "-I", str(folder), "-I",
         str(REPO), str(folder / "m.c"), str(folder / "driver.c"), *runtime.objects, "-o",
         str(exe), "-lm"], capture_output=True, text=True, timeout=120)
  except subprocess.TimeoutExpired:
    return Outcome("bad C", "gcc took over 120 s")
  if built.returncode != 0:
    return Outcome("bad C", built.stderr[-2000:])
  try:
    ran = subprocess.run([str(exe)], capture_output=True, text=True, timeout=timeout, env=_ENV)
  except subprocess.TimeoutExpired:
    return Outcome("sanitizer", f"the model ran over {timeout} s")
  output = ran.stdout + ran.stderr
  if "INJECTED" in ran.stdout:
    return Outcome("bad C", "a model string reached the code: " + ran.stdout[:200])
  if ran.returncode != 0 or "runtime error" in output or "ERROR: AddressSanitizer" in output:
    return Outcome("sanitizer", output[-3000:])
  return Outcome("ok", "")
