"""Tests of tools/golden.py: the vectors are what TFLM computes, in a header C++ compiles."""

import pathlib
import subprocess
import sys

import numpy as np

from tools import golden

REPO = pathlib.Path(__file__).absolute().parents[1]
INT8 = REPO / "tests" / "testdata" / "hello_world_int8.tflite"
SIMPLE_ADD = REPO / "tests" / "testdata" / "simple_add_model.tflite"


def test_random_int8_inputs_span_the_range():
  inputs = golden.random_inputs([{"dtype": np.int8, "shape": np.array([1, 1])}], 200, seed=0)
  values = np.concatenate([i.ravel() for (i,) in inputs])
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


def test_a_model_with_two_inputs_gets_both_in_each_vector(tmp_path):
  result = subprocess.run([sys.executable, "-m", "tools.golden", f"--model={SIMPLE_ADD}",
                           f"--header={tmp_path / 'g.h'}", "--count=2"],
                          cwd=REPO, capture_output=True, text=True)
  assert result.returncode == 0, result.stderr
  text = (tmp_path / "g.h").read_text()
  assert "kGoldenInputCount = 2, kGoldenOutputCount = 1" in text
  assert "kGoldenInputBytes[2] = {16384, 16384};" in text
  assert "kGoldenInputs[2][32768]" in text and "kGoldenOutputs[2][16384]" in text


def test_a_dataset_for_a_model_with_two_inputs_is_an_error(tmp_path):
  np.save(tmp_path / "x.npy", np.zeros((2, 128, 128, 1), np.float32))
  result = subprocess.run([sys.executable, "-m", "tools.golden", f"--model={SIMPLE_ADD}",
                           f"--header={tmp_path / 'g.h'}", f"--dataset={tmp_path / 'x.npy'}"],
                          cwd=REPO, capture_output=True, text=True)
  assert result.returncode == 1
  assert "has 2 inputs; leave out the dataset" in result.stderr
  assert "Traceback" not in result.stderr and not (tmp_path / "g.h").exists()
