"""BATCH_MATMUL, the batch dimensions broadcast: int8 (per-tensor quantization) and float32."""

import math

import numpy as np

from tools import tflite_reader
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.registry import register

_INT32_MAX = (1 << 31) - 1


def _batch(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[list[int], dict]:
  """The output's batch dimensions and the kernel's `batch` walk: each input's element step
  per output batch dimension, 0 where it broadcasts. Checks ranks and broadcasting as TFLM's
  BatchMatMulPrepare."""
  lhs, rhs = e.tensors[op.inputs[0]], e.tensors[op.inputs[1]]
  for what, t in (("lhs", lhs), ("rhs", rhs)):
    if not 2 <= len(t.shape) <= 5:
      raise e.error(op, f"the {what} has rank {len(t.shape)}",
                    "TFLM's BATCH_MATMUL multiplies tensors of rank 2 to 5 only")
  rank = max(len(lhs.shape), len(rhs.shape)) - 2
  padded = [(1,) * (rank + 2 - len(t.shape)) + tuple(t.shape) for t in (lhs, rhs)]
  shape, steps = [], ([], [])
  for d in range(rank):
    a, b = padded[0][d], padded[1][d]
    if a != b and 1 not in (a, b):
      raise e.error(op, f"the batch dimensions of lhs {list(lhs.shape)} and rhs "
                    f"{list(rhs.shape)} do not broadcast", "TFLM needs them equal, or one of 1")
    shape.append(max(a, b))
  for t, step in zip(padded, steps):
    size = t[-1] * t[-2]
    for d in reversed(range(rank)):
      step.insert(0, size if t[d] != 1 else 0)
      size *= t[d]
  walk = {"rank": max(rank, 1), "shape": shape or [1], "stride1": steps[0] or [0],
          "stride2": steps[1] or [0]}
  return shape, walk


def _shape(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[dict, int]:
  """The kernel's tflm_rt_matmul_shape fields and the depth; checks the matrix dimensions
  and the output as TFLM's BatchMatMulPrepare and ReshapeOutputTensor."""
  lhs, rhs, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.static_shapes(op, [lhs.index, rhs.index, y.index])
  batch, walk = _batch(e, op)
  (l1, l2), (r1, r2) = lhs.shape[-2:], rhs.shape[-2:]
  adj_x, adj_y = bool(op.options.get("adj_x", False)), bool(op.options.get("adj_y", False))
  rows, depth, lhs_row, lhs_depth = (l2, l1, 1, l2) if adj_x else (l1, l2, l2, 1)
  rhs_depth, cols, rhs_depth_step, rhs_col = (r2, r1, 1, r2) if adj_y else (r1, r2, r2, 1)
  if depth != rhs_depth:
    raise e.error(op, f"lhs {list(lhs.shape)} (adj_x {adj_x}) and rhs {list(rhs.shape)} (adj_y "
                  f"{adj_y}) have {depth} and {rhs_depth} values to multiply",
                  "TFLM needs the lhs's columns to match the rhs's rows")
  shape = batch + [rows, cols]
  # TFLM keeps the output tensor's own shape if it has the rank and the elements of this one.
  if len(y.shape) < len(shape) or math.prod(y.shape) != math.prod(shape):
    raise e.error(op, f"multiplying gives shape {shape}, but its output has shape "
                  f"{list(y.shape)}", "the model is inconsistent: convert it again")
  return {"batches": math.prod(batch), "batch": walk, "rows": rows, "depth": depth,
          "cols": cols, "lhs_row_step": lhs_row, "lhs_depth_step": lhs_depth,
          "rhs_depth_step": rhs_depth_step, "rhs_col_step": rhs_col}, depth


def _describe(op: tflite_reader.Operator) -> str:
  return (f" adj_x {bool(op.options.get('adj_x', False))}"
          f" adj_y {bool(op.options.get('adj_y', False))}")


@register("BATCH_MATMUL", types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's int8 BatchMatMul: one multiplier for the product of the scales (in float, the
  quotient in double), both zero points as offsets, the output clamped to int8."""
  lhs, rhs, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [lhs.index, rhs.index, y.index], "int8")
  for t in (lhs, rhs, y):
    if t.quantization and len(t.quantization.scales) != 1:
      raise e.error(op, f"tensor \"{t.name}\" has {len(t.quantization.scales)} scales",
                    "TFLM's BATCH_MATMUL reads one scale and zero point per tensor (the first "
                    "only): quantize it per tensor")
  fields, depth = _shape(e, op)
  lhs_offset, rhs_offset = -quantization.zero_point(lhs), -quantization.zero_point(rhs)
  worst = depth * (128 + abs(lhs_offset)) * (128 + abs(rhs_offset))
  if worst > _INT32_MAX:
    raise e.error(op, f"its int32 sums over {depth} products can reach {worst}",
                  "TFLM's int32 sum would overflow too: make the matrices smaller")
  product = np.float32(np.float32(quantization.scale(lhs)) * np.float32(quantization.scale(rhs)))
  multiplier, shift = quantization.quantize_multiplier(
      float(product) / float(np.float32(quantization.scale(y))))
  n = op.index
  shape = e.struct("tflm_rt_matmul_shape", f"op{n}_shape", fields)
  params = e.struct("tflm_rt_batch_matmul_s8_params", f"op{n}_params", {
      "lhs_offset": lhs_offset, "rhs_offset": rhs_offset,
      "output_offset": quantization.zero_point(y), "multiplier": multiplier, "shift": shift})
  e.call(op, _describe(op), "tflm_rt_batch_matmul_s8", params, shape, e.operand(lhs.index),
         e.operand(rhs.index), e.arena(y.index))


@register("BATCH_MATMUL", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's float BatchMatMul: each output a sum from 0 over the products in order."""
  lhs, rhs, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [lhs.index, rhs.index, y.index], "float32")
  fields, _ = _shape(e, op)
  shape = e.struct("tflm_rt_matmul_shape", f"op{op.index}_shape", fields)
  e.call(op, _describe(op), "tflm_rt_batch_matmul_f32", shape, e.operand(lhs.index),
         e.operand(rhs.index), e.arena(y.index))
