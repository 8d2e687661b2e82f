"""Mutated copies of .tflite models: structural (FlatBuffer fields) and byte level.

A structural mutation unpacks the model with the TFLite schema's object API
(the schema bindings of the tflite-micro package), edits one field (a
tensor's shape, type, buffer or quantization, an operator's inputs, outputs,
opcode or options, a buffer's bytes, the graph's inputs and outputs, an
opcode, a name) or splices a part of another model in, and packs it again.
A byte-level mutation flips, zeroes, truncates, inserts or splices raw bytes.
Everything is drawn from a random.Random, so a seed gives the same mutants.
"""

import copy
import math
import random
from typing import Callable

import flatbuffers
import numpy as np

from tools import common

_SPECIAL_INTS = [0, 1, 2, 3, -1, -2, 7, 16, 255, 256, 65535, 65536, 1 << 20, (1 << 31) - 1,
                 -(1 << 31), 127, 128, -128, -129]
_SPECIAL_FLOATS = [0.0, -0.0, -1.0, math.nan, math.inf, -math.inf, 1e-45, 1e-38, 1e-30, 1e-10,
                   2.0 ** -31, 2.0 ** 30, 1e10, 1e30, 3e38, 0.5, 1.0, 16.0]
# Names that must come out escaped in C, and names that break naive code.
NASTY_NAMES = [b'*/ puts("INJECTED"); /*', b"a\nb", b"??/", b"x\\", b"\xff\xfe", b"/*", b"*/",
               b"\xe2\x80\xae rtl", b"", b"#define X", b"%s%n", b'"', b"a" * 5000]


def schema():
  return common.require_module("tflite_micro.tensorflow.lite.micro.python.schema_py_generated",
                               "mutate test models")


def _int(rng: random.Random, around: int = 0) -> int:
  choice = rng.random()
  if choice < 0.5:
    return rng.choice(_SPECIAL_INTS)
  if choice < 0.8:
    return around + rng.randint(-3, 3)
  return rng.randint(-1000, 1000)


def _float(rng: random.Random, around: float = 1.0) -> float:
  if rng.random() < 0.7:
    return rng.choice(_SPECIAL_FLOATS)
  return around * rng.choice([0.5, 2.0, 1e3, 1e-3, -1.0, 1.0000001])


def _pick(rng: random.Random, items):
  return rng.choice(items) if items else None


def _graph(model):
  return model.subgraphs[0] if model.subgraphs else None


def _tensor(rng, model):
  g = _graph(model)
  return _pick(rng, g.tensors) if g is not None and g.tensors else None


def _array(value, dtype) -> list:
  return [] if value is None else [int(v) if dtype == int else float(v) for v in value]


def m_shape(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is None:
    return
  shape = _array(t.shape, int)
  what = rng.random()
  if shape and what < 0.6:
    i = rng.randrange(len(shape))
    shape[i] = _int(rng, shape[i])
  elif what < 0.75:
    shape.insert(rng.randint(0, len(shape)), rng.choice([1, 2, 3, _int(rng)]))
  elif shape and what < 0.9:
    shape.pop(rng.randrange(len(shape)))
  else:
    shape = [] if rng.random() < 0.5 else shape * 2
  t.shape = shape


def m_type(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is not None:
    t.type = rng.choice([0, 1, 2, 3, 4, 6, 7, 9, 17, rng.randint(0, 30)])


def m_buffer_index(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is not None:
    t.buffer = rng.choice([0, len(model.buffers) - 1, len(model.buffers), _int(rng, t.buffer),
                           rng.randrange(max(len(model.buffers), 1))]) % (1 << 32)


def m_scale(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is None:
    return
  s = schema()
  q = t.quantization or s.QuantizationParametersT()
  scales = _array(q.scale, float)
  what = rng.random()
  if scales and what < 0.7:
    i = rng.randrange(len(scales))
    scales[i] = _float(rng, scales[i])
  elif what < 0.8:
    scales = []
  elif what < 0.9:
    scales = scales + [_float(rng)] * rng.randint(1, 3)
  else:
    scales = [_float(rng)]
  q.scale = scales
  t.quantization = q


def m_zero_point(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is None or t.quantization is None:
    return
  q = t.quantization
  zero_points = _array(q.zeroPoint, int)
  if zero_points and rng.random() < 0.7:
    i = rng.randrange(len(zero_points))
    zero_points[i] = _int(rng, zero_points[i])
  else:
    zero_points = rng.choice([[], zero_points + [0], [_int(rng)] * rng.randint(1, 4)])
  q.zeroPoint = [max(-(1 << 63), min(v, (1 << 63) - 1)) for v in zero_points]
  if rng.random() < 0.2:
    q.quantizedDimension = rng.randint(-2, 5)


def _positions(rng, op, what: str) -> None:
  indices = _array(getattr(op, what), int)
  choice = rng.random()
  if indices and choice < 0.6:
    i = rng.randrange(len(indices))
    indices[i] = _int(rng, indices[i])
  elif indices and choice < 0.75:
    indices.pop(rng.randrange(len(indices)))
  elif choice < 0.9:
    indices.append(rng.choice([-1, 0, 1, _int(rng)]))
  else:
    rng.shuffle(indices)
  setattr(op, what, [max(-(1 << 31), min(v, (1 << 31) - 1)) for v in indices])


def _op(rng, model):
  g = _graph(model)
  return _pick(rng, g.operators) if g is not None and g.operators else None


def m_op_inputs(rng, model, donor) -> None:
  op = _op(rng, model)
  if op is not None:
    _positions(rng, op, "inputs")


def m_op_outputs(rng, model, donor) -> None:
  op = _op(rng, model)
  if op is not None:
    _positions(rng, op, "outputs")


def m_graph_io(rng, model, donor) -> None:
  g = _graph(model)
  if g is not None:
    _positions(rng, g, rng.choice(["inputs", "outputs"]))


def m_opcode_index(rng, model, donor) -> None:
  op = _op(rng, model)
  if op is not None:
    op.opcodeIndex = rng.choice([0, len(model.operatorCodes), rng.randint(0, 5),
                                 _int(rng)]) % (1 << 32)


def m_opcode(rng, model, donor) -> None:
  code = _pick(rng, model.operatorCodes)
  if code is None:
    return
  value = rng.choice([0, 1, 3, 9, 14, 17, 22, 25, 28, 32, 40, 45, 114, 127, 150, 200, 255,
                      rng.randint(0, 210)])
  code.builtinCode = value
  code.deprecatedBuiltinCode = min(value, 127)
  if rng.random() < 0.3:
    code.customCode = rng.choice(NASTY_NAMES)
    code.builtinCode = code.deprecatedBuiltinCode = 32  # CUSTOM


def m_options(rng, model, donor) -> None:
  op = _op(rng, model)
  if op is None:
    return
  options = op.builtinOptions
  fields = ([k for k, v in vars(options).items() if isinstance(v, (int, float, bool))]
            if options else [])
  if fields and rng.random() < 0.85:
    name = rng.choice(fields)
    value = getattr(options, name)
    if isinstance(value, bool):
      setattr(options, name, not value)
    elif isinstance(value, float):
      setattr(options, name, _float(rng, value))
    else:
      setattr(options, name, max(-(1 << 31), min(_int(rng, value), (1 << 31) - 1)))
  else:
    op.builtinOptionsType = rng.randint(0, 20)


def m_buffer_data(rng, model, donor) -> None:
  buffers = [b for b in model.buffers if b.data is not None and len(b.data)]
  b = _pick(rng, buffers)
  if b is None:
    return
  data = np.array(b.data, dtype=np.uint8)
  choice = rng.random()
  if choice < 0.3:
    data = data[:rng.randrange(len(data))]
  elif choice < 0.45:
    data = np.concatenate([data, np.full(rng.choice([1, 4, 16, 64]), 0x7f, np.uint8)])
  elif choice < 0.8:  # extreme values: overflows in sums, NaN and infinities in floats
    for _ in range(rng.randint(1, 8)):
      i = rng.randrange(len(data))
      value = rng.choice([b"\xff\xff\xff\x7f", b"\x00\x00\x80\xff", b"\x00\x00\xc0\x7f",
                          b"\x80\x80\x80\x80", b"\x7f\x7f\x7f\x7f"])
      data[i:i + 4] = np.frombuffer(value, np.uint8)[:len(data[i:i + 4])]
  else:
    data = data[:0]
  b.data = data


def m_names(rng, model, donor) -> None:
  t = _tensor(rng, model)
  name = rng.choice(NASTY_NAMES)
  if t is not None and rng.random() < 0.8:
    t.name = name
  else:
    model.description = name


def m_variable(rng, model, donor) -> None:
  t = _tensor(rng, model)
  if t is not None:
    t.isVariable = not t.isVariable


def m_operators(rng, model, donor) -> None:
  g = _graph(model)
  if g is None or not g.operators:
    return
  choice = rng.random()
  if choice < 0.4:
    g.operators.pop(rng.randrange(len(g.operators)))
  elif choice < 0.7:
    g.operators.insert(rng.randrange(len(g.operators) + 1), copy.deepcopy(rng.choice(g.operators)))
  else:
    g.operators.reverse()


def m_splice(rng, model, donor) -> None:
  """A tensor, an operator or a buffer of the donor replaces or joins the model's."""
  g, d = _graph(model), _graph(donor)
  if g is None or d is None:
    return
  choice = rng.random()
  if choice < 0.4 and d.tensors and g.tensors:
    g.tensors[rng.randrange(len(g.tensors))] = copy.deepcopy(rng.choice(d.tensors))
  elif choice < 0.7 and d.operators and g.operators:
    g.operators[rng.randrange(len(g.operators))] = copy.deepcopy(rng.choice(d.operators))
  elif donor.buffers and model.buffers:
    model.buffers[rng.randrange(len(model.buffers))] = copy.deepcopy(rng.choice(donor.buffers))


STRUCTURAL: dict[str, Callable] = {
    "shape": m_shape, "type": m_type, "buffer_index": m_buffer_index, "scale": m_scale,
    "zero_point": m_zero_point, "op_inputs": m_op_inputs, "op_outputs": m_op_outputs,
    "graph_io": m_graph_io, "opcode_index": m_opcode_index, "opcode": m_opcode,
    "options": m_options, "buffer_data": m_buffer_data, "names": m_names,
    "variable": m_variable, "operators": m_operators, "splice": m_splice,
}


def unpack(data: bytes):
  return schema().ModelT.InitFromPackedBuf(bytearray(data), 0)


def pack(model) -> bytes:
  builder = flatbuffers.Builder(1 << 16)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


def bytes_mutation(rng: random.Random, data: bytes, donor: bytes) -> tuple[str, bytes]:
  """One byte-level mutation of `data`: its kind and the result."""
  data = bytearray(data or b"\0")
  kind = rng.choice(["flip", "truncate", "zero", "insert", "splice", "int32"])
  if kind == "flip":
    for _ in range(rng.randint(1, 8)):
      data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
  elif kind == "truncate":
    del data[rng.randrange(len(data)):]
  elif kind == "zero":
    start, length = rng.randrange(len(data)), rng.randint(1, 64)
    data[start:start + length] = bytes(len(data[start:start + length]))
  elif kind == "insert":
    at = rng.randrange(len(data) + 1)
    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
  elif kind == "splice":
    start, length = rng.randrange(len(donor)), rng.randint(4, 256)
    at = rng.randrange(len(data))
    data[at:at + length] = donor[start:start + length]
  else:
    at = rng.randrange(0, max(len(data) - 4, 1)) & ~3
    data[at:at + 4] = rng.choice(_SPECIAL_INTS).to_bytes(4, "little", signed=True)
  return kind, bytes(data)


def mutant(rng: random.Random, data: bytes, donor: bytes) -> tuple[str, bytes]:
  """One mutant of the model `data` (three in four structural, 1 to 3 edits): what was
  done, and the bytes."""
  if rng.random() < 0.75:
    try:
      model, other = unpack(data), unpack(donor)
      kinds = []
      for _ in range(rng.choice([1, 1, 1, 2, 3])):
        kind = rng.choice(sorted(STRUCTURAL))
        STRUCTURAL[kind](rng, model, other)
        kinds.append(kind)
      return "+".join(kinds), pack(model)
    except Exception:  # pylint: disable=broad-except  # a field the packer refuses
      pass
  kind, result = bytes_mutation(rng, data, donor)
  return "bytes:" + kind, result
