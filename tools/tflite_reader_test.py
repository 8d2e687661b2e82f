"""Tests of tools/tflite_reader.py on real models and on every kind of broken file."""

import pathlib
import random

import pytest

from tools import common
from tools import tflite_reader

TESTDATA = pathlib.Path(__file__).absolute().parents[1] / "tests" / "testdata"


def _read(name: str) -> tflite_reader.Model:
  return tflite_reader.read_model_file(str(TESTDATA / name))


def test_hello_world_int8_graph():
  model = _read("hello_world_int8.tflite")
  graph = model.main
  assert model.version == 3
  assert model.size_bytes == 2704
  assert [op.opcode for op in graph.operators] == ["FULLY_CONNECTED"] * 3
  (input_index,), (output_index,) = graph.inputs, graph.outputs
  tensor = graph.tensors[input_index]
  assert (tensor.dtype, tensor.shape, tensor.buffer) == ("int8", (1, 1), None)
  assert tensor.quantization.scales == pytest.approx((0.0244801,), rel=1e-5)
  assert tensor.quantization.zero_points == (-128,)
  assert graph.tensors[output_index].shape == (1, 1)
  weights = graph.tensors[graph.operators[1].inputs[1]]
  assert (weights.dtype, weights.shape, len(weights.buffer)) == ("int8", (16, 16), 256)
  assert graph.operators[0].options["fused_activation_function"] == "RELU"


def test_micro_speech_ops_and_per_channel_quantization():
  graph = _read("micro_speech_quantized.tflite").main
  assert [op.opcode for op in graph.operators] == [
      "RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]
  conv = graph.operators[1]
  assert conv.options["padding"] == "SAME"
  assert (conv.options["stride_w"], conv.options["stride_h"]) == (2, 2)
  assert graph.tensors[conv.inputs[1]].shape == (1, 10, 8, 8)


def test_custom_and_missing_op_names():
  graph = _read("top_k.tflite").main
  assert [op.opcode for op in graph.operators] == ["TOPK_V2"]


@pytest.mark.parametrize("data,message", [
    (b"", "is empty"),
    (b"TFL3", "too short"),
    (b"\x00" * 64, "is not a TensorFlow Lite FlatBuffer"),
    (b"PK\x03\x04" + b"\x00" * 60, "is not a TensorFlow Lite FlatBuffer"),
])
def test_files_that_are_not_models(data, message):
  with pytest.raises(common.ToolError, match=message):
    tflite_reader.read_model(data, "bad.tflite")


def test_truncated_models_are_reported_corrupt_never_crash():
  data = (TESTDATA / "hello_world_int8.tflite").read_bytes()
  for end in (8, 12, 16, 64, 100, 500, 1000, 2000, 2700):
    with pytest.raises(common.ToolError, match="bad.tflite"):
      tflite_reader.read_model(data[:end], "bad.tflite")


def test_random_bytes_after_a_valid_identifier_are_reported_never_crash():
  rng = random.Random(0)
  for _ in range(200):
    data = rng.randbytes(4) + b"TFL3" + rng.randbytes(rng.randrange(0, 3000))
    try:
      tflite_reader.read_model(data, "noise.tflite")
    except common.ToolError as e:
      assert "noise.tflite" in str(e)


def test_missing_file_names_it():
  with pytest.raises(common.ToolError, match="/nonexistent.tflite: cannot read"):
    tflite_reader.read_model_file("/nonexistent.tflite")
