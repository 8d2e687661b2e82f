"""Constant folding: ops whose inputs are known at compile time become constants.

Keras writes the shape of a Reshape or Flatten as ops that run at every
inference (SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE) when the batch
dimension is left open. Every tensor of a .tflite has a static shape, so the
chain is a constant: `fold` evaluates it, as TFLM would, and the compiler sees
constants instead. An operator is folded when an evaluator below knows its
op and every input it reads is a constant (SHAPE reads only the shape of its
input). Folded ops, and ops whose outputs only folded ops read, leave no
code and no arena. An op that cannot be folded
(an option the evaluator does not take) stays, for its emitter to compile or
refuse.

The evaluators follow TFLM's reference kernels; the differential test
(folding_test.py) checks each against the TFLM interpreter.
"""

import dataclasses
import math
from typing import Callable

import numpy as np

from tools import common
from tools import tflite_reader
from tools.aot import emitter
from tools.aot import errors
from tools.aot.ops import data_movement

NUMPY_TYPES = emitter.NUMPY_TYPES

# Types whose values are exact numbers (no quantization): what arithmetic folds.
_PLAIN = ("int32", "int64", "float32")


class NotFoldable(Exception):
  """The evaluator does not take this operator's options or types: leave it to its emitter."""


def values(tensor: tflite_reader.Tensor) -> np.ndarray:
  """A constant tensor's values, in its shape."""
  return emitter.constant_values(tensor).reshape(tensor.shape)


def _axis(axis: int, rank: int) -> int:
  if not -rank <= axis < rank:
    raise NotFoldable
  return axis % rank


def _shape(op, inputs, tensors):
  return [np.array(tensors[op.inputs[0]].shape, dtype=NUMPY_TYPES[tensors[op.outputs[0]].dtype])]


def _pack(op, inputs, tensors):
  rank = inputs[0].ndim + 1
  return [np.stack(inputs, axis=_axis(op.options.get("axis", 0), rank))]


def _unpack(op, inputs, tensors):
  x = inputs[0]
  axis = _axis(op.options.get("axis", 0), x.ndim)
  return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def _strided_slice(op, inputs, tensors):
  o = op.options
  if o.get("ellipsis_mask", 0) or o.get("new_axis_mask", 0) or o.get("offset", False):
    raise NotFoldable
  x, begin, end, steps = inputs
  if not len(begin) == len(end) == len(steps) == x.ndim or 0 in steps:
    raise NotFoldable

  def bit(mask: str, d: int) -> bool:
    return bool(o.get(mask, 0) >> d & 1)

  kept_axes, index = [], []
  for d in range(x.ndim):
    start, count = data_movement.slice_axis(int(begin[d]), int(end[d]), int(steps[d]), x.shape[d],
                                            bit("begin_mask", d), bit("end_mask", d),
                                            bit("shrink_axis_mask", d))
    if bit("shrink_axis_mask", d) and count != 1:
      raise NotFoldable
    index.append(start + int(steps[d]) * np.arange(count))
    if not bit("shrink_axis_mask", d):
      kept_axes.append(count)
  return [x[np.ix_(*index)].reshape(kept_axes)]


def _gather(op, inputs, tensors):
  params, indices = inputs
  if op.options.get("batch_dims", 0):
    raise NotFoldable
  axis = _axis(op.options.get("axis", 0), params.ndim)
  _require_size(op, tensors, params.size // max(params.shape[axis], 1) * indices.size)
  if indices.size and (indices.min() < 0 or indices.max() >= params.shape[axis]):
    raise NotFoldable
  return [np.take(params, indices, axis=axis)]


def _cast(op, inputs, tensors):
  x, target = inputs[0], tensors[op.outputs[0]].dtype
  if target not in NUMPY_TYPES or (x.dtype.kind == "f" and target != "float32" and
                                   not np.all(np.isfinite(x))):
    raise NotFoldable
  if x.dtype.kind == "f" and target != "float32":
    info = np.iinfo(NUMPY_TYPES[target]) if target != "bool" else None
    if info is not None and (x.min(initial=0) < info.min or x.max(initial=0) > info.max):
      raise NotFoldable  # C's cast of an out-of-range float is undefined
  return [x.astype(NUMPY_TYPES[target])]


def _concatenation(op, inputs, tensors):
  if op.options.get("fused_activation_function", "NONE") != "NONE":
    raise NotFoldable
  if not _same_quantization([tensors[i] for i in (*op.inputs, *op.outputs)]):
    raise NotFoldable
  return [np.concatenate(inputs, axis=_axis(op.options.get("axis", 0), inputs[0].ndim))]


def _reduce_prod(op, inputs, tensors):
  x, axes = inputs
  if tensors[op.inputs[0]].dtype not in _PLAIN:
    raise NotFoldable
  axes = tuple(sorted({_axis(int(a), x.ndim) for a in axes.reshape(-1)}))
  return [np.prod(x, axis=axes, keepdims=bool(op.options.get("keep_dims", False)), dtype=x.dtype)]


def _reshape(op, inputs, tensors):
  return [inputs[0].reshape(tensors[op.outputs[0]].shape)]


def _expand_dims(op, inputs, tensors):
  x, axis = inputs
  return [np.expand_dims(x, _axis(int(axis.reshape(-1)[0]), x.ndim + 1))]


def _squeeze(op, inputs, tensors):
  x = inputs[0]
  dims = op.options.get("squeeze_dims") or [d for d in range(x.ndim) if x.shape[d] == 1]
  return [np.squeeze(x, axis=tuple(_axis(int(d), x.ndim) for d in dims))]


def _fill(op, inputs, tensors):
  dims, value = inputs
  if value.size != 1 or (dims < 0).any():
    raise NotFoldable
  _require_size(op, tensors, math.prod(int(d) for d in dims.reshape(-1)))
  return [np.full(tuple(int(d) for d in dims), value.reshape(-1)[0], dtype=value.dtype)]


# Fused activations as TFLM clamps float32 results (NONE too: infinities become the extremes).
_FLOAT_MAX = float(np.finfo(np.float32).max)
_CLAMPS = {"NONE": (-_FLOAT_MAX, _FLOAT_MAX), "RELU": (0, _FLOAT_MAX), "RELU6": (0, 6),
           "RELU_N1_TO_1": (-1, 1)}


def _arithmetic(function: Callable) -> Callable:
  def evaluate(op, inputs, tensors):
    a, b = inputs
    activation = op.options.get("fused_activation_function", "NONE")
    if (tensors[op.inputs[0]].dtype not in _PLAIN or a.dtype != b.dtype or
        activation not in _CLAMPS or (a.dtype.kind == "i" and activation != "NONE")):
      raise NotFoldable  # TFLM's integer kernels ignore a fused activation
    _require_size(op, tensors, math.prod(np.broadcast_shapes(a.shape, b.shape)))
    with np.errstate(all="ignore"):  # int32 wraps; float32 rounds as C does
      result = function(a, b)
    if a.dtype.kind == "f":
      result = np.clip(result, *_CLAMPS[activation]).astype(a.dtype)
    return [result]
  return evaluate


def _less(op, inputs, tensors):
  a, b = inputs
  if tensors[op.inputs[0]].dtype not in _PLAIN or a.dtype != b.dtype:
    raise NotFoldable  # TFLM compares int8 rescaled
  _require_size(op, tensors, math.prod(np.broadcast_shapes(a.shape, b.shape)))
  return [np.less(a, b)]


def _select(op, inputs, tensors):
  condition, x, y = inputs
  if op.opcode == "SELECT":  # TF Lite's: x and y of one shape, a condition of it or lower rank
    if x.shape != y.shape or condition.shape not in (x.shape, (), x.shape[:1]):
      raise NotFoldable
    condition = condition.reshape(condition.shape + (1,) * (x.ndim - condition.ndim))
  _require_size(op, tensors, math.prod(np.broadcast_shapes(condition.shape, x.shape, y.shape)))
  return [np.where(condition, x, y)]


def _tile(op, inputs, tensors):
  x, multiples = inputs
  if multiples.dtype.kind != "i" or multiples.size != x.ndim or np.any(multiples < 1):
    raise NotFoldable
  _require_size(op, tensors, x.size * math.prod(int(m) for m in multiples))
  return [np.tile(x, [int(m) for m in multiples])]


def _require_size(op, tensors, elements: int) -> None:
  """Refuses, before computing it, an output of another size than its tensor declares (a
  model may ask for far more than its file holds)."""
  if elements != math.prod(tensors[op.outputs[0]].shape):
    raise NotFoldable


def _same_quantization(tensors: list[tflite_reader.Tensor]) -> bool:
  found = {(t.quantization.scales, t.quantization.zero_points) if t.quantization else None
           for t in tensors}
  return len(found) == 1


EVALUATORS: dict[str, Callable] = {
    "SHAPE": _shape,
    "PACK": _pack,
    "UNPACK": _unpack,
    "STRIDED_SLICE": _strided_slice,
    "GATHER": _gather,
    "CAST": _cast,
    "CONCATENATION": _concatenation,
    "REDUCE_PROD": _reduce_prod,
    "RESHAPE": _reshape,
    "EXPAND_DIMS": _expand_dims,
    "SQUEEZE": _squeeze,
    "FILL": _fill,
    "ADD": _arithmetic(np.add),
    "SUB": _arithmetic(np.subtract),
    "MUL": _arithmetic(np.multiply),
    "LESS": _less,
    "SELECT": _select,
    "SELECT_V2": _select,
    "TILE": _tile,
}

# Inputs an evaluator never reads: SHAPE's input (only its shape) and
# RESHAPE's shape (the output tensor has it).
_SHAPE_ONLY = {("SHAPE", 0), ("RESHAPE", 1)}


def _known(op: tflite_reader.Operator, tensors) -> list[np.ndarray] | None:
  """The values of the inputs `op` reads, or None while one of them is not known (or
  a tensor of the op has a type folding does not compute in)."""
  if any(tensors[i].dtype not in NUMPY_TYPES for i in (*op.inputs, *op.outputs) if i >= 0):
    return None
  found = []
  for position, index in enumerate(op.inputs):
    if index < 0 or (op.opcode, position) in _SHAPE_ONLY:
      if index >= 0 and op.opcode == "SHAPE" and min(tensors[index].shape, default=1) < 1:
        return None
      continue
    if tensors[index].buffer is None:
      return None
    found.append(values(tensors[index]))
  return found


def evaluate(op: tflite_reader.Operator, tensors) -> list[np.ndarray] | None:
  """The values of the operator's outputs, or None when it cannot be folded."""
  evaluator = EVALUATORS.get(op.opcode)
  known = _known(op, tensors) if evaluator else None
  if known is None:
    return None
  try:
    return evaluator(op, known, tensors)
  except (NotFoldable, ValueError, IndexError, TypeError, OverflowError):  # what it does not take
    return None


def fold(graph: tflite_reader.Subgraph, label: str) -> tflite_reader.Subgraph:
  """The graph with every foldable operator evaluated: its outputs constants, the operator gone."""
  tensors = list(graph.tensors)
  kept = []
  for op in graph.operators:
    outputs = evaluate(op, tensors)
    if outputs is None:
      kept.append(op)
      continue
    for index, value in zip(op.outputs, outputs):
      tensors[index] = _as_constant(tensors[index], value, op, label)
  for i in graph.outputs:
    if tensors[i].buffer is not None:
      raise common.ToolError(
          f"{label}: output tensor {i} is a constant, computed at compile time; the compiler "
          "writes no code for it: drop the output, or compute it in your firmware")
  return dataclasses.replace(graph, tensors=tuple(tensors), operators=_live(kept, graph.outputs))


def _live(operators: list[tflite_reader.Operator], outputs) -> tuple[tflite_reader.Operator, ...]:
  """The operators whose outputs something reads: a RESHAPE that only fed a SHAPE goes too."""
  read, live = set(outputs), []
  for op in reversed(operators):
    if read & set(op.outputs):
      live.append(op)
      read.update(op.inputs)
  return tuple(reversed(live))


def shaped(value: np.ndarray, tensor: tflite_reader.Tensor) -> np.ndarray | None:
  """`value` in the shape of the output `tensor`, which may add leading 1s (as TFLM's
  broadcasting ops allow), or None when the two disagree."""
  try:
    same = np.broadcast_shapes(value.shape, tensor.shape) == tuple(tensor.shape)
  except ValueError:
    return None
  return value.reshape(tensor.shape) if same and value.size == math.prod(tensor.shape) else None


def _as_constant(tensor: tflite_reader.Tensor, value: np.ndarray, op: tflite_reader.Operator,
                 label: str) -> tflite_reader.Tensor:
  reshaped = shaped(value, tensor)
  if reshaped is None:
    raise errors.OpErrors([errors.OpError(
        label, op.index, op.opcode, f"computing it at compile time gives shape "
        f"{list(value.shape)}, but its output tensor {tensor.index} has shape {list(tensor.shape)}",
        "the model is inconsistent: convert it again", errors.tensor_name(tensor))])
  data = np.ascontiguousarray(reshaped, dtype=NUMPY_TYPES[tensor.dtype]).tobytes()
  return dataclasses.replace(tensor, buffer=data)
