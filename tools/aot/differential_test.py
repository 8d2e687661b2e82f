"""Differential test of the ahead-of-time compiler and runtime kernels against the real TFLM.

For each kernel, random one-op models (shapes, strides, paddings,
dilations, activations, scales and zero points drawn from a seeded generator)
are written with the TFLite schema, run in the TFLM interpreter on random
inputs, compiled with tools/aot/, built together with gcc and run;
every byte of every output must match. Kernels TFLM cannot run
(cases.TFLITE_ORACLE: SELECT, int32 SELECT_V2, TILE) are run in TF Lite's
interpreter with its reference kernels instead. A mismatch prints a
reproducer: the kernel, the seed, the oracle, the input and output, and the
drawn parameters.

An int8 input of 256 elements or more holds every int8 value in its first
draw; int32 inputs mix small values, negatives, zero and magnitudes whose
sums and products overflow (cases_index.int32_values), and bool inputs are 0
or 1. Float32 cases may ask for FLOAT_SPECIALS (zeros of both signs,
infinities, NaN, the extremes, subnormals, the kernels' cut-offs) among the
first draw's elements (and the float32 variants of int8 cases, in their
constants). Float32 LOGISTIC, TANH and SOFTMAX call libm's expf and tanhf, as
TFLM's kernels do, and the TFLM interpreter here uses the host's libm, so
they are compared byte for byte like the rest: no tolerance. They match TFLM
wherever both link the same libm; libms differ (newlib's expf and tanhf on a
Cortex-M4 differ from glibc's by up to 2 and 1 units in the last place on
[-20, 20]).

One exception: a float32 output NaN matches any NaN. When two NaNs of
different bits meet in one operation (an input NaN and the NaN of inf - inf
in a sum), IEEE 754 leaves open which one the result carries; x86 returns the
first operand's, and a compiler may swap the operands of + and *, so TFLM's
own NaN bits change with the compiler that built it. Every other float32
output, zeros' signs included, must match bit for bit.

The cases come from cases.py: RULES_TFLM_DIFFERENTIAL_CASES sets the number
of models per kernel (default 200, with 3 inputs each: 129 kernels, 25800
models and 77400 comparisons in all).
"""

import random
import subprocess

import numpy as np
import pytest

from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import cases_index
from tools.aot import compiler
from tools.aot import harness


def _c_bytes(data: bytes) -> str:
  return "{" + ", ".join(str(b) for b in data) + "}"


# Compares an output with TFLM's in the test program; see the module docstring for NaNs.
_SAME = r"""
static int same(const void *ours, const void *tflm, size_t bytes, int float32) {
  const unsigned char *a = (const unsigned char *)ours, *b = (const unsigned char *)tflm;
  if (!float32) return memcmp(a, b, bytes) == 0;
  for (size_t i = 0; i + 4 <= bytes; i += 4) {
    float x, y;
    memcpy(&x, a + i, 4);
    memcpy(&y, b + i, 4);
    if (memcmp(a + i, b + i, 4) != 0 && !(x != x && y != y)) return 0;
  }
  return 1;
}
"""


@pytest.mark.parametrize("kernel", sorted(cases.KERNELS))
def test_kernel_matches_tflm_bit_for_bit(tmp_path, kernel):
  rng = random.Random(f"{kernel}-0")
  drawn, checks, sources = [], [], []
  for number in range(cases.CASES):
    case = cases.KERNELS[kernel](rng)
    model = case_model.build_model(case)
    graph = tflite_reader.read_model(model, kernel).main
    nrng = np.random.default_rng(number)

    def draw(tensor: tflite_reader.Tensor, first: bool) -> np.ndarray:
      """Random values (int32 ones in the case's value range if it has one); the first draw
      also holds the special values or every int8 value."""
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
      if tensor.dtype == "int32":
        low, high = case.value_ranges.get(tensor.index, (-(1 << 31), (1 << 31) - 1))
        return nrng.integers(low, high + 1, size=tensor.shape).astype(np.int32)
      value = nrng.integers(-128, 128, size=tensor.shape).astype(np.int8)
      if first and value.size >= 256:
        every_value = np.resize(np.arange(-128, 128, dtype=np.int8), value.size)
        value = nrng.permutation(every_value).reshape(tensor.shape)
      return value

    inputs = [[draw(graph.tensors[i], n == 0) for i in graph.inputs] for n in range(cases.INPUTS_PER_CASE)]
    expected = (harness.tflite_outputs(model, inputs, len(graph.outputs)) if kernel in cases.TFLITE_ORACLE else
                harness.tflm_all_outputs(model, inputs, 1 << 18, len(graph.outputs)))
    prefix = f"c{number}"
    generated = compiler.compile_model(tflite_reader.read_model(model, kernel), prefix, kernel,
                                       f"{prefix}.h")
    sources.append(harness.write(tmp_path, prefix, generated))
    drawn.append(case)
    float32 = [int(graph.tensors[k].dtype == "float32") for k in graph.outputs]
    for i, (values, outputs) in enumerate(zip(inputs, expected)):
      checks.append((number, i, prefix, [v.tobytes() for v in values], outputs, float32))
  includes = "".join(f'#include "c{n}.h"\n' for n in range(cases.CASES))
  body = []
  for number, i, prefix, values, outputs, float32 in checks:
    copies = "".join(f"    {{ static const unsigned char in[] = {_c_bytes(value)};\n"
                     f"      memcpy({prefix}_input_{k}(), in, sizeof in); }}\n"
                     for k, value in enumerate(values))
    # Each output against its own bytes from TFLM (most kernels have one).
    compares = "".join(f"    {{ static const unsigned char out[] = {_c_bytes(output)};\n"
                       f"      if (!same({prefix}_output_{k}(), out, sizeof out, {is_float})) "
                       f"printf(\"mismatch %d %d %d\\n\", {number}, {i}, {k}); }}\n"
                       for k, (output, is_float) in enumerate(zip(outputs, float32)))
    body.append(f"  {{\n{copies}    {prefix}_invoke();\n{compares}  }}")
  (tmp_path / "main.c").write_text("#include <stdio.h>\n#include <string.h>\n" + includes + _SAME +
                                   "int main(void) {\n" + "\n".join(body) + "\n  return 0;\n}\n")
  exe = harness.build(sources + [tmp_path / "main.c"], tmp_path / "differential", ["-O1", "-w"])
  mismatches = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split("\n")
  oracle = "TF Lite's reference kernels" if kernel in cases.TFLITE_ORACLE else "TFLM"
  reproducers = [f"{kernel} case {n} (seed '{kernel}-0', oracle {oracle}, input {i}, "
                 f"output {k}): {drawn[int(n)].drawn}"
                 for line in mismatches if line.startswith("mismatch")
                 for n, i, k in [line.split()[1:4]]]
  assert not reproducers, "\n".join(reproducers)
