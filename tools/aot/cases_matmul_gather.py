"""Random int8 one-op models of BATCH_MATMUL and GATHER for the differential test
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


def gather_case(rng: random.Random) -> Case:
  """GATHER along any axis (negative half the time) with any batch_dims (negative a third
  of the time): Keras's Embedding (constant params, int32 indices an input), params an
  activation and the indices an input or a constant. Input indices stay in range."""
  s = case_model.schema()
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  if rng.random() < 0.25:  # an embedding table
    params_shape, axis, batch_dims = [rng.randint(2, 60), rng.randint(1, 16)], 0, 0
    index_shape = [1, rng.randint(1, 12)]
  else:
    params_shape = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
    axis = rng.randrange(len(params_shape))
    batch_dims = rng.randint(0, axis)
    index_shape = params_shape[:batch_dims] + [rng.randint(1, 4)
                                                for _ in range(rng.randint(0, 2))]
  constant = rng.choice(["params", "params", "none", "indices"])
  params = _int8(rng, nrng, params_shape, constant == "params", rng.randint(-128, 127))
  size = params_shape[axis]
  index_data = (nrng.integers(0, size, size=index_shape).astype(np.int32)
                if constant == "indices" else None)
  out_shape = params_shape[:axis] + index_shape[batch_dims:] + params_shape[axis + 1:]
  options = s.GatherOptionsT()
  options.axis = axis - len(params_shape) if rng.random() < 0.5 else axis
  options.batchDims = (batch_dims - len(index_shape)
                       if batch_dims < len(index_shape) and rng.random() < 1 / 3 else batch_dims)
  tensors = [params, (tuple(index_shape), "int32", [], [], 0, index_data),
             (tuple(out_shape), "int8", params[2], params[3], 0, None)]
  drawn = dict(params=params_shape, indices=index_shape, axis=options.axis,
               batch_dims=options.batchDims, constant=constant)
  return Case("GATHER", drawn, tensors, [0, 1], [2], options, "GatherOptions",
              value_ranges={1: (0, size - 1)})
