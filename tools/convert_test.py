"""Tests of tools/convert.py: every quantization mode, determinism, and every bad input."""

import pathlib
import re

import numpy as np
import pytest

from tools import common
from tools import convert
from tools import testing
from tools import tflite_reader
from tools import training


@pytest.fixture(scope="session")
def keras_model(tmp_path_factory) -> pathlib.Path:
  """A small trained-looking Dense model as a .keras file (weights over 1024, so dynamic range applies)."""
  training.make_deterministic(0)
  import tensorflow as tf
  model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(64, activation="relu"),
                               tf.keras.layers.Dense(32), tf.keras.layers.Dense(2)])
  path = tmp_path_factory.mktemp("model") / "model.keras"
  training.save_model(model, path)
  return path


@pytest.fixture(scope="session")
def calibration(tmp_path_factory) -> pathlib.Path:
  path = tmp_path_factory.mktemp("data") / "calibration.npy"
  np.save(path, np.random.default_rng(0).normal(size=(50, 4)).astype(np.float32))
  return path


def _types(tflite: bytes) -> tuple[str, str, set[str]]:
  """Input dtype, output dtype, and dtypes of the constants."""
  graph = tflite_reader.read_model(tflite, "m.tflite").main
  constants = {t.dtype for t in graph.tensors if t.buffer is not None}
  return graph.tensors[graph.inputs[0]].dtype, graph.tensors[graph.outputs[0]].dtype, constants


@pytest.mark.parametrize("quantization,calibrated,expected", [
    ("none", False, ("float32", "float32", {"float32"})),
    ("dynamic_range", False, ("float32", "float32", {"float32", "int8"})),
    ("float16", False, ("float32", "float32", {"float16"})),
    ("int8", True, ("int8", "int8", {"int8"})),
    ("int16x8", True, ("int16", "int16", {"int8"})),
])
def test_each_quantization_gives_its_tensor_types(keras_model, calibration, quantization, calibrated,
                                                  expected):
  source = convert.find_source(keras_model)
  tflite = convert.convert(source, quantization, calibration if calibrated else None, 500, "m")
  assert tflite[4:8] == b"TFL3"
  input_type, output_type, constants = _types(tflite)
  assert (input_type, output_type) == expected[:2]
  assert expected[2] <= constants


def test_conversion_is_deterministic(keras_model, calibration):
  source = convert.find_source(keras_model)
  first = convert.convert(source, "int8", calibration, 500, "m")
  assert convert.convert(source, "int8", calibration, 500, "m") == first


def test_saved_model_directory(keras_model, tmp_path):
  import tensorflow as tf
  model = tf.keras.models.load_model(keras_model)
  training.save_model(model, tmp_path / "saved")
  tflite = convert.convert(convert.find_source(tmp_path / "saved"), "none", None, 500, "m")
  assert _types(tflite)[:2] == ("float32", "float32")


def test_calibration_samples_are_batches_of_one():
  samples = convert.calibration_samples(np.zeros((7, 4)), (1, 4), pathlib.Path("d.npy"), 5)
  assert len(samples) == 5 and samples[0].shape == (1, 4) and samples[0].dtype == np.float32


def test_calibration_samples_of_an_integer_input_stay_integers():
  # An Embedding's token ids: the converter refuses float32 samples for an int32 input.
  samples = convert.calibration_samples(np.arange(8.0).reshape(2, 4), (None, 4),
                                        pathlib.Path("d.npy"), 5, dtype=np.dtype(np.int32))
  assert samples[1].dtype == np.int32 and samples[1].tolist() == [[4, 5, 6, 7]]


@pytest.fixture(scope="session")
def flatten_model(tmp_path_factory) -> pathlib.Path:
  """A Conv2D and a Flatten with Keras's open batch dimension, as a .keras file."""
  training.make_deterministic(0)
  import tensorflow as tf
  model = tf.keras.Sequential([tf.keras.Input(shape=(6, 6, 2)), tf.keras.layers.Conv2D(4, 3),
                               tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])
  path = tmp_path_factory.mktemp("flatten") / "flatten.keras"
  training.save_model(model, path)
  return path


def _ops(tflite: bytes) -> list[str]:
  return [op.opcode for op in tflite_reader.read_model(tflite, "m.tflite").main.operators]


@pytest.mark.parametrize("kind", ["keras", "saved_model"])
def test_batch_size_fixes_an_open_batch(flatten_model, tmp_path, kind):
  path = flatten_model
  if kind == "saved_model":
    import tensorflow as tf
    path = tmp_path / "saved"
    training.save_model(tf.keras.models.load_model(flatten_model), path)
  source = convert.find_source(path)
  # Left open, the Flatten's shape is computed at run time; fixed, it is a constant.
  assert "SHAPE" in _ops(convert.convert(source, "none", None, 500, "m", batch_size=0))
  fixed = convert.convert(source, "none", None, 500, "m", batch_size=1)
  assert _ops(fixed) == ["CONV_2D", "RESHAPE", "FULLY_CONNECTED"]
  assert convert.convert(source, "none", None, 500, "m") == fixed  # 1 is the default
  graph = tflite_reader.read_model(fixed, "m.tflite").main
  assert graph.tensors[graph.inputs[0]].shape == (1, 6, 6, 2)


def test_calibration_in_batches_of_the_batch_size(tmp_path):
  samples = convert.calibration_samples(np.zeros((7, 4)), (3, 4), pathlib.Path("d.npy"), 500)
  assert [s.shape for s in samples] == [(3, 4), (3, 4)]
  with pytest.raises(common.ToolError, match="fewer than one batch of 8"):
    convert.calibration_samples(np.zeros((7, 4)), (8, 4), pathlib.Path("d.npy"), 500)


def test_negative_batch_size(tmp_path, keras_model):
  with pytest.raises(common.ToolError, match="batch_size is -1; give 1"):
    convert.write_tflite(keras_model, tmp_path / "out.tflite", batch_size=-1)


def test_write_tflite(tmp_path, keras_model, calibration):
  output = tmp_path / "out.tflite"
  convert.write_tflite(keras_model, output, "int8", calibration, 500, "//m")
  assert _types(output.read_bytes())[:2] == ("int8", "int8")


@pytest.mark.parametrize("quantization,dataset,message", [
    ("int16x8", None, "quantization 'int16x8' needs a representative dataset"),
    ("none", "CAL", "is only used by quantization 'int8' and 'int16x8'"),
    ("int8", "/nonexistent/cal.npy", "/nonexistent/cal.npy: representative dataset not found"),
    ("int8", "WRONG", "representative dataset has shape (10, 3), but m takes inputs of shape (1, 4)"),
    ("int8", "NOTNPY", "is not a NumPy .npy or .npz file"),
])
def test_bad_datasets(tmp_path, keras_model, calibration, quantization, dataset, message):
  np.save(tmp_path / "wrong.npy", np.zeros((10, 3), np.float32))
  (tmp_path / "not.npy").write_text("hello")
  paths = {"CAL": calibration, "WRONG": tmp_path / "wrong.npy", "NOTNPY": tmp_path / "not.npy"}
  output = tmp_path / "out.tflite"
  with pytest.raises(common.ToolError, match=re.escape(message)):
    convert.write_tflite(keras_model, output, quantization,
                         paths.get(dataset, pathlib.Path(dataset)) if dataset else None, 500, "m")
  assert not output.exists()


@pytest.mark.parametrize("model,message", [
    ("/nonexistent/m.keras", "no such file or directory"),
    ("DIR", "is a directory without saved_model.pb"),
    ("model.onnx", "cannot tell what model this is"),
    ("broken.keras", "TensorFlow could not load"),
])
def test_bad_models(tmp_path, model, message):
  (tmp_path / "model.onnx").write_bytes(b"x")
  (tmp_path / "broken.keras").write_bytes(b"PK not really a zip")
  (tmp_path / "dir").mkdir()
  path = {"DIR": tmp_path / "dir"}.get(model, pathlib.Path(model) if model.startswith("/") else tmp_path / model)
  output = tmp_path / "out.tflite"
  with pytest.raises(common.ToolError, match=message):
    convert.write_tflite(path, output)
  assert not output.exists()


def test_cli_without_a_calibration_set(tmp_path, keras_model):
  output = tmp_path / "out.tflite"
  output.write_bytes(b"from an earlier run")
  result = testing.run_cli("convert", f"--model={keras_model}", f"--output={output}",
                           "--quantization=int8", "--max_calibration_samples=10",
                           "--model_label=//m:sine")
  testing.assert_clean_failure(result, "convert", "//m:sine: quantization 'int8' needs a "
                               "representative dataset", [output])
