"""What the differential tests share: the drawn cases, their oracle, the C that checks them.

A kernel's cases are the first `count` models of one seeded sequence
(random.Random(f"{kernel}-0"), cases.KERNELS[kernel]), each with
cases.INPUTS_PER_CASE inputs drawn with the case's number as seed: the host
suite (differential_test.py) and the cores suite (differential_cores_test.py)
draw the same models and inputs, so case N of a kernel is the same wherever
it fails, and its reproducer line reads the same. The outputs they must
equal come from TFLM, or TF Lite's reference kernels for the kernels TFLM
cannot run (cases.TFLITE_ORACLE).

check_program writes the C `main` that sets each model's inputs, invokes it
and compares every output with the oracle's bytes, printing a line

    mismatch <check> <output> <offset> <ours hex> <oracle hex>

for each output that differs: the check's index in the list given, the
output, the first differing byte and up to 8 bytes of each from that
element on. `mismatches` reads them back.
"""

import dataclasses
import random
import re

import numpy as np

from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import cases_index
from tools.aot import harness

# How a check compares an output: byte for byte, or float32 with any NaN matching any NaN.
BYTES, FLOAT32 = 0, 1


@dataclasses.dataclass
class Drawn:
  """One case of a kernel: the model, its inputs and the oracle's outputs for them."""
  kernel: str
  number: int
  case: case_model.Case
  model: bytes
  graph: tflite_reader.Subgraph
  inputs: list[list[np.ndarray]]
  expected: list[list[bytes]]

  @property
  def modes(self) -> list[int]:
    """How each output is compared (BYTES or FLOAT32)."""
    return [FLOAT32 if self.graph.tensors[k].dtype == "float32" else BYTES for k in self.graph.outputs]

  def reproducer(self, input_index: int, output_index: int) -> str:
    """What a mismatch of this case prints, in both suites."""
    return (f"{self.kernel} case {self.number} (seed '{self.kernel}-0', oracle {oracle(self.kernel)}, "
            f"input {input_index}, output {output_index}): {self.case.drawn}")


@dataclasses.dataclass(frozen=True)
class Check:
  """One input of a drawn case, run through the model compiled with `prefix`; float32 outputs
  within `ulps` units in the last place of the oracle's match (0: bit for bit)."""
  drawn: Drawn
  input_index: int
  prefix: str
  ulps: int = 0


def oracle(kernel: str) -> str:
  return "TF Lite's reference kernels" if kernel in cases.TFLITE_ORACLE else "TFLM"


def draw_inputs(case: case_model.Case, graph: tflite_reader.Subgraph,
                number: int) -> list[list[np.ndarray]]:
  """The case's inputs, seeded with its number: random values (int32 ones in the case's value
  range if it has one); the first draw also holds the special values or every int8 value."""
  nrng = np.random.default_rng(number)

  def draw(tensor: tflite_reader.Tensor, first: bool) -> np.ndarray:
    if tensor.dtype == "bool":
      return nrng.integers(0, 2, size=tensor.shape).astype(np.bool_)
    if tensor.dtype == "int32" and tensor.index in case.value_ranges:
      low, high = case.value_ranges[tensor.index]
      return nrng.integers(low, high + 1, size=tensor.shape).astype(np.int32)
    if tensor.dtype == "int32":
      return cases_index.int32_values(nrng, tensor.shape)
    if tensor.dtype == "float32":
      value = (nrng.normal(size=tensor.shape) * nrng.choice([0.1, 1, 10, 100])).astype(np.float32)
      if case.repeats:
        value = nrng.integers(-3, 4, size=tensor.shape).astype(np.float32)
      if first and case.special_values:
        value.flat[:len(case_model.FLOAT_SPECIALS)] = nrng.permutation(case_model.FLOAT_SPECIALS)[:value.size]
      return value
    value = nrng.integers(-128, 128, size=tensor.shape).astype(np.int8)
    if first and value.size >= 256:
      every_value = np.resize(np.arange(-128, 128, dtype=np.int8), value.size)
      value = nrng.permutation(every_value).reshape(tensor.shape)
    return value

  return [[draw(graph.tensors[i], n == 0) for i in graph.inputs] for n in range(cases.INPUTS_PER_CASE)]


def draw_cases(kernel: str, count: int) -> list[Drawn]:
  """The kernel's first `count` cases, with their inputs and the oracle's outputs."""
  rng = random.Random(f"{kernel}-0")
  drawn = []
  for number in range(count):
    case = cases.KERNELS[kernel](rng)
    model = case_model.build_model(case)
    graph = tflite_reader.read_model(model, kernel).main
    inputs = draw_inputs(case, graph, number)
    expected = (harness.tflite_outputs(model, inputs, len(graph.outputs))
                if kernel in cases.TFLITE_ORACLE else
                harness.tflm_all_outputs(model, inputs, 1 << 18, len(graph.outputs)))
    drawn.append(Drawn(kernel, number, case, model, graph, inputs, expected))
  return drawn


def checks(drawn: Drawn, prefix: str, ulps: int = 0) -> list[Check]:
  """A check per input of the case."""
  return [Check(drawn, i, prefix, ulps) for i in range(len(drawn.inputs))]


def _c_bytes(data: bytes) -> str:
  """A C string literal of exactly `data` (an array of len(data) takes no terminating NUL);
  quicker for the compiler than a list of numbers."""
  return '"' + "".join(f"\\x{b:02x}" for b in data) + '"'


# Finds an output's first difference from the oracle's and prints it; see the docstring.
_COMPARE = r"""
/* The offset of the first byte where `ours` and `oracle` differ, or -1. float32: any NaN matches
   any NaN (see differential_test.py), and values of one sign within `ulps` units in the last
   place match. */
static long first_difference(const unsigned char *ours, const unsigned char *oracle, size_t bytes,
                             int float32, long ulps) {
  size_t step = float32 ? 4 : 1;
  for (size_t i = 0; i + step <= bytes; i += step) {
    if (memcmp(ours + i, oracle + i, step) == 0) continue;
    if (float32) {
      float x, y;
      int32_t a, b;
      memcpy(&x, ours + i, 4);
      memcpy(&y, oracle + i, 4);
      memcpy(&a, ours + i, 4);
      memcpy(&b, oracle + i, 4);
      if (x != x && y != y) continue;
      if (x == x && y == y && (a < 0) == (b < 0) && labs((long)a - (long)b) <= ulps) continue;
    }
    for (size_t k = i;; k++) if (ours[k] != oracle[k]) return (long)k;
  }
  return -1;
}

static int failures;

static void compare(int check, int output, const void *ours_, const unsigned char *oracle,
                    size_t bytes, int float32, long ulps) {
  const unsigned char *ours = (const unsigned char *)ours_;
  long at = first_difference(ours, oracle, bytes, float32, ulps);
  if (at < 0) return;
  failures++;
  size_t from = float32 ? (size_t)at / 4 * 4 : (size_t)at;
  size_t end = from + 8 < bytes ? from + 8 : bytes;
  printf("mismatch %d %d %ld ", check, output, at);
  for (size_t i = from; i < end; i++) printf("%02x", ours[i]);
  printf(" ");
  for (size_t i = from; i < end; i++) printf("%02x", oracle[i]);
  printf("\n");
}
"""


def check_program(checks_: list[Check], models: str = "") -> str:
  """The C `main` that runs every check and prints its mismatches, then `checked <N>, <M>
  mismatches`; it returns 0 even then (the caller reads the lines). `models` is C put after the
  models' headers (the models themselves, when they are compiled in the same file)."""
  includes = "".join(f'#include "{p}.h"\n' for p in dict.fromkeys(c.prefix for c in checks_))
  body = []
  for number, check in enumerate(checks_):
    values = check.drawn.inputs[check.input_index]
    copies = "".join(f"    {{ static const unsigned char in[{value.nbytes}] = {_c_bytes(value.tobytes())};\n"
                     f"      memcpy({check.prefix}_input_{k}(), in, sizeof in); }}\n"
                     for k, value in enumerate(values))
    outputs = zip(check.drawn.expected[check.input_index], check.drawn.modes)
    compares = "".join(f"    {{ static const unsigned char out[{len(output)}] = {_c_bytes(output)};\n"
                       f"      compare({number}, {k}, {check.prefix}_output_{k}(), out, sizeof out, "
                       f"{mode}, {check.ulps}); }}\n"
                       for k, (output, mode) in enumerate(outputs))
    body.append(f"  {{\n{copies}    {check.prefix}_invoke();\n{compares}  }}")
  return ("#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n" +
          includes + models + _COMPARE + "int main(void) {\n" + "\n".join(body) +
          f'\n  printf("checked {len(checks_)}, %d mismatches\\n", failures);\n  return 0;\n}}\n')


_MISMATCH = re.compile(r"^mismatch (\d+) (\d+) (\d+) ([0-9a-f]*) ([0-9a-f]*)$", re.M)


@dataclasses.dataclass(frozen=True)
class Mismatch:
  """An output of a check that differs from the oracle's, as the check program printed it."""
  check: Check
  output_index: int
  offset: int
  ours: str
  expected: str

  def message(self) -> str:
    """The reproducer line, then where the bytes first differ."""
    return (f"{self.check.drawn.reproducer(self.check.input_index, self.output_index)}\n"
            f"  first difference at byte {self.offset}: ours {self.ours}, "
            f"{oracle(self.check.drawn.kernel)} {self.expected}")


def mismatches(printed: str, checks_: list[Check]) -> list[Mismatch]:
  """The mismatches that check_program's `main` printed."""
  return [Mismatch(checks_[int(check)], int(output), int(offset), ours, expected)
          for check, output, offset, ours, expected in _MISMATCH.findall(printed)]


def all_checked(printed: str, checks_: list[Check]) -> bool:
  """Whether the program got to the end of its checks."""
  return f"checked {len(checks_)}," in printed
