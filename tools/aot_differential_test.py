"""Differential test of the ahead-of-time compiler and runtime kernels against the real TFLM.

For each kernel, random one-op models (shapes, strides, paddings,
dilations, activations, scales and zero points drawn from a seeded generator)
are written with the TFLite schema, run in the TFLM interpreter on random
inputs, compiled with tools/aot_compile.py, built together with gcc and run;
every output byte must match. A mismatch prints a reproducer: the kernel, the
seed and the drawn parameters.

An int8 input of 256 elements or more holds every int8 value in its first
draw. Float32 cases may ask for FLOAT_SPECIALS (zeros of both signs,
infinities, NaN, the extremes, subnormals, the kernels' cut-offs) among the
first draw's elements (and the float32 variants of int8 cases, in their
constants). Float32 LOGISTIC, TANH and SOFTMAX call libm's expf and tanhf, as
TFLM's kernels do, and the TFLM interpreter here uses the host's libm, so
they are compared byte for byte like the rest: no tolerance. They match TFLM
wherever both link the same libm; libms differ (newlib's expf and tanhf on a
Cortex-M4 differ from glibc's by up to 2 and 1 units in the last place on
[-20, 20]).

One exception: a float32 output NaN matches any NaN. When two NaNs of
different bits meet in one operation (an input NaN and the NaN of inf - inf
in a sum), IEEE 754 leaves open which one the result carries; x86 returns the
first operand's, and a compiler may swap the operands of + and *, so TFLM's
own NaN bits change with the compiler that built it. Every other float32
output, zeros' signs included, must match bit for bit.

RULES_TFLM_DIFFERENTIAL_CASES sets the number of models per kernel (default
200, with 3 inputs each: 8000 models and 24000 comparisons in all). RESHAPE
and SQUEEZE are checked on whole models in aot_compile_test.py.
"""

import dataclasses
import os
import pathlib
import random
import subprocess

import flatbuffers
import numpy as np
import pytest

from tools import aot_compile
from tools import common
from tools import tflite_reader

REPO = pathlib.Path(__file__).absolute().parents[1]
CASES = int(os.environ.get("RULES_TFLM_DIFFERENTIAL_CASES", "200"))
INPUTS_PER_CASE = 3
ACTIVATIONS = ["NONE", "RELU", "RELU6"]
_F32 = np.finfo(np.float32)
# Zeros, infinities, NaN, the extremes, subnormals, and both sides of the
# cut-offs of RELU6 (6) and LOGISTIC (-9 and 16.619047164916992188).
FLOAT_SPECIALS = np.array(
    [0.0, -0.0, np.inf, -np.inf, np.nan, _F32.max, -_F32.max, _F32.tiny, -_F32.tiny,
     _F32.smallest_subnormal, -_F32.smallest_subnormal, 1.0, -1.0, 1e-8, -1e-8,
     6.0, np.nextafter(np.float32(6), np.float32(7)),
     -9.0, np.nextafter(np.float32(-9), np.float32(-10)),
     16.619047164916992188, np.nextafter(np.float32(16.619047164916992188), np.float32(17)),
     88.7, -88.7, 104.0, -104.0], dtype=np.float32)


def _schema():
  return common.require_module("tflite_micro.tensorflow.lite.micro.python.schema_py_generated",
                               "write test models")


@dataclasses.dataclass
class Case:
  """One random model: its op, tensors and what was drawn (for the reproducer)."""
  op: str
  drawn: dict
  tensors: list  # (shape, dtype, scales, zero_points, quantized_dimension, data or None)
  inputs: list[int]
  outputs: list[int]
  options: object
  options_type: str
  special_values: bool = False  # float32: put FLOAT_SPECIALS in the first input


def build_model(case: Case) -> bytes:
  """A .tflite holding the case's single operator."""
  s = _schema()
  model = s.ModelT()
  model.version = 3
  code = s.OperatorCodeT()
  code.builtinCode = getattr(s.BuiltinOperator, case.op)
  code.deprecatedBuiltinCode = min(code.builtinCode, 127)
  code.version = 1
  model.operatorCodes = [code]
  model.buffers = [s.BufferT()]
  tensors = []
  for index, (shape, dtype, scales, zero_points, qdim, data) in enumerate(case.tensors):
    t = s.TensorT()
    t.shape = list(shape)
    t.type = getattr(s.TensorType, dtype.upper())
    t.name = f"t{index}".encode()
    q = s.QuantizationParametersT()
    q.scale, q.zeroPoint, q.quantizedDimension = list(scales), list(zero_points), qdim
    t.quantization = q
    if data is not None:
      buffer = s.BufferT()
      buffer.data = np.frombuffer(np.ascontiguousarray(data).tobytes(), np.uint8)
      model.buffers.append(buffer)
      t.buffer = len(model.buffers) - 1
    else:
      t.buffer = 0
    tensors.append(t)
  op = s.OperatorT()
  op.opcodeIndex, op.inputs, op.outputs = 0, case.inputs, case.outputs
  op.builtinOptionsType = getattr(s.BuiltinOptions, case.options_type)
  if case.options is not None:
    op.builtinOptions = case.options
  graph = s.SubGraphT()
  graph.tensors, graph.operators = tensors, [op]
  # The non-constants (-1 is an optional input left out).
  graph.inputs = [i for i in case.inputs if i >= 0 and case.tensors[i][5] is None]
  graph.outputs = case.outputs
  model.subgraphs = [graph]
  builder = flatbuffers.Builder(4096)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


def _activation(s, name: str) -> int:
  return getattr(s.ActivationFunctionType, name)


def _out_size(size: int, filter_size: int, stride: int, dilation: int, padding: str) -> int:
  effective = (filter_size - 1) * dilation + 1
  return -(-size // stride) if padding == "SAME" else -(-(size - effective + 1) // stride)


def conv_case(rng: random.Random, depthwise: bool) -> Case:
  s = _schema()
  h, w = rng.randint(1, 9), rng.randint(1, 9)
  cin = rng.randint(1, 6)
  multiplier = rng.choice([1, 2, 3, 4, 5, 8]) if depthwise else 1
  cout = cin * multiplier if depthwise else rng.randint(1, 6)
  kh, kw = rng.randint(1, min(h, 4)), rng.randint(1, min(w, 4))
  stride_h, stride_w = rng.randint(1, 3), rng.randint(1, 3)
  dil_h = rng.choice([1, 1, 2]) if (kh - 1) * 2 + 1 <= h else 1
  dil_w = rng.choice([1, 1, 2]) if (kw - 1) * 2 + 1 <= w else 1
  padding = rng.choice(["SAME", "VALID"])
  oh, ow = (_out_size(h, kh, stride_h, dil_h, padding), _out_size(w, kw, stride_w, dil_w, padding))
  activation = rng.choice(ACTIVATIONS)
  in_scale, out_scale = rng.uniform(0.005, 0.1), rng.uniform(0.01, 0.5)
  w_scales = [rng.uniform(0.001, 0.05) for _ in range(cout)]
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  weight_shape = (1, kh, kw, cout) if depthwise else (cout, kh, kw, cin)
  weights = nrng.integers(-127, 128, size=weight_shape).astype(np.int8)
  bias = nrng.integers(-5000, 5000, size=cout).astype(np.int32)
  options = s.DepthwiseConv2DOptionsT() if depthwise else s.Conv2DOptionsT()
  options.padding = getattr(s.Padding, padding)
  options.strideH, options.strideW = stride_h, stride_w
  options.dilationHFactor, options.dilationWFactor = dil_h, dil_w
  options.fusedActivationFunction = _activation(s, activation)
  if depthwise:
    options.depthMultiplier = multiplier
  drawn = dict(input=(1, h, w, cin), filter=weight_shape, stride=(stride_h, stride_w),
               dilation=(dil_h, dil_w), padding=padding, activation=activation,
               input_scale=in_scale, output_scale=out_scale)
  tensors = [
      ((1, h, w, cin), "int8", [in_scale], [rng.randint(-20, 20)], 0, None),
      (weight_shape, "int8", w_scales, [0] * cout, 3 if depthwise else 0, weights),
      ((cout,), "int32", [in_scale * ws for ws in w_scales], [0] * cout, 0, bias),
      ((1, oh, ow, cout), "int8", [out_scale], [rng.randint(-20, 20)], 0, None),
  ]
  op = "DEPTHWISE_CONV_2D" if depthwise else "CONV_2D"
  return Case(op, drawn, tensors, [0, 1, 2], [3], options,
              "DepthwiseConv2DOptions" if depthwise else "Conv2DOptions")


def fully_connected_case(rng: random.Random) -> Case:
  s = _schema()
  batches, depth, units = rng.randint(1, 3), rng.randint(1, 40), rng.randint(1, 20)
  in_scale, out_scale = rng.uniform(0.005, 0.1), rng.uniform(0.01, 0.5)
  per_channel = rng.random() < 0.5  # the converter writes both
  w_scales = [rng.uniform(0.001, 0.05) for _ in range(units if per_channel else 1)]
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  activation = rng.choice(ACTIVATIONS)
  options = s.FullyConnectedOptionsT()
  options.fusedActivationFunction = _activation(s, activation)
  tensors = [
      ((batches, depth), "int8", [in_scale], [rng.randint(-30, 30)], 0, None),
      ((units, depth), "int8", w_scales, [0] * len(w_scales), 0,
       nrng.integers(-127, 128, size=(units, depth)).astype(np.int8)),
      ((units,), "int32", [in_scale * ws for ws in w_scales], [0] * len(w_scales), 0,
       nrng.integers(-5000, 5000, size=units).astype(np.int32)),
      ((batches, units), "int8", [out_scale], [rng.randint(-30, 30)], 0, None),
  ]
  drawn = dict(batches=batches, depth=depth, units=units, activation=activation,
               per_channel=per_channel)
  return Case("FULLY_CONNECTED", drawn, tensors, [0, 1, 2], [3], options, "FullyConnectedOptions")


def pool_case(rng: random.Random, op: str) -> Case:
  s = _schema()
  h, w, c = rng.randint(1, 10), rng.randint(1, 10), rng.randint(1, 5)
  fh, fw = rng.randint(1, h), rng.randint(1, w)
  stride_h, stride_w = rng.randint(1, 3), rng.randint(1, 3)
  padding = rng.choice(["SAME", "VALID"])
  oh, ow = _out_size(h, fh, stride_h, 1, padding), _out_size(w, fw, stride_w, 1, padding)
  scale, zero_point = rng.uniform(0.01, 0.1), rng.randint(-20, 20)
  activation = rng.choice(ACTIVATIONS)
  options = s.Pool2DOptionsT()
  options.padding = getattr(s.Padding, padding)
  options.strideH, options.strideW, options.filterHeight, options.filterWidth = stride_h, stride_w, fh, fw
  options.fusedActivationFunction = _activation(s, activation)
  tensors = [((1, h, w, c), "int8", [scale], [zero_point], 0, None),
             ((1, oh, ow, c), "int8", [scale], [zero_point], 0, None)]
  drawn = dict(input=(1, h, w, c), filter=(fh, fw), stride=(stride_h, stride_w), padding=padding,
               activation=activation)
  return Case(op, drawn, tensors, [0], [1], options, "Pool2DOptions")


def softmax_case(rng: random.Random) -> Case:
  s = _schema()
  rows, depth = rng.randint(1, 4), rng.randint(1, 30)
  scale, beta = rng.uniform(0.01, 0.5), rng.choice([1.0, 1.0, 0.5, 2.0])
  options = s.SoftmaxOptionsT()
  options.beta = beta
  tensors = [((rows, depth), "int8", [scale], [rng.randint(-30, 30)], 0, None),
             ((rows, depth), "int8", [1 / 256], [-128], 0, None)]
  return Case("SOFTMAX", dict(rows=rows, depth=depth, scale=scale, beta=beta), tensors, [0], [1],
              options, "SoftmaxOptions")


def quantize_case(rng: random.Random, op: str, input_type: str, output_type: str) -> Case:
  s = _schema()
  shape = (1, rng.randint(1, 40))
  def quantization(dtype):
    return ([rng.uniform(0.005, 0.5)], [rng.randint(-40, 40)]) if dtype == "int8" else ([], [])
  (in_scales, in_zps), (out_scales, out_zps) = quantization(input_type), quantization(output_type)
  options = s.QuantizeOptionsT() if op == "QUANTIZE" else s.DequantizeOptionsT()
  tensors = [(shape, input_type, in_scales, in_zps, 0, None),
             (shape, output_type, out_scales, out_zps, 0, None)]
  drawn = dict(shape=shape, input=(input_type, in_scales, in_zps), output=(output_type, out_scales, out_zps))
  return Case(op, drawn, tensors, [0], [1], options,
              "QuantizeOptions" if op == "QUANTIZE" else "DequantizeOptions")


def binary_case(rng: random.Random, op: str) -> Case:
  """ADD, SUB or MUL of two inputs, or of the input and a constant, broadcasting half the time."""
  s = _schema()
  rank = rng.randint(1, 4)
  shape = tuple(rng.randint(1, 5) for _ in range(rank))
  shapes = [shape, shape]
  if rng.random() < 0.5:
    # Each dimension of each input: its size, or 1 (broadcast); inputs may also have fewer dimensions.
    shapes = [tuple(rng.choice([size, 1]) for size in shape)[rng.randint(0, rank - 1):]
              for _ in range(2)]
    shape = tuple(max(dims) for dims in zip(*[(1,) * (rank - len(x)) + x for x in shapes]))
  scales = [rng.uniform(0.005, 0.2) for _ in range(3)]
  zero_points = [rng.randint(-40, 40) for _ in range(3)]
  activation = rng.choice(ACTIVATIONS)
  options = {"ADD": s.AddOptionsT, "SUB": s.SubOptionsT, "MUL": s.MulOptionsT}[op]()
  options.fusedActivationFunction = _activation(s, activation)
  two_inputs = rng.random() < 0.5
  constant = (None if two_inputs else np.random.default_rng(rng.randrange(1 << 30)).integers(
      -128, 128, size=shapes[1]).astype(np.int8))
  tensors = [(shapes[0], "int8", [scales[0]], [zero_points[0]], 0, None),
             (shapes[1], "int8", [scales[1]], [zero_points[1]], 0, constant),
             (shape, "int8", [scales[2]], [zero_points[2]], 0, None)]
  drawn = dict(shapes=shapes, output=shape, two_inputs=two_inputs, scales=scales,
               zero_points=zero_points, activation=activation)
  return Case(op, drawn, tensors, [0, 1], [2], options, op.capitalize() + "Options")


def relu_case(rng: random.Random, op: str) -> Case:
  shape = (1, rng.randint(1, 40))
  tensors = [(shape, "int8", [rng.uniform(0.005, 0.2)], [rng.randint(-40, 40)], 0, None)]
  if op == "RELU6":  # TFLM's int8 RELU6 takes the output quantization to be the input's
    tensors.append(tensors[0])
  else:
    tensors.append((shape, "int8", [rng.uniform(0.005, 0.2)], [rng.randint(-40, 40)], 0, None))
  return Case(op, dict(shape=shape, tensors=[t[2:4] for t in tensors]), tensors, [0], [1], None, "NONE")


def _quantization(rng: random.Random) -> tuple[list[float], list[int]]:
  return [rng.uniform(0.005, 0.2)], [rng.randint(-128, 127)]


def pad_case(rng: random.Random, op: str) -> Case:
  """PAD or PADV2 of a rank 1-4 input by constant paddings (PADV2: by a constant value)."""
  s = _schema()
  shape = tuple(rng.randint(1, 6) for _ in range(rng.randint(1, 4)))
  paddings = np.array([[rng.randint(0, 3), rng.randint(0, 3)] for _ in shape], np.int32)
  out_shape = tuple(int(n + b + a) for n, (b, a) in zip(shape, paddings))
  scales, zero_points = _quantization(rng)
  # TFLM copies the bytes whatever the quantization; the output's matters for the padding.
  out_scales, out_zero_points = (scales, zero_points) if rng.random() < 0.7 else _quantization(rng)
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             (paddings.shape, "int32", [], [], 0, paddings),
             (out_shape, "int8", out_scales, out_zero_points, 0, None)]
  drawn = dict(shape=shape, paddings=paddings.tolist(), zero_points=(zero_points, out_zero_points))
  if op == "PAD":
    return Case(op, drawn, tensors, [0, 1], [2], s.PadOptionsT(), "PadOptions")
  value = np.array(rng.randint(-128, 127), np.int8).reshape(rng.choice([(), (1,)]))
  tensors.append((value.shape, "int8", out_scales, out_zero_points, 0, value))
  drawn["value"] = int(value.ravel()[0])
  return Case(op, drawn, tensors, [0, 1, 3], [2], s.PadV2OptionsT(), "PadV2Options")


def concatenation_case(rng: random.Random) -> Case:
  """CONCATENATION of the input (perhaps several times) and constants along any axis."""
  s = _schema()
  shape = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
  axis = rng.randrange(-len(shape), len(shape))
  scales, zero_points = _quantization(rng)  # TFLM requires the same for all
  tensors = [(tuple(shape), "int8", scales, zero_points, 0, None)]
  inputs, sizes = [0], [shape[axis]]
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  for _ in range(rng.randint(1, 5)):
    if rng.random() < 0.3:
      inputs.append(0)
      sizes.append(shape[axis])
      continue
    part = list(shape)
    part[axis] = rng.randint(1, 4)
    data = nrng.integers(-128, 128, size=part).astype(np.int8)
    tensors.append((tuple(part), "int8", scales, zero_points, 0, data))
    inputs.append(len(tensors) - 1)
    sizes.append(part[axis])
  out_shape = list(shape)
  out_shape[axis] = sum(sizes)
  tensors.append((tuple(out_shape), "int8", scales, zero_points, 0, None))
  options = s.ConcatenationOptionsT()
  options.axis = axis
  drawn = dict(shape=shape, axis=axis, inputs=inputs, sizes=sizes)
  return Case("CONCATENATION", drawn, tensors, inputs, [len(tensors) - 1], options,
              "ConcatenationOptions")


def strided_slice_case(rng: random.Random) -> Case:
  """STRIDED_SLICE of a rank 1-4 input: any begin, end and strides, masks, shrunk axes."""
  s = _schema()
  shape = tuple(rng.randint(1, 7) for _ in range(rng.randint(1, 4)))
  while True:
    begin, end, strides, masks = [], [], [], {"begin": 0, "end": 0, "shrink": 0}
    index = []
    for d, n in enumerate(shape):
      if rng.random() < 0.2:  # TFLM shrinks an axis only at an index inside it, going forwards
        masks["shrink"] |= 1 << d
        begin.append(rng.randint(-n, n - 1))
        end.append(rng.randint(-n - 2, n + 2))
        strides.append(rng.randint(1, 2))
        index.append(begin[-1])
        continue
      begin.append(rng.randint(-n - 2, n + 2))
      end.append(rng.randint(-n - 2, n + 2))
      strides.append(rng.choice([1, 1, 1, 2, 3, -1, -1, -2, -3]))
      begin_masked, end_masked = rng.random() < 0.3, rng.random() < 0.3
      masks["begin"] |= begin_masked << d
      masks["end"] |= end_masked << d
      index.append(slice(None if begin_masked else begin[-1], None if end_masked else end[-1],
                         strides[-1]))
    # Python's slicing resolves indices as TFLite does.
    out_shape = np.zeros(shape)[tuple(index)].shape
    if all(out_shape):
      break
  options = s.StridedSliceOptionsT()
  options.beginMask, options.endMask, options.shrinkAxisMask = (masks["begin"], masks["end"],
                                                                masks["shrink"])
  scales, zero_points = _quantization(rng)
  r = len(shape)
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             ((r,), "int32", [], [], 0, np.array(begin, np.int32)),
             ((r,), "int32", [], [], 0, np.array(end, np.int32)),
             ((r,), "int32", [], [], 0, np.array(strides, np.int32)),
             (out_shape, "int8", scales, zero_points, 0, None)]
  drawn = dict(shape=shape, begin=begin, end=end, strides=strides, masks=masks)
  return Case("STRIDED_SLICE", drawn, tensors, [0, 1, 2, 3], [4], options, "StridedSliceOptions")


def mean_case(rng: random.Random) -> Case:
  """MEAN of a rank 1-4 input over constant axes (negative and repeated too), as
  GlobalAveragePooling2D's [1, 2] one time in four on rank 4."""
  s = _schema()
  rank = rng.randint(1, 4)
  shape = tuple(rng.randint(1, 7) for _ in range(rank))
  if rank == 4 and rng.random() < 0.25:
    axes = [1, 2]
  else:
    axes = [d - rank if rng.random() < 0.3 else d
            for d in rng.sample(range(rank), rng.randint(1, rank))]
    if rng.random() < 0.1:
      axes.append(axes[0])
  keep_dims = rng.random() < 0.5
  reduced = {a % rank for a in axes}
  out_shape = tuple(1 if d in reduced else n for d, n in enumerate(shape)
                    if keep_dims or d not in reduced)
  scales, zero_points = _quantization(rng)
  # The same quantization in and out one time in three (an older TFLM rounded those differently).
  out_scales, out_zero_points = (scales, zero_points) if rng.random() < 0.33 else _quantization(rng)
  options = s.ReducerOptionsT()
  options.keepDims = keep_dims
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             ((len(axes),), "int32", [], [], 0, np.array(axes, np.int32)),
             (out_shape, "int8", out_scales, out_zero_points, 0, None)]
  drawn = dict(shape=shape, axes=axes, keep_dims=keep_dims, scales=(scales, out_scales),
               zero_points=(zero_points, out_zero_points))
  return Case("MEAN", drawn, tensors, [0, 1], [2], options, "ReducerOptions")


def leaky_relu_case(rng: random.Random) -> Case:
  """LEAKY_RELU of a rank 1-4 input with alpha small, large, zero or negative."""
  s = _schema()
  shape = tuple(rng.randint(1, 6) for _ in range(rng.randint(1, 4)))
  alpha = rng.choice([0.01, 0.1, 0.2, 0.3, rng.uniform(0, 1), rng.uniform(1, 3), 0.0,
                      -rng.uniform(0, 1), -0.75, 0.75, 0.25, -1.5])
  options = s.LeakyReluOptionsT()
  options.alpha = alpha
  (in_scale,), in_zero_point = _quantization(rng)
  (out_scale,), out_zero_point = _quantization(rng)
  # Rounding ties show how TFLM computes: with one scale in and out, alpha -0.75 is the Q31
  # multiplier 3 * 2^29 exactly (in double, not always in float32), where negating after the
  # multiply differs from a negative multiplier; with an input scale of 1.5 output scales,
  # float32 and double ratios differ.
  shared = rng.random()
  if shared < 0.3:
    out_scale, out_zero_point = in_scale, in_zero_point
  elif shared < 0.5:
    in_scale = float(np.float32(1.5 * np.float32(out_scale)))
  tensors = [(shape, "int8", [in_scale], in_zero_point, 0, None),
             (shape, "int8", [out_scale], out_zero_point, 0, None)]
  drawn = dict(shape=shape, alpha=alpha, tensors=[t[2:4] for t in tensors])
  return Case("LEAKY_RELU", drawn, tensors, [0], [1], options, "LeakyReluOptions")


def _elementwise_shape(rng: random.Random) -> tuple[int, ...]:
  """A shape of rank 1 to 4, a third of the time with 256 elements or more."""
  if rng.random() < 1 / 3:
    return (1, rng.randint(256, 300))
  return tuple(rng.randint(1, 6) for _ in range(rng.randint(1, 4)))


def sigmoid_case(rng: random.Random, op: str) -> Case:
  """int8 LOGISTIC or TANH: input scales from 2^-28 to 2^34, mostly from 2^-12 to 8."""
  shape = _elementwise_shape(rng)
  if rng.random() < 0.1:
    in_scale = rng.choice([2.0 ** -28, 1e-6, 0.75, 16.0, 1000.0, 2.0 ** 34])
  else:
    in_scale = 2.0 ** rng.uniform(-12, 3)
  in_zero_point = rng.randint(-128, 127)
  # TFLM writes in the converter's output quantization whatever the tensor
  # says; a tenth of the models say something else.
  out_scale, out_zero_point = (1 / 256, -128) if op == "LOGISTIC" else (1 / 128, 0)
  if rng.random() < 0.1:
    out_scale = rng.uniform(0.001, 0.1)
    out_zero_point = out_zero_point if op == "LOGISTIC" else rng.randint(-128, 127)
  tensors = [(shape, "int8", [in_scale], [in_zero_point], 0, None),
             (shape, "int8", [out_scale], [out_zero_point], 0, None)]
  drawn = dict(shape=shape, input=(in_scale, in_zero_point), output=(out_scale, out_zero_point))
  return Case(op, drawn, tensors, [0], [1], None, "NONE")


def float_unary_case(rng: random.Random, op: str) -> Case:
  """float32 LOGISTIC, TANH, RELU or RELU6; half the models see FLOAT_SPECIALS."""
  shape = _elementwise_shape(rng)
  special = rng.random() < 0.5
  tensors = [(shape, "float32", [], [], 0, None), (shape, "float32", [], [], 0, None)]
  return Case(op, dict(shape=shape, special_values=special), tensors, [0], [1], None, "NONE",
              special_values=special)


def float32_case(rng: random.Random, case: Case) -> Case:
  """An int8 case made float32: its int8 tensors and quantized int32 ones (biases) become
  float32 without quantization, their constants drawn anew from a normal distribution;
  other int32 tensors (paddings, axes, slice indices) stay. Half the models see
  FLOAT_SPECIALS in the input, and then half of those in the constants too."""
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  special = rng.random() < 0.5
  special_constants = special and rng.random() < 0.5
  tensors = []
  for shape, dtype, scales, zero_points, qdim, data in case.tensors:
    if dtype == "int8" or (dtype == "int32" and len(scales)):
      if data is not None:
        data = (nrng.normal(size=np.shape(data)) * nrng.choice([0.1, 1, 10])).astype(np.float32)
        if special_constants:
          data.flat[:len(FLOAT_SPECIALS)] = nrng.permutation(FLOAT_SPECIALS)[:data.size]
      tensors.append((shape, "float32", [], [], 0, data))
    else:
      tensors.append((shape, dtype, scales, zero_points, qdim, data))
  # The int8 draws that still matter: not the quantization, nor PADV2's int8 value.
  drawn = {k: v for k, v in case.drawn.items()
           if not any(word in k for word in ("scale", "zero_point", "tensors", "value"))}
  drawn.update(special_values=special, special_constants=special_constants)
  return dataclasses.replace(case, drawn=drawn, tensors=tensors, special_values=special)


def float_conv_case(rng: random.Random, depthwise: bool) -> Case:
  """float32 CONV_2D or DEPTHWISE_CONV_2D, a quarter of the CONV_2D models without a bias
  (TFLM's DEPTHWISE_CONV_2D crashes without one)."""
  case = float32_case(rng, conv_case(rng, depthwise))
  if not depthwise and rng.random() < 0.25:
    case.inputs = [0, 1, -1]
    case.drawn["bias"] = False
  return case


def float_softmax_case(rng: random.Random) -> Case:
  """float32 SOFTMAX; beta as for int8, or (a third of the models) any from 0.05 to 3."""
  case = float32_case(rng, softmax_case(rng))
  if rng.random() < 1 / 3:
    case.options.beta = case.drawn["beta"] = rng.uniform(0.05, 3)
  return case


def float_binary_case(rng: random.Random, op: str) -> Case:
  """float32 ADD, SUB or MUL: half the models as the int8 ones (two inputs or one and a
  constant, broadcasting half the time), half of the input and a constant of its shape."""
  if rng.random() < 0.5:
    return float32_case(rng, binary_case(rng, op))
  s = _schema()
  shape = _elementwise_shape(rng)
  activation = rng.choice(ACTIVATIONS + ["RELU_N1_TO_1"])
  options = {"ADD": s.AddOptionsT, "SUB": s.SubOptionsT, "MUL": s.MulOptionsT}[op]()
  options.fusedActivationFunction = _activation(s, activation)
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  constant = (nrng.normal(size=shape) * nrng.choice([0.1, 1, 10, 100])).astype(np.float32)
  special = rng.random() < 0.5
  if special:  # the specials meet finite values, and each other
    constant.flat[:len(FLOAT_SPECIALS)] = nrng.permutation(FLOAT_SPECIALS)[:constant.size]
  tensors = [(shape, "float32", [], [], 0, None), (shape, "float32", [], [], 0, constant),
             (shape, "float32", [], [], 0, None)]
  drawn = dict(shape=shape, activation=activation, special_values=special)
  return Case(op, drawn, tensors, [0, 1], [2], options, op.capitalize() + "Options",
              special_values=special)


KERNELS = {
    "CONV_2D": lambda rng: conv_case(rng, depthwise=False),
    "DEPTHWISE_CONV_2D": lambda rng: conv_case(rng, depthwise=True),
    "FULLY_CONNECTED": fully_connected_case,
    "AVERAGE_POOL_2D": lambda rng: pool_case(rng, "AVERAGE_POOL_2D"),
    "MAX_POOL_2D": lambda rng: pool_case(rng, "MAX_POOL_2D"),
    "DEQUANTIZE": lambda rng: quantize_case(rng, "DEQUANTIZE", "int8", "float32"),
    "QUANTIZE_FLOAT": lambda rng: quantize_case(rng, "QUANTIZE", "float32", "int8"),
    "REQUANTIZE": lambda rng: quantize_case(rng, "QUANTIZE", "int8", "int8"),
    "SOFTMAX": softmax_case,
    "ADD": lambda rng: binary_case(rng, "ADD"),
    "SUB": lambda rng: binary_case(rng, "SUB"),
    "MUL": lambda rng: binary_case(rng, "MUL"),
    "RELU": lambda rng: relu_case(rng, "RELU"),
    "RELU6": lambda rng: relu_case(rng, "RELU6"),
    "PAD": lambda rng: pad_case(rng, "PAD"),
    "PADV2": lambda rng: pad_case(rng, "PADV2"),
    "CONCATENATION": concatenation_case,
    "STRIDED_SLICE": strided_slice_case,
    "MEAN": mean_case,
    "LEAKY_RELU": leaky_relu_case,
    "LOGISTIC": lambda rng: sigmoid_case(rng, "LOGISTIC"),
    "TANH": lambda rng: sigmoid_case(rng, "TANH"),
    "LOGISTIC_FLOAT": lambda rng: float_unary_case(rng, "LOGISTIC"),
    "TANH_FLOAT": lambda rng: float_unary_case(rng, "TANH"),
    "RELU_FLOAT": lambda rng: float_unary_case(rng, "RELU"),
    "RELU6_FLOAT": lambda rng: float_unary_case(rng, "RELU6"),
    "ADD_FLOAT": lambda rng: float_binary_case(rng, "ADD"),
    "SUB_FLOAT": lambda rng: float_binary_case(rng, "SUB"),
    "MUL_FLOAT": lambda rng: float_binary_case(rng, "MUL"),
    "CONV_2D_FLOAT": lambda rng: float_conv_case(rng, depthwise=False),
    "DEPTHWISE_CONV_2D_FLOAT": lambda rng: float_conv_case(rng, depthwise=True),
    "AVERAGE_POOL_2D_FLOAT": lambda rng: float32_case(rng, pool_case(rng, "AVERAGE_POOL_2D")),
    "MAX_POOL_2D_FLOAT": lambda rng: float32_case(rng, pool_case(rng, "MAX_POOL_2D")),
    "SOFTMAX_FLOAT": float_softmax_case,
    "MEAN_FLOAT": lambda rng: float32_case(rng, mean_case(rng)),
    "PAD_FLOAT": lambda rng: float32_case(rng, pad_case(rng, "PAD")),
    "PADV2_FLOAT": lambda rng: float32_case(rng, pad_case(rng, "PADV2")),
    "CONCATENATION_FLOAT": lambda rng: float32_case(rng, concatenation_case(rng)),
    "STRIDED_SLICE_FLOAT": lambda rng: float32_case(rng, strided_slice_case(rng)),
    "LEAKY_RELU_FLOAT": lambda rng: float32_case(rng, leaky_relu_case(rng)),
    "FULLY_CONNECTED_FLOAT": lambda rng: float32_case(rng, fully_connected_case(rng)),
}


def _tflm_outputs(model: bytes, inputs: list[list[np.ndarray]]) -> list[bytes]:
  """TFLM's output for each list of model inputs."""
  from tflite_micro.python.tflite_micro import runtime
  with common.captured_output():
    interpreter = runtime.Interpreter.from_bytes(model, arena_size=1 << 18)
  outputs = []
  for values in inputs:
    for index, value in enumerate(values):
      interpreter.set_input(value, index)
    interpreter.invoke()
    outputs.append(np.array(interpreter.get_output(0)).tobytes())
  return outputs


def _c_bytes(data: bytes) -> str:
  return "{" + ", ".join(str(b) for b in data) + "}"


# Compares an output with TFLM's in the test program; see the module docstring for NaNs.
_SAME = r"""
static int same(const void *ours, const void *tflm, size_t bytes, int float32) {
  const unsigned char *a = (const unsigned char *)ours, *b = (const unsigned char *)tflm;
  if (!float32) return memcmp(a, b, bytes) == 0;
  for (size_t i = 0; i + 4 <= bytes; i += 4) {
    float x, y;
    memcpy(&x, a + i, 4);
    memcpy(&y, b + i, 4);
    if (memcmp(a + i, b + i, 4) != 0 && !(x != x && y != y)) return 0;
  }
  return 1;
}
"""


@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_kernel_matches_tflm_bit_for_bit(tmp_path, kernel):
  rng = random.Random(f"{kernel}-0")
  cases, checks = [], []
  for number in range(CASES):
    case = KERNELS[kernel](rng)
    model = build_model(case)
    graph = tflite_reader.read_model(model, kernel).main
    nrng = np.random.default_rng(number)

    def draw(tensor: tflite_reader.Tensor, first: bool) -> np.ndarray:
      """Random values; the first draw also holds the special values or every int8 value."""
      if tensor.dtype == "float32":
        value = (nrng.normal(size=tensor.shape) * nrng.choice([0.1, 1, 10, 100])).astype(np.float32)
        if first and case.special_values:
          value.flat[:len(FLOAT_SPECIALS)] = nrng.permutation(FLOAT_SPECIALS)[:value.size]
        return value
      value = nrng.integers(-128, 128, size=tensor.shape).astype(np.int8)
      if first and value.size >= 256:
        every_value = np.resize(np.arange(-128, 128, dtype=np.int8), value.size)
        value = nrng.permutation(every_value).reshape(tensor.shape)
      return value

    inputs = [[draw(graph.tensors[i], n == 0) for i in graph.inputs] for n in range(INPUTS_PER_CASE)]
    expected = _tflm_outputs(model, inputs)
    prefix = f"c{number}"
    generated = aot_compile.compile_model(tflite_reader.read_model(model, kernel), prefix, kernel,
                                          f"{prefix}.h")
    (tmp_path / f"{prefix}.h").write_text(generated.header)
    (tmp_path / f"{prefix}.c").write_text(generated.source)
    cases.append(case)
    float32 = int(graph.tensors[graph.outputs[0]].dtype == "float32")
    for i, (values, output) in enumerate(zip(inputs, expected)):
      checks.append((number, i, prefix, [v.tobytes() for v in values], output, float32))
  includes = "".join(f'#include "c{n}.h"\n' for n in range(CASES))
  body = []
  for number, i, prefix, values, output, float32 in checks:
    copies = "".join(f"    {{ static const unsigned char in[] = {_c_bytes(value)};\n"
                     f"      memcpy({prefix}_input_{k}(), in, sizeof in); }}\n"
                     for k, value in enumerate(values))
    body.append(f"  {{ static const unsigned char out[] = {_c_bytes(output)};\n{copies}"
                f"    {prefix}_invoke();\n"
                f"    if (!same({prefix}_output(), out, sizeof out, {float32})) "
                f"printf(\"mismatch %d %d\\n\", {number}, {i}); }}")
  (tmp_path / "main.c").write_text("#include <stdio.h>\n#include <string.h>\n" + includes + _SAME +
                                   "int main(void) {\n" + "\n".join(body) + "\n  return 0;\n}\n")
  sources = [str(tmp_path / f"c{n}.c") for n in range(CASES)] + [str(tmp_path / "main.c")]
  runtime_sources = [str(p) for p in sorted((REPO / "runtime").glob("*.c"))]
  exe = tmp_path / "differential"
  subprocess.run(["gcc", "-std=c99", "-O1", "-ffp-contract=off", "-w", "-I", str(tmp_path), "-I",
                  str(REPO), *sources, *runtime_sources, "-o", str(exe), "-lm"], check=True)
  mismatches = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split("\n")
  reproducers = [f"{kernel} case {n} (seed '{kernel}-0', input {i}): {cases[int(n)].drawn}"
                 for line in mismatches if line.startswith("mismatch")
                 for n, i in [line.split()[1:3]]]
  assert not reproducers, "\n".join(reproducers)
