"""Random one-op models of PRELU and of the int8 functions of one input (ELU,
HARD_SWISH, ABS, RSQRT) for the differential test; see differential_test.py."""

import random

import numpy as np

from tools.aot import case_model
from tools.aot.case_model import Case


def _alpha_shape(rng: random.Random, shape: tuple[int, ...]) -> tuple[int, ...]:
  """Keras PReLU's alpha shapes: per channel ([C] or [1, 1, C]), shared axes (1s), one
  value, or the input's shape; else any dimensions of the input kept or made 1."""
  rank = len(shape)
  choice = rng.random()
  if choice < 0.3:
    return shape[-1:] if rng.random() < 0.5 else (1,) * (rank - 1) + shape[-1:]
  if choice < 0.4:
    return (1,) * rng.randint(1, rank)
  if choice < 0.55:
    return shape
  return tuple(rng.choice([size, 1]) for size in shape)[rng.randint(0, rank - 1):]


def prelu_case(rng: random.Random, max_rank: int = 6) -> Case:
  """PRELU of an input of rank 1 to 4 (to `max_rank` a tenth of the time) by a constant
  alpha (now and then an activation) that broadcasts against it, alpha quantized with its
  own scale and zero point."""
  rank = rng.randint(1, 4) if rng.random() < 0.9 else rng.randint(1, max_rank)
  shape = tuple(rng.randint(1, 6) for _ in range(rank))
  if rng.random() < 0.15:
    shape = (1, 1, rng.randint(40, 80), rng.randint(3, 8))[-rank:]
  alpha_shape = _alpha_shape(rng, shape)
  # Alpha in Keras is mostly small and positive; the converter's scale covers it.
  alpha_scale = rng.choice([rng.uniform(0.0005, 0.01), rng.uniform(0.01, 0.1), 1 / 128])
  alpha_zero_point = rng.choice([0, -128, rng.randint(-128, 127)])
  constant = rng.random() < 0.8
  alpha = (np.random.default_rng(rng.randrange(1 << 30)).integers(-128, 128, size=alpha_shape)
           .astype(np.int8) if constant else None)
  in_scale, in_zero_point = rng.uniform(0.005, 0.2), rng.randint(-128, 127)
  out_scale, out_zero_point = rng.uniform(0.005, 0.2), rng.randint(-128, 127)
  if rng.random() < 0.25:
    out_scale, out_zero_point = in_scale, in_zero_point
  tensors = [(shape, "int8", [in_scale], [in_zero_point], 0, None),
             (alpha_shape, "int8", [alpha_scale], [alpha_zero_point], 0, alpha),
             (shape, "int8", [out_scale], [out_zero_point], 0, None)]
  drawn = dict(shape=shape, alpha_shape=alpha_shape, constant_alpha=constant,
               scales=(in_scale, alpha_scale, out_scale),
               zero_points=(in_zero_point, alpha_zero_point, out_zero_point))
  return Case("PRELU", drawn, tensors, [0, 1], [2], None, "NONE")


def _output_scale(rng: random.Random, op: str, in_scale: float) -> float:
  """An output scale for `op` from the input's: near it, mostly, with the extremes TFLM
  takes (HARD_SWISH's input scale / 128 stays below it, as its Prepare needs)."""
  if rng.random() < 0.2:
    return in_scale
  if op == "HARD_SWISH":
    low = -6.99 if rng.random() < 0.1 else -6
    return in_scale * 2.0 ** rng.uniform(low, 3)
  if op == "RSQRT":
    # 1 / sqrt(x) of x from 0 to 255 input scales: an output scale that spans most of it.
    return 2.0 ** rng.uniform(-3, 3) / (np.sqrt(in_scale) * 127)
  return in_scale * 2.0 ** rng.uniform(-5, 5)


def unary_s8_case(rng: random.Random, op: str) -> Case:
  """int8 ELU, HARD_SWISH, ABS or RSQRT: input scales from 2^-12 to 8, output scales near
  them (equal a fifth of the time: ABS's path without rescale), any zero points but
  RSQRT's input's: -128, as TFLM's Invoke fails on an input below it."""
  shape = case_model.elementwise_shape(rng)
  in_scale = 2.0 ** rng.uniform(-12, 3)
  in_zero_point = -128 if op == "RSQRT" else rng.randint(-128, 127)
  out_scale = _output_scale(rng, op, in_scale)
  out_zero_point = rng.choice([in_zero_point, -128, 0, rng.randint(-128, 127)])
  tensors = [(shape, "int8", [in_scale], [in_zero_point], 0, None),
             (shape, "int8", [out_scale], [out_zero_point], 0, None)]
  drawn = dict(shape=shape, input=(in_scale, in_zero_point), output=(out_scale, out_zero_point))
  return Case(op, drawn, tensors, [0], [1], None, "NONE")
