"""RESIZE_NEAREST_NEIGHBOR (pixels copied as they are) and RESIZE_BILINEAR: int8 and
float32."""

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


def _check(e: emitter.Emitter, op: tflite_reader.Operator, what: str):
  """Checks what both resizes need (4-D tensors of one type and quantization, a constant size
  that is the output's height and width); the input and output tensors."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], x.dtype)
  e.static_shapes(op, [x.index, y.index])
  if (len(x.shape) != 4 or len(y.shape) != 4 or x.shape[0] != y.shape[0] or
      x.shape[3] != y.shape[3]):
    raise e.error(op, f"it resizes shape {list(x.shape)} to {list(y.shape)}",
                  "TFLM resizes 4-D tensors (batch, height, width, channels) in height and "
                  "width only")
  if x.dtype == "int8" and (quantization.scale(x), quantization.zero_point(x)) != (
      quantization.scale(y), quantization.zero_point(y)):
    raise e.error(op, "its input and output have different scales or zero points",
                  f"TFLM {what} the int8 values, so they must share one: convert the model "
                  "again")
  size = [int(v) for v in e.constant_ints(op, 1, "size")]
  if size != list(y.shape[1:3]):
    raise e.error(op, f"its size input is {size} but its output has shape {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  return x, y


@register("RESIZE_NEAREST_NEIGHBOR", types=("int8", "float32"))
def emit_resize_nearest(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """The input pixel of each output row and column, worked out at compile time."""
  x, y = _check(e, op, "copies")
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


def _trunc_div(a: int, b: int) -> int:
  """C's integer division of a by b > 0: towards zero."""
  return a // b if a >= 0 else -((-a) // b)


def bilinear_integer(out_size: int, in_size: int, align_corners: bool,
                     half_pixel_centers: bool) -> list[tuple[int, int, int]]:
  """(lower, upper, fraction) of each output index, as TFLM's ResizeBilinearInteger and
  ComputeInterpolationValuesInteger work them out in 1/1024ths."""
  scale = (1024 * in_size + out_size // 2) // out_size
  if align_corners and out_size > 1:
    scale = (1024 * (in_size - 1) + (out_size - 1) // 2) // (out_size - 1)
  taps = []
  for i in range(out_size):
    scaled = i * scale + (scale // 2 - 512 if half_pixel_centers else 0)
    lower = max(_trunc_div(scaled, 1024), 0)
    upper = min(_trunc_div(scaled + 1023, 1024), in_size - 1)
    taps.append((lower, upper, scaled - 1024 * lower))
  return taps


def bilinear_float(out_size: int, in_size: int, align_corners: bool,
                   half_pixel_centers: bool) -> list[tuple[int, int, float, float]]:
  """(lower, upper, upper weight, lower weight) of each output index, in float32 as TFLM's
  ResizeBilinear and ComputeInterpolationValues work them out."""
  f = np.float32
  scale = f(in_size) / f(out_size)
  if align_corners and out_size > 1:
    scale = f(in_size - 1) / f(out_size - 1)
  taps = []
  for i in range(out_size):
    if half_pixel_centers:
      scaled = (f(i) + f(0.5)) * scale - f(0.5)
    else:
      scaled = f(i) * scale
    lower = max(int(np.floor(scaled)), 0)
    upper = min(int(np.ceil(scaled)), in_size - 1)
    weight = f(scaled - f(lower))
    taps.append((lower, upper, weight, f(f(1) - weight)))
  return taps


def _taps(taps, stride: int, float32: bool) -> str:
  """The initializer of an array of tflm_rt_bilinear_tap(_f32), offsets in elements."""
  def tap(t) -> str:
    fields = f".lower = {t[0] * stride}, .upper = {t[1] * stride}, "
    if float32:
      return "{" + fields + (f".upper_weight = {c_syntax.c_float(t[2])}, "
                             f".lower_weight = {c_syntax.c_float(t[3])}}}")
    return "{" + fields + f".fraction = {t[2]}}}"
  return "{\n  " + ",\n  ".join(tap(t) for t in taps) + "\n}"


@register("RESIZE_BILINEAR", types=("int8", "float32"))
def emit_resize_bilinear(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """The two input rows and columns of each output row and column and their weights,
  worked out at compile time as TFLM does (in 1/1024ths for int8, in float32 for float32)."""
  x, y = _check(e, op, "interpolates")
  align, half = (bool(op.options.get(k, False)) for k in ("align_corners", "half_pixel_centers"))
  if align and half:
    raise e.error(op, "it has both align_corners and half_pixel_centers",
                  "TFLM requires half_pixel_centers to be False with align_corners: convert "
                  "the model again with one of them")
  float32 = x.dtype == "float32"
  taps_of = bilinear_float if float32 else bilinear_integer
  _, in_h, in_w, channels = x.shape
  rows = taps_of(y.shape[1], in_h, align, half)
  cols = taps_of(y.shape[2], in_w, align, half)
  if any(t[0] >= size for taps, size in ((rows, in_h), (cols, in_w)) for t in taps):
    raise e.error(op, f"resizing {list(x.shape)} to {list(y.shape)}, TFLM's rounded scale "
                  "puts the last output rows or columns past the input's end",
                  "TFLM would read outside its input: resize to another size")
  n, kind = op.index, "tflm_rt_bilinear_tap" + ("_f32" if float32 else "")
  e.constants.append(
      f"static const {kind} op{n}_rows[{len(rows)}] = {_taps(rows, in_w * channels, float32)};\n"
      f"static const {kind} op{n}_cols[{len(cols)}] = {_taps(cols, channels, float32)};\n")
  e.call(op, f" align_corners {align} half_pixel_centers {half}",
         "tflm_rt_resize_bilinear_" + ("f32" if float32 else "s8"), str(x.shape[0]),
         str(in_h * in_w * channels), str(y.shape[1]), f"op{n}_rows", str(y.shape[2]),
         f"op{n}_cols", str(channels), e.operand(x.index), e.arena(y.index))
