"""MEAN, SUM and REDUCE_MAX over constant axes: int8 and float32."""

import math

from tools import tflite_reader
from tools.aot import emitter
from tools.aot import limits
from tools.aot import quantization
from tools.aot.ops import data_movement
from tools.aot.registry import register


def _walks(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[str, dict, dict, int]:
  """Checks the shapes and axes; the comment and the kept and reduced walks, and the count."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  rank = len(x.shape)
  if rank > limits.MAX_DIMS:
    raise e.error(op, f"the input has rank {rank}",
                  f"the compiler reduces tensors of rank at most {limits.MAX_DIMS}")
  axes = e.constant_ints(op, 1, "axes")
  reduced = []
  for axis in axes:  # as TFLM's ResolveAxis: negative axes count from the end, repeats once
    if not -rank <= axis < rank:
      raise e.error(op, f"axis {axis} is outside the input's rank {rank}",
                    f"give axes from {-rank} to {rank - 1}")
    if axis % rank not in reduced:
      reduced.append(axis % rank)
  keep_dims = bool(op.options.get("keep_dims", False))
  shape = tuple(1 if d in reduced else n for d, n in enumerate(x.shape)
                if keep_dims or d not in reduced)
  if shape != y.shape:
    raise e.error(op, f"reducing shape {list(x.shape)} over axes {axes} (keep_dims "
                  f"{keep_dims}) gives shape {list(shape)}, but its output has shape "
                  f"{list(y.shape)}", "the model is inconsistent: convert it again")
  strides, kept = data_movement.strides(x.shape), [d for d in range(rank) if d not in reduced]
  # TFLM's Reduce visits the elements in the input's order: the reduced dimensions
  # in increasing order (float32 sums depend on it).
  reduced = sorted(reduced)
  return (f" axes {axes} keep_dims {keep_dims}",
          data_movement.walk([x.shape[d] for d in kept], [strides[d] for d in kept]),
          data_movement.walk([x.shape[d] for d in reduced], [strides[d] for d in reduced]),
          math.prod(x.shape[d] for d in reduced))


@register("MEAN", "SUM", types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's QuantizedMeanOrSum: for MEAN with 1 / count folded into the multiplier."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "int8")
  e.static_shapes(op, [x.index, y.index])
  if not x.quantization or not y.quantization or quantization.scale(x) <= 0 or (
      quantization.scale(y) <= 0):
    raise e.error(op, "an int8 tensor has no quantization or a scale of 0",
                  f"TFLM's int8 {op.opcode} needs positive scales: quantize the model fully")
  extra, kept, reduced, count = _walks(e, op)
  real = quantization.scale(x) / quantization.scale(y)
  multiplier, shift = (quantization.mean_multiplier(real, count) if op.opcode == "MEAN"
                       else quantization.quantize_multiplier(real))
  params = e.struct("tflm_rt_mean_s8_params", f"op{op.index}_params", {
      "input_offset": -quantization.zero_point(x), "output_offset": quantization.zero_point(y),
      "multiplier": multiplier, "shift": shift, "count": count, "kept": kept,
      "reduced": reduced})
  e.call(op, extra, f"tflm_rt_{op.opcode.lower()}_s8", params, e.operand(x.index),
         e.arena(y.index))


@register("MEAN", "SUM", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Mean for float (sums in the input's order, / count) and its
  ReduceGeneric with 0 and + (SUM)."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "float32")
  e.static_shapes(op, [x.index, y.index])
  extra, kept, reduced, count = _walks(e, op)
  n = op.index
  e.call(op, extra, f"tflm_rt_{op.opcode.lower()}_f32",
         e.struct("tflm_rt_walk", f"op{n}_kept", kept),
         e.struct("tflm_rt_walk", f"op{n}_reduced", reduced),
         *([str(count)] if op.opcode == "MEAN" else []), e.operand(x.index), e.arena(y.index))


@register("REDUCE_MAX", types=("int8", "float32"))
def emit_reduce_max(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's ReduceGeneric from the lowest value with >: the raw values compared, so int8
  needs one scale and zero point in and out, as TFLM checks."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], x.dtype)
  e.static_shapes(op, [x.index, y.index])
  if x.dtype == "int8":
    found = {(quantization.scale(t), quantization.zero_point(t)) for t in (x, y)}
    if len(found) != 1:
      raise e.error(op, "its input and output have different scales or zero points "
                    f"{sorted(found)}", "TFLM's int8 REDUCE_MAX refuses them: it compares the "
                    "raw values, so give the output the input's scale and zero point")
  extra, kept, reduced, _ = _walks(e, op)
  n, suffix = op.index, "s8" if x.dtype == "int8" else "f32"
  e.call(op, extra, f"tflm_rt_reduce_max_{suffix}",
         e.struct("tflm_rt_walk", f"op{n}_kept", kept),
         e.struct("tflm_rt_walk", f"op{n}_reduced", reduced), e.operand(x.index),
         e.arena(y.index))
