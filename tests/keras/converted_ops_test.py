"""What tflite_model's batch_size does to the Keras model of this package: with the batch
fixed (the default, 1) its Flatten and Reshape shapes are constants; left open (0) the
converter writes ops that compute them at run time, which the AOT compiler folds."""

import pathlib

from tools import tflite_reader

HERE = pathlib.Path(__file__).absolute().parent
_SHAPE_CODE = {"SHAPE", "STRIDED_SLICE", "PACK"}


def _graph(name: str) -> tflite_reader.Subgraph:
  return tflite_reader.read_model_file(str(HERE / f"{name}.tflite")).main


def test_fixed_batch_has_constant_shapes():
  graph = _graph("flatten")
  assert [op.opcode for op in graph.operators] == ["CONV_2D", "RESHAPE", "FULLY_CONNECTED",
                                                  "SOFTMAX"]
  assert graph.tensors[graph.inputs[0]].shape == (1, 8, 8, 1)


def test_open_batch_computes_shapes_at_run_time():
  opcodes = [op.opcode for op in _graph("flatten_open_batch").operators]
  assert _SHAPE_CODE <= set(opcodes) and opcodes.count("RESHAPE") == 3
