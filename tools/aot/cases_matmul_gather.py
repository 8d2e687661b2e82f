"""Random int8 one-op models of BATCH_MATMUL for the differential test
(cases_float.float32_case makes them float32); see differential_test.py."""

import math
import random

import numpy as np

from tools.aot import case_model
from tools.aot.case_model import Case


def _int8(rng: random.Random, nrng, shape, constant: bool, zero_point=None) -> tuple:
  """An int8 tensor of `shape`, its scale and zero point drawn (any zero point, the
  extremes included), random values if `constant`."""
  if zero_point is None:
    zero_point = rng.choice([0, -128, 127, rng.randint(-128, 127), rng.randint(-20, 20)])
  data = nrng.integers(-128, 128, size=shape).astype(np.int8) if constant else None
  return (tuple(shape), "int8", [rng.uniform(0.005, 0.2)], [zero_point], 0, data)


def _batch_shapes(rng: random.Random) -> tuple[list[int], list[int]]:
  """The batch dimensions of two broadcasting inputs, up to 3 in all, each input of its own
  rank (the other's leading dimensions) with some of its dimensions 1."""
  rank = rng.choice([0, 1, 1, 2, 2, 3])
  out = [rng.randint(1, 4) for _ in range(rank)]
  shapes = []
  for _ in range(2):
    own = out[rank - rng.randint(0, rank):] if rng.random() < 0.3 else list(out)
    shapes.append([1 if rng.random() < 0.25 else d for d in own])
  return shapes[0], shapes[1]


def batch_matmul_case(rng: random.Random) -> Case:
  """BATCH_MATMUL of two activations (attention), or of an activation and a constant on
  either side (Dense on 3-D inputs), adj_x and adj_y either way, rank 2 to 5 with the batch
  dimensions broadcast, a third of the models with a long sum."""
  s = case_model.schema()
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  lhs_batch, rhs_batch = _batch_shapes(rng)
  rows, cols = rng.randint(1, 9), rng.randint(1, 9)
  depth = rng.randint(20, 300) if rng.random() < 1 / 3 else rng.randint(1, 12)
  adj_x, adj_y = rng.random() < 0.5, rng.random() < 0.5
  lhs_shape = lhs_batch + ([depth, rows] if adj_x else [rows, depth])
  rhs_shape = rhs_batch + ([cols, depth] if adj_y else [depth, cols])
  constant = rng.choice(["none", "none", "rhs", "rhs", "lhs"])
  lhs = _int8(rng, nrng, lhs_shape, constant == "lhs")
  rhs = _int8(rng, nrng, rhs_shape, constant == "rhs", 0 if constant == "rhs" else None)
  # The output scale: the sums' typical size (their spread and the zero points' shift) times
  # a factor from 1/10 to 10 mapped onto 100 steps, so that some outputs saturate, most not.
  ol, orr = abs(lhs[3][0]), abs(rhs[3][0])
  typical = math.sqrt(depth) * (74 * 74 + 74 * (ol + orr)) + depth * ol * orr
  multiplier = 100 / typical * math.exp(rng.uniform(math.log(0.1), math.log(10)))
  out_scale = lhs[2][0] * rhs[2][0] / multiplier
  rank = max(len(lhs_batch), len(rhs_batch))
  batch = [max(a, b) for a, b in zip([1] * (rank - len(lhs_batch)) + lhs_batch,
                                     [1] * (rank - len(rhs_batch)) + rhs_batch)]
  out = (tuple(batch + [rows, cols]), "int8", [out_scale], [rng.randint(-128, 127)], 0, None)
  options = s.BatchMatMulOptionsT()
  options.adjX, options.adjY = adj_x, adj_y
  drawn = dict(lhs=lhs_shape, rhs=rhs_shape, adj_x=adj_x, adj_y=adj_y, constant=constant,
               multiplier=multiplier, zero_points=(lhs[3][0], rhs[3][0], out[3][0]))
  return Case("BATCH_MATMUL", drawn, [lhs, rhs, out], [0, 1], [2], options,
              "BatchMatMulOptions")

