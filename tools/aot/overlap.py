"""How far the output of each runtime/ kernel may overlap an input that dies with it.

rules_tflm's kernels write their output in order, element by element or
output pixel by output pixel, and read their input in the same order. So an
input that no later op reads may share memory with the output, as long as
each write lands on input bytes that no later step reads. For an op's output
y and such an input x, `margins` gives the smallest offset(x) - offset(y), in
bytes, that guarantees it; tools/memory_planner.py (through plan.py) places the two
accordingly. For a convolution, the input still to be read at output pixel p
starts at the lowest corner of the windows of pixels p and later, and the
output written by the end of pixel p ends at (p + 1) * channels.

A kernel added to runtime/ overlaps nothing until it is listed here, and must
keep that order (no lookahead writes, no second pass over the output) to be.
"""

import math

import numpy as np

from tools import tflite_reader

# Ops whose kernel reads input element i, then writes output element i.
_ELEMENTWISE = frozenset({"ADD", "SUB", "MUL", "DIV", "SQUARED_DIFFERENCE", "MAXIMUM", "MINIMUM",
                          "RELU", "RELU6",
                          "LEAKY_RELU", "LOGISTIC", "TANH", "QUANTIZE", "DEQUANTIZE", "SOFTMAX",
                          "ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "EXP", "LOG", "SIN", "COS",
                          "HARD_SWISH", "ELU", "PRELU"})
_WINDOWED = frozenset({"CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D"})
# runtime/conv.c's tflm_rt_conv_1x1_s8 computes two output pixels at a time: it
# writes pixel p while it still reads the input of pixel p + 1.
POINTWISE_PIXELS_PER_STEP = 2


def padding_before(padding: str, stride: int, dilation: int, in_size: int, filter_size: int,
                   out_size: int) -> int:
  """Padding before the first row or column, as TFLM's ComputePaddingWithOffset."""
  if padding != "SAME":
    return 0
  effective = (filter_size - 1) * dilation + 1
  return max((out_size - 1) * stride + effective - in_size, 0) // 2


def _elementwise(count: int, in_bytes: int, out_bytes: int) -> int:
  """After step i, output bytes up to (i + 1) * out_bytes are written and input
  from (i + 1) * in_bytes is still to be read, for i < count - 1."""
  if count < 2:
    return -count * in_bytes
  return max(out_bytes - in_bytes, (count - 1) * (out_bytes - in_bytes))


def _windowed(op: tflite_reader.Operator, x: tflite_reader.Tensor, y: tflite_reader.Tensor,
              tensors) -> int:
  o = op.options
  if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D"):
    filter_shape = tensors[op.inputs[1]].shape
    filter_h, filter_w = filter_shape[1], filter_shape[2]
  else:
    filter_h, filter_w = o["filter_height"], o["filter_width"]
  batches, height, width, in_channels = x.shape
  _, out_h, out_w, out_channels = y.shape
  stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
  pad_h = padding_before(o.get("padding"), stride_h, o.get("dilation_h_factor", 1), height, filter_h,
                         out_h)
  pad_w = padding_before(o.get("padding"), stride_w, o.get("dilation_w_factor", 1), width, filter_w,
                         out_w)
  b, oy, ox = np.meshgrid(np.arange(batches), np.arange(out_h), np.arange(out_w), indexing="ij")
  row = np.maximum(oy * stride_h - pad_h, 0)
  col = np.maximum(ox * stride_w - pad_w, 0)
  start = (((b * height + row) * width + col) * in_channels * x.element_size).ravel()
  pointwise = (op.opcode == "CONV_2D" and x.dtype == "int8" and filter_h == filter_w == 1)
  step = POINTWISE_PIXELS_PER_STEP if pointwise else 1
  # At each step, the input from its first pixel's window on is still to be read,
  # and the output up to the end of its last pixel is written.
  still_read = np.minimum.accumulate(start[::-1])[::-1][::step]
  pixels_done = np.minimum((np.arange(still_read.size) + 1) * step, start.size)
  written = pixels_done * out_channels * y.element_size
  return int((written - still_read).max()) if start.size else 0


def margins(graph: tflite_reader.Subgraph, lifetimes: dict[int, tuple[int, int]]
            ) -> dict[tuple[int, int], int]:
  """{(output, input): smallest offset(input) - offset(output)} for the ops whose
  arena input dies with them."""
  result = {}
  for step, op in enumerate(graph.operators):
    if len(op.outputs) != 1 or op.outputs[0] not in lifetimes:
      continue
    y = graph.tensors[op.outputs[0]]
    for position, index in enumerate(op.inputs):
      if index < 0 or index not in lifetimes or lifetimes[index][1] != step or index == y.index:
        continue
      x = graph.tensors[index]
      if op.opcode in ("RESHAPE", "SQUEEZE", "EXPAND_DIMS") and position == 0:
        margin = -x.num_bytes  # the copy runs forwards or backwards as the overlap needs
      elif op.opcode in _ELEMENTWISE and math.prod(x.shape) == math.prod(y.shape):
        margin = _elementwise(math.prod(y.shape), x.element_size, y.element_size)
      elif op.opcode in _WINDOWED and position == 0 and len(x.shape) == len(y.shape) == 4:
        margin = _windowed(op, x, y, graph.tensors)
      elif op.opcode == "FULLY_CONNECTED" and position == 0:
        units, depth = y.shape[-1], graph.tensors[op.inputs[1]].shape[-1]
        batches = math.prod(x.shape) // depth
        margin = max((b + 1) * units * y.element_size - b * depth * x.element_size
                     for b in range(batches))
      else:
        continue
      result[y.index, index] = margin
  return result
