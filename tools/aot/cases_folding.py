"""Random one-op models of the ops the compiler folds (folding.py), for folding_test.py.

Each case's non-constant inputs are graph inputs, so that TFLM computes the
op at run time on values the test draws; folding.evaluate gets the same
values as constants. Plain types only (int32, float32, and int8 or int16
where an op only moves or casts values): folding never does quantized
arithmetic.
"""

import dataclasses
import random

import numpy as np

from tools.aot import case_model
from tools.aot import cases_float
from tools.aot import cases_index
from tools.aot import cases_int8
from tools.aot.case_model import Case

_PLAIN = ("int32", "float32")
# The types TFLM's GATHER and EXPAND_DIMS take (the compiler folds int32 too: the values
# move as they are, whatever their type).
_MOVED = ("int8", "float32")


def _shape(rng: random.Random, low_rank: int = 1, high_rank: int = 4) -> tuple[int, ...]:
  return tuple(rng.randint(1, 5) for _ in range(rng.randint(low_rank, high_rank)))


def _tensor(shape, dtype: str, data=None) -> tuple:
  return (tuple(shape), dtype, [], [], 0, data)


def draw(nrng: np.random.Generator, shape, dtype: str) -> np.ndarray:
  """Values for a tensor: small integers (so products stay in range), normal floats, or
  bools."""
  if dtype == "bool":
    return nrng.integers(0, 2, size=shape).astype(np.bool_)
  if dtype == "float32":
    return (nrng.normal(size=shape) * nrng.choice([0.1, 1, 10])).astype(np.float32)
  info = np.iinfo(dtype)
  return nrng.integers(max(info.min, -9), min(info.max, 9) + 1, size=shape).astype(dtype)


def _options(name: str, **fields):
  options = getattr(case_model.schema(), name + "T")()
  for field, value in fields.items():
    setattr(options, field, value)
  return options


def plain_case(rng: random.Random, case: Case, dtype: str) -> Case:
  """An int8 case in `dtype` (int32 or float32): its quantized tensors plain, constants redrawn."""
  if dtype == "float32":
    return cases_float.float32_case(rng, case)
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  tensors = [_tensor(shape, dtype, None if data is None else draw(nrng, np.shape(data), dtype))
             if kind == "int8" else (shape, kind, scales, zero_points, qdim, data)
             for shape, kind, scales, zero_points, qdim, data in case.tensors]
  return dataclasses.replace(case, tensors=tensors, drawn=dict(case.drawn, dtype=dtype))


def shape_case(rng: random.Random) -> Case:
  shape = _shape(rng)
  s = case_model.schema()
  tensors = [_tensor(shape, rng.choice(_PLAIN)), _tensor((len(shape),), "int32")]
  return Case("SHAPE", dict(shape=shape), tensors, [0], [1],
              _options("ShapeOptions", outType=s.TensorType.INT32), "ShapeOptions")


def pack_case(rng: random.Random) -> Case:
  shape, count, dtype = _shape(rng, 0, 3), rng.randint(1, 4), rng.choice(_PLAIN)
  axis = rng.randint(-len(shape) - 1, len(shape))
  out = list(shape)
  out.insert(axis % (len(shape) + 1), count)
  tensors = [_tensor(shape, dtype) for _ in range(count)] + [_tensor(out, dtype)]
  return Case("PACK", dict(shape=shape, count=count, axis=axis, dtype=dtype), tensors,
              list(range(count)), [count], _options("PackOptions", valuesCount=count, axis=axis),
              "PackOptions")


def unpack_case(rng: random.Random) -> Case:
  shape, dtype = _shape(rng), rng.choice(_PLAIN)
  axis = rng.randrange(-len(shape), len(shape))
  out = shape[:axis % len(shape)] + shape[axis % len(shape) + 1:]
  count = shape[axis]
  tensors = [_tensor(shape, dtype)] + [_tensor(out, dtype) for _ in range(count)]
  return Case("UNPACK", dict(shape=shape, axis=axis, dtype=dtype), tensors, [0],
              list(range(1, count + 1)), _options("UnpackOptions", num=count, axis=axis),
              "UnpackOptions")


def gather_case(rng: random.Random) -> Case:
  shape, dtype = _shape(rng), rng.choice(_MOVED)
  axis = rng.randrange(-len(shape), len(shape))
  indices_shape = _shape(rng, 0, 2)
  indices = np.random.default_rng(rng.randrange(1 << 30)).integers(
      0, shape[axis], size=indices_shape).astype(np.int32)
  a = axis % len(shape)
  out = shape[:a] + indices_shape + shape[a + 1:]
  tensors = [_tensor(shape, dtype), _tensor(indices_shape, "int32", indices), _tensor(out, dtype)]
  return Case("GATHER", dict(shape=shape, axis=axis, indices=indices.tolist(), dtype=dtype),
              tensors, [0, 1], [2], _options("GatherOptions", axis=axis, batchDims=0),
              "GatherOptions")


# The casts the compiler folds, as TFLM's CAST kernel takes them.
_CASTS = [("int32", "float32"), ("float32", "int32"), ("int8", "int32"), ("int16", "int32"),
          ("int32", "int16"), ("int8", "float32"), ("int16", "float32")]


def cast_case(rng: random.Random) -> Case:
  shape = _shape(rng)
  source, target = rng.choice(_CASTS)
  s = case_model.schema()
  options = _options("CastOptions", inDataType=getattr(s.TensorType, source.upper()),
                     outDataType=getattr(s.TensorType, target.upper()))
  return Case("CAST", dict(shape=shape, cast=(source, target)),
              [_tensor(shape, source), _tensor(shape, target)], [0], [1], options, "CastOptions")


def reduce_prod_case(rng: random.Random) -> Case:
  shape, dtype = _shape(rng), rng.choice(_PLAIN)
  axes = sorted(rng.sample(range(len(shape)), rng.randint(1, len(shape))))
  axes = [a - len(shape) if rng.random() < 0.3 else a for a in axes]
  keep, reduced = rng.random() < 0.5, {a % len(shape) for a in axes}
  out = tuple(1 if d in reduced else n for d, n in enumerate(shape)) if keep else tuple(
      n for d, n in enumerate(shape) if d not in reduced)
  tensors = [_tensor(shape, dtype), _tensor((len(axes),), "int32", np.array(axes, np.int32)),
             _tensor(out, dtype)]
  return Case("REDUCE_PROD", dict(shape=shape, axes=axes, keep_dims=keep, dtype=dtype), tensors,
              [0, 1], [2], _options("ReducerOptions", keepDims=keep), "ReducerOptions")


def reshape_case(rng: random.Random) -> Case:
  shape, dtype = _shape(rng), rng.choice(_PLAIN)
  size = int(np.prod(shape))
  out = rng.choice([(size,), (1, size), tuple(reversed(shape)), shape + (1,)])
  tensors = [_tensor(shape, dtype), _tensor((len(out),), "int32", np.array(out, np.int32)),
             _tensor(out, dtype)]
  return Case("RESHAPE", dict(shape=shape, new_shape=out, dtype=dtype), tensors, [0, 1], [2],
              _options("ReshapeOptions", newShape=list(out)), "ReshapeOptions")


def expand_dims_case(rng: random.Random) -> Case:
  shape, dtype = _shape(rng, 0, 3), rng.choice(_MOVED)
  axis = rng.randint(-len(shape) - 1, len(shape))
  out = list(shape)
  out.insert(axis % (len(shape) + 1), 1)
  tensors = [_tensor(shape, dtype), _tensor((1,), "int32", np.array([axis], np.int32)),
             _tensor(out, dtype)]
  return Case("EXPAND_DIMS", dict(shape=shape, axis=axis, dtype=dtype), tensors, [0, 1], [2],
              _options("ExpandDimsOptions"), "ExpandDimsOptions")


def squeeze_case(rng: random.Random) -> Case:
  shape = tuple(1 if rng.random() < 0.4 else n for n in _shape(rng))
  ones = [d for d, n in enumerate(shape) if n == 1]
  dims = rng.sample(ones, rng.randint(0, len(ones)))
  out = tuple(n for d, n in enumerate(shape) if (d not in dims if dims else n != 1))
  dtype = rng.choice(_PLAIN)
  return Case("SQUEEZE", dict(shape=shape, squeeze_dims=dims, dtype=dtype),
              [_tensor(shape, dtype), _tensor(out, dtype)], [0], [1],
              _options("SqueezeOptions", squeezeDims=dims), "SqueezeOptions")


def fill_case(rng: random.Random) -> Case:
  out, dtype = _shape(rng), rng.choice(_PLAIN)
  tensors = [_tensor((len(out),), "int32", np.array(out, np.int32)), _tensor((), dtype),
             _tensor(out, dtype)]
  return Case("FILL", dict(shape=out, dtype=dtype), tensors, [0, 1], [2], _options("FillOptions"),
              "FillOptions")


def arithmetic_case(rng: random.Random, op: str) -> Case:
  """ADD, SUB or MUL of int32 or float32, broadcasting half the time; float32 with any fused
  activation, int32 without (TFLM's int32 kernels ignore it, so the compiler does not fold it)."""
  if rng.random() < 0.5:
    return cases_float.float_binary_case(rng, op)
  case = plain_case(rng, cases_int8.binary_case(rng, op), "int32")
  case.options.fusedActivationFunction = case_model.activation(case_model.schema(), "NONE")
  return dataclasses.replace(case, drawn=dict(case.drawn, activation="NONE"))


FOLDED = {
    "SHAPE": shape_case,
    "PACK": pack_case,
    "UNPACK": unpack_case,
    "STRIDED_SLICE": lambda rng: plain_case(rng, cases_int8.strided_slice_case(rng),
                                            rng.choice(_PLAIN)),
    "GATHER": gather_case,
    "CAST": cast_case,
    "CONCATENATION": lambda rng: plain_case(rng, cases_int8.concatenation_case(rng),
                                            rng.choice(_PLAIN)),
    "REDUCE_PROD": reduce_prod_case,
    "RESHAPE": reshape_case,
    "EXPAND_DIMS": expand_dims_case,
    "SQUEEZE": squeeze_case,
    "FILL": fill_case,
    "ADD": lambda rng: arithmetic_case(rng, "ADD"),
    "SUB": lambda rng: arithmetic_case(rng, "SUB"),
    "MUL": lambda rng: arithmetic_case(rng, "MUL"),
    "LESS": lambda rng: cases_index.comparison_case(rng, "LESS", rng.choice(_PLAIN)),
    # TFLM runs int8 and float32 SELECT_V2; TF Lite the rest (folding_test's oracle).
    "SELECT": lambda rng: cases_index.select_case(rng, "SELECT", rng.choice(_PLAIN)),
    "SELECT_V2": lambda rng: cases_index.select_case(rng, "SELECT_V2", rng.choice(_MOVED)),
    "TILE": lambda rng: cases_index.tile_case(rng, rng.choice(_PLAIN)),
}
