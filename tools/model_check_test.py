"""Tests of tools/model_check.py: every problem of a model that does not add up, named."""

import dataclasses

import pytest

from tools import common
from tools import model_check
from tools import tflite_reader
from tools import testing


def _model(name: str = "hello_world_int8.tflite") -> tflite_reader.Model:
  return tflite_reader.read_model_file(str(testing.TESTDATA / name))


def _with_tensor(model: tflite_reader.Model, index: int, **fields) -> tflite_reader.Model:
  graph = model.main
  tensors = list(graph.tensors)
  tensors[index] = dataclasses.replace(tensors[index], **fields)
  return dataclasses.replace(model, subgraphs=(dataclasses.replace(graph, tensors=tuple(tensors)),))


@pytest.mark.parametrize("name", ["hello_world_int8.tflite", "micro_speech_quantized.tflite",
                                  "person_detect.tflite", "top_k.tflite",
                                  "dense_dynamic_range.tflite", "dense_float16.tflite"])
def test_the_test_models_pass(name):
  model_check.check_model(_model(name), name)


def test_problems_are_listed_with_the_tensor():
  model = _with_tensor(_model(), 4, buffer=b"\0" * 3)
  model = _with_tensor(model, 0, quantization=tflite_reader.Quantization((0.5,), (300,)))
  with pytest.raises(common.ToolError) as error:
    model_check.check_model(model, "//m:m")
  assert str(error.value).splitlines() == [
      '//m:m: tensor 0 "serving_default_dense_input:0": its zero point 300 lies outside int8\'s '
      "range [-128, 127]; requantize the model",
      '//m:m: tensor 4 "sequential/dense_1/MatMul": its buffer holds 3 bytes, but its shape '
      "[16, 16] of int8 needs 256; the file is inconsistent: write it again with the TFLite "
      "converter"]
