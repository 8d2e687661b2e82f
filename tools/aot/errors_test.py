"""What the compiler refuses, and that it says so in the one format of errors.py:
the model, the operator index and op, the problem, and what to do."""

import dataclasses
import subprocess

import numpy as np
import pytest

from tools import common
from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import compiler
from tools.aot import errors
from tools.aot import harness

_replace = case_model.replace


def _compile_error(case: case_model.Case) -> str:
  with pytest.raises(common.ToolError) as error:
    cases.compile_case(case)
  return str(error.value)


def test_every_problem_names_model_operator_problem_and_fix():
  error = errors.OpError("//m:model", 7, "CONV_2D", "fused activation TANH is not supported",
                         "apply TANH as an op of its own")
  assert str(error) == ("//m:model: operator 7 (CONV_2D): fused activation TANH is not "
                        "supported; apply TANH as an op of its own")


def test_unsupported_ops_are_each_named_with_the_supported_ones():
  graph = tflite_reader.read_model_file(str(harness.TESTDATA / "top_k.tflite")).main
  with pytest.raises(errors.OpErrors) as error:
    compiler.emitters(graph, "//t:top_k")
  (line,) = str(error.value).splitlines()
  assert line.startswith("//t:top_k: operator 0 (TOPK_V2): the op is not supported by "
                         "rules_tflm's ahead-of-time compiler; it supports ABS, ADD, ARG_MAX, "
                         "ARG_MIN, AVERAGE_POOL_2D, ")
  assert line.endswith(": TFLM has no kernel for it either, so tflm_model_library cannot run it "
                       '(output: tensor 2 "Identity")')


def test_an_unsupported_op_that_tflm_runs_points_to_tflm():
  graph = tflite_reader.read_model_file(str(harness.TESTDATA / "top_k.tflite")).main
  op = dataclasses.replace(graph.operators[0], opcode="L2_NORMALIZATION")
  with pytest.raises(errors.OpErrors) as error:
    compiler.emitters(dataclasses.replace(graph, operators=(op,)), "//t:m")
  assert str(error.value).endswith("replace the op, or build the model with tflm_model_library "
                                   "(TFLM's interpreter) instead (output: tensor 2 \"Identity\")")


def test_pad_errors():
  case = cases.drawn("PAD")
  _replace(case, 1, data=None)
  assert _compile_error(case).startswith(
      "m.tflite: operator 0 (PAD): its paddings come from a tensor that is not constant; the "
      "compiler reads the paddings at compile time")
  case = cases.drawn("PAD")
  _replace(case, 1, dtype="int64", data=case.tensors[1][5].astype(np.int64))
  assert "operator 0 (PAD): its paddings are of type int64; TFLM reads them as int32" in (
      _compile_error(case))
  case = cases.drawn("PAD")
  _replace(case, 0, dtype="int16")
  _replace(case, 2, dtype="int16")
  assert ("operator 0 (PAD): tensor types int16, int32, int16 are not supported; the compiler "
          "compiles PAD for int8 and float32 tensors") in _compile_error(case)
  case = cases.drawn("PAD")
  _replace(case, 2, shape=(case.tensors[2][0][0] + 1,) + tuple(case.tensors[2][0][1:]))
  assert "the paddings must be non-negative and give the output shape" in _compile_error(case)
  case = cases.drawn("PADV2")
  _replace(case, 3, zero_points=[case.tensors[2][3][0] + 1])
  assert ("operator 0 (PADV2): the padding value is quantized differently from the output; TFLM "
          "requires the same scale and zero point") in _compile_error(case)


def test_concatenation_errors():
  case = cases.drawn("CONCATENATION")
  last = len(case.tensors) - 1
  _replace(case, last, zero_points=[case.tensors[last][3][0] + 1])
  message = _compile_error(case)
  assert message.startswith("m.tflite: operator 0 (CONCATENATION): input \"t0\" has scale ")
  assert message.endswith("TFLM requires every input to share the output's: requantize the inputs "
                          f'(output: tensor {last} "t{last}")')
  case = cases.drawn("CONCATENATION")
  _replace(case, 0, scales=[case.tensors[0][2][0] * 2])
  assert "TFLM requires every input to share the output's" in _compile_error(case)
  case = cases.drawn("CONCATENATION")
  case.options.fusedActivationFunction = 1
  assert ("operator 0 (CONCATENATION): fused activation RELU is not supported; TFLM's "
          "CONCATENATION supports only NONE") in _compile_error(case)
  case = cases.drawn("CONCATENATION")
  case.options.axis = len(case.tensors[0][0])
  assert "is outside the output's rank" in _compile_error(case)


def test_strided_slice_errors():
  for mask in ("ellipsisMask", "newAxisMask"):
    case = cases.drawn("STRIDED_SLICE")
    setattr(case.options, mask, 1)
    assert ("TFLM's STRIDED_SLICE does not implement ellipsis_mask or new_axis_mask, so the "
            "compiler supports only 0") in _compile_error(case)
  case = cases.drawn("STRIDED_SLICE")
  case.options.offset = True
  assert _compile_error(case).startswith(
      "m.tflite: operator 0 (STRIDED_SLICE): offset is set; TFLM's STRIDED_SLICE ignores it")
  case = cases.drawn("STRIDED_SLICE")
  _replace(case, 2, data=None)
  assert "its end come from a tensor that is not constant" in _compile_error(case)
  case = cases.drawn("STRIDED_SLICE")
  _replace(case, 3, data=np.zeros_like(case.tensors[3][5]))
  assert "TFLM requires them non-zero" in _compile_error(case)


def test_strided_slice_refuses_what_tflm_leaves_unwritten():
  # TFLM writes nothing for an axis shrunk with a negative stride.
  case = cases.drawn("STRIDED_SLICE")
  rank = len(case.tensors[0][0])
  case.options.shrinkAxisMask = 1 << (rank - 1)
  case.options.beginMask = case.options.endMask = 0
  _replace(case, 1, data=np.zeros(rank, np.int32))
  _replace(case, 2, data=np.ones(rank, np.int32))
  _replace(case, 3, data=np.array([1] * (rank - 1) + [-1], np.int32))
  _replace(case, 4, shape=(1,) * (rank - 1))
  assert "shrinks axis" in _compile_error(case)
  _replace(case, 3, data=np.ones(rank, np.int32))
  assert "tflm_rt_strided_slice(&op0_walk, 0, 1, " in cases.compile_case(case).source


def test_mean_errors():
  case = cases.drawn("MEAN")
  _replace(case, 1, data=None)
  assert _compile_error(case).startswith(
      "m.tflite: operator 0 (MEAN): its axes come from a tensor that is not constant")
  case = cases.drawn("MEAN")
  _replace(case, 0, dtype="float32")
  assert "operator 0 (MEAN): tensor types float32, int32, int8 are not supported" in (
      _compile_error(case))
  case = cases.drawn("MEAN")
  rank = len(case.tensors[0][0])
  _replace(case, 1, shape=(1,), data=np.array([rank], np.int32))
  assert f"operator 0 (MEAN): axis {rank} is outside the input's rank {rank}" in (
      _compile_error(case))
  case = cases.drawn("MEAN")
  case.options.keepDims = not case.options.keepDims
  assert "but its output has shape" in _compile_error(case)
  case = cases.drawn("MEAN")
  _replace(case, 2, scales=[0.0])
  assert ('m.tflite: tensor 2 "t2": its quantization scale 0.0 is not a finite number above 0; '
          "requantize the model") in _compile_error(case)
  case = cases.drawn("MEAN")
  _replace(case, 2, scales=[], zero_points=[])
  assert "operator 0 (MEAN): an int8 tensor has no quantization or a scale of 0" in (
      _compile_error(case))



def test_sum_and_reduce_max_errors():
  case = cases.drawn("SUM")
  _replace(case, 2, scales=[], zero_points=[])
  assert "operator 0 (SUM): an int8 tensor has no quantization or a scale of 0" in (
      _compile_error(case))
  case = cases.drawn("SUM_FLOAT")
  case.options.keepDims = not case.options.keepDims
  assert "operator 0 (SUM): reducing shape" in _compile_error(case)
  case = cases.drawn("REDUCE_MAX")
  _replace(case, 2, zero_points=[case.tensors[0][3][0] // 2 + 1])
  assert "operator 0 (REDUCE_MAX): its input and output have different scales or zero " in (
      _compile_error(case))
  case = cases.drawn("REDUCE_MAX_FLOAT")
  _replace(case, 1, data=np.array([-len(case.tensors[0][0]) - 1], np.int32), shape=(1,))
  assert "operator 0 (REDUCE_MAX): axis " in _compile_error(case)


def test_arg_min_max_errors():
  case = cases.drawn("ARG_MAX")
  _replace(case, 2, dtype="int64")
  assert "operator 0 (ARG_MAX): tensor types int8, int32, int64 are not supported; the " \
      "compiler compiles ARG_MAX for int8 to int32 and float32 to int32 tensors" in (
          _compile_error(case))
  case = cases.drawn("ARG_MIN")
  _replace(case, 1, data=None)
  assert "operator 0 (ARG_MIN): its axis come from a tensor that is not constant" in (
      _compile_error(case))
  case = cases.drawn("ARG_MIN_FLOAT")
  _replace(case, 1, shape=(2,), data=np.array([0, 0], np.int32))
  assert "operator 0 (ARG_MIN): its axis tensor holds 2 values" in _compile_error(case)
  case = cases.drawn("ARG_MAX_FLOAT")
  rank = len(case.tensors[0][0])
  _replace(case, 1, shape=(1,), data=np.array([rank], np.int32))
  assert f"operator 0 (ARG_MAX): axis {rank} is outside the input's rank {rank}" in (
      _compile_error(case))
  case = cases.drawn("ARG_MAX")
  _replace(case, 2, shape=case.tensors[0][0])
  assert "but its output has shape" in _compile_error(case)

def test_leaky_relu_errors():
  case = cases.drawn("LEAKY_RELU")
  _replace(case, 0, dtype="int16")
  _replace(case, 1, dtype="int16")
  assert _compile_error(case).startswith(
      "m.tflite: operator 0 (LEAKY_RELU): tensor types int16, int16 are not supported")
  case = cases.drawn("LEAKY_RELU")
  _replace(case, 1, scales=[], zero_points=[])
  assert ("operator 0 (LEAKY_RELU): an int8 tensor has no quantization or a scale of 0; "
          "TFLM's int8 LEAKY_RELU needs positive scales") in _compile_error(case)


def _set_option(name: str, value):
  return lambda case: setattr(case.options, name, value)


def _axis(value, shape=(), dtype=np.int32):
  """A change to SPLIT's axis (tensor 0)."""
  return lambda case: _replace(case, 0, shape=shape, dtype=np.dtype(dtype).name,
                               data=np.array(value, dtype).reshape(shape))


# The drawn cases: SPLIT of [10, 5, 1, 4, 1] along 0 into 5 (t2 to t6), SPLIT_V of
# [1, 1, 3, 1, 10] along 4 into [2, 1, 2, 3, 2] (size_splits t1 [2, 1, 2, 3, -1], axis t2),
# UNPACK of [1, 1, 1, 2] along -2, PACK of t0 and the constant t1 [5, 4, 3] along -4.
@pytest.mark.parametrize("kernel,change,message", [
    ("SPLIT", lambda case: _replace(case, 0, data=None),
     'operator 0 (SPLIT): input 0, tensor 0 "t0", is not a constant; the compiler reads it at '
     "compile time"),
    ("SPLIT", _axis(5), "operator 0 (SPLIT): axis 5 is outside the input's rank 5; give an "
     "axis from -5 to 4"),
    ("SPLIT", _axis([0, 0], (2,)), "its axis tensor holds 2 values; TFLM reads one"),
    ("SPLIT", _axis(0, (1,), np.int64), "its axis values are of type int64; TFLM reads them as "
     "int32"),
    ("SPLIT", _set_option("numSplits", 4), "operator 0 (SPLIT): num_splits is 4 for 5 outputs"),
    ("SPLIT", lambda case: _replace(case, 2, shape=(3, 5, 1, 4, 1)) or _replace(
        case, 3, shape=(1, 5, 1, 4, 1)),
     "its outputs have sizes [3, 1, 2, 2, 2] along axis 0; TFLM's SPLIT cuts equal parts"),
    ("SPLIT", lambda case: _replace(case, 2, shape=(2, 5, 1, 4)),
     "outputs of shapes [[2, 5, 1, 4], [2, 5, 1, 4, 1]"),
    ("SPLIT", lambda case: _replace(case, 1, dtype="int16"),
     "operator 0 (SPLIT): tensor types int32, int16, int8, int8, int8, int8, int8 are not "
     "supported; the compiler compiles SPLIT for int8 and float32 tensors"),
    ("SPLIT_V", lambda case: _replace(case, 2, data=None),
     'operator 0 (SPLIT_V): input 2, tensor 2 "t2", is not a constant'),
    ("SPLIT_V", lambda case: _replace(case, 1, data=np.array([2, 1, 2, 2, -1], np.int32)),
     "size_splits [2, 1, 2, 2, -1] do not give the outputs' sizes [2, 1, 2, 3, 2] along axis 4"),
    ("SPLIT_V", lambda case: _replace(case, 1, data=np.array([2, -1, 2, 3, -1], np.int32)),
     "size_splits [2, -1, 2, 3, -1] do not give"),
    ("SPLIT_V", lambda case: _replace(case, 3, shape=(1, 1, 3, 1, 3)),
     "outputs of shapes [[1, 1, 3, 1, 3], [1, 1, 3, 1, 1], [1, 1, 3, 1, 2], [1, 1, 3, 1, 3], "
     "[1, 1, 3, 1, 2]] do not cut shape [1, 1, 3, 1, 10] along axis 4"),
    ("SPLIT_V", lambda case: setattr(case, "inputs", [0, 2]),
     "operator 0 (SPLIT_V): it has 2 inputs and 5 outputs; SPLIT_V takes 3 inputs and 1 to "
     "65536 outputs"),
    ("UNPACK", _set_option("num", 2), "operator 0 (UNPACK): num is 2 for 1 outputs and an input "
     "of 1 along axis 2"),
    ("UNPACK", _set_option("axis", -5), "operator 0 (UNPACK): axis -5 is outside the input's "
     "rank 4"),
    ("UNPACK", lambda case: _replace(case, 1, shape=(1, 2, 1)),
     "unpacking shape [1, 1, 1, 2] along axis 2 gives shape [1, 1, 2], but its outputs have "
     "shapes [[1, 2, 1]]"),
    ("PACK", _set_option("valuesCount", 3), "operator 0 (PACK): values_count is 3 for 2 inputs"),
    ("PACK", _set_option("axis", 4), "operator 0 (PACK): axis 4 is outside the output's rank 4"),
    ("PACK", lambda case: _replace(case, 1, shape=(5, 4, 1), data=np.zeros((5, 4, 1), np.int8)),
     "stacking shapes [[5, 4, 3], [5, 4, 1]] along axis 0 does not give shape [2, 5, 4, 3]"),
    ("PACK", lambda case: _replace(case, 1, dtype="float32", data=np.zeros((5, 4, 3), np.float32)),
     "operator 0 (PACK): tensor types int8, float32, int8 are not supported"),
])
def test_split_and_pack_errors(kernel, change, message):
  case = cases.drawn(kernel)
  change(case)
  assert message in _compile_error(case)


@pytest.mark.parametrize("op,dtype,input_quantization,output_quantization,message", [
    ("LOGISTIC", "int8", ([0.1], [0]), ([1 / 256], [0]),
     "m.tflite: operator 0 (LOGISTIC): the output zero point is 0; TFLM requires -128"),
    ("TANH", "int8", ([1e-9], [0]), ([1 / 128], [0]),
     "m.tflite: operator 0 (TANH): the input scale is 1e-09; the compiler supports "
     "input scales from 2^-28 to 2^35"),
    ("LOGISTIC", "int16", ([0.1], [0]), ([1 / 32768], [0]),
     "m.tflite: operator 0 (LOGISTIC): tensor types int16, int16 are not supported; the compiler "
     "compiles LOGISTIC for int8 and float32 tensors (int8: full-integer quantization)"),
    ("TANH", "int8", ([], []), ([1 / 128], [0]),
     "m.tflite: operator 0 (TANH): a tensor has no quantization parameters"),
])
def test_unsupported_sigmoid_variants(op, dtype, input_quantization, output_quantization,
                                      message):
  model = tflite_reader.read_model(
      case_model.one_op_model(op, dtype, input_quantization, output_quantization), "m.tflite")
  with pytest.raises(common.ToolError) as error:
    compiler.compile_model(model, "m", "m.tflite", "m.h")
  assert message in str(error.value)


@pytest.mark.parametrize("kernel,change,message", [
    ("DEPTHWISE_CONV_2D", lambda case: setattr(case, "inputs", [0, 1, -1]),
     "m.tflite: operator 0 (DEPTHWISE_CONV_2D): it has no bias; the TFLM interpreter crashes on "
     "a DEPTHWISE_CONV_2D without one"),
    ("CONV_2D", lambda case: _replace(case, 1, shape=case.tensors[1][0][:3] + (1,),
                                      data=case.tensors[1][5][..., :1]),
     "(no grouped convolution)"),
    ("DEPTHWISE_CONV_2D_FLOAT", lambda case: setattr(case, "inputs", [0, 1, -1]),
     "m.tflite: operator 0 (DEPTHWISE_CONV_2D): it has no bias"),
    ("DEPTHWISE_CONV_2D_FLOAT", lambda case: setattr(case.options, "depthMultiplier", 7),
     "m.tflite: operator 0 (DEPTHWISE_CONV_2D): input [1, 9, 9, 4], filter [1, 1, 4, 16] and "
     "output [1, 5, 3, 16] do not fit depth multiplier 7; the compiler supports a filter "
     "[1, height, width, input channels * depth multiplier]"),
    ("CONV_2D_FLOAT", lambda case: _replace(case, 1, shape=case.tensors[1][0][:3] + (1,),
                                            data=case.tensors[1][5][..., :1]),
     "(no grouped convolution)"),
    ("CONV_2D_FLOAT", lambda case: setattr(case.options, "fusedActivationFunction", 4),
     "m.tflite: operator 0 (CONV_2D): fused activation TANH is not supported; the compiler "
     "supports NONE, RELU, RELU6, RELU_N1_TO_1; apply TANH as an op of its own"),
    ("TRANSPOSE_CONV", lambda case: _replace(case, 1, shape=case.tensors[1][0][:3] + (1,),
                                             data=case.tensors[1][5][..., :1]),
     "m.tflite: operator 0 (TRANSPOSE_CONV): input [1, 5, 5, 5], filter [5, 2, 1, 1] and output "
     "[1, 5, 5, 5] do not fit one another; TFLM takes a filter [output channels, height, "
     "width, input channels]"),
    ("TRANSPOSE_CONV", lambda case: setattr(case.options, "fusedActivationFunction", 4),
     "m.tflite: operator 0 (TRANSPOSE_CONV): fused activation TANH is not supported"),
    ("TRANSPOSE_CONV", lambda case: [_replace(case, i, dtype="int16") for i in (2, 3)],
     "m.tflite: operator 0 (TRANSPOSE_CONV): tensor types int32, int8, int16, int32, int16 are "
     "not supported; the compiler compiles TRANSPOSE_CONV for int8 and float32 tensors"),
    ("TRANSPOSE_CONV", lambda case: _replace(case, 1, data=None),
     "m.tflite: operator 0 (TRANSPOSE_CONV): input 1, tensor 1 \"t1\", is not a constant"),
    ("TRANSPOSE_CONV", lambda case: _replace(case, 4, dtype="int64",
                                             data=case.tensors[4][5].astype(np.int64)),
     "m.tflite: operator 0 (TRANSPOSE_CONV): the bias tensor 4 \"t4\" is int64; a int8 "
     "TRANSPOSE_CONV takes a int32 bias"),
    # TFLM: "Hybrid models are not supported on TFLite Micro."
    ("TRANSPOSE_CONV_FLOAT", lambda case: _replace(case, 1, dtype="int8", data=np.zeros(
        case.tensors[1][0], np.int8)),
     "m.tflite: operator 0 (TRANSPOSE_CONV): tensor types int32, int8, float32, float32, float32 "
     "are not supported"),
    ("TRANSPOSE_CONV_FLOAT", lambda case: _replace(case, 2, shape=(1,) + case.tensors[2][0][1:]),
     "m.tflite: operator 0 (TRANSPOSE_CONV): input [1, 2, 2, 2] and output [2, 4, 6, 2] differ "
     "in batches"),
    ("PADV2_FLOAT", lambda case: _replace(case, 3, data=None),
     "m.tflite: operator 0 (PADV2): the padding value is not a constant float32 scalar"),
    ("ADD_FLOAT", lambda case: _replace(case, 1, dtype="int8", data=np.zeros(
        case.tensors[1][0], np.int8)),
     "m.tflite: operator 0 (ADD): tensor types float32, int8, float32 are not supported"),
    # The second row of windows starts at input row 10 of 5.
    ("AVERAGE_POOL_2D", lambda case: setattr(case.options, "padding", 1) or setattr(
        case.options, "filterHeight", 1) or setattr(case.options, "strideH", 10),
     "m.tflite: operator 0 (AVERAGE_POOL_2D): a pooling window holds no input element"),
])
def test_unsupported_variants(kernel, change, message):
  case = cases.drawn(kernel)
  change(case)
  assert message in _compile_error(case)


@pytest.mark.parametrize("kernel, change, message", [
    ("BATCH_MATMUL", lambda case: [_replace(case, i, dtype="int16") for i in (0, 2)] and _replace(
        case, 1, dtype="int16", data=case.tensors[1][5].astype(np.int16)),
     "operator 0 (BATCH_MATMUL): tensor types int16, int16, int16 are not supported; the "
     "compiler compiles BATCH_MATMUL for int8 and float32 tensors"),
    ("BATCH_MATMUL", lambda case: _replace(case, 0, shape=(1, 1, 1, 1, 10, 8)),
     "operator 0 (BATCH_MATMUL): the lhs has rank 6; TFLM's BATCH_MATMUL multiplies tensors of "
     "rank 2 to 5 only"),
    ("BATCH_MATMUL", lambda case: setattr(case.options, "adjX", False),
     "operator 0 (BATCH_MATMUL): lhs [10, 8] (adj_x False) and rhs [2, 10, 7] (adj_y False) have "
     "8 and 10 values to multiply; TFLM needs the lhs's columns to match the rhs's rows"),
    ("BATCH_MATMUL", lambda case: _replace(case, 0, shape=(3, 10, 8)),
     "operator 0 (BATCH_MATMUL): the batch dimensions of lhs [3, 10, 8] and rhs [2, 10, 7] do "
     "not broadcast; TFLM needs them equal, or one of 1"),
    ("BATCH_MATMUL", lambda case: _replace(case, 2, shape=(2, 8, 6)),
     "operator 0 (BATCH_MATMUL): multiplying gives shape [2, 8, 7], but its output has shape "
     "[2, 8, 6]"),
    ("BATCH_MATMUL", lambda case: _replace(case, 1, scales=[0.1] * 7, zero_points=[0] * 7, qdim=2),
     "operator 0 (BATCH_MATMUL): tensor \"t1\" has 7 scales; TFLM's BATCH_MATMUL reads one "
     "scale and zero point per tensor (the first only): quantize it per tensor"),
    ("BATCH_MATMUL", lambda case: [_replace(case, 0, shape=(1, 40000), zero_points=[-128]),
                                   _replace(case, 1, shape=(40000, 1), zero_points=[127],
                                            data=np.zeros((40000, 1), np.int8)),
                                   _replace(case, 2, shape=(1, 1))] and
     setattr(case.options, "adjX", False),
     "operator 0 (BATCH_MATMUL): its int32 sums over 40000 products can reach 2611200000; "
     "TFLM's int32 sum would overflow too"),
    ("GATHER", lambda case: _replace(case, 0, data=None) or _replace(
        case, 1, dtype="int64", data=np.zeros((4, 1), np.int64)),
     "operator 0 (GATHER): its indices are int64; TFLM's GATHER takes int32 indices only"),
    ("GATHER", lambda case: setattr(case.options, "axis", 4),
     "operator 0 (GATHER): axis 4 is outside the params' rank 4; give an axis from -4 to 3"),
    ("GATHER", lambda case: setattr(case.options, "batchDims", 2),
     "operator 0 (GATHER): batch_dims 2 does not fit axis 1, params of rank 4 and indices of "
     "rank 2; TFLM needs 0 <= batch_dims <= axis"),
    ("GATHER", lambda case: _replace(case, 1, shape=(3, 1)),
     "operator 0 (GATHER): params [4, 2, 5, 2] and indices [3, 1] differ in their first 1 "
     "(batch) dimensions; TFLM needs them equal"),
    ("GATHER", lambda case: _replace(case, 0, data=None) or _replace(
        case, 1, data=np.array([[0], [1], [2], [1]], np.int32)),
     "operator 0 (GATHER): its constant indices reach outside [0, 2); TFLM's GATHER fails on "
     "them: give indices inside the axis"),
])
def test_unsupported_matmul_and_gather(kernel, change, message):
  case = cases.drawn(kernel)
  change(case)
  assert message in _compile_error(case)


def test_gather_index_out_of_range_fails_invoke_at_run_time(tmp_path):
  # TFLM's GATHER fails its invoke on an index outside the axis; the compiled GATHER reads
  # nothing then and m_invoke returns the op's index + 1.
  case = cases.drawn("GATHER")  # params [4, 2, 5, 2] gathered along axis 1 of size 2
  source = harness.write(tmp_path, "m", cases.compile_case(case))
  (tmp_path / "main.c").write_text(
      '#include <stdio.h>\n#include <string.h>\n#include "m.h"\n'
      "static int run(int32_t a, int32_t b, int32_t c, int32_t d) {\n"
      "  const int32_t indices[4] = {a, b, c, d};\n"
      "  memcpy(m_input(), indices, sizeof indices);\n  return m_invoke();\n}\n"
      "int main(void) {\n"
      '  printf("%d %d %d %d\\n", run(0, 1, 1, 0), run(0, 2, 1, 0), run(0, 1, -1, 0),\n'
      "         run(1, 1, 1, 2147483647));\n  return 0;\n}\n")
  exe = harness.build([source, tmp_path / "main.c"], tmp_path / "gather", ["-Wall", "-Werror"])
  assert subprocess.run([str(exe)], capture_output=True, text=True,
                        check=True).stdout == "0 1 1 1\n"


def test_resize_bilinear_errors():
  case = cases.drawn("RESIZE_BILINEAR")
  case.options.alignCorners = case.options.halfPixelCenters = True
  assert ("operator 0 (RESIZE_BILINEAR): it has both align_corners and half_pixel_centers; TFLM "
          "requires half_pixel_centers to be False with align_corners") in _compile_error(case)
  case = cases.drawn("RESIZE_BILINEAR")
  case.options.alignCorners = case.options.halfPixelCenters = False
  _replace(case, 0, shape=(1, 1, 1, 1))
  _replace(case, 1, data=np.array([1, 55], np.int32))
  _replace(case, 2, shape=(1, 1, 55, 1))
  assert ("operator 0 (RESIZE_BILINEAR): resizing [1, 1, 1, 1] to [1, 1, 55, 1], TFLM's rounded "
          "scale puts the last output rows or columns past the input's end; TFLM would read "
          "outside its input") in _compile_error(case)
  case = cases.drawn("RESIZE_BILINEAR")
  _replace(case, 2, zero_points=[case.tensors[0][3][0] ^ 1])
  assert ("operator 0 (RESIZE_BILINEAR): its input and output have different scales or zero "
          "points; TFLM interpolates the int8 values") in _compile_error(case)
  case = cases.drawn("RESIZE_BILINEAR_FLOAT")
  _replace(case, 1, data=None)
  assert "operator 0 (RESIZE_BILINEAR): its size come from a tensor that is not constant" in (
      _compile_error(case))


@pytest.mark.parametrize("kernel,change,message", [
    ("DEPTH_TO_SPACE", lambda case: setattr(case.options, "blockSize", 0),
     "operator 0 (DEPTH_TO_SPACE): its block size is 0; TFLM needs a block size of 1 or more"),
    ("SPACE_TO_DEPTH_FLOAT", lambda case: setattr(case.options, "blockSize", -2),
     "operator 0 (SPACE_TO_DEPTH): its block size is -2; TFLM needs a block size of 1 or more"),
    ("DEPTH_TO_SPACE", lambda case: (_replace(case, 0, shape=(1, 2, 2, 6)),
                                     _replace(case, 1, shape=(1, 4, 6, 1)),
                                     setattr(case.options, "blockSize", 2)),
     "operator 0 (DEPTH_TO_SPACE): its input's 6 channels are not a multiple of the block size "
     "2 squared; TFLM requires them to be"),
    ("SPACE_TO_DEPTH", lambda case: (_replace(case, 0, shape=(1, 3, 4, 1)),
                                     _replace(case, 1, shape=(1, 1, 2, 6)),
                                     setattr(case.options, "blockSize", 2)),
     "operator 0 (SPACE_TO_DEPTH): its input's height 3 and width 4 are not multiples of the "
     "block size 2; TFLM requires them to be"),
    ("SPACE_TO_DEPTH_FLOAT", lambda case: (_replace(case, 0, shape=(1, 4, 4, 1)),
                                           _replace(case, 1, shape=(1, 4, 1, 4)),
                                           setattr(case.options, "blockSize", 2)),
     "operator 0 (SPACE_TO_DEPTH): block size 2 makes shape [1, 4, 4, 1] [1, 2, 2, 4], but its "
     "output has shape [1, 4, 1, 4]"),
    ("DEPTH_TO_SPACE", lambda case: _replace(case, 1, scales=[case.tensors[0][2][0] * 2]),
     "operator 0 (DEPTH_TO_SPACE): its input and output have different scales or zero points"),
    ("DEPTH_TO_SPACE_FLOAT", lambda case: (_replace(case, 0, shape=(4, 4, 4)),
                                           _replace(case, 1, shape=(4, 4, 4))),
     "operator 0 (DEPTH_TO_SPACE): the input has shape [4, 4, 4]; TFLM rearranges 4-D tensors"),
])
def test_depth_space_errors(kernel, change, message):
  case = cases.drawn(kernel)
  change(case)
  assert message in _compile_error(case)
@pytest.mark.parametrize("op,input_quantization,output_quantization,message", [
    ("SQRT", ([0.1], [0]), ([0.1], [0]),
     "m.tflite: operator 0 (SQRT): tensor types int8, int8 are not supported; the compiler "
     "compiles SQRT for float32 tensors (int8: full-integer quantization); convert the model to "
     "those types; TFLM lacks int8 SQRT too (its kernel computes float32 only)"),
    ("EXP", ([0.1], [0]), ([0.1], [0]), "; TFLM lacks int8 EXP too"),
    ("HARD_SWISH", ([0.5], [0]), ([0.5 / 128], [0]),
     "m.tflite: operator 0 (HARD_SWISH): its input scale 0.5 is 128 or more times its output "
     "scale 0.00390625; TFLM's int8 HARD_SWISH Prepare refuses it too"),
    ("RSQRT", ([1.0], [-128]), ([1e4], [0]),
     "m.tflite: operator 0 (RSQRT): its scales 1.0 and 10000.0 make TFLM shift right by more "
     "than 31"),
    ("ELU", ([1e3], [0]), ([1e-6], [0]),
     "m.tflite: operator 0 (ELU): ELU of input 3 is 3000000000.0 in the output's scale, beyond "
     "int32, where TFLM's table conversion is undefined"),
])
def test_unsupported_int8_functions(op, input_quantization, output_quantization, message):
  model = tflite_reader.read_model(
      case_model.one_op_model(op, "int8", input_quantization, output_quantization), "m.tflite")
  with pytest.raises(common.ToolError) as error:
    compiler.compile_model(model, "m", "m.tflite", "m.h")
  assert message in str(error.value)


def test_prelu_errors():
  case = cases.drawn("PRELU_FLOAT")
  for position in (0, 2):
    _replace(case, position, shape=(1,) * (5 - len(case.tensors[position][0])) +
             tuple(case.tensors[position][0]))
  assert "operator 0 (PRELU): it has shapes " in _compile_error(case)
  assert "TFLM's float32 PRELU broadcasts up to 4 dimensions" in _compile_error(case)
  case = cases.drawn("PRELU")
  _replace(case, 1, dtype="float32", scales=[], zero_points=[], data=np.zeros(
      case.tensors[1][0], np.float32))
  assert "operator 0 (PRELU): tensor types int8, float32, int8 are not supported" in (
      _compile_error(case))
def _tile(case: case_model.Case, shape: tuple[int, ...], multiples: list[int]) -> None:
  """Makes a TILE case tile `shape` by `multiples`."""
  _replace(case, 0, shape=shape)
  _replace(case, 1, shape=(len(shape),), data=np.array(multiples, np.int32))
  _replace(case, 2, shape=tuple(s * m for s, m in zip(shape, multiples)))


@pytest.mark.parametrize("kernel,change,message", [
    ("LESS", lambda case: _replace(case, 1, scales=[1.5]),
     "m.tflite: operator 0 (LESS): input \"t1\" has scale 1.5; TFLM's int8 comparisons take "
     "input scales above 0 and below 1"),
    ("EQUAL_INT32", lambda case: _replace(case, 2, dtype="int32"),
     "m.tflite: operator 0 (EQUAL): tensor types int32, int32, int32 are not supported; the "
     "compiler compiles EQUAL for int8 to bool and float32 to bool and int32 to bool tensors"),
    ("ADD_INT32", lambda case: _replace(case, 0, scales=[0.5], zero_points=[0]),
     "m.tflite: operator 0 (ADD): its int32 tensors ['t0'] have quantization scales; TFLM's "
     "int32 ADD runs only on unquantized tensors"),
    ("SUB_INT32", lambda case: _replace(case, 2, scales=[0.5], zero_points=[0]),
     "operator 0 (SUB): its int32 tensors ['t2'] have quantization scales"),
    ("SELECT", lambda case: _replace(case, 0, shape=(7, 7, 7, 7, 7)),
     "m.tflite: operator 0 (SELECT): condition [7, 7, 7, 7, 7], x "),
    ("SELECT_V2_FLOAT", lambda case: _replace(case, 0, dtype="int8"),
     "operator 0 (SELECT_V2): tensor types int8, float32, float32, float32 are not supported"),
    ("TILE", lambda case: _replace(case, 1, data=None),
     "m.tflite: operator 0 (TILE): its multiples come from a tensor that is not constant"),
    ("TILE_FLOAT", lambda case: _replace(case, 1, dtype="float32",
                                         data=np.array(case.tensors[1][5], np.float32)),
     "operator 0 (TILE): its multiples are of type float32; TF Lite reads them as int32 or "
     "int64"),
    ("TILE_INT32", lambda case: _replace(case, 2, shape=(7,) * len(case.tensors[2][0])),
     "does not give the output shape [7"),
    ("TILE_INT32", lambda case: _tile(case, (2, 2, 2, 2, 2), [2, 1, 2, 1, 2]),
     "m.tflite: operator 0 (TILE): tiling shape [2, 2, 2, 2, 2] by [2, 1, 2, 1, 2] walks 6 "
     "nested dimensions; the compiler walks at most 5"),
])
def test_unsupported_index_and_tile_variants(kernel, change, message):
  case = cases.drawn(kernel)
  change(case)
  assert message in _compile_error(case)


def test_tile_is_one_walk_with_the_repeats_merged():
  case = cases.drawn("TILE")
  _tile(case, (3, 1, 4, 2), [1, 2, 1, 1])  # UpSampling2D's: rows repeated, each row whole
  source = cases.compile_case(case).source
  assert ".count = {1, 1, 3, 2, 8}," in source and ".step = {0, 0, 8, 0, 1}," in source
