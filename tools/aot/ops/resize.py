"""RESIZE_NEAREST_NEIGHBOR: int8 and float32 (pixels copied as they are)."""

import math

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot.registry import register


def nearest(output_index: int, in_size: int, out_size: int, align_corners: bool,
            half_pixel_centers: bool) -> int:
  """The input index of an output index, as TFLM's GetNearestNeighbor, in float32."""
  f = np.float32
  if align_corners and out_size > 1:
    scale = f(in_size - 1) / f(out_size - 1)
  else:
    scale = f(in_size) / f(out_size)
  position = float((f(output_index) + f(0.5 if half_pixel_centers else 0.0)) * scale)
  if align_corners:  # std::round: halves away from zero
    index = int(math.copysign(math.floor(abs(position) + 0.5), position))
  else:
    index = math.floor(position)
  index = min(index, in_size - 1)
  return max(index, 0) if half_pixel_centers else index


@register("RESIZE_NEAREST_NEIGHBOR", types=("int8", "float32"))
def emit_resize_nearest(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """The input pixel of each output row and column, worked out at compile time."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], x.dtype)
  if (len(x.shape) != 4 or len(y.shape) != 4 or x.shape[0] != y.shape[0] or
      x.shape[3] != y.shape[3]):
    raise e.error(op, f"it resizes shape {list(x.shape)} to {list(y.shape)}",
                  "TFLM resizes 4-D tensors (batch, height, width, channels) in height and "
                  "width only")
  if x.dtype == "int8" and (quantization.scale(x), quantization.zero_point(x)) != (
      quantization.scale(y), quantization.zero_point(y)):
    raise e.error(op, "its input and output have different scales or zero points",
                  "TFLM copies the int8 values, so they must share one: convert the model again")
  size = [int(v) for v in e.constant_ints(op, 1, "size")]
  if size != list(y.shape[1:3]):
    raise e.error(op, f"its size input is {size} but its output has shape {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  align, half = (bool(op.options.get(k, False)) for k in ("align_corners", "half_pixel_centers"))
  _, in_h, in_w, channels = x.shape
  pixel = channels * x.element_size
  rows = [nearest(r, in_h, y.shape[1], align, half) * in_w * pixel for r in range(y.shape[1])]
  cols = [nearest(c, in_w, y.shape[2], align, half) * pixel for c in range(y.shape[2])]
  n = op.index
  e.constants.append(f"static const int32_t op{n}_rows[{len(rows)}] = {c_syntax.c_ints(rows)};\n"
                     f"static const int32_t op{n}_cols[{len(cols)}] = {c_syntax.c_ints(cols)};\n")
  e.call(op, f" align_corners {align} half_pixel_centers {half}", "tflm_rt_resize_nearest",
         str(x.shape[0]), str(in_h * in_w * pixel), str(y.shape[1]), f"op{n}_rows",
         str(y.shape[2]), f"op{n}_cols", str(pixel), e.operand(x.index), e.arena(y.index))
