"""Random int8 one-op models of the differential test, one generator per kernel.

Shapes, strides, paddings, dilations, activations, scales and zero points
are drawn from the seeded generator; see differential_test.py.
"""

import dataclasses
import random

import numpy as np

from tools.aot import case_model
from tools.aot.case_model import Case


def conv_case(rng: random.Random, depthwise: bool, largest: tuple[int, int] = (9, 9),
              channels: int = 6, stride: int = 3) -> Case:
  """A convolution of an input of up to `largest` rows and columns, up to `channels`
  input and output channels and strides up to `stride`."""
  s = case_model.schema()
  h, w = rng.randint(1, largest[0]), rng.randint(1, largest[1])
  cin = rng.randint(1, channels)
  multiplier = rng.choice([1, 2, 3, 4, 5, 8]) if depthwise else 1
  cout = cin * multiplier if depthwise else rng.randint(1, channels)
  kh, kw = rng.randint(1, min(h, 4)), rng.randint(1, min(w, 4))
  stride_h, stride_w = rng.randint(1, stride), rng.randint(1, stride)
  dil_h = rng.choice([1, 1, 2]) if (kh - 1) * 2 + 1 <= h else 1
  dil_w = rng.choice([1, 1, 2]) if (kw - 1) * 2 + 1 <= w else 1
  padding = rng.choice(["SAME", "VALID"])
  oh, ow = (case_model.out_size(h, kh, stride_h, dil_h, padding), case_model.out_size(w, kw, stride_w, dil_w, padding))
  activation = rng.choice(case_model.ACTIVATIONS)
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
  options.fusedActivationFunction = case_model.activation(s, activation)
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


def residual_case(rng: random.Random) -> Case:
  """CONV_2D, then ADD of its output and a second input (a residual block's skip), in
  either order: the pair the compiler runs in slices where that shrinks the arena
  (tools/aot/fusion.py), with slices of whole rows and of parts of one."""
  s = case_model.schema()
  # Half the time rows wider than a slice: slices of part of a row.
  largest, channels = rng.choice([((3, 48), 24), ((16, 12), 16)])
  case = conv_case(rng, depthwise=False, largest=largest, channels=channels, stride=2)
  shape = case.tensors[3][0]
  (skip_scale, sum_scale), zero_points = ([rng.uniform(0.01, 0.5) for _ in range(2)],
                                          [rng.randint(-20, 20) for _ in range(2)])
  activation = rng.choice(case_model.ACTIVATIONS)
  options = s.AddOptionsT()
  options.fusedActivationFunction = case_model.activation(s, activation)
  inputs = rng.choice([[3, 4], [4, 3]])
  case.tensors += [(shape, "int8", [skip_scale], [zero_points[0]], 0, None),
                   (shape, "int8", [sum_scale], [zero_points[1]], 0, None)]
  case.drawn.update(add_inputs=inputs, skip_scale=skip_scale, sum_scale=sum_scale,
                    add_zero_points=zero_points, add_activation=activation)
  return dataclasses.replace(case, more_ops=[("ADD", inputs, [5], options, "AddOptions")])


def fully_connected_case(rng: random.Random) -> Case:
  s = case_model.schema()
  batches, depth, units = rng.randint(1, 3), rng.randint(1, 40), rng.randint(1, 20)
  in_scale, out_scale = rng.uniform(0.005, 0.1), rng.uniform(0.01, 0.5)
  per_channel = rng.random() < 0.5  # the converter writes both
  w_scales = [rng.uniform(0.001, 0.05) for _ in range(units if per_channel else 1)]
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  activation = rng.choice(case_model.ACTIVATIONS)
  options = s.FullyConnectedOptionsT()
  options.fusedActivationFunction = case_model.activation(s, activation)
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
  s = case_model.schema()
  h, w, c = rng.randint(1, 10), rng.randint(1, 10), rng.randint(1, 5)
  fh, fw = rng.randint(1, h), rng.randint(1, w)
  stride_h, stride_w = rng.randint(1, 3), rng.randint(1, 3)
  padding = rng.choice(["SAME", "VALID"])
  oh, ow = case_model.out_size(h, fh, stride_h, 1, padding), case_model.out_size(w, fw, stride_w, 1, padding)
  scale, zero_point = rng.uniform(0.01, 0.1), rng.randint(-20, 20)
  activation = rng.choice(case_model.ACTIVATIONS)
  options = s.Pool2DOptionsT()
  options.padding = getattr(s.Padding, padding)
  options.strideH, options.strideW, options.filterHeight, options.filterWidth = stride_h, stride_w, fh, fw
  options.fusedActivationFunction = case_model.activation(s, activation)
  tensors = [((1, h, w, c), "int8", [scale], [zero_point], 0, None),
             ((1, oh, ow, c), "int8", [scale], [zero_point], 0, None)]
  drawn = dict(input=(1, h, w, c), filter=(fh, fw), stride=(stride_h, stride_w), padding=padding,
               activation=activation)
  return Case(op, drawn, tensors, [0], [1], options, "Pool2DOptions")


def softmax_case(rng: random.Random) -> Case:
  s = case_model.schema()
  rows, depth = rng.randint(1, 4), rng.randint(1, 30)
  scale, beta = rng.uniform(0.01, 0.5), rng.choice([1.0, 1.0, 0.5, 2.0])
  options = s.SoftmaxOptionsT()
  options.beta = beta
  tensors = [((rows, depth), "int8", [scale], [rng.randint(-30, 30)], 0, None),
             ((rows, depth), "int8", [1 / 256], [-128], 0, None)]
  return Case("SOFTMAX", dict(rows=rows, depth=depth, scale=scale, beta=beta), tensors, [0], [1],
              options, "SoftmaxOptions")


def quantize_case(rng: random.Random, op: str, input_type: str, output_type: str) -> Case:
  s = case_model.schema()
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
  s = case_model.schema()
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
  activation = rng.choice(case_model.ACTIVATIONS)
  options = {"ADD": s.AddOptionsT, "SUB": s.SubOptionsT, "MUL": s.MulOptionsT}[op]()
  options.fusedActivationFunction = case_model.activation(s, activation)
  two_inputs = rng.random() < 0.5
  constant = (None if two_inputs else np.random.default_rng(rng.randrange(1 << 30)).integers(
      -128, 128, size=shapes[1]).astype(np.int8))
  tensors = [(shapes[0], "int8", [scales[0]], [zero_points[0]], 0, None),
             (shapes[1], "int8", [scales[1]], [zero_points[1]], 0, constant),
             (shape, "int8", [scales[2]], [zero_points[2]], 0, None)]
  drawn = dict(shapes=shapes, output=shape, two_inputs=two_inputs, scales=scales,
               zero_points=zero_points, activation=activation)
  return Case(op, drawn, tensors, [0, 1], [2], options, op.capitalize() + "Options")


def maximum_minimum_case(rng: random.Random, op: str) -> Case:
  """MAXIMUM or MINIMUM as binary_case draws them, with the one scale and zero point that
  the converter gives the inputs and the output."""
  case = binary_case(rng, op if op in ("ADD", "SUB", "MUL") else "ADD")
  quantization = case.tensors[0][2:4]
  for position in range(3):
    case_model.replace(case, position, scales=quantization[0], zero_points=quantization[1])
  drawn = {k: v for k, v in case.drawn.items() if k != "activation"}
  return dataclasses.replace(case, op=op, drawn=drawn,
                             options=case_model.schema().MaximumMinimumOptionsT(),
                             options_type="MaximumMinimumOptions")


def resize_nearest_case(rng: random.Random) -> Case:
  """RESIZE_NEAREST_NEIGHBOR up or down, with align_corners or half_pixel_centers or neither."""
  shape = (rng.randint(1, 2), rng.randint(1, 6), rng.randint(1, 6), rng.randint(1, 4))
  size = [rng.randint(1, 12), rng.randint(1, 12)]
  return resize_case(rng, "RESIZE_NEAREST_NEIGHBOR", shape, size, _quantization(rng))


def resize_case(rng: random.Random, op: str, shape, size: list[int], quantized: tuple) -> Case:
  """The Case of RESIZE_NEAREST_NEIGHBOR or RESIZE_BILINEAR of int8 `shape` to `size`, with
  align_corners or half_pixel_centers or neither; `quantized`: (scales, zero points) of input
  and output alike."""
  align = rng.random() < 1 / 3
  half = not align and rng.random() < 0.5
  options_type = ("ResizeNearestNeighborOptions" if op == "RESIZE_NEAREST_NEIGHBOR" else
                  "ResizeBilinearOptions")
  options = getattr(case_model.schema(), options_type + "T")()
  options.alignCorners, options.halfPixelCenters = align, half
  tensors = [(shape, "int8", *quantized, 0, None),
             ((2,), "int32", [], [], 0, np.array(size, np.int32)),
             ((shape[0], *size, shape[3]), "int8", *quantized, 0, None)]
  drawn = dict(shape=shape, size=size, align_corners=align, half_pixel_centers=half)
  return Case(op, drawn, tensors, [0, 1], [2], options, options_type)


def transpose_case(rng: random.Random) -> Case:
  """TRANSPOSE of a rank 1-5 input by any permutation."""
  shape = tuple(rng.randint(1, 5) for _ in range(rng.randint(1, 5)))
  perm = list(range(len(shape)))
  rng.shuffle(perm)
  scales, zero_points = _quantization(rng)
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             ((len(shape),), "int32", [], [], 0, np.array(perm, np.int32)),
             (tuple(shape[p] for p in perm), "int8", scales, zero_points, 0, None)]
  return Case("TRANSPOSE", dict(shape=shape, perm=perm), tensors, [0, 1], [2],
              case_model.schema().TransposeOptionsT(), "TransposeOptions")


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
  s = case_model.schema()
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
  s = case_model.schema()
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
  s = case_model.schema()
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
  return reducer_case("MEAN", shape, axes, keep_dims, out_shape, (scales, zero_points),
                      (out_scales, out_zero_points))


def reducer_case(op: str, shape, axes: list[int], keep_dims: bool, out_shape,
                 quantized: tuple, out_quantized: tuple) -> Case:
  """The Case of a reduction (MEAN, SUM, REDUCE_MAX) of int8 `shape` over constant `axes`;
  `quantized` and `out_quantized` are (scales, zero points) of the input and output."""
  options = case_model.schema().ReducerOptionsT()
  options.keepDims = keep_dims
  tensors = [(shape, "int8", *quantized, 0, None),
             ((len(axes),), "int32", [], [], 0, np.array(axes, np.int32)),
             (out_shape, "int8", *out_quantized, 0, None)]
  drawn = dict(shape=shape, axes=axes, keep_dims=keep_dims, scales=(quantized[0], out_quantized[0]),
               zero_points=(quantized[1], out_quantized[1]))
  return Case(op, drawn, tensors, [0, 1], [2], options, "ReducerOptions")


def leaky_relu_case(rng: random.Random) -> Case:
  """LEAKY_RELU of a rank 1-4 input with alpha small, large, zero or negative."""
  s = case_model.schema()
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



def sigmoid_case(rng: random.Random, op: str) -> Case:
  """int8 LOGISTIC or TANH: input scales from 2^-28 to 2^34, mostly from 2^-12 to 8."""
  shape = case_model.elementwise_shape(rng)
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
