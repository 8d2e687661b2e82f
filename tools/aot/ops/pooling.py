"""AVERAGE_POOL_2D and MAX_POOL_2D: int8 and float32."""

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.ops import conv
from tools.aot.registry import register

_OPS = ("AVERAGE_POOL_2D", "MAX_POOL_2D")


def _covers_input(size: int, out: int, filter_size: int, stride: int, pad: int) -> bool:
  """Whether every window along one dimension holds at least one input position."""
  return all(max(o * stride - pad, 0) < min(o * stride - pad + filter_size, size)
             for o in range(out))


def _shape(e: emitter.Emitter, op: tflite_reader.Operator) -> str:
  """Checks the shapes, defines the window shape; &its name."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not len(x.shape) == len(y.shape) == 4 or x.shape[3] != y.shape[3]:
    raise e.error(op, f"input {list(x.shape)} and output {list(y.shape)} do not fit",
                  "TFLM pools 4D (NHWC) tensors with as many output channels as input "
                  "channels only")
  s = conv.window(e, op, op.options["filter_height"], op.options["filter_width"])
  if not (_covers_input(s["input_height"], s["output_height"], s["filter_height"],
                        s["stride_height"], s["pad_height"]) and
          _covers_input(s["input_width"], s["output_width"], s["filter_width"],
                        s["stride_width"], s["pad_width"])):
    raise e.error(op, "a pooling window holds no input element",
                  "TFLM fails on such a model: change the filter, stride or padding")
  return e.struct("tflm_rt_conv_shape", f"op{op.index}_shape", s)


def _kernel(op: tflite_reader.Operator, suffix: str) -> str:
  return f"tflm_rt_{'average' if op.opcode == 'AVERAGE_POOL_2D' else 'max'}_pool_{suffix}"


@register(*_OPS, types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_integer_ops::AveragePool and MaxPool (input and output share
  their quantization)."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "int8")
  activation = e.activation(op)
  low, high = quantization.activation_range_s8(activation, y.quantization.scales[0],
                                               quantization.zero_point(y))
  shape = _shape(e, op)
  e.call(op, " " + activation, _kernel(op, "s8"), str(low), str(high), shape, e.arena(x.index),
         e.arena(y.index))


@register(*_OPS, types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::AveragePool and MaxPool for float."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "float32")
  activation = e.activation(op)
  low, high = quantization.activation_range_f32(activation)
  shape = _shape(e, op)
  e.call(op, " " + activation, _kernel(op, "f32"), c_syntax.c_float(low), c_syntax.c_float(high),
         shape, e.operand(x.index), e.arena(y.index))
