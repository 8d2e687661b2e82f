"""Tests of tools/accuracy.py: metrics, the drop threshold, both interpreters, bad datasets."""

import pathlib

import numpy as np
import pytest

from tools import accuracy
from tools import common
from tools import datasets
from tools import testing

FLOAT = testing.TESTDATA / "hello_world_float.tflite"
INT8 = testing.TESTDATA / "hello_world_int8.tflite"


@pytest.fixture(scope="module")
def sine(tmp_path_factory) -> pathlib.Path:
  x = np.linspace(0, 2 * np.pi, 200, dtype=np.float32).reshape(-1, 1)
  path = tmp_path_factory.mktemp("data") / "sine.npz"
  np.savez(path, x=x, y=np.sin(x))
  return path


def test_hello_world_int8_follows_the_float_model_in_tflm(sine):
  x, y = datasets.load_examples(sine)
  results = [accuracy.metrics("regression", accuracy.predictions(accuracy.load_model(p), x, p, sine), y)
             for p in (FLOAT, INT8)]
  assert results[0]["MAE"] < 0.1 and results[1]["MAE"] < 0.1
  assert abs(results[1]["MAE"] - results[0]["MAE"]) < 0.02
  assert results[0]["RMSE"] >= results[0]["MAE"]


def test_compare_names_both_models_and_passes(sine):
  comparison = accuracy.compare(FLOAT, INT8, sine, "regression", max_drop=0.05)
  assert "reference hello_world_float.tflite" in comparison.table
  assert "candidate hello_world_int8.tflite" in comparison.table and "(TFLM)" in comparison.table
  assert comparison.table.endswith("(max_drop 0.05): ok\n")
  comparison.check()


def test_models_tflm_cannot_run_fall_back_to_tflite(tmp_path):
  x = np.random.default_rng(0).normal(size=(20, 64)).astype(np.float32)
  np.savez(tmp_path / "d.npz", x=x, y=np.zeros((20, 8), np.float32))
  model = testing.TESTDATA / "dense_dynamic_range.tflite"
  comparison = accuracy.compare(model, model, tmp_path / "d.npz", "regression", max_drop=0)
  assert "TF Lite (TFLM cannot run this model)" in comparison.table
  assert comparison.error is None


def test_classification_top1():
  predicted = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
  assert accuracy.metrics("classification", predicted, np.array([1, 0, 0, 0])) == {"top-1 %": 75.0}
  one_hot = np.array([[0, 1], [1, 0], [1, 0], [1, 0]])
  assert accuracy.metrics("classification", predicted, one_hot) == {"top-1 %": 75.0}
  assert accuracy.drop("classification", {"top-1 %": 90.0}, {"top-1 %": 87.5}) == 2.5


@pytest.mark.parametrize("arrays,message", [
    ({"x": np.zeros((5, 1))}, "but not ['y']"),
    ({"x": np.zeros((5, 3)), "y": np.zeros(5)}, "dataset has shape (5, 3), but"),
])
def test_bad_datasets_are_one_clear_error(tmp_path, arrays, message):
  np.savez(tmp_path / "d.npz", **arrays)
  with pytest.raises(common.ToolError) as error:
    accuracy.compare(FLOAT, INT8, tmp_path / "d.npz", "regression", 0.05)
  assert message in str(error.value)


def test_a_file_that_is_not_a_model(tmp_path, sine):
  (tmp_path / "m.tflite").write_bytes(b"nonsense")
  with pytest.raises(common.ToolError, match="is not a TensorFlow Lite FlatBuffer"):
    accuracy.compare(tmp_path / "m.tflite", INT8, sine, "regression", 0.05)


def test_cli_prints_and_reports_the_table_then_fails_past_max_drop(sine, tmp_path):
  # Against exact sin(x) as the reference, any model loses accuracy.
  result = testing.run_cli("accuracy", f"--reference={FLOAT}", f"--candidate={INT8}",
                           f"--dataset={sine}", "--task=regression", "--max_drop=-1",
                           f"--report={tmp_path / 'r.txt'}")
  testing.assert_clean_failure(result, "accuracy", "more than max_drop = -1")
  assert "loses" in result.stderr and "FAILED" in result.stdout
  # The table is the test's log: written also when the drop is too large.
  assert (tmp_path / "r.txt").read_text() == result.stdout
