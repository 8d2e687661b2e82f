"""Random TRANSPOSE_CONV one-op models of the differential test, int8 and float32.

Strides 1 to 3, SAME and VALID, filters 1x1 to 5x5, one to five channels in
and out, a bias or none (no fourth input, or -1), per-channel or per-tensor
weight scales, every fused activation TFLM clamps to. The output is mostly
the size Keras's Conv2DTranspose gives; a fifth of the models get another
(TFLM takes the output tensor's size as it is, cropping or leaving zeros):
near it, or 1 to 3 with filters up to 8x8, where TFLM's padding of a VALID
filter larger than the output takes C++'s division towards zero.
"""

import random

import numpy as np

from tools.aot import case_model
from tools.aot import cases_float
from tools.aot.case_model import Case

_ACTIVATIONS = case_model.ACTIVATIONS + ["RELU_N1_TO_1"]


def _out_size(rng: random.Random, size: int, filter_size: int, stride: int, padding: str,
              output: str) -> int:
  """Keras's output size (deconv_output_length), one up to 3 away ("near") or 1 to 3."""
  if output == "small":
    return rng.randint(1, 3)
  if padding == "SAME":
    nominal = size * stride
  else:
    nominal = size * stride + max(filter_size - stride, 0)
  return max(1, nominal + rng.randint(-3, 3)) if output == "near" else nominal


def transpose_conv_case(rng: random.Random) -> Case:
  """An int8 TRANSPOSE_CONV: inputs output shape, filter, input and (3/4 of them) bias."""
  s = case_model.schema()
  batches, h, w = rng.choice([1, 1, 2]), rng.randint(1, 6), rng.randint(1, 6)
  cin, cout = rng.randint(1, 5), rng.randint(1, 5)
  output = rng.choice(["keras"] * 8 + ["near", "small"])
  largest = 8 if output == "small" else 5
  kh, kw = rng.randint(1, largest), rng.randint(1, largest)
  stride_h, stride_w = rng.randint(1, 3), rng.randint(1, 3)
  padding = rng.choice(["SAME", "VALID"])
  oh = _out_size(rng, h, kh, stride_h, padding, output)
  ow = _out_size(rng, w, kw, stride_w, padding, output)
  activation = rng.choice(_ACTIVATIONS)
  in_scale, out_scale = rng.uniform(0.005, 0.1), rng.uniform(0.01, 0.5)
  per_channel = rng.random() < 0.5
  w_scales = [rng.uniform(0.001, 0.05) for _ in range(cout if per_channel else 1)]
  nrng = np.random.default_rng(rng.randrange(1 << 30))
  weight_shape = (cout, kh, kw, cin)
  weights = nrng.integers(-127, 128, size=weight_shape).astype(np.int8)
  bias = rng.choice(["bias", "bias", "bias", "none", "-1"])
  options = s.TransposeConvOptionsT()
  options.padding = getattr(s.Padding, padding)
  options.strideH, options.strideW = stride_h, stride_w
  options.fusedActivationFunction = case_model.activation(s, activation)
  output_shape = (batches, oh, ow, cout)
  tensors = [
      ((4,), "int32", [], [], 0, np.array(output_shape, np.int32)),
      (weight_shape, "int8", w_scales, [0] * len(w_scales), 0, weights),
      ((batches, h, w, cin), "int8", [in_scale], [rng.randint(-30, 30)], 0, None),
      (output_shape, "int8", [out_scale], [rng.randint(-30, 30)], 0, None),
  ]
  inputs = [0, 1, 2]
  if bias == "bias":
    tensors.append(((cout,), "int32", [in_scale * ws for ws in w_scales],
                    [0] * len(w_scales), 0,
                    nrng.integers(-5000, 5000, size=cout).astype(np.int32)))
    inputs.append(4)
  elif bias == "-1":
    inputs.append(-1)
  drawn = dict(input=(batches, h, w, cin), filter=weight_shape, output=output_shape,
               stride=(stride_h, stride_w), padding=padding, activation=activation,
               bias=bias, per_channel=per_channel, input_scale=in_scale,
               output_scale=out_scale)
  return Case("TRANSPOSE_CONV", drawn, tensors, inputs, [3], options, "TransposeConvOptions")


def float_transpose_conv_case(rng: random.Random) -> Case:
  """A float32 TRANSPOSE_CONV: the int8 case made float32 (half of them with FLOAT_SPECIALS)."""
  return cases_float.float32_case(rng, transpose_conv_case(rng))
