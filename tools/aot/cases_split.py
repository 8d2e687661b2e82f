"""Random int8 SPLIT, SPLIT_V, UNPACK and PACK models of the differential test (see
differential_test.py; cases_float.float32_case makes them float32).

Ranks from 0 (PACK's scalars) to 5, any axis (negative ones too), size-1 dimensions, a
fifth of the models with rows of 128 to 300 elements; the tensors' quantizations differ
a third of the time, as TFLM copies the bytes whatever they are.
"""

import random

import numpy as np

from tools.aot import case_model
from tools.aot.case_model import Case


def _quantization(rng: random.Random, first: tuple | None = None) -> tuple[list, list]:
  """A scale and zero point: `first`'s two times in three, when given."""
  if first is not None and rng.random() < 2 / 3:
    return first
  return [rng.uniform(0.005, 0.2)], [rng.randint(-128, 127)]


def _shape(rng: random.Random) -> tuple[list[int], int]:
  """A shape of rank 1 to 5 and an axis of it, from -rank to rank - 1; a fifth of the time
  rows of 128 to 300 elements, the axis across them."""
  if rng.random() < 0.2:
    shape, axis = [1, rng.randint(128, 300)], rng.choice([0, -2])
    return (shape[::-1], rng.choice([1, -1])) if rng.random() < 0.5 else (shape, axis)
  shape = [rng.choice([1, rng.randint(1, 5)]) for _ in range(rng.randint(1, 5))]
  return shape, rng.randrange(-len(shape), len(shape))


def _split_shape(rng: random.Random, parts: list[int]) -> tuple[list[int], int]:
  """An input shape of rank 1 to 5 whose dimension at the drawn axis holds `parts`; the axis
  as a model gives it (from -rank to rank - 1)."""
  shape, axis = _shape(rng)
  shape[axis] = sum(parts)
  return shape, axis


def _axis_tensor(rng: random.Random, axis: int) -> tuple:
  """SPLIT's and SPLIT_V's constant axis: a scalar or one value, int32."""
  shape = () if rng.random() < 0.5 else (1,)
  return (shape, "int32", [], [], 0, np.array(axis, np.int32).reshape(shape))


def _cut(shape: list[int], axis: int, parts: list[int], quantization: list[tuple]) -> list:
  """The output tensors of `shape` cut into `parts` along `axis`."""
  outputs = []
  for part, (scales, zero_points) in zip(parts, quantization):
    out = list(shape)
    out[axis] = part
    outputs.append((tuple(out), "int8", scales, zero_points, 0, None))
  return outputs


def split_case(rng: random.Random) -> Case:
  """SPLIT into 1 to 5 equal parts along a constant axis (input 0)."""
  count, part = rng.randint(1, 5), rng.randint(1, 3)
  shape, axis = _split_shape(rng, [part] * count)
  q = _quantization(rng)
  tensors = [_axis_tensor(rng, axis), (tuple(shape), "int8", *q, 0, None)]
  tensors += _cut(shape, axis, [part] * count, [_quantization(rng, q) for _ in range(count)])
  options = case_model.schema().SplitOptionsT()
  options.numSplits = count
  drawn = dict(shape=shape, axis=axis, count=count, axis_shape=tensors[0][0])
  return Case("SPLIT", drawn, tensors, [0, 1], list(range(2, 2 + count)), options,
              "SplitOptions")


def split_v_case(rng: random.Random) -> Case:
  """SPLIT_V into 1 to 5 parts of any sizes along a constant axis, size_splits with a -1
  half the time, int64 a fifth of the time (TFLM reads neither: the outputs' shapes rule)."""
  parts = [rng.randint(1, 4) for _ in range(rng.randint(1, 5))]
  shape, axis = _split_shape(rng, parts)
  sizes = list(parts)
  if rng.random() < 0.5:
    sizes[rng.randrange(len(sizes))] = -1
  dtype = "int64" if rng.random() < 0.2 else "int32"
  q = _quantization(rng)
  tensors = [(tuple(shape), "int8", *q, 0, None),
             ((len(sizes),), dtype, [], [], 0, np.array(sizes, np.dtype(dtype))),
             _axis_tensor(rng, axis)]
  tensors += _cut(shape, axis, parts, [_quantization(rng, q) for _ in parts])
  options = case_model.schema().SplitVOptionsT()
  options.numSplits = len(parts)
  drawn = dict(shape=shape, axis=axis, size_splits=sizes, size_splits_type=dtype,
               axis_shape=tensors[2][0])
  return Case("SPLIT_V", drawn, tensors, [0, 1, 2], list(range(3, 3 + len(parts))), options,
              "SplitVOptions")


def unpack_case(rng: random.Random) -> Case:
  """UNPACK of a rank 1-5 input along any axis of size 1 to 5."""
  shape, axis = _shape(rng)
  shape[axis] = rng.randint(1, 5)
  count, a = shape[axis], axis % len(shape)
  q = _quantization(rng)
  tensors = [(tuple(shape), "int8", *q, 0, None)]
  out = tuple(shape[:a] + shape[a + 1:])
  tensors += [(out, "int8", *_quantization(rng, q), 0, None) for _ in range(count)]
  options = case_model.schema().UnpackOptionsT()
  options.num, options.axis = count, axis
  return Case("UNPACK", dict(shape=shape, axis=axis), tensors, [0],
              list(range(1, 1 + count)), options, "UnpackOptions")


def pack_case(rng: random.Random) -> Case:
  """PACK of 1 to 5 inputs of rank 0 to 4 along any new axis: inputs of their own, repeated,
  or (a fifth of them, not the first) constants."""
  if rng.random() < 0.2:
    shape = (rng.randint(128, 300),)
  else:
    shape = tuple(rng.choice([1, rng.randint(1, 5)]) for _ in range(rng.randint(0, 4)))
  count = rng.randint(1, 5)
  axis = rng.randint(-len(shape) - 1, len(shape))
  q = _quantization(rng)
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  tensors, inputs, kinds = [], [], []
  for i in range(count):
    kind = "input" if i == 0 else rng.choice(["input", "input", "repeat", "constant"])
    if kind == "repeat":
      inputs.append(rng.choice(inputs))
    else:
      data = nrng.integers(-128, 128, size=shape).astype(np.int8) if kind == "constant" else None
      tensors.append((shape, "int8", *_quantization(rng, q), 0, data))
      inputs.append(len(tensors) - 1)
    kinds.append(kind)
  out = list(shape)
  out.insert(axis % (len(shape) + 1), count)
  tensors.append((tuple(out), "int8", *q, 0, None))
  options = case_model.schema().PackOptionsT()
  options.valuesCount, options.axis = count, axis
  return Case("PACK", dict(shape=shape, axis=axis, inputs=kinds), tensors, inputs,
              [len(tensors) - 1], options, "PackOptions")


# The int8 kernels, by opcode.
CASES = {"SPLIT": split_case, "SPLIT_V": split_v_case, "UNPACK": unpack_case, "PACK": pack_case}
