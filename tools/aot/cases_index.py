"""Random one-op models of the ops of Keras' Embedding (LESS, ADD, SELECT on int32 token ids)
and UpSampling2D (TILE): the comparisons, int32 ADD, SUB and MUL, SELECT, SELECT_V2 and
TILE, for the differential test (differential_test.py)."""

import random

import numpy as np

from tools.aot import case_model
from tools.aot.case_model import Case

_OPTIONS = {"LESS": "LessOptions", "LESS_EQUAL": "LessEqualOptions",
            "GREATER": "GreaterOptions", "GREATER_EQUAL": "GreaterEqualOptions",
            "EQUAL": "EqualOptions", "NOT_EQUAL": "NotEqualOptions",
            "ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions",
            "SELECT": "SelectOptions", "SELECT_V2": "SelectV2Options", "TILE": "TileOptions"}


def int32_values(nrng: np.random.Generator, shape) -> np.ndarray:
  """int32 values of every magnitude: small ones (often equal), negatives, zero, and large
  ones whose sums and products overflow, with the extremes among them."""
  size = int(np.prod(shape, dtype=np.int64))
  small = nrng.integers(-4, 5, size=size)
  large = nrng.integers(-(1 << 31), 1 << 31, size=size)
  medium = nrng.integers(-(1 << 16), 1 << 16, size=size)
  kind = nrng.integers(0, 3, size=size)
  values = np.where(kind == 0, small, np.where(kind == 1, medium, large))
  extremes = [0, -1, 1, -(1 << 31), (1 << 31) - 1, 1 << 30, -(1 << 30), 46341, -46341]
  count = min(size, len(extremes), int(nrng.integers(0, size + 1)))
  values[:count] = nrng.permutation(extremes)[:count]
  return values.astype(np.int32).reshape(shape)


def _broadcast_shapes(rng: random.Random, count: int, max_rank: int = 4):
  """`count` input shapes and their output: of one shape, or half the time broadcasting (each
  dimension of each input its size or 1, inputs may also have fewer dimensions)."""
  rank = rng.randint(1, max_rank)
  shape = tuple(rng.randint(1, 5) for _ in range(rank))
  if rng.random() < 1 / 6:
    shape = (1, rng.randint(256, 300))  # every int8 value in the first draw
  if rng.random() < 0.5:
    return [shape] * count, shape
  shapes = [tuple(rng.choice([size, 1]) for size in shape)[rng.randint(0, len(shape) - 1):]
            for _ in range(count)]
  full = [(1,) * (len(shape) - len(s)) + s for s in shapes]
  return shapes, tuple(max(dims) for dims in zip(*full))


def _options(op: str, activation: str | None = None):
  s = case_model.schema()
  options = getattr(s, _OPTIONS[op] + "T")()
  if activation is not None:
    options.fusedActivationFunction = case_model.activation(s, activation)
  return options


def _constant(rng: random.Random, shape, dtype: str) -> np.ndarray:
  """A constant input of `shape` as the differential test draws inputs of `dtype`."""
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  if dtype == "int32":
    return int32_values(nrng, shape)
  if dtype == "float32":
    values = nrng.normal(size=shape) * nrng.choice([0.1, 1, 10])
    return values.round(rng.choice([0, 1, 6])).astype(np.float32)
  return nrng.integers(-128, 128, size=shape).astype(np.int8)


def _quantization(rng: random.Random, dtype: str) -> tuple[list[float], list[int]]:
  if dtype != "int8":
    return [], []
  return [rng.choice([rng.uniform(0.005, 0.2), rng.uniform(0.2, 0.999)])], [rng.randint(-128, 127)]


def comparison_case(rng: random.Random, op: str, dtype: str) -> Case:
  """A comparison of two inputs, or of the input and a constant, broadcasting half the time;
  int8 inputs of one scale and zero point half the time, else of their own."""
  shapes, shape = _broadcast_shapes(rng, 2)
  quantization = [_quantization(rng, dtype) for _ in range(2)]
  if rng.random() < 0.5:
    quantization[1] = quantization[0]
  two_inputs = rng.random() < 0.5
  constant = None if two_inputs else _constant(rng, shapes[1], dtype)
  tensors = [(shapes[0], dtype, *quantization[0], 0, None),
             (shapes[1], dtype, *quantization[1], 0, constant),
             (shape, "bool", [], [], 0, None)]
  drawn = dict(dtype=dtype, shapes=shapes, output=shape, two_inputs=two_inputs,
               quantization=quantization)
  return Case(op, drawn, tensors, [0, 1], [2], _options(op), _OPTIONS[op],
              special_values=dtype == "float32" and rng.random() < 0.5,
              repeats=rng.random() < 0.5)


def int32_binary_case(rng: random.Random, op: str) -> Case:
  """int32 ADD, SUB or MUL of two inputs, or of the input and a constant, broadcasting half
  the time, with any fused activation."""
  shapes, shape = _broadcast_shapes(rng, 2)
  activation = rng.choice(case_model.ACTIVATIONS + ["RELU_N1_TO_1"])
  two_inputs = rng.random() < 0.5
  constant = None if two_inputs else _constant(rng, shapes[1], "int32")
  tensors = [(shapes[0], "int32", [], [], 0, None), (shapes[1], "int32", [], [], 0, constant),
             (shape, "int32", [], [], 0, None)]
  drawn = dict(shapes=shapes, output=shape, two_inputs=two_inputs, activation=activation)
  return Case(op, drawn, tensors, [0, 1], [2], _options(op, activation), _OPTIONS[op])


def select_case(rng: random.Random, op: str, dtype: str) -> Case:
  """SELECT_V2 of a condition, x and y broadcasting (up to rank 5, as TFLM) half the time,
  or SELECT of x and y of one shape and a condition of it, of x's first dimension or a
  scalar; x or y a constant a third of the time each."""
  if op == "SELECT_V2":
    (condition, x, y), shape = _broadcast_shapes(rng, 3, max_rank=5)
    shape = shape[len(shape) - max(map(len, (condition, x, y))):]  # TFLM's rank: the inputs'
  else:
    shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(1, 4)))
    x = y = shape
    condition = rng.choice([shape, shape, shape[:1], ()])
  quantization = _quantization(rng, dtype)
  data = [None if rng.random() < 2 / 3 else _constant(rng, s, dtype) for s in (x, y)]
  tensors = [(condition, "bool", [], [], 0, None), (x, dtype, *quantization, 0, data[0]),
             (y, dtype, *quantization, 0, data[1]), (shape, dtype, *quantization, 0, None)]
  drawn = dict(dtype=dtype, shapes=[condition, x, y], output=shape,
               constants=[d is not None for d in data])
  return Case(op, drawn, tensors, [0, 1, 2], [3], _options(op), _OPTIONS[op],
              special_values=dtype == "float32" and rng.random() < 0.5)


def tile_case(rng: random.Random, dtype: str) -> Case:
  """TILE of a rank 1-5 input by multiples (int32 or int64) of 2 or 3 along at most two
  dimensions and 1 along the rest, so the runtime's walk of 5 dimensions takes them."""
  shape = tuple(rng.randint(1, 4) for _ in range(rng.randint(1, 5)))
  multiples = [1] * len(shape)
  for d in rng.sample(range(len(shape)), min(len(shape), rng.randint(0, 2))):
    multiples[d] = rng.randint(2, 3)
  index_type = rng.choice(["int32", "int64"])
  quantization = _quantization(rng, dtype)
  output = tuple(s * m for s, m in zip(shape, multiples))
  tensors = [(shape, dtype, *quantization, 0, None),
             ((len(shape),), index_type, [], [], 0, np.array(multiples, index_type)),
             (output, dtype, *quantization, 0, None)]
  drawn = dict(dtype=dtype, shape=shape, multiples=multiples, index_type=index_type)
  return Case("TILE", drawn, tensors, [0, 1], [2], _options("TILE"), _OPTIONS["TILE"],
              special_values=dtype == "float32" and rng.random() < 0.5)
