"""RELU, RELU6, LEAKY_RELU, LOGISTIC and TANH: int8 and float32."""

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.registry import register


def _unary(e: emitter.Emitter, op: tflite_reader.Operator, dtype: str) -> tuple:
  """The input and output, checked to be of `dtype`."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], dtype)
  return x, y


def _call(e: emitter.Emitter, op: tflite_reader.Operator, extra: str, suffix: str,
          *first: str) -> None:
  """tflm_rt_<op>_<suffix>(first..., size, input, output)."""
  e.call(op, extra, f"tflm_rt_{op.opcode.lower()}_{suffix}", *first,
         str(e.size(op.outputs[0])), e.operand(op.inputs[0]), e.arena(op.outputs[0]))


@register("RELU", "RELU6", types=("int8",))
def emit_relu_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  x, y = _unary(e, op, "int8")
  scale_in, scale_out = quantization.scale(x), quantization.scale(y)
  if op.opcode == "RELU":
    # As TFLM's ReluQuantized: rescale to the output, then clamp.
    input_offset, output_offset = -quantization.zero_point(x), quantization.zero_point(y)
    multiplier, shift = quantization.quantize_multiplier(scale_in / scale_out)
    low, high = quantization.activation_range_s8("RELU", scale_out, output_offset)
  else:
    # As TFLM's Relu6Quantized: a clamp in the input's quantization, no rescale
    # (multiplier 2^30 with shift 1 is exactly 1).
    input_offset, output_offset, multiplier, shift = 0, 0, 1 << 30, 1
    low, high = quantization.activation_range_s8("RELU6", scale_in, quantization.zero_point(x))
  params = e.struct("tflm_rt_relu_s8_params", f"op{op.index}_params", {
      "input_offset": input_offset, "output_offset": output_offset, "multiplier": multiplier,
      "shift": shift, "activation_min": low, "activation_max": high})
  e.call(op, "", "tflm_rt_relu_s8", params, str(e.size(y.index)), e.operand(x.index),
         e.arena(y.index))


@register("RELU", "RELU6", "LOGISTIC", "TANH", types=("float32",))
def emit_unary_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's ReluFloat, Relu6Float, and reference_ops::Logistic and Tanh for float."""
  _unary(e, op, "float32")
  _call(e, op, "", "f32")


@register("LEAKY_RELU", types=("int8",))
def emit_leaky_relu_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """TFLM's identity and alpha multipliers, the ratios taken in double."""
  x, y = _unary(e, op, "int8")
  e.static_shapes(op, [x.index, y.index])
  if not x.quantization or not y.quantization or quantization.scale(x) <= 0 or (
      quantization.scale(y) <= 0):
    raise e.error(op, "an int8 tensor has no quantization or a scale of 0",
                  "TFLM's int8 LEAKY_RELU needs positive scales: quantize the model fully")
  alpha = float(np.float32(op.options.get("alpha", 0.0)))
  scale_in, scale_out = quantization.scale(x), quantization.scale(y)
  identity = quantization.quantize_multiplier(scale_in / scale_out)
  # TFLM quantizes a negative alpha's multiplier and negates it in the kernel.
  alpha_multiplier, alpha_shift = quantization.quantize_multiplier(scale_in * alpha / scale_out)
  # TFLM's negation of a multiplier of -2^31 wraps to -2^31 itself.
  magnitude = "(-2147483647 - 1)" if alpha_multiplier == -(1 << 31) else abs(alpha_multiplier)
  params = e.struct("tflm_rt_leaky_relu_s8_params", f"op{op.index}_params", {
      "input_offset": -quantization.zero_point(x), "output_offset": quantization.zero_point(y),
      "identity_multiplier": identity[0], "identity_shift": identity[1],
      "alpha_multiplier": str(magnitude), "alpha_shift": alpha_shift,
      "alpha_negative": int(alpha_multiplier < 0)})
  _call(e, op, f" alpha {alpha!r}", "s8", params)


@register("LEAKY_RELU", types=("float32",))
def emit_leaky_relu_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::LeakyRelu: x > 0 ? x : x * alpha, alpha a float32."""
  x, y = _unary(e, op, "float32")
  e.static_shapes(op, [x.index, y.index])
  alpha = np.float32(op.options.get("alpha", 0.0))
  _call(e, op, f" alpha {float(alpha)!r}", "f32", c_syntax.c_float(alpha))


@register("LOGISTIC", "TANH", types=("int8",))
def emit_sigmoid_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """The parameters TFLM's int8 LOGISTIC and TANH Prepare computes."""
  x, y = _unary(e, op, "int8")
  if not x.quantization or not y.quantization:
    raise e.error(op, "a tensor has no quantization parameters",
                  "both need a scale and a zero point: quantize the model fully")
  # TFLM's int8 LOGISTIC checks the output zero point; it (and TANH) writes
  # in scale 1/256 (1/128) and zero point -128 (0) whatever the output says.
  if op.opcode == "LOGISTIC" and quantization.zero_point(y) != -128:
    raise e.error(op, f"the output zero point is {quantization.zero_point(y)}",
                  "TFLM requires -128 (the TFLite converter writes scale 1/256 and zero point "
                  "-128)")
  scale = quantization.scale(x)
  if not 2.0 ** -28 <= scale < 2.0 ** 35:
    raise e.error(op, f"the input scale is {np.float32(scale)!s}",
                  "the compiler supports input scales from 2^-28 to 2^35, where TFLM's Prepare "
                  "computes its input range without an out-of-range shift")
  # The input scale times 2^27 (Q4.27 has 4 integer bits) as a Q31 multiplier
  # and a left shift from 0 to 62, exact since the scale is a float32. Inputs
  # at least `radius` from the zero point (15 in Q4.27) saturate.
  integer_bits = 4
  multiplier, left_shift, radius = quantization.fixed_point_input(
      scale * (1 << (31 - integer_bits)), integer_bits)
  params = e.struct("tflm_rt_logistic_tanh_s8_params", f"op{op.index}_params", {
      "input_offset": -quantization.zero_point(x), "input_range_radius": radius,
      "input_multiplier": multiplier, "input_left_shift": left_shift})
  _call(e, op, "", "s8", params)


