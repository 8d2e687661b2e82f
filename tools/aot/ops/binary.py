"""ADD, SUB, MUL, MAXIMUM, MINIMUM and PRELU, broadcasting: int8 and float32, ADD, SUB and
MUL int32 too; DIV and SQUARED_DIFFERENCE: float32."""

import math

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import limits
from tools.aot import quantization
from tools.aot.registry import register

# CalculateActivationRange for int32 (C spells INT32_MIN as an expression).
_INT32_MIN = "(-2147483647 - 1)"
_INT32_RANGES = {"NONE": (_INT32_MIN, 2147483647), "RELU": (0, 2147483647), "RELU6": (0, 6),
                 "RELU_N1_TO_1": (-1, 1)}


def broadcast(e: emitter.Emitter, op: tflite_reader.Operator, first: tuple[int, ...],
              second: tuple[int, ...], name: str = "broadcast") -> str:
  """A tflm_rt_broadcast of inputs of shapes `first` (stride1) and `second` (stride2) to the
  op's output, named op<index>_<name>; NULL when both have the output's size."""
  y = e.tensors[op.outputs[0]]
  rank = len(y.shape)
  if math.prod(first) == math.prod(second) == math.prod(y.shape):  # leading 1s aside, equal
    return "NULL"
  if rank > limits.MAX_RANK or max(len(first), len(second)) > rank:
    raise e.error(op, f"shapes {list(first)} and {list(second)} broadcast to {list(y.shape)}",
                  f"the compiler broadcasts up to {limits.MAX_RANK} dimensions, to the output's "
                  "rank")

  def strides(shape: tuple[int, ...]) -> list[int]:
    """Element strides of `shape` aligned to the output's dimensions, 0 where broadcast."""
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    result, step = [0] * rank, 1
    for d in reversed(range(rank)):
      result[d] = step if shape[d] != 1 else 0
      step *= shape[d]
    return result

  return e.struct("tflm_rt_broadcast", f"op{op.index}_{name}", {
      "rank": rank, "shape": y.shape, "stride1": strides(first), "stride2": strides(second)})


def _broadcast(e: emitter.Emitter, op: tflite_reader.Operator, dtype: str) -> str:
  """Checks the types; the kernel's broadcast argument (NULL for equal shapes)."""
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [a.index, b.index, y.index], dtype)
  return broadcast(e, op, a.shape, b.shape)


def _call(e: emitter.Emitter, op: tflite_reader.Operator, kernel: str, activation: str,
          *first: str) -> None:
  """The call: parameters `first`, the broadcast, the size, the inputs, the output."""
  dtype = {"f32": "float32", "s32": "int32"}.get(kernel[-3:], "int8")
  e.call(op, " " + activation, kernel, *first, _broadcast(e, op, dtype),
         str(e.size(op.outputs[0])), e.operand(op.inputs[0]), e.operand(op.inputs[1]),
         e.arena(op.outputs[0]))


@register("ADD", "SUB", types=("int8",))
def emit_add_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's int8 Add: both inputs scaled to twice the larger input scale, in double."""
  params, activation = add_s8_params(e, op)
  _call(e, op, "tflm_rt_add_s8", activation, params)


def add_s8_params(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[str, str]:
  """Defines an int8 ADD's or SUB's tflm_rt_add_s8_params; returns &params and the
  fused activation."""
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [a.index, b.index, y.index], "int8")
  left_shift = 20
  s1, s2, so = (quantization.scale(t) for t in (a, b, y))
  twice_max = 2 * max(s1, s2)
  m1 = quantization.quantize_multiplier(s1 / twice_max)
  m2 = quantization.quantize_multiplier(s2 / twice_max)
  if op.opcode == "SUB":
    m2 = (-m2[0], m2[1])  # the kernel's sum of the scaled inputs becomes their difference
  mo = quantization.quantize_multiplier(twice_max / ((1 << left_shift) * so))
  activation = e.activation(op)
  low, high = quantization.activation_range_s8(activation, so, quantization.zero_point(y))
  params = e.struct("tflm_rt_add_s8_params", f"op{op.index}_params", {
      "input1_offset": -quantization.zero_point(a), "input2_offset": -quantization.zero_point(b),
      "output_offset": quantization.zero_point(y), "left_shift": left_shift,
      "input1_multiplier": m1[0], "input1_shift": m1[1],
      "input2_multiplier": m2[0], "input2_shift": m2[1],
      "output_multiplier": mo[0], "output_shift": mo[1],
      "activation_min": low, "activation_max": high})
  return params, activation


@register("MUL", types=("int8",))
def emit_mul_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's int8 Mul: the product scaled by s1 * s2 / s_out, in double."""
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [a.index, b.index, y.index], "int8")
  s1, s2, so = (quantization.scale(t) for t in (a, b, y))
  multiplier, shift = quantization.quantize_multiplier(s1 * s2 / so)
  activation = e.activation(op)
  low, high = quantization.activation_range_s8(activation, so, quantization.zero_point(y))
  params = e.struct("tflm_rt_mul_s8_params", f"op{op.index}_params", {
      "input1_offset": -quantization.zero_point(a), "input2_offset": -quantization.zero_point(b),
      "output_offset": quantization.zero_point(y), "output_multiplier": multiplier,
      "output_shift": shift, "activation_min": low, "activation_max": high})
  _call(e, op, "tflm_rt_mul_s8", activation, params)


@register("ADD", "SUB", "MUL", "DIV", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Add, SubWithActivation, Mul and Div for float, then the clamp."""
  activation = e.activation(op)
  low, high = quantization.activation_range_f32(activation)
  _call(e, op, f"tflm_rt_{op.opcode.lower()}_f32", activation, c_syntax.c_float(low),
        c_syntax.c_float(high))


@register("ADD", "SUB", "MUL", types=("int32",))
def emit_s32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's int32 Add, Sub and Mul: wrapping around, then the clamp of the fused activation
  (CalculateActivationRange for int32; none for ADD, whose int32 kernel ignores it)."""
  activation = e.activation(op)
  tensors = [e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0])]
  checked = {"ADD": tensors[:2], "SUB": tensors, "MUL": []}[op.opcode]
  quantized = [t.name for t in checked if t.quantization is not None and t.quantization.scales]
  if quantized:
    raise e.error(op, f"its int32 tensors {quantized} have quantization scales",
                  f"TFLM's int32 {op.opcode} runs only on unquantized tensors: convert the model "
                  "without quantizing them")
  low, high = _INT32_RANGES[activation] if op.opcode != "ADD" else _INT32_RANGES["NONE"]
  _call(e, op, f"tflm_rt_{op.opcode.lower()}_s32", activation, str(low), str(high))


@register("MAXIMUM", "MINIMUM", types=("int8", "float32"))
def emit_maximum_minimum(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference kernels: the raw values compared, no requantization."""
  dtype = e.tensors[op.inputs[0]].dtype
  if dtype == "int8":
    tensors = [e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0])]
    found = {(quantization.scale(t), quantization.zero_point(t)) for t in tensors}
    if len(found) != 1:
      raise e.error(op, "its inputs and output have different scales or zero points "
                    f"{sorted(found)}", "TFLM compares the raw int8 values, which is right only "
                    "when all three share one scale and zero point, as the converter writes them")
  suffix = "s8" if dtype == "int8" else "f32"
  e.call(op, "", f"tflm_rt_{op.opcode.lower()}_{suffix}", _broadcast(e, op, dtype),
         str(e.size(op.outputs[0])), e.operand(op.inputs[0]), e.operand(op.inputs[1]),
         e.arena(op.outputs[0]))


@register("SQUARED_DIFFERENCE", types=("float32",))
def emit_squared_difference_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's SquaredDifference for float: no activation."""
  broadcast = _broadcast(e, op, "float32")
  e.call(op, "", "tflm_rt_squared_difference_f32", broadcast, str(e.size(op.outputs[0])),
         e.operand(op.inputs[0]), e.operand(op.inputs[1]), e.arena(op.outputs[0]))


@register("PRELU", types=("int8", "float32"))
def emit_prelu(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's PRELU: int8 with CalculatePreluParams' two multipliers, the ratios taken in
  double; float32 through BroadcastPrelu4DSlowFloat, of up to 4 dimensions."""
  x, alpha, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  dtype = x.dtype
  broadcast = _broadcast(e, op, dtype)
  if dtype == "float32" and max(len(x.shape), len(alpha.shape), len(y.shape)) > 4:
    raise e.error(op, f"it has shapes {list(x.shape)}, {list(alpha.shape)} and "
                  f"{list(y.shape)}", "TFLM's float32 PRELU broadcasts up to 4 dimensions: "
                  "reshape the input to 4 or fewer")
  first = []
  if dtype == "int8":
    s_in, s_alpha, s_out = (quantization.scale(t) for t in (x, alpha, y))
    identity = quantization.quantize_multiplier(s_in / s_out)
    scaled = quantization.quantize_multiplier(s_in * s_alpha / s_out)
    first = [e.struct("tflm_rt_prelu_s8_params", f"op{op.index}_params", {
        "input_offset": -quantization.zero_point(x),
        "alpha_offset": -quantization.zero_point(alpha),
        "output_offset": quantization.zero_point(y), "identity_multiplier": identity[0],
        "identity_shift": identity[1], "alpha_multiplier": scaled[0], "alpha_shift": scaled[1]})]
  suffix = "s8" if dtype == "int8" else "f32"
  e.call(op, "", f"tflm_rt_prelu_{suffix}", *first, broadcast, str(e.size(op.outputs[0])),
         e.operand(op.inputs[0]), e.operand(op.inputs[1]), e.arena(op.outputs[0]))
