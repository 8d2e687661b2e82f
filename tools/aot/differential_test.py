"""Differential test of the ahead-of-time compiler and runtime kernels against the real TFLM.

For each kernel, random one-op models (shapes, strides, paddings,
dilations, activations, scales and zero points drawn from a seeded generator)
are written with the TFLite schema, run in the TFLM interpreter on random
inputs, compiled with tools/aot/, built together with gcc and run;
every byte of every output must match. Kernels TFLM cannot run
(cases.TFLITE_ORACLE: SELECT, int32 SELECT_V2, TILE) are run in TF Lite's
interpreter with its reference kernels instead. A mismatch prints a
reproducer: the kernel, the seed, the oracle, the input and output, and the
drawn parameters, then the first differing bytes. The drawing, the oracle and
the C that compares live in differential.py, which
differential_cores_test.py shares: it runs the first cases of every kernel
on the emulated Cortex-M cores.

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
of models per kernel (default 200, with 3 inputs each: 130 kernels, 26000
models and 78000 comparisons in all).
"""

import subprocess

import pytest

from tools import tflite_reader
from tools.aot import cases
from tools.aot import compiler
from tools.aot import differential
from tools.aot import harness


@pytest.mark.parametrize("kernel", sorted(cases.KERNELS))
def test_kernel_matches_tflm_bit_for_bit(tmp_path, kernel):
  checks, sources = [], []
  for drawn in differential.draw_cases(kernel, cases.CASES):
    prefix = f"c{drawn.number}"
    generated = compiler.compile_model(tflite_reader.read_model(drawn.model, kernel), prefix, kernel,
                                       f"{prefix}.h")
    sources.append(harness.write(tmp_path, prefix, generated))
    checks += differential.checks(drawn, prefix)
  (tmp_path / "main.c").write_text(differential.check_program(checks))
  exe = harness.build(sources + [tmp_path / "main.c"], tmp_path / "differential", ["-O1", "-w"])
  printed = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
  assert differential.all_checked(printed, checks), printed
  mismatches = differential.mismatches(printed, checks)
  assert not mismatches, "\n".join(m.message() for m in mismatches)
