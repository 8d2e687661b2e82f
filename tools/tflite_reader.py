"""Reads a .tflite FlatBuffer into a small graph IR: tensors, constant buffers, operators.

Uses the TFLite schema bindings that the `tflite-micro` package ships (plain
FlatBuffers Python, no TensorFlow import). A file that is not a valid model
gives a ToolError that says what is wrong, never a crash.
"""

import dataclasses
import math
from typing import Any

from tools import common

_SCHEMA_MODULE = "tflite_micro.tensorflow.lite.micro.python.schema_py_generated"

FILE_IDENTIFIER = b"TFL3"
SCHEMA_VERSION = 3


def _schema():
  return common.require_module(_SCHEMA_MODULE, "read .tflite files")


def _enum_names(enum_class) -> dict[int, str]:
  """Value → name of a FlatBuffers enum class (the generated classes hold them as attributes)."""
  return {value: name for name, value in vars(enum_class).items()
          if not name.startswith("_") and isinstance(value, int)}


@dataclasses.dataclass(frozen=True)
class Quantization:
  """Affine quantization: real = scale * (q - zero_point), per tensor or per channel."""
  scales: tuple[float, ...]
  zero_points: tuple[int, ...]
  quantized_dimension: int = 0


@dataclasses.dataclass(frozen=True)
class Tensor:
  """A tensor of a subgraph; `buffer` holds the data of a constant, None otherwise."""
  index: int
  name: str
  dtype: str
  shape: tuple[int, ...]
  buffer: bytes | None
  quantization: Quantization | None
  is_variable: bool = False

  @property
  def element_size(self) -> int:
    return DTYPE_SIZES.get(self.dtype, 0)

  @property
  def num_bytes(self) -> int:
    """Bytes of the data: the buffer's size for a constant, else shape × element size."""
    if self.buffer is not None:
      return len(self.buffer)
    return math.prod(max(d, 1) for d in self.shape) * self.element_size


@dataclasses.dataclass(frozen=True)
class Operator:
  """An operator: its op name (e.g. FULLY_CONNECTED, or CUSTOM:<name>) and tensor indices (-1 = absent)."""
  index: int
  opcode: str
  builtin_code: int
  inputs: tuple[int, ...]
  outputs: tuple[int, ...]
  options: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Subgraph:
  name: str
  tensors: tuple[Tensor, ...]
  operators: tuple[Operator, ...]
  inputs: tuple[int, ...]
  outputs: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class Model:
  version: int
  description: str
  subgraphs: tuple[Subgraph, ...]
  size_bytes: int

  @property
  def main(self) -> Subgraph:
    return self.subgraphs[0]


DTYPE_SIZES = {
    "float32": 4, "float16": 2, "float64": 8, "int32": 4, "uint8": 1, "int64": 8, "string": 0,
    "bool": 1, "int16": 2, "complex64": 8, "int8": 1, "uint64": 8, "uint32": 4, "uint16": 2,
    "int4": 1, "bfloat16": 2, "complex128": 16, "resource": 0, "variant": 0,
}


def _decode(raw: bytes | None) -> str:
  return raw.decode("utf-8", "replace") if raw else ""


def _options(op, schema, union_names: dict[int, str]) -> dict[str, Any]:
  """The builtin options of `op` as {field name in snake_case: value}, enums as names."""
  kind = union_names.get(op.BuiltinOptionsType(), "NONE")
  table = op.BuiltinOptions()
  cls = getattr(schema, kind, None)
  if table is None or cls is None:
    return {}
  options = cls()
  options.Init(table.Bytes, table.Pos)
  padding_names = _enum_names(schema.Padding)
  activation_names = _enum_names(schema.ActivationFunctionType)
  result = {}
  for attr in dir(cls):
    if attr.startswith("_") or attr in ("Init", "GetRootAs") or attr.startswith("GetRootAs"):
      continue
    if attr.endswith(("AsNumpy", "Length", "IsNone")) or attr.endswith("BufferHasIdentifier"):
      continue
    method = getattr(options, attr)
    if not callable(method) or method.__code__.co_argcount not in (1, 2):
      continue
    if method.__code__.co_argcount == 2:  # a vector field (squeeze_dims): its elements
      length = getattr(options, attr + "Length", None)
      if length is None:
        continue
      value = [method(j) for j in range(length())]
    else:
      value = method()
    name = "".join("_" + c.lower() if c.isupper() else c for c in attr).lstrip("_")
    if attr == "Padding":
      value = padding_names.get(value, value)
    elif attr == "FusedActivationFunction":
      value = activation_names.get(value, value)
    result[name] = value
  return result


def _check_header(data: bytes, path: str) -> None:
  if not data:
    raise common.ToolError(f"{path} is empty, not a TensorFlow Lite model; check the step that "
                           "wrote it.")
  if len(data) < 8:
    raise common.ToolError(f"{path} is {len(data)} bytes long, too short for a TensorFlow Lite "
                           "model; check the step that wrote it.")
  if data[4:8] != FILE_IDENTIFIER:
    raise common.ToolError(
        f"{path} is not a TensorFlow Lite FlatBuffer (file identifier {data[4:8]!r} instead of "
        f"{FILE_IDENTIFIER!r}); pass the .tflite file the TFLite converter wrote.")


def _buffer_data(buffer, data: bytes) -> bytes | None:
  offset, size = buffer.Offset(), buffer.Size()
  if offset > 1:  # Data stored after the FlatBuffer (models over 2 GB).
    if offset + size > len(data):
      raise ValueError(f"buffer data at {offset}+{size} lies past the end of the file")
    return data[offset:offset + size]
  length = buffer.DataLength()
  if length == 0:
    return None
  if length > len(data):
    raise ValueError(f"buffer of {length} bytes in a file of {len(data)}")
  return buffer.DataAsNumpy().tobytes()


def _checked_length(length: int, data: bytes, what: str) -> int:
  if length < 0 or length > len(data):
    raise ValueError(f"{what} count {length} does not fit in the file")
  return length


def _read(data: bytes, schema) -> Model:
  model = schema.Model.GetRootAs(data, 0)
  dtype_names = {v: n.lower() for v, n in _enum_names(schema.TensorType).items()}
  op_names = _enum_names(schema.BuiltinOperator)
  union_names = _enum_names(schema.BuiltinOptions)

  buffers = [_buffer_data(model.Buffers(i), data)
             for i in range(_checked_length(model.BuffersLength(), data, "buffer"))]
  opcodes = []
  for i in range(_checked_length(model.OperatorCodesLength(), data, "operator code")):
    code = model.OperatorCodes(i)
    builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
    name = op_names.get(builtin, f"BUILTIN_{builtin}")
    if name == "CUSTOM":
      name = "CUSTOM:" + _decode(code.CustomCode())
    opcodes.append((builtin, name))

  subgraphs = []
  for s in range(_checked_length(model.SubgraphsLength(), data, "subgraph")):
    graph = model.Subgraphs(s)
    tensors = []
    for t in range(_checked_length(graph.TensorsLength(), data, "tensor")):
      tensor = graph.Tensors(t)
      q = tensor.Quantization()
      quantization = None
      if q is not None and q.ScaleLength() > 0:
        quantization = Quantization(
            scales=tuple(float(x) for x in q.ScaleAsNumpy()),
            zero_points=tuple(int(x) for x in q.ZeroPointAsNumpy()) if q.ZeroPointLength() else (),
            quantized_dimension=q.QuantizedDimension())
      buffer_index = tensor.Buffer()
      if buffer_index >= len(buffers):
        raise ValueError(f"tensor {t} refers to buffer {buffer_index} of {len(buffers)}")
      shape = tuple(int(d) for d in tensor.ShapeAsNumpy()) if tensor.ShapeLength() else ()
      tensors.append(Tensor(
          index=t, name=_decode(tensor.Name()),
          dtype=dtype_names.get(tensor.Type(), f"type_{tensor.Type()}"), shape=shape,
          buffer=buffers[buffer_index] if buffer_index > 0 else None,
          quantization=quantization, is_variable=bool(tensor.IsVariable())))
    operators = []
    for o in range(_checked_length(graph.OperatorsLength(), data, "operator")):
      op = graph.Operators(o)
      index = op.OpcodeIndex()
      if index >= len(opcodes):
        raise ValueError(f"operator {o} uses operator code {index} of {len(opcodes)}")
      inputs = tuple(int(i) for i in op.InputsAsNumpy()) if op.InputsLength() else ()
      outputs = tuple(int(i) for i in op.OutputsAsNumpy()) if op.OutputsLength() else ()
      for i in inputs + outputs:
        if i >= len(tensors) or i < -1:
          raise ValueError(f"operator {o} refers to tensor {i} of {len(tensors)}")
      operators.append(Operator(index=o, opcode=opcodes[index][1], builtin_code=opcodes[index][0],
                                inputs=inputs, outputs=outputs,
                                options=_options(op, schema, union_names)))
    graph_inputs = tuple(int(i) for i in graph.InputsAsNumpy()) if graph.InputsLength() else ()
    graph_outputs = tuple(int(i) for i in graph.OutputsAsNumpy()) if graph.OutputsLength() else ()
    subgraphs.append(Subgraph(name=_decode(graph.Name()), tensors=tuple(tensors),
                              operators=tuple(operators), inputs=graph_inputs,
                              outputs=graph_outputs))
  return Model(version=model.Version(), description=_decode(model.Description()),
               subgraphs=tuple(subgraphs), size_bytes=len(data))


def read_model(data: bytes, path: str) -> Model:
  """Parses a .tflite file's bytes; `path` names the file in errors."""
  _check_header(data, path)
  schema = _schema()
  try:
    model = _read(data, schema)
  except Exception as e:  # Corrupt offsets surface as many exception types.
    raise common.ToolError(
        f"{path} is corrupt: {type(e).__name__}: {e}. It has a TFLite file identifier but its "
        "FlatBuffer cannot be read; write it again with the TFLite converter.") from None
  if model.version != SCHEMA_VERSION:
    raise common.ToolError(f"{path} has schema version {model.version}; rules_tflm reads "
                           f"version {SCHEMA_VERSION}, what current converters write.")
  if not model.subgraphs:
    raise common.ToolError(f"{path} has no subgraph, so nothing to run; write it again with the "
                           "TFLite converter.")
  return model


def read_model_file(path: str) -> Model:
  """Reads and parses a .tflite file."""
  return read_model(common.read_input(path, ".tflite model"), path)
