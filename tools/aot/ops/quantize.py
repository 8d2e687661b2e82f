"""QUANTIZE (float32 or int8 to int8) and DEQUANTIZE (int8 to float32)."""

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.registry import register


def _call(e: emitter.Emitter, op: tflite_reader.Operator, kernel: str, *first: str) -> None:
  e.call(op, "", kernel, *first, str(e.size(op.outputs[0])), e.arena(op.inputs[0]),
         e.arena(op.outputs[0]))


@register("DEQUANTIZE", types=("int8 to float32",))
def emit_dequantize_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Dequantize: scale * (x - zero point)."""
  x = e.tensors[op.inputs[0]]
  _call(e, op, "tflm_rt_dequantize_s8", c_syntax.c_float(quantization.scale(x)),
        str(-quantization.zero_point(x)))


@register("QUANTIZE", types=("float32 to int8",))
def emit_quantize_f32_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's AffineQuantize: round(x / scale) + zero point, saturated."""
  y = e.tensors[op.outputs[0]]
  _call(e, op, "tflm_rt_quantize_f32_s8", c_syntax.c_float(quantization.scale(y)),
        str(quantization.zero_point(y)))


@register("QUANTIZE", types=("int8",))
def emit_requantize_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's Requantize: the ratio of the scales in double."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  multiplier, shift = quantization.quantize_multiplier(quantization.scale(x) /
                                                       quantization.scale(y))
  params = e.struct("tflm_rt_requantize_s8_params", f"op{op.index}_params", {
      "input_offset": -quantization.zero_point(x), "output_offset": quantization.zero_point(y),
      "multiplier": multiplier, "shift": shift})
  _call(e, op, "tflm_rt_requantize_s8", params)
