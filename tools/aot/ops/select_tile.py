"""SELECT, SELECT_V2 and TILE (Keras 3's Embedding and nearest UpSampling2D): int8, float32
and int32, the bytes moved as they are. TFLM has no SELECT or TILE and no int32 SELECT_V2;
these do what TF Lite's reference kernels do."""

from tools import tflite_reader
from tools.aot import emitter
from tools.aot import limits
from tools.aot.ops import binary
from tools.aot.ops import data_movement
from tools.aot.registry import register


@register("SELECT", "SELECT_V2", types=("int8", "float32", "int32"))
def emit_select(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TF Lite's Select (TFLM has SELECT_V2 for int8 and float32 only): x where the bool
  condition holds, else y, the bytes copied. SELECT_V2 broadcasts all three; SELECT takes
  x and y of one shape and a condition of that shape, of x's first dimension or a scalar."""
  condition, x, y_in, y = (e.tensors[i] for i in (*op.inputs, op.outputs[0]))
  e.same_types(op, [condition.index], "bool")
  data_movement.check(e, op, [x.index, y_in.index])
  e.static_shapes(op, [condition.index])
  condition_shape = condition.shape
  if op.opcode == "SELECT":
    low_rank = not condition.shape or (len(condition.shape) == 1 and
                                       x.shape[:1] == condition.shape)
    if x.shape != y_in.shape or y.shape != x.shape or not (condition.shape == x.shape or
                                                           low_rank):
      raise e.error(op, f"condition {list(condition.shape)}, x {list(x.shape)} and y "
                    f"{list(y_in.shape)} give output {list(y.shape)}",
                    "TF Lite's SELECT takes x, y and the output of one shape and a condition of "
                    "that shape, of x's first dimension or a scalar: broadcast with SELECT_V2")
    condition_shape = condition.shape + (1,) * (len(x.shape) - len(condition.shape))
  condition_x = binary.broadcast(e, op, condition_shape, x.shape, "condition_x")
  y_broadcast = binary.broadcast(e, op, y_in.shape, y_in.shape, "y")
  e.call(op, "", "tflm_rt_select", condition_x, y_broadcast, str(e.size(y.index)),
         str(y.element_size), e.operand(condition.index), e.operand(x.index),
         e.operand(y_in.index), e.arena(y.index))


def _multiples(e: emitter.Emitter, op: tflite_reader.Operator) -> list[int]:
  """TILE's constant multiples, int32 or int64 as TF Lite reads them."""
  index = op.inputs[1]
  tensor = e.tensors[index]
  if tensor.buffer is None:
    raise e.error(op, "its multiples come from a tensor that is not constant",
                  "the compiler reads the multiples at compile time: make them a constant")
  if tensor.dtype not in ("int32", "int64"):
    raise e.error(op, f"its multiples are of type {tensor.dtype}",
                  "TF Lite reads them as int32 or int64: write them so")
  return [int(v) for v in emitter.constant_values(tensor)]


@register("TILE", types=("int8", "float32", "int32"))
def emit_tile(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TF Lite's Tile (TFLM has none): the output in order, a walk of the input that goes
  along each input dimension's repeats (step 0), then along the dimension (its stride)."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  data_movement.check(e, op, [x.index])
  multiples = _multiples(e, op)
  shape = tuple(d * m for d, m in zip(x.shape, multiples))
  if len(multiples) != len(x.shape) or min(multiples, default=1) < 1 or shape != y.shape:
    raise e.error(op, f"tiling shape {list(x.shape)} by {multiples} does not give the output "
                  f"shape {list(y.shape)}", "give one multiple of 1 or more per dimension")
  counts, steps = [], []
  for size, repeat, stride in zip(x.shape, multiples, data_movement.strides(x.shape)):
    for count, step in ((repeat, 0), (size, stride)):
      if count == 1:
        continue
      if counts and steps[-1] == step * count:  # one walk with the enclosing dimension
        counts[-1], steps[-1] = counts[-1] * count, step
      else:
        counts.append(count)
        steps.append(step)
  if len(counts) > limits.MAX_DIMS:
    raise e.error(op, f"tiling shape {list(x.shape)} by {multiples} walks {len(counts)} nested "
                  "dimensions", f"the compiler walks at most {limits.MAX_DIMS}: tile fewer "
                  "dimensions at a time, or reshape to merge them")
  walk_ref = e.struct("tflm_rt_walk", f"op{op.index}_walk", data_movement.walk(counts, steps))
  e.call(op, f" multiples {multiples}", "tflm_rt_strided_slice", walk_ref, "0",
         str(x.element_size), e.operand(x.index), e.arena(y.index))
