"""TRANSPOSE_CONV (Keras Conv2DTranspose): int8 (per-channel weights) and float32.

Inputs as the converter writes them: the output shape (TFLM reads the output
tensor's instead), the filter [output channels, height, width, input
channels], the input activation and an optional bias.
"""

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.ops import conv
from tools.aot.registry import register

OUTPUT_SHAPE, FILTER, INPUT, BIAS = 0, 1, 2, 3


def padding(kind: str, stride: int, out_size: int, filter_size: int) -> int | None:
  """The padding before the first output row or column, as TFLM's TRANSPOSE_CONV: that of a
  convolution from the output back to the input (ComputePaddingHeightWidth with the output's
  size as the image's); None where that convolution has no output size (a VALID filter
  larger than the output by 2 strides or more), for which TFLM pads 0 in both dimensions."""
  if kind == "SAME":
    size = (out_size + stride - 1) // stride
  else:
    size = out_size + stride - filter_size
    if size <= -stride:  # a negative quotient (C++ divides towards zero)
      return None
    size = max(size, 0) // stride
  return max((size - 1) * stride + filter_size - out_size, 0) // 2


def bias_index(op: tflite_reader.Operator) -> int | None:
  """The bias tensor, or None (no fourth input, or -1)."""
  return op.inputs[BIAS] if len(op.inputs) > BIAS and op.inputs[BIAS] >= 0 else None


def _shape(e: emitter.Emitter, op: tflite_reader.Operator) -> str:
  """Checks the shapes as TFLM's kernel assumes them; defines the tflm_rt_conv_shape."""
  x, w, y = (e.tensors[i] for i in (op.inputs[INPUT], op.inputs[FILTER], op.outputs[0]))
  shapes = f"input {list(x.shape)}, filter {list(w.shape)} and output {list(y.shape)}"
  if not len(x.shape) == len(w.shape) == len(y.shape) == 4:
    raise e.error(op, f"{shapes} are not all 4D", "TFLM convolves 4D (NHWC) tensors only")
  if not (x.shape[0] == y.shape[0] and w.shape[3] == x.shape[3] and w.shape[0] == y.shape[3]):
    raise e.error(op, f"{shapes} do not fit one another",
                  "TFLM takes a filter [output channels, height, width, input channels] and "
                  "keeps the batches")
  o = op.options
  stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
  kind = o.get("padding")
  pads = (padding(kind, stride_h, y.shape[1], w.shape[1]),
          padding(kind, stride_w, y.shape[2], w.shape[2]))
  pad_h, pad_w = (0, 0) if None in pads else pads
  return e.struct("tflm_rt_conv_shape", f"op{op.index}_shape", {
      "batches": x.shape[0], "input_height": x.shape[1], "input_width": x.shape[2],
      "input_channels": x.shape[3], "output_height": y.shape[1], "output_width": y.shape[2],
      "output_channels": y.shape[3], "filter_height": w.shape[1], "filter_width": w.shape[2],
      "stride_height": stride_h, "stride_width": stride_w,
      "dilation_height": 1, "dilation_width": 1, "pad_height": pad_h, "pad_width": pad_w})


def _comment(op: tflite_reader.Operator, activation: str) -> str:
  """The options, for the comment above the call."""
  o = op.options
  return (f" {o.get('padding')} stride {o.get('stride_h', 1)}x{o.get('stride_w', 1)} "
          f"{activation}")


@register("TRANSPOSE_CONV", types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's TRANSPOSE_CONV for int8: PopulateConvolutionQuantizationParams, an int32 bias."""
  x, w, y = (e.tensors[i] for i in (op.inputs[INPUT], op.inputs[FILTER], op.outputs[0]))
  e.same_types(op, [x.index, w.index, y.index], "int8")
  activation = e.activation(op)
  shape = _shape(e, op)
  params = conv.s8_params(e, op, x, w, y, activation)
  bias = bias_index(op)
  e.call(op, _comment(op, activation), "tflm_rt_transpose_conv_s8", params, shape,
         e.arena(x.index), e.constant(w.index), e.constant(bias) if bias is not None else "NULL",
         e.arena(y.index))


@register("TRANSPOSE_CONV", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::TransposeConv for float: filter and bias as they are."""
  bias = bias_index(op)
  x, w, y = op.inputs[INPUT], op.inputs[FILTER], op.outputs[0]
  e.same_types(op, [x, w, y, -1 if bias is None else bias], "float32")
  activation = e.activation(op)
  low, high = (c_syntax.c_float(v) for v in quantization.activation_range_f32(activation))
  shape = _shape(e, op)
  e.call(op, _comment(op, activation), "tflm_rt_transpose_conv_f32", low, high, shape,
         e.arena(x), e.operand(w), e.operand(bias) if bias is not None else "NULL", e.arena(y))
