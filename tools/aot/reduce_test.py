"""The edge values of the reductions, compiled and run beside TFLM: ties, NaN, -inf and -0.

The differential test draws these only now and then; here each is fixed, with
the value TFLM gives written out, so a change in either shows up by name.
"""

import subprocess

import numpy as np

from tools import tflite_reader
from tools.aot import case_model
from tools.aot import compiler
from tools.aot import harness

_NAN, _INF = np.float32(np.nan), np.float32(np.inf)
_MAX = np.finfo(np.float32).max
# (op, input values reduced along their one axis, TFLM's output)
_EDGES = [
    ("ARG_MAX", [_NAN, 1.0, 2.0], 0),  # a NaN first is never replaced (plain >)
    ("ARG_MAX", [1.0, _NAN, 2.0], 2),
    ("ARG_MAX", [-1.0, 3.0, 3.0], 1),  # ties keep the first index
    ("ARG_MIN", [0.0, -0.0, -1.0, -1.0], 2),  # -0 is not below 0
    ("ARG_MIN", [_INF, _NAN, _INF], 0),
    ("REDUCE_MAX", [-_INF, -_INF], -_MAX),  # TFLM starts from -FLT_MAX
    ("REDUCE_MAX", [_NAN, 1.0, _NAN], 1.0),  # a NaN never wins
    ("SUM", [-0.0, -0.0], 0.0),  # the sum starts from +0
]


def _case(op: str, size: int) -> case_model.Case:
  """A float32 op over axis 0 of a 1D input of `size` elements."""
  s = case_model.schema()
  arg = op.startswith("ARG")
  options = getattr(s, op.title().replace("_", "") + "OptionsT")() if arg else s.ReducerOptionsT()
  output = ((), "int32" if arg else "float32", [], [], 0, None)
  tensors = [((size,), "float32", [], [], 0, None),
             ((1,), "int32", [], [], 0, np.zeros(1, np.int32)), output]
  return case_model.Case(op, {}, tensors, [0, 1], [2], options,
                         op.title().replace("_", "") + "Options" if arg else "ReducerOptions")


def test_edge_values_match_tflm_and_the_values_written(tmp_path):
  sources, checks = [], []
  for number, (op, values, expected) in enumerate(_EDGES):
    model = case_model.build_model(_case(op, len(values)))
    x = np.array(values, np.float32)
    (tflm,) = harness.tflm_outputs(model, [[x]], arena_size=1 << 14)
    want = np.array(expected, np.int32 if op.startswith("ARG") else np.float32).tobytes()
    assert tflm == want, (op, values)
    generated = compiler.compile_model(tflite_reader.read_model(model, op), f"c{number}", op,
                                       f"c{number}.h")
    sources.append(harness.write(tmp_path, f"c{number}", generated))
    checks.append(f"  memcpy(c{number}_input(), \"{_escaped(x.tobytes())}\", {x.nbytes});\n"
                  f"  c{number}_invoke();\n"
                  f"  if (memcmp(c{number}_output(), \"{_escaped(want)}\", 4)) "
                  f"printf(\"mismatch {number}\\n\");\n")
  includes = "".join(f'#include "c{n}.h"\n' for n in range(len(_EDGES)))
  (tmp_path / "main.c").write_text("#include <stdio.h>\n#include <string.h>\n" + includes +
                                   "int main(void) {\n" + "".join(checks) + "  return 0;\n}\n")
  exe = harness.build(sources + [tmp_path / "main.c"], tmp_path / "edges", ["-O1", "-w"])
  out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
  assert not out, [_EDGES[int(line.split()[1])] for line in out.splitlines()]


def _escaped(data: bytes) -> str:
  """Bytes as the characters of a C string literal."""
  return "".join(f"\\x{b:02x}" for b in data)
