"""ARG_MAX and ARG_MIN over one constant axis: int8 and float32 in, int32 out."""

import math

from tools import tflite_reader
from tools.aot import emitter
from tools.aot.registry import register


@register("ARG_MAX", "ARG_MIN", types=("int8 to int32", "float32 to int32"))
def emit_arg_min_max(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's micro kernel: the input seen as [outer, axis, inner], raw values compared."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.static_shapes(op, [x.index, y.index])
  axes = e.constant_ints(op, 1, "axis")
  rank = len(x.shape)
  if len(axes) != 1:
    raise e.error(op, f"its axis tensor holds {len(axes)} values",
                  f"{op.opcode} takes one axis: give it as a scalar or a tensor of one value")
  (axis,) = axes
  if not -rank <= axis < rank:
    raise e.error(op, f"axis {axis} is outside the input's rank {rank}",
                  f"give an axis from {-rank} to {rank - 1}")
  axis %= rank
  shape = x.shape[:axis] + x.shape[axis + 1:]
  if tuple(y.shape) != shape:
    raise e.error(op, f"shape {list(x.shape)} without axis {axis} is {list(shape)}, but its "
                  f"output has shape {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  suffix = "s8" if x.dtype == "int8" else "f32"
  outer, inner = math.prod(x.shape[:axis]), math.prod(x.shape[axis + 1:])
  e.call(op, f" axis {axes[0]}", f"tflm_rt_{op.opcode.lower()}_{suffix}", str(outer),
         str(x.shape[axis]), str(inner), e.operand(x.index), e.arena(y.index))
