"""PAD, PADV2, CONCATENATION, STRIDED_SLICE, TRANSPOSE, DEPTH_TO_SPACE, SPACE_TO_DEPTH,
GATHER, RESHAPE, SQUEEZE and EXPAND_DIMS: int8 and float32 (the bytes moved as they are),
RESHAPE, SQUEEZE and EXPAND_DIMS any type."""

import math

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import limits
from tools.aot import quantization
from tools.aot.registry import ANY
from tools.aot.registry import register

_TYPES = ("int8", "float32")


def extended(values, fill: int) -> list[int]:
  """Values of the trailing dimensions, extended at the front to limits.MAX_DIMS."""
  return [fill] * (limits.MAX_DIMS - len(values)) + [int(v) for v in values]


def strides(shape) -> list[int]:
  """Elements between neighbours along each dimension of a row-major tensor."""
  return [math.prod(shape[d + 1:]) for d in range(len(shape))]


def walk(counts: list[int], steps: list[int]) -> dict[str, list[int]]:
  """The fields of a tflm_rt_walk, extended at the front to limits.MAX_DIMS."""
  return {"count": extended(counts, 1), "step": extended(steps, 0)}


def check(e: emitter.Emitter, op: tflite_reader.Operator, indices) -> str:
  """Checks that the tensors and the output share the output's type and have static shapes;
  the output's type."""
  dtype = e.tensors[op.outputs[0]].dtype
  e.same_types(op, list(indices), dtype)
  e.static_shapes(op, list(indices) + [op.outputs[0]])
  return dtype


@register("RESHAPE", "SQUEEZE", "EXPAND_DIMS", types=(ANY,))
def emit_copy(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """The bytes copied (forwards or backwards, as the overlap in the arena needs), if they move."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if x.buffer is None and e.plan.offsets[x.index] == e.plan.offsets[y.index]:
    e.body.append(e.comment(op, " (in place: nothing to copy)"))
    return
  source = e.constant(x.index) if x.buffer is not None else e.arena(x.index, "uint8_t")
  e.call(op, "", "tflm_rt_copy", str(y.num_bytes), source, e.arena(y.index, "uint8_t"))


def _pad_value(e: emitter.Emitter, op: tflite_reader.Operator, dtype: str) -> str:
  """PAD's padding value (the output zero point, or 0.0f) or PADV2's constant, as C."""
  y = e.tensors[op.outputs[0]]
  index = op.inputs[2] if len(op.inputs) > 2 else -1
  if index < 0:
    if dtype == "float32":
      return "0.0f"
    value = quantization.zero_point(y)
    if not -128 <= value <= 127:
      raise e.error(op, f"the output zero point {value} is outside int8",
                    "TFLM requires it within [-128, 127]")
    return str(value)
  c = e.tensors[index]
  if c.buffer is None or c.dtype != dtype or len(emitter.constant_values(c)) != 1:
    raise e.error(op, f"the padding value is not a constant {dtype} scalar",
                  "the compiler supports only that")
  if dtype == "float32":
    return c_syntax.c_float(emitter.constant_values(c)[0])
  if quantization.scale(c) != quantization.scale(y) or (
      quantization.zero_point(c) != quantization.zero_point(y)):
    raise e.error(op, "the padding value is quantized differently from the output",
                  "TFLM requires the same scale and zero point")
  return str(int(emitter.constant_values(c)[0]))


@register("PAD", "PADV2", types=_TYPES)
def emit_pad(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Pad: the paddings (and PADV2's value) read at compile time."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  dtype = check(e, op, [x.index])
  rank = len(x.shape)
  if rank > limits.MAX_DIMS:
    raise e.error(op, f"the input has rank {rank}",
                  f"TFLM pads tensors of rank at most {limits.MAX_DIMS}")
  paddings = e.constant_ints(op, 1, "paddings")
  if len(paddings) != 2 * rank or len(y.shape) != rank:
    raise e.error(op, f"{len(paddings)} paddings for an input of rank {rank} and an output of "
                  f"rank {len(y.shape)}", "give one [before, after] pair per dimension")
  before, after = paddings[0::2], paddings[1::2]
  padded = tuple(b + n + a for b, n, a in zip(before, x.shape, after))
  if min(paddings) < 0 or padded != y.shape:
    raise e.error(op, f"padding shape {list(x.shape)} by {paddings} does not give the output "
                  f"shape {list(y.shape)}",
                  "the paddings must be non-negative and give the output shape")
  value = _pad_value(e, op, dtype)
  ctype = c_syntax.C_TYPES[dtype]
  shape = e.struct("tflm_rt_pad_shape", f"op{op.index}_shape", {
      "input_shape": extended(x.shape, 1), "before": extended(before, 0),
      "after": extended(after, 0)})
  e.constants.append(f"static const {ctype} op{op.index}_value = {value};\n")
  e.call(op, f" value {value}", "tflm_rt_pad", f"&op{op.index}_value", shape,
         str(x.element_size), e.operand(x.index), e.arena(y.index))


@register("CONCATENATION", types=_TYPES)
def emit_concatenation(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Concatenation: one block copy per input, into its place."""
  inputs, y = [e.tensors[i] for i in op.inputs], e.tensors[op.outputs[0]]
  dtype = check(e, op, op.inputs)
  activation = op.options.get("fused_activation_function", "NONE")
  if activation != "NONE":
    raise e.error(op, f"fused activation {activation} is not supported",
                  "TFLM's CONCATENATION supports only NONE")
  if len(inputs) > 10:
    raise e.error(op, f"it has {len(inputs)} inputs", "TFLM concatenates at most 10")
  rank, axis = len(y.shape), op.options.get("axis", 0)
  if not -rank <= axis < rank:
    raise e.error(op, f"axis {axis} is outside the output's rank {rank}",
                  f"give an axis from {-rank} to {rank - 1}")
  axis %= rank
  others = y.shape[:axis] + y.shape[axis + 1:]
  if (any(len(t.shape) != rank or t.shape[:axis] + t.shape[axis + 1:] != others for t in inputs) or
      sum(t.shape[axis] for t in inputs) != y.shape[axis]):
    raise e.error(op, f"shapes {[list(t.shape) for t in inputs]} joined along axis {axis} do "
                  f"not give shape {list(y.shape)}", "the shapes must agree but along the axis")
  for t in inputs if dtype == "int8" else []:
    if quantization.scale(t) != quantization.scale(y) or (
        quantization.zero_point(t) != quantization.zero_point(y)):
      raise e.error(op, f"input \"{t.name}\" has scale {quantization.scale(t)} and zero point "
                    f"{quantization.zero_point(t)} but the output scale "
                    f"{quantization.scale(y)} and zero point {quantization.zero_point(y)}",
                    "TFLM requires every input to share the output's: requantize the inputs")
  blocks, inner = math.prod(y.shape[:axis]), math.prod(y.shape[axis + 1:])
  e.body.append(e.comment(op, f" axis {axis}"))
  offset = 0
  size = y.element_size
  for t in inputs:
    output = e.arena(y.index) + (f" + {offset}" if offset else "")
    e.body.append(f"  tflm_rt_concat({blocks}, {t.shape[axis] * inner * size}, "
                  f"{y.shape[axis] * inner * size}, {e.operand(t.index)}, {output});")
    offset += t.shape[axis] * inner


def slice_axis(begin: int, end: int, stride: int, size: int, begin_masked: bool,
                end_masked: bool, shrink: bool) -> tuple[int, int]:
  """The first index and the number of indices TFLM's StridedSlice visits along one axis.

  As TFLM's StridedSliceStartForAxis and StridedSliceEndForAxis: negative
  indices count from the end, then clamp to [0, size] going forwards or
  [-1, size - 1] going backwards; a shrunk axis ends one past its start.
  """
  low, high = (0, size) if stride > 0 else (-1, size - 1)
  start = min(max(begin + size if begin < 0 else begin, low), high)
  if begin_masked:
    start = 0 if stride > 0 else size - 1
  if shrink:
    stop = start if start >= size else start + 1
  else:
    stop = min(max(end + size if end < 0 else end, low), high)
    if end_masked:
      stop = size if stride > 0 else -1
  return start, len(range(start, stop, stride))


@register("STRIDED_SLICE", types=_TYPES)
def emit_strided_slice(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::StridedSlice: the index ranges resolved into one walk."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  check(e, op, [x.index])
  o = op.options
  for mask in ("ellipsis_mask", "new_axis_mask"):
    if o.get(mask, 0):
      raise e.error(op, f"{mask} is {o[mask]}", "TFLM's STRIDED_SLICE does not implement "
                    "ellipsis_mask or new_axis_mask, so the compiler supports only 0")
  if o.get("offset", False):
    raise e.error(op, "offset is set", "TFLM's STRIDED_SLICE ignores it (it reads end as an "
                  "index, not an offset from begin), so the compiler supports only offset false")
  rank = len(x.shape)
  if rank > 4:
    raise e.error(op, f"the input has rank {rank}", "TFLM slices tensors of rank at most 4")
  begin, end, steps = (e.constant_ints(op, i, what) for i, what in
                       ((1, "begin"), (2, "end"), (3, "strides")))
  if not len(begin) == len(end) == len(steps) == rank:
    raise e.error(op, f"{len(begin)} begin, {len(end)} end and {len(steps)} strides values for "
                  f"an input of rank {rank}", "give one of each per dimension")
  if 0 in steps:
    raise e.error(op, f"strides {steps} hold a 0", "TFLM requires them non-zero")

  def bit(mask: str, d: int) -> bool:
    return bool(o.get(mask, 0) >> d & 1)

  axes = [slice_axis(begin[d], end[d], steps[d], x.shape[d], bit("begin_mask", d),
                      bit("end_mask", d), bit("shrink_axis_mask", d)) for d in range(rank)]
  for d in range(rank):
    if bit("shrink_axis_mask", d) and axes[d][1] != 1:
      raise e.error(op, f"it shrinks axis {d} at index {begin[d]} with stride {steps[d]}",
                    "TFLM writes nothing for it (a shrunk axis needs an index inside the "
                    "dimension and a positive stride), so the compiler refuses it")
  shape = tuple(count for d, (_, count) in enumerate(axes) if not bit("shrink_axis_mask", d))
  if shape != y.shape:
    raise e.error(op, f"slicing shape {list(x.shape)} with begin {begin}, end {end} and strides "
                  f"{steps} gives shape {list(shape)}, but its output has shape {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  in_strides = strides(x.shape)
  start = sum(first * s for (first, _), s in zip(axes, in_strides))
  walk_ref = e.struct("tflm_rt_walk", f"op{op.index}_walk",
                      walk([count for _, count in axes], [st * s for st, s in zip(steps, in_strides)]))
  e.call(op, f" begin {begin} end {end} strides {steps}", "tflm_rt_strided_slice", walk_ref,
         str(start), str(x.element_size), e.operand(x.index), e.arena(y.index))


@register("TRANSPOSE", types=_TYPES)
def emit_transpose(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Transpose: the output in order, a walk of the input whose
  step along output dimension d is the input's stride along perm[d]."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  check(e, op, [x.index])
  rank = len(x.shape)
  if rank > limits.MAX_DIMS:
    raise e.error(op, f"the input has rank {rank}",
                  f"TFLM transposes tensors of rank at most {limits.MAX_DIMS}")
  perm = e.constant_ints(op, 1, "permutation")
  if sorted(perm) != list(range(rank)):
    raise e.error(op, f"the permutation {perm} is not one of the dimensions 0 to {rank - 1}",
                  "TFLM needs each dimension once, none negative")
  shape = tuple(x.shape[p] for p in perm)
  if shape != y.shape:
    raise e.error(op, f"permuting shape {list(x.shape)} by {perm} gives {list(shape)}, but its "
                  f"output has shape {list(y.shape)}", "the model is inconsistent: convert it again")
  in_strides = strides(x.shape)
  walk_ref = e.struct("tflm_rt_walk", f"op{op.index}_walk",
                      walk(list(shape), [in_strides[p] for p in perm]))
  e.call(op, f" perm {perm}", "tflm_rt_strided_slice", walk_ref, "0", str(x.element_size),
         e.operand(x.index), e.arena(y.index))


def _gather_axes(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[int, int]:
  """GATHER's axis and batch_dims, negative ones resolved, checked as TFLM's GatherPrepare."""
  x, indices = e.tensors[op.inputs[0]], e.tensors[op.inputs[1]]
  rank, index_rank = len(x.shape), len(indices.shape)
  axis, batch_dims = op.options.get("axis", 0), op.options.get("batch_dims", 0)
  axis += rank if axis < 0 else 0
  batch_dims += index_rank if batch_dims < 0 else 0
  if not 0 <= axis < rank:
    raise e.error(op, f"axis {op.options.get('axis', 0)} is outside the params' rank {rank}",
                  f"give an axis from {-rank} to {rank - 1}")
  if not 0 <= batch_dims <= min(axis, index_rank) or batch_dims >= rank:
    raise e.error(op, f"batch_dims {op.options.get('batch_dims', 0)} does not fit axis {axis}, "
                  f"params of rank {rank} and indices of rank {index_rank}",
                  "TFLM needs 0 <= batch_dims <= axis, below the params' rank and at most the "
                  "indices' rank (negative counts from the indices' rank)")
  if x.shape[:batch_dims] != indices.shape[:batch_dims]:
    raise e.error(op, f"params {list(x.shape)} and indices {list(indices.shape)} differ in "
                  f"their first {batch_dims} (batch) dimensions", "TFLM needs them equal")
  return axis, batch_dims


@register("GATHER", types=_TYPES)
def emit_gather(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Gather (gather.cc): slices of the params copied in the order of the indices.
  Indices known at compile time must be in range; others are checked at run time, where one
  out of range makes <prefix>_invoke return the op's index + 1 (TFLM's invoke fails too)."""
  x, indices, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  check(e, op, [x.index])
  e.static_shapes(op, [indices.index])
  if indices.dtype != "int32":
    raise e.error(op, f"its indices are {indices.dtype}", "TFLM's GATHER takes int32 indices "
                  "only: convert the model with int32 indices")
  axis, batch_dims = _gather_axes(e, op)
  shape = x.shape[:axis] + indices.shape[batch_dims:] + x.shape[axis + 1:]
  if shape != y.shape:
    raise e.error(op, f"gathering {list(indices.shape)} indices from params {list(x.shape)} "
                  f"along axis {axis} gives shape {list(shape)}, but its output has shape "
                  f"{list(y.shape)}", "the model is inconsistent: convert it again")
  if indices.buffer is not None:
    values = emitter.constant_values(indices)
    if values.size and (values.min() < 0 or values.max() >= x.shape[axis]):
      raise e.error(op, f"its constant indices reach outside [0, {x.shape[axis]})",
                    "TFLM's GATHER fails on them: give indices inside the axis")
  batches, outer = math.prod(x.shape[:batch_dims]), math.prod(x.shape[batch_dims:axis])
  coords = math.prod(indices.shape[batch_dims:])
  slice_bytes = math.prod(x.shape[axis + 1:]) * x.element_size
  e.checked_call(op, f" axis {axis} batch_dims {batch_dims}", "tflm_rt_gather", str(batches),
                 str(outer), str(x.shape[axis]), str(coords), str(slice_bytes),
                 e.operand(indices.index), e.operand(x.index), e.arena(y.index))


@register("DEPTH_TO_SPACE", "SPACE_TO_DEPTH", types=_TYPES)
def emit_depth_space(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::DepthToSpace and SpaceToDepth: the output in order, one walk of
  the input. Batch and block row merge into one dimension, so five are enough: (batch and
  row, block row, column, block column, channel) of the output for DEPTH_TO_SPACE, (batch and
  row, column, block row, block column, channel) for SPACE_TO_DEPTH."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  dtype = check(e, op, [x.index])
  if len(x.shape) != 4:
    raise e.error(op, f"the input has shape {list(x.shape)}",
                  "TFLM rearranges 4-D tensors (batch, height, width, channels) only")
  block = int(op.options.get("block_size", 0))
  if block < 1:
    raise e.error(op, f"its block size is {block}", "TFLM needs a block size of 1 or more")
  batches, height, width, depth = x.shape
  if op.opcode == "DEPTH_TO_SPACE":
    if depth % (block * block):
      raise e.error(op, f"its input's {depth} channels are not a multiple of the block size "
                    f"{block} squared", "TFLM requires them to be")
    shape = (batches, height * block, width * block, depth // (block * block))
    counts = [batches * height, block, width, block, shape[3]]
    steps = [width * depth, block * shape[3], depth, shape[3], 1]
  else:
    if height % block or width % block:
      raise e.error(op, f"its input's height {height} and width {width} are not multiples of "
                    f"the block size {block}", "TFLM requires them to be")
    shape = (batches, height // block, width // block, depth * block * block)
    counts = [batches * shape[1], shape[2], block, block, depth]
    steps = [block * width * depth, block * depth, width * depth, depth, 1]
  if shape != y.shape:
    raise e.error(op, f"block size {block} makes shape {list(x.shape)} {list(shape)}, but its "
                  f"output has shape {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  if dtype == "int8" and (quantization.scale(x), quantization.zero_point(x)) != (
      quantization.scale(y), quantization.zero_point(y)):
    raise e.error(op, "its input and output have different scales or zero points",
                  "TFLM moves the int8 values as they are, so they must share one: convert the "
                  "model again")
  walk_ref = e.struct("tflm_rt_walk", f"op{op.index}_walk", walk(counts, steps))
  e.call(op, f" block_size {block}", "tflm_rt_strided_slice", walk_ref, "0",
         str(x.element_size), e.operand(x.index), e.arena(y.index))
