"""Tests of tools/accuracy.py: metrics, the drop threshold, both interpreters, bad datasets."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tools import accuracy

REPO = pathlib.Path(__file__).absolute().parents[1]
TESTDATA = REPO / "tests" / "testdata"
FLOAT = TESTDATA / "hello_world_float.tflite"
INT8 = TESTDATA / "hello_world_int8.tflite"


@pytest.fixture(scope="module")
def sine(tmp_path_factory) -> pathlib.Path:
  x = np.linspace(0, 2 * np.pi, 200, dtype=np.float32).reshape(-1, 1)
  path = tmp_path_factory.mktemp("data") / "sine.npz"
  np.savez(path, x=x, y=np.sin(x))
  return path


def _run(*flags):
  return subprocess.run([sys.executable, "-m", "tools.accuracy", *flags], cwd=REPO,
                        capture_output=True, text=True)


def test_hello_world_int8_follows_the_float_model_in_tflm(sine):
  x, y = accuracy.load_dataset(sine)
  results = [accuracy.metrics("regression", accuracy.predictions(accuracy.load_model(p), x, p, sine), y)
             for p in (FLOAT, INT8)]
  assert results[0]["MAE"] < 0.1 and results[1]["MAE"] < 0.1
  assert abs(results[1]["MAE"] - results[0]["MAE"]) < 0.02
  assert results[0]["RMSE"] >= results[0]["MAE"]


def test_cli_passes_and_prints_both_models(sine, tmp_path):
  result = _run(f"--reference={FLOAT}", f"--candidate={INT8}", f"--dataset={sine}",
                "--max_drop=0.05", f"--report={tmp_path / 'r.txt'}")
  assert result.returncode == 0, result.stderr
  assert "reference hello_world_float.tflite" in result.stdout
  assert "candidate hello_world_int8.tflite" in result.stdout and "(TFLM)" in result.stdout
  assert (tmp_path / "r.txt").read_text() == result.stdout


def test_cli_fails_past_max_drop_with_both_numbers(sine):
  # Against exact sin(x) as the reference, any model loses accuracy.
  result = _run(f"--reference={FLOAT}", f"--candidate={INT8}", f"--dataset={sine}",
                "--max_drop=-1")
  assert result.returncode == 1
  assert "more than max_drop = -1" in result.stderr and "loses" in result.stderr
  assert "drop " in result.stdout and "FAILED" in result.stdout


def test_models_tflm_cannot_run_fall_back_to_tflite(tmp_path):
  x = np.random.default_rng(0).normal(size=(20, 64)).astype(np.float32)
  np.savez(tmp_path / "d.npz", x=x, y=np.zeros((20, 8), np.float32))
  model = TESTDATA / "dense_dynamic_range.tflite"
  result = _run(f"--reference={model}", f"--candidate={model}", f"--dataset={tmp_path / 'd.npz'}",
                "--max_drop=0")
  assert result.returncode == 0, result.stderr
  assert "TF Lite (TFLM cannot run this model)" in result.stdout


def test_classification_top1():
  predicted = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
  assert accuracy.metrics("classification", predicted, np.array([1, 0, 0, 0])) == {"top-1 %": 75.0}
  one_hot = np.array([[0, 1], [1, 0], [1, 0], [1, 0]])
  assert accuracy.metrics("classification", predicted, one_hot) == {"top-1 %": 75.0}
  assert accuracy.drop("classification", {"top-1 %": 90.0}, {"top-1 %": 87.5}) == 2.5


@pytest.mark.parametrize("arrays,message", [
    ({"x": np.zeros((5, 1))}, "but not ['y']"),
    ({"x": np.zeros((5, 1)), "y": np.zeros(4)}, "need the same number of samples"),
    ({"x": np.zeros((5, 3)), "y": np.zeros(5)}, "samples have shape (3,), but"),
])
def test_bad_datasets_are_one_clear_error(tmp_path, arrays, message):
  np.savez(tmp_path / "d.npz", **arrays)
  result = _run(f"--reference={FLOAT}", f"--candidate={INT8}", f"--dataset={tmp_path / 'd.npz'}",
                "--max_drop=0.05")
  assert result.returncode == 1
  assert message in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_is_not_a_model(tmp_path, sine):
  (tmp_path / "m.tflite").write_bytes(b"nonsense")
  result = _run(f"--reference={tmp_path / 'm.tflite'}", f"--candidate={INT8}", f"--dataset={sine}",
                "--max_drop=0.05")
  assert result.returncode == 1 and "is not a TensorFlow Lite FlatBuffer" in result.stderr
