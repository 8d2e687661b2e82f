"""LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL and NOT_EQUAL, broadcasting: int8, int32
and float32 inputs, a bool output (one byte, 0 or 1)."""

from tools import tflite_reader
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.ops import binary
from tools.aot.registry import register

OPS = ("LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "EQUAL", "NOT_EQUAL")
_SUFFIXES = {"int8": "s8", "int32": "s32", "float32": "f32"}
# ComparisonsPrepare's kLeftShift: the offset int8 inputs are shifted left by it.
_LEFT_SHIFT = 8


def _multiplier(e: emitter.Emitter, op: tflite_reader.Operator,
                tensor: tflite_reader.Tensor) -> tuple[int, int]:
  """The input's scale as TFLM's QuantizeMultiplierSmallerThanOneExp makes it a multiplier."""
  real = quantization.scale(tensor)
  multiplier, shift = quantization.quantize_multiplier(real)
  if not 0 < real < 1 or shift > 0:
    raise e.error(op, f"input \"{tensor.name}\" has scale {real!r}",
                  "TFLM's int8 comparisons take input scales above 0 and below 1 (its Prepare "
                  "stops the interpreter otherwise): requantize the model")
  return multiplier, shift


@register(*OPS, types=("int8 to bool", "int32 to bool", "float32 to bool"))
def emit_comparison(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's comparisons: int8 inputs each rescaled by its own scale (WithScaling), int32
  and float32 ones compared as they are (NoScaling)."""
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [a.index, b.index], a.dtype)
  e.same_types(op, [y.index], "bool")
  params = []
  if a.dtype == "int8":
    (m1, s1), (m2, s2) = _multiplier(e, op, a), _multiplier(e, op, b)
    params.append(e.struct("tflm_rt_compare_s8_params", f"op{op.index}_params", {
        "input1_offset": -quantization.zero_point(a), "input1_multiplier": m1,
        "input1_shift": s1, "input2_offset": -quantization.zero_point(b),
        "input2_multiplier": m2, "input2_shift": s2, "left_shift": _LEFT_SHIFT}))
  e.call(op, "", f"tflm_rt_{op.opcode.lower()}_{_SUFFIXES[a.dtype]}", *params,
         binary.broadcast(e, op, a.shape, b.shape), str(e.size(y.index)), e.operand(a.index),
         e.operand(b.index), e.arena(y.index))
