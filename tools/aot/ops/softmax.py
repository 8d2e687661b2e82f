"""SOFTMAX over the last dimension: int8 and float32."""

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.registry import register


def _rows(e: emitter.Emitter, op: tflite_reader.Operator, dtype: str) -> tuple[str, str]:
  """Checks the tensors; the row count and depth, as C."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], dtype)
  if x.shape != y.shape or not y.shape:
    raise e.error(op, f"input {list(x.shape)} and output {list(y.shape)} differ or are scalars",
                  "the compiler supports equal shapes of rank 1 or more")
  depth = y.shape[-1]
  return str(e.size(y.index) // depth), str(depth)


@register("SOFTMAX", types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Prepare: beta * input scale in Q5.26, and the largest input difference
  whose exponential still counts (output scale 1/256, zero point -128)."""
  rows, depth = _rows(e, op, "int8")
  integer_bits = 5
  beta, scale = float(op.options.get("beta", 1.0)), quantization.scale(e.tensors[op.inputs[0]])
  real = min(beta * scale * (1 << (31 - integer_bits)), (1 << 31) - 1.0)
  multiplier, left_shift, radius = quantization.fixed_point_input(real, integer_bits)
  if left_shift > quantization.MAX_SHIFT:
    raise e.error(op, f"beta {beta} times the input scale {scale} is 16 or more, which needs a "
                  f"left shift of {left_shift}", "the kernel (and TFLM's) shifts int32 values by "
                  f"at most {quantization.MAX_SHIFT}: requantize the input")
  params = e.struct("tflm_rt_softmax_s8_params", f"op{op.index}_params", {
      "input_multiplier": multiplier, "input_left_shift": left_shift, "diff_min": -radius})
  e.call(op, "", "tflm_rt_softmax_s8", params, rows, depth, e.arena(op.inputs[0]),
         e.arena(op.outputs[0]))


@register("SOFTMAX", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Softmax for float, beta a float32 as TFLM takes it."""
  rows, depth = _rows(e, op, "float32")
  beta = np.float32(op.options.get("beta", 1.0))
  e.call(op, f" beta {float(beta)!r}", "tflm_rt_softmax_f32", c_syntax.c_float(beta), rows,
         depth, e.operand(op.inputs[0]), e.arena(op.outputs[0]))
