"""Random float32 one-op models of the differential test: the int8 cases made
float32, and float32 kernels of their own, half the time with FLOAT_SPECIALS."""

import dataclasses
import random

import numpy as np

from tools.aot import case_model
from tools.aot import cases_int8
from tools.aot.case_model import FLOAT_SPECIALS
from tools.aot.case_model import Case


def float_unary_case(rng: random.Random, op: str) -> Case:
  """A float32 op of one input and no options (LOGISTIC, TANH, RELU, ABS, EXP, ...); half the
  models see FLOAT_SPECIALS."""
  shape = case_model.elementwise_shape(rng)
  special = rng.random() < 0.5
  tensors = [(shape, "float32", [], [], 0, None), (shape, "float32", [], [], 0, None)]
  return Case(op, dict(shape=shape, special_values=special), tensors, [0], [1], None, "NONE",
              special_values=special)


def float_div_case(rng: random.Random, op: str) -> Case:
  """float32 DIV (any fused activation) or SQUARED_DIFFERENCE (none), as float_binary_case
  draws shapes and values."""
  case = float_binary_case(rng, "MUL")
  s = case_model.schema()
  if op == "DIV":
    options = s.DivOptionsT()
    options.fusedActivationFunction = case.options.fusedActivationFunction
  else:
    options = s.SquaredDifferenceOptionsT()
  drawn = {k: v for k, v in case.drawn.items() if op == "DIV" or k != "activation"}
  return dataclasses.replace(case, op=op, drawn=drawn, options=options,
                             options_type=op.title().replace("_", "") + "Options")


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
  case = float32_case(rng, cases_int8.conv_case(rng, depthwise))
  if not depthwise and rng.random() < 0.25:
    case.inputs = [0, 1, -1]
    case.drawn["bias"] = False
  return case


def float_softmax_case(rng: random.Random) -> Case:
  """float32 SOFTMAX; beta as for int8, or (a third of the models) any from 0.05 to 3."""
  case = float32_case(rng, cases_int8.softmax_case(rng))
  if rng.random() < 1 / 3:
    case.options.beta = case.drawn["beta"] = rng.uniform(0.05, 3)
  return case


def float_binary_case(rng: random.Random, op: str) -> Case:
  """float32 ADD, SUB or MUL: half the models as the int8 ones (two inputs or one and a
  constant, broadcasting half the time), half of the input and a constant of its shape."""
  if rng.random() < 0.5:
    return float32_case(rng, cases_int8.binary_case(rng, op))
  s = case_model.schema()
  shape = case_model.elementwise_shape(rng)
  activation = rng.choice(case_model.ACTIVATIONS + ["RELU_N1_TO_1"])
  options = {"ADD": s.AddOptionsT, "SUB": s.SubOptionsT, "MUL": s.MulOptionsT}[op]()
  options.fusedActivationFunction = case_model.activation(s, activation)
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
