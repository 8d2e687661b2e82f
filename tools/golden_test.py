"""Tests of tools/golden.py: the vectors are what TFLM computes, in a header C++ compiles."""

import pathlib
import subprocess
import sys

import numpy as np

from tools import golden

REPO = pathlib.Path(__file__).absolute().parents[1]
INT8 = REPO / "tests" / "testdata" / "hello_world_int8.tflite"


def test_random_int8_inputs_span_the_range():
  inputs = golden.random_inputs({"dtype": np.int8, "shape": np.array([1, 1])}, 200, seed=0)
  values = np.concatenate([i.ravel() for i in inputs])
  assert values.dtype == np.int8 and values.min() < -100 and values.max() > 100


def test_golden_outputs_follow_sin_x(tmp_path):
  x = np.linspace(0.5, 5.5, 6, dtype=np.float32).reshape(-1, 1)
  np.save(tmp_path / "x.npy", x)
  result = subprocess.run([sys.executable, "-m", "tools.golden", f"--model={INT8}",
                           f"--header={tmp_path / 'g.h'}", f"--dataset={tmp_path / 'x.npy'}"],
                          cwd=REPO, capture_output=True, text=True)
  assert result.returncode == 0, result.stderr
  text = (tmp_path / "g.h").read_text()
  assert "kGoldenCount = 6," in text
  outputs = text.split("kGoldenOutputs[6][1] = {")[1].split("};")[0]
  q = np.array([int(v) for v in outputs.replace("{", " ").replace("}", " ").replace(",", " ").split()],
               dtype=np.uint8).view(np.int8)
  # Output scale and zero point of hello_world_int8.
  assert np.abs((q.astype(float) - 5) * 0.00829096 - np.sin(x.ravel())).max() < 0.1
  for compiler, suffix in (("gcc", "c"), ("g++", "cc")):
    main = tmp_path / f"main.{suffix}"
    main.write_text('#include "g.h"\nint main(void) { return kGoldenInputs[0][0] == kGoldenInputs[0][0] ? 0 : 1; }\n')
    subprocess.run([compiler, "-Wall", "-Werror", "-I", str(tmp_path), str(main), "-o",
                    str(tmp_path / "m")], check=True)
