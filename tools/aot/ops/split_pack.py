"""SPLIT, SPLIT_V and UNPACK (one tensor into several) and PACK (several into one), int8 and
float32: blocks of bytes copied as TFLM's kernels copy them. TFLM neither checks nor changes
the quantization of these ops, so neither does the compiler: the bytes are moved as they are."""

import math

from tools import tflite_reader
from tools.aot import emitter
from tools.aot.registry import register

_TYPES = ("int8", "float32")
_CONVERT = "the model is inconsistent: convert it again"


def _check(e: emitter.Emitter, op: tflite_reader.Operator, data: list[int]) -> None:
  """Raises unless the data inputs at `data` and every output share one type and have static
  shapes."""
  indices = list(data) + list(op.outputs)
  e.same_types(op, indices, e.tensors[indices[0]].dtype)
  e.static_shapes(op, indices)


def _axis(e: emitter.Emitter, op: tflite_reader.Operator, axis: int, rank: int,
          what: str) -> int:
  """`axis` counted from 0, if it is one of the `rank` dimensions of `what`."""
  if not -rank <= axis < rank:
    raise e.error(op, f"axis {axis} is outside the {what}'s rank {rank}",
                  f"give an axis from {-rank} to {rank - 1}")
  return axis % rank


def _constant_axis(e: emitter.Emitter, op: tflite_reader.Operator, position: int,
                   rank: int) -> int:
  """SPLIT's or SPLIT_V's axis: the one int32 value of a constant input, as TFLM reads it."""
  values = e.constant_ints(op, position, "axis values")
  if len(values) != 1:
    raise e.error(op, f"its axis tensor holds {len(values)} values",
                  "TFLM reads one: give the axis as a scalar")
  return _axis(e, op, values[0], rank, "input")


def _split(e: emitter.Emitter, op: tflite_reader.Operator, x: tflite_reader.Tensor, axis: int,
           parts: list[int], extra: str) -> None:
  """One tflm_rt_split per output: output i takes parts[i] indices along `axis` of x, after
  those of the outputs before it, block by block of the dimensions before the axis."""
  blocks, inner = math.prod(x.shape[:axis]), math.prod(x.shape[axis + 1:])
  size, stride = x.element_size, x.shape[axis] * inner * x.element_size
  e.body.append(e.comment(op, extra))
  offset = 0
  for index, part in zip(op.outputs, parts):
    source = e.operand(x.index) + (f" + {offset}" if offset else "")
    e.body.append(f"  tflm_rt_split({blocks}, {part * inner * size}, {stride}, {source}, "
                  f"{e.arena(index)});")
    offset += part * inner


def _split_parts(e: emitter.Emitter, op: tflite_reader.Operator, x: tflite_reader.Tensor,
                 axis: int) -> list[int]:
  """The outputs' sizes along `axis`; raises unless the outputs are x cut along it."""
  outputs = [e.tensors[i] for i in op.outputs]
  parts = [y.shape[axis] if len(y.shape) == len(x.shape) else 0 for y in outputs]
  rest = x.shape[:axis] + x.shape[axis + 1:]
  if any(len(y.shape) != len(x.shape) or y.shape[:axis] + y.shape[axis + 1:] != rest
         for y in outputs) or sum(parts) != x.shape[axis]:
    raise e.error(op, f"outputs of shapes {[list(y.shape) for y in outputs]} do not cut shape "
                  f"{list(x.shape)} along axis {axis}", _CONVERT)
  return parts


@register("SPLIT", types=_TYPES)
def emit_split(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Split kernel: num_splits equal parts along the constant axis (input 0)."""
  x = e.tensors[op.inputs[1]]
  _check(e, op, [x.index])
  axis = _constant_axis(e, op, 0, len(x.shape))
  count = op.options.get("num_splits", 0)
  if count != len(op.outputs):
    raise e.error(op, f"num_splits is {count} for {len(op.outputs)} outputs", _CONVERT)
  parts = _split_parts(e, op, x, axis)
  if len(set(parts)) != 1:
    raise e.error(op, f"its outputs have sizes {parts} along axis {axis}",
                  "TFLM's SPLIT cuts equal parts (SPLIT_V cuts others)")
  _split(e, op, x, axis, parts, f" axis {axis} into {count}")


@register("SPLIT_V", types=_TYPES)
def emit_split_v(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's SplitV kernel: the parts the outputs' shapes give along the constant axis
  (input 2). TFLM does not read size_splits (input 1); a constant one must agree with them."""
  x, sizes = e.tensors[op.inputs[0]], e.tensors[op.inputs[1]]
  _check(e, op, [x.index])
  axis = _constant_axis(e, op, 2, len(x.shape))
  parts = _split_parts(e, op, x, axis)
  if sizes.buffer is not None and sizes.dtype in ("int32", "int64"):
    given = [int(v) for v in emitter.constant_values(sizes)]
    if len(given) != len(parts) or given.count(-1) > 1 or any(
        s not in (-1, p) for s, p in zip(given, parts)):
      raise e.error(op, f"size_splits {given} do not give the outputs' sizes {parts} along "
                    f"axis {axis}", _CONVERT)
  _split(e, op, x, axis, parts, f" axis {axis} into {parts}")


@register("UNPACK", types=_TYPES)
def emit_unpack(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Unpack kernel: output i is index i along the axis, the axis dropped."""
  x = e.tensors[op.inputs[0]]
  _check(e, op, [x.index])
  axis = _axis(e, op, op.options.get("axis", 0), len(x.shape), "input")
  count = op.options.get("num", 0)
  if not count == len(op.outputs) == x.shape[axis]:
    raise e.error(op, f"num is {count} for {len(op.outputs)} outputs and an input of "
                  f"{x.shape[axis]} along axis {axis}", _CONVERT)
  rest = x.shape[:axis] + x.shape[axis + 1:]
  if any(e.tensors[i].shape != rest for i in op.outputs):
    raise e.error(op, f"unpacking shape {list(x.shape)} along axis {axis} gives shape "
                  f"{list(rest)}, but its outputs have shapes "
                  f"{[list(e.tensors[i].shape) for i in op.outputs]}", _CONVERT)
  _split(e, op, x, axis, [1] * count, f" axis {axis}")


@register("PACK", types=_TYPES)
def emit_pack(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Pack kernel: the inputs stacked along a new axis, one tflm_rt_concat each
  (an input is a block of 1 along the axis)."""
  inputs, y = [e.tensors[i] for i in op.inputs], e.tensors[op.outputs[0]]
  _check(e, op, op.inputs)
  count = op.options.get("values_count", 0)
  if count != len(inputs):
    raise e.error(op, f"values_count is {count} for {len(inputs)} inputs", _CONVERT)
  axis = _axis(e, op, op.options.get("axis", 0), len(y.shape), "output")
  shape = inputs[0].shape[:axis] + (count,) + inputs[0].shape[axis:]
  if any(t.shape != inputs[0].shape for t in inputs) or shape != y.shape:
    raise e.error(op, f"stacking shapes {[list(t.shape) for t in inputs]} along axis {axis} "
                  f"does not give shape {list(y.shape)}", _CONVERT)
  blocks, inner = math.prod(y.shape[:axis]), math.prod(y.shape[axis + 1:])
  size = y.element_size
  e.body.append(e.comment(op, f" axis {axis}"))
  for i, t in enumerate(inputs):
    output = e.arena(y.index) + (f" + {i * inner}" if i else "")
    e.body.append(f"  tflm_rt_concat({blocks}, {inner * size}, {count * inner * size}, "
                  f"{e.operand(t.index)}, {output});")
