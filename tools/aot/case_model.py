"""The one-op models of the differential test: a Case and the .tflite it builds.

A Case holds what a random draw chose (for the reproducer), the tensors
(shape, type, quantization and constant data) and the operator's options;
build_model writes it with the TFLite schema of the tflite-micro package.
"""

import dataclasses
import random

import flatbuffers
import numpy as np

from tools import common

ACTIVATIONS = ["NONE", "RELU", "RELU6"]
_F32 = np.finfo(np.float32)
# Zeros, infinities, NaN, the extremes, subnormals, and both sides of the
# cut-offs of RELU6 (6) and LOGISTIC (-9 and 16.619047164916992188).
FLOAT_SPECIALS = np.array(
    [0.0, -0.0, np.inf, -np.inf, np.nan, _F32.max, -_F32.max, _F32.tiny, -_F32.tiny,
     _F32.smallest_subnormal, -_F32.smallest_subnormal, 1.0, -1.0, 1e-8, -1e-8,
     6.0, np.nextafter(np.float32(6), np.float32(7)),
     -9.0, np.nextafter(np.float32(-9), np.float32(-10)),
     16.619047164916992188, np.nextafter(np.float32(16.619047164916992188), np.float32(17)),
     88.7, -88.7, 104.0, -104.0], dtype=np.float32)


def schema():
  return common.require_module("tflite_micro.tensorflow.lite.micro.python.schema_py_generated",
                               "write test models")


@dataclasses.dataclass
class Case:
  """One random model: its op, tensors and what was drawn (for the reproducer)."""
  op: str
  drawn: dict
  tensors: list  # (shape, dtype, scales, zero_points, quantized_dimension, data or None)
  inputs: list[int]
  outputs: list[int]
  options: object
  options_type: str
  special_values: bool = False  # float32: put FLOAT_SPECIALS in the first input
  # int32 inputs: tensor position -> (lowest, highest) value drawn (GATHER's indices);
  # all of int32 for the others
  value_ranges: dict = dataclasses.field(default_factory=dict)
  repeats: bool = False  # float32: inputs of few values (small integers), so that they repeat
  # Operators after the first, in order: (op, inputs, outputs, options, options_type).
  more_ops: list = dataclasses.field(default_factory=list)


def build_model(case: Case) -> bytes:
  """A .tflite holding the case's operator (and its more_ops after it)."""
  s = schema()
  model = s.ModelT()
  model.version = 3
  operators = [(case.op, case.inputs, case.outputs, case.options, case.options_type),
               *case.more_ops]
  names = list(dict.fromkeys(name for name, *_ in operators))
  model.operatorCodes = []
  for name in names:
    code = s.OperatorCodeT()
    code.builtinCode = getattr(s.BuiltinOperator, name)
    code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    code.version = 1
    model.operatorCodes.append(code)
  model.buffers = [s.BufferT()]
  tensors = []
  for index, (shape, dtype, scales, zero_points, qdim, data) in enumerate(case.tensors):
    t = s.TensorT()
    t.shape = list(shape)
    t.type = getattr(s.TensorType, dtype.upper())
    t.name = f"t{index}".encode()
    q = s.QuantizationParametersT()
    q.scale, q.zeroPoint, q.quantizedDimension = list(scales), list(zero_points), qdim
    t.quantization = q
    if data is not None:
      buffer = s.BufferT()
      buffer.data = np.frombuffer(np.ascontiguousarray(data).tobytes(), np.uint8)
      model.buffers.append(buffer)
      t.buffer = len(model.buffers) - 1
    else:
      t.buffer = 0
    tensors.append(t)
  graph = s.SubGraphT()
  graph.tensors, graph.operators = tensors, []
  for name, inputs, outputs, options, options_type in operators:
    op = s.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = names.index(name), inputs, outputs
    op.builtinOptionsType = getattr(s.BuiltinOptions, options_type)
    if options is not None:
      op.builtinOptions = options
    graph.operators.append(op)
  # The non-constants no operator writes (-1 is an optional input left out).
  written = {i for _, _, outputs, _, _ in operators for i in outputs}
  graph.inputs = list(dict.fromkeys(
      i for _, inputs, _, _, _ in operators for i in inputs
      if i >= 0 and case.tensors[i][5] is None and i not in written))
  graph.outputs = list(operators[-1][2])  # the last operator's
  model.subgraphs = [graph]
  builder = flatbuffers.Builder(4096)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


def activation(s, name: str) -> int:
  return getattr(s.ActivationFunctionType, name)


def out_size(size: int, filter_size: int, stride: int, dilation: int, padding: str) -> int:
  effective = (filter_size - 1) * dilation + 1
  return -(-size // stride) if padding == "SAME" else -(-(size - effective + 1) // stride)


def elementwise_shape(rng: random.Random) -> tuple[int, ...]:
  """A shape of rank 1 to 4, a third of the time with 256 elements or more."""
  if rng.random() < 1 / 3:
    return (1, rng.randint(256, 300))
  return tuple(rng.randint(1, 6) for _ in range(rng.randint(1, 4)))


def replace(case: Case, position: int, **fields) -> None:
  """Replaces fields (shape, dtype, scales, zero_points, qdim, data) of a tensor of the case."""
  names = ("shape", "dtype", "scales", "zero_points", "qdim", "data")
  values = dict(zip(names, case.tensors[position]))
  values.update(fields)
  case.tensors[position] = tuple(values[n] for n in names)


def one_op_model(op: str, dtype: str, input_quantization: tuple, output_quantization: tuple,
                 shape: tuple[int, ...] = (1, 4)) -> bytes:
  """A model of one op without options from an input to an output of `shape`."""
  (in_scales, in_zero_points), (out_scales, out_zero_points) = input_quantization, output_quantization
  return build_model(Case(op, {}, [(shape, dtype, in_scales, in_zero_points, 0, None),
                                   (shape, dtype, out_scales, out_zero_points, 0, None)],
                          [0], [1], None, "NONE"))
