"""What the compiler refuses, and that it says so in the one format of errors.py:
the model, the operator index and op, the problem, and what to do."""

import dataclasses

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
                         "rules_tflm's ahead-of-time compiler; it supports ABS, ADD, AVERAGE_POOL_2D, ")
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
