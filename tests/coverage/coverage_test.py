"""The README's models table is true (coverage.py): it is the table of today's compiler,
every model it calls compiled gives TFLM's bytes on the host, and TFLM runs the others."""

import hashlib
import pathlib
import subprocess

import numpy as np
import pytest

from tests.coverage import coverage
from tools import tflite_reader
from tools.aot import compiler
from tools.aot import harness

REPO = harness.REPO
TFLM = coverage.tflm_root(REPO)
MODELS = coverage.rows(TFLM, REPO) if TFLM else []
ARENA_BYTES = 1 << 20
INPUTS = 3


def _distinct(rows: list[coverage.Row]) -> list[coverage.Row]:
  """One row per distinct file (TFLM's repository holds some models twice)."""
  seen = {}
  for row in rows:
    seen.setdefault(hashlib.sha256(row.path.read_bytes()).hexdigest(), row)
  return list(seen.values())


def test_the_readme_table_is_today_s():
  assert TFLM, "TFLM's repository (@tflm) is not in the test's runfiles"
  readme = (REPO / "README.md").read_text()
  assert coverage.in_readme(readme) == coverage.table(MODELS), (
      "README.md's models table is out of date: bazel run //tests/coverage:update_readme")


def test_only_the_ethos_u_model_is_left_to_tflm_for_a_reason_outside_the_compiler():
  npu = [row.name for row in MODELS if coverage.verdict(row.path).startswith("TFLM only, with")]
  assert npu == ["tensorflow/lite/micro/models/person_detect_vela.tflite"]


def _random_inputs(graph: tflite_reader.Subgraph, seed: int) -> list[np.ndarray]:
  rng = np.random.default_rng(seed)
  values = []
  for index in graph.inputs:
    tensor = graph.tensors[index]
    if tensor.dtype == "float32":
      values.append(rng.normal(size=tensor.shape).astype(np.float32))
    else:
      info = np.iinfo(tensor.dtype)
      values.append(rng.integers(max(info.min, -128), min(info.max, 127) + 1,
                                 size=tensor.shape).astype(tensor.dtype))
  return values


def _main(inputs: int, outputs: int) -> str:
  """A program that reads one line of hex per input and prints one per output, per call."""
  one = lambda kind, count, k: f"model_{kind}()" if count == 1 else f"model_{kind}_{k}()"
  size = lambda kind, count, k: (f"MODEL_{kind.upper()}_BYTES" if count == 1
                                 else f"MODEL_{kind.upper()}_{k}_BYTES")
  reads = "".join(
      f"    if (!fgets(line, sizeof line, stdin)) return 0;\n"
      f"    for (unsigned i = 0; i < {size('input', inputs, k)}; i++)\n"
      f"      sscanf(line + 2 * i, \"%2hhx\", (unsigned char *){one('input', inputs, k)} + i);\n"
      for k in range(inputs))
  prints = "".join(
      f"    for (unsigned i = 0; i < {size('output', outputs, k)}; i++)\n"
      f"      printf(\"%02x\", ((const unsigned char *){one('output', outputs, k)})[i]);\n"
      f"    printf(\"\\n\");\n" for k in range(outputs))
  return ("#include <stdio.h>\n#include \"model.h\"\nstatic char line[1 << 20];\n"
          "int main(void) {\n  for (;;) {\n" + reads +
          "    if (model_invoke() != 0) return 1;\n" + prints + "  }\n}\n")


@pytest.mark.parametrize("row", [r for r in _distinct(MODELS)
                                 if coverage.verdict(r.path) == coverage.COMPILED],
                         ids=lambda row: row.name)
def test_a_compiled_model_gives_tflm_s_bytes(tmp_path, row):
  model = tflite_reader.read_model_file(str(row.path))
  graph = model.main
  generated = compiler.compile_model(model, "model", row.name, "model.h")
  source = harness.write(tmp_path, "model", generated)
  (tmp_path / "main.c").write_text(_main(len(graph.inputs), len(graph.outputs)))
  exe = harness.build([tmp_path / "main.c", source], tmp_path / "model", ["-O2"])
  inputs = [_random_inputs(graph, seed) for seed in range(INPUTS)]
  stdin = "".join(v.tobytes().hex() + "\n" for values in inputs for v in values)
  run = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True)
  expected = harness.tflm_all_outputs(row.path.read_bytes(), inputs, ARENA_BYTES,
                                      len(graph.outputs))
  assert [bytes.fromhex(line) for line in run.stdout.split()] == [
      output for outputs in expected for output in outputs]


@pytest.mark.parametrize("row", [r for r in _distinct(MODELS) if coverage.verdict(r.path)
                                 .startswith("TFLM only:")], ids=lambda row: row.name)
def test_tflm_runs_a_model_left_to_it(row):
  graph = tflite_reader.read_model_file(str(row.path)).main
  outputs = harness.tflm_all_outputs(row.path.read_bytes(), [_random_inputs(graph, 0)],
                                     ARENA_BYTES, len(graph.outputs))
  assert len(outputs[0]) == len(graph.outputs)
