"""Tests of tools/datasets.py: the one loader of .npy/.npz samples and the one input quantizer."""

import numpy as np
import pytest

from tools import common
from tools import datasets


def test_samples_from_npy_npz_x_or_the_only_array(tmp_path):
  np.save(tmp_path / "a.npy", np.ones((3, 4)))
  np.savez(tmp_path / "b.npz", x=np.ones((2, 4)), y=np.zeros(2))
  np.savez(tmp_path / "c.npz", inputs=np.ones((5, 4)))
  assert [datasets.load_samples(tmp_path / n).shape for n in ("a.npy", "b.npz", "c.npz")] == [
      (3, 4), (2, 4), (5, 4)]


@pytest.mark.parametrize("name,content,message", [
    ("missing.npy", None, "missing.npy: calibration set not found"),
    ("text.npy", b"hello", "is not a NumPy .npy or .npz file of numbers"),
    ("two.npz", {"a": 1, "b": 2}, "holds arrays ['a', 'b'] but no 'x'"),
])
def test_bad_sample_files(tmp_path, name, content, message):
  if isinstance(content, bytes):
    (tmp_path / name).write_bytes(content)
  elif content:
    np.savez(tmp_path / name, **content)
  with pytest.raises(common.ToolError) as error:
    datasets.load_samples(tmp_path / name, "calibration set")
  assert message in str(error.value)


@pytest.mark.parametrize("arrays,message", [
    (None, "holds a single array"),
    ({"x": np.zeros((5, 1))}, "but not ['y']"),
    ({"x": np.zeros((5, 1)), "y": np.zeros(4)}, "need the same number of samples"),
])
def test_examples_need_x_and_y_of_one_length(tmp_path, arrays, message):
  if arrays is None:
    np.save(tmp_path / "d.npy", np.zeros(3))
    path = tmp_path / "d.npy"
  else:
    np.savez(tmp_path / "d.npz", **arrays)
    path = tmp_path / "d.npz"
  with pytest.raises(common.ToolError) as error:
    datasets.load_examples(path)
  assert message in str(error.value)


def test_batches_of_one_with_or_without_a_batch_dimension():
  assert datasets.batches(np.zeros((7, 4)), (None, 4), "d.npy", "dataset", "m").shape == (7, 1, 4)
  assert datasets.batches(np.zeros((7, 1, 4)), (1, 4), "d.npy", "dataset", "m").shape == (7, 1, 4)


@pytest.mark.parametrize("shape", [(10, 3), (10,), (10, 4, 1), (0, 4)])
def test_wrong_shapes_name_expected_and_actual(shape):
  with pytest.raises(common.ToolError) as error:
    datasets.batches(np.zeros(shape), (None, 4), "d.npy", "dataset", "//m")
  assert str(error.value) == (
      f"d.npy: dataset has shape ({', '.join(map(str, shape))}), but //m takes inputs of shape "
      "(?, 4), so samples must be (N, 4): one row per sample, without the batch dimension.")


INT8 = {"dtype": np.int8, "quantization_parameters": {"scales": np.array([0.5], np.float32),
                                                       "zero_points": np.array([-3])}}
FLOAT = {"dtype": np.float32, "quantization_parameters": {"scales": np.array([]),
                                                          "zero_points": np.array([])}}


def test_quantize_rounds_offsets_and_clips():
  q = datasets.quantize(np.array([0.0, 1.0, 1.2, -100.0, 100.0]), INT8)
  assert q.dtype == np.int8 and q.tolist() == [-3, -1, -1, -128, 127]
  assert datasets.dequantize(q, INT8).tolist() == [0.0, 1.0, 1.0, -62.5, 65.0]


def test_float_inputs_are_cast():
  assert datasets.quantize(np.array([0.25]), FLOAT).dtype == np.float32
  assert datasets.dequantize(np.array([0.25], np.float32), FLOAT).tolist() == [0.25]
