"""Random int8 one-op models of the differential test for the reductions: REDUCE_MAX and SUM
(over constant axes, as MEAN) and ARG_MAX and ARG_MIN (over one constant axis).

Shapes, axes, options, scales and zero points are drawn from the seeded
generator; see differential_test.py. cases_float.float32_case makes them float32.
"""

import math
import random

import numpy as np

from tools.aot import case_model
from tools.aot import cases_int8
from tools.aot.case_model import Case


def _quantization(rng: random.Random) -> tuple[list[float], list[int]]:
  """An int8 scale and zero point as the converter might write them."""
  return [rng.uniform(0.005, 0.2)], [rng.randint(-128, 127)]


def _shape(rng: random.Random) -> tuple[int, ...]:
  """A shape of rank 1 to 5, a sixth of the time with one long dimension (every int8 value
  in the first input, long runs of ties)."""
  shape = [rng.randint(1, 7) for _ in range(rng.randint(1, 5))]
  if rng.random() < 1 / 6:
    shape[rng.randrange(len(shape))] = rng.randint(256, 320)
  while math.prod(shape) > 4000:
    shape[shape.index(max(shape))] //= 2
  return tuple(shape)


def reduce_case(rng: random.Random, op: str) -> Case:
  """REDUCE_MAX or SUM of a rank 1-5 input over constant axes (negative and repeated too),
  keep_dims or not; on rank 4 one time in four over [1, 2] (GlobalMaxPooling2D, and
  tf.reduce_sum over height and width). REDUCE_MAX keeps the input's quantization, as
  TFLM needs; SUM's output scale fits the sum of `count` values, or not (saturation)."""
  shape = _shape(rng)
  rank = len(shape)
  if rank == 4 and rng.random() < 0.25:
    axes = [1, 2] if rng.random() < 0.5 else [2, -3]
  else:
    axes = [d - rank if rng.random() < 0.3 else d
            for d in rng.sample(range(rank), rng.randint(1, rank))]
    if rng.random() < 0.1:
      axes.append(axes[0] - rank if axes[0] >= 0 else axes[0] + rank)
  keep_dims = rng.random() < 0.5
  reduced = {a % rank for a in axes}
  out_shape = tuple(1 if d in reduced else n for d, n in enumerate(shape)
                    if keep_dims or d not in reduced)
  scales, zero_points = _quantization(rng)
  out_scales, out_zero_points = scales, zero_points
  if op == "SUM":
    count = math.prod(shape[d] for d in reduced)
    out_scales = [scales[0] * count ** rng.uniform(0, 1) * rng.uniform(0.5, 4)]
    out_zero_points = [rng.randint(-128, 127)]
  return cases_int8.reducer_case(op, shape, axes, keep_dims, out_shape, (scales, zero_points),
                                 (out_scales, out_zero_points))


def arg_min_max_case(rng: random.Random, op: str) -> Case:
  """ARG_MAX or ARG_MIN of a rank 1-5 input over one constant axis (negative a third of
  the time), as a scalar or a tensor of one value, to an int32 output."""
  s = case_model.schema()
  shape = _shape(rng)
  rank = len(shape)
  axis = rng.randrange(rank)
  if rng.random() < 1 / 3:
    axis -= rank
  axis_shape = () if rng.random() < 0.5 else (1,)
  out_shape = shape[:axis % rank] + shape[axis % rank + 1:]
  scales, zero_points = _quantization(rng)
  options = s.ArgMaxOptionsT() if op == "ARG_MAX" else s.ArgMinOptionsT()
  options.outputType = s.TensorType.INT32
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             (axis_shape, "int32", [], [], 0, np.array(axis, np.int32).reshape(axis_shape)),
             (out_shape, "int32", [], [], 0, None)]
  drawn = dict(shape=shape, axis=axis, axis_shape=axis_shape)
  return Case(op, drawn, tensors, [0, 1], [2], options, op.title().replace("_", "") + "Options")
