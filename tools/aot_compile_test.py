"""tools/aot_compile.py against the real TFLM: compiled with gcc, the same outputs bit for bit."""

import collections
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tools import aot_compile
from tools import aot_differential_test
from tools import common
from tools import tflite_reader

REPO = pathlib.Path(__file__).absolute().parents[1]
TESTDATA = REPO / "tests" / "testdata"

# Reads inputs (raw bytes, one vector per line of hex) on stdin, prints outputs.
_MAIN = r"""
#include <stdio.h>
#include <string.h>
#include "model.h"
int main(void) {
  unsigned char in[MODEL_INPUT_BYTES];
  char line[4 * MODEL_INPUT_BYTES + 4];
  while (fgets(line, sizeof line, stdin)) {
    for (unsigned i = 0; i < MODEL_INPUT_BYTES; i++) sscanf(line + 2 * i, "%2hhx", &in[i]);
    memcpy(model_input(), in, MODEL_INPUT_BYTES);
    if (model_invoke() != 0) return 1;
    const unsigned char *out = (const unsigned char *)model_output();
    for (unsigned i = 0; i < MODEL_OUTPUT_BYTES; i++) printf("%02x", out[i]);
    printf("\n");
  }
  return 0;
}
"""


def _compiled(tmp_path: pathlib.Path, model: pathlib.Path) -> pathlib.Path:
  generated = aot_compile.compile_model(tflite_reader.read_model_file(str(model)), "model",
                                        str(model), "model.h")
  (tmp_path / "model.h").write_text(generated.header)
  (tmp_path / "model.c").write_text(generated.source)
  (tmp_path / "main.c").write_text(_MAIN)
  exe = tmp_path / "model"
  subprocess.run(["gcc", "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror",
                  "-I", str(tmp_path), "-I", str(REPO), str(tmp_path / "main.c"),
                  str(tmp_path / "model.c"), *map(str, sorted((REPO / "runtime").glob("*.c"))),
                  "-o", str(exe), "-lm"], check=True)
  return exe


def _tflm_outputs(model: pathlib.Path, inputs: list[np.ndarray]) -> list[bytes]:
  from tflite_micro.python.tflite_micro import runtime
  with common.captured_output():
    interpreter = runtime.Interpreter.from_bytes(model.read_bytes(), arena_size=1 << 20)
  outputs = []
  for value in inputs:
    interpreter.set_input(value, 0)
    interpreter.invoke()
    outputs.append(np.array(interpreter.get_output(0)).tobytes())
  return outputs


@pytest.mark.parametrize("name,inputs", [
    ("hello_world_int8", [np.array([[v]], dtype=np.int8) for v in range(-128, 128)]),
    ("micro_speech_quantized", [np.random.default_rng(s).integers(-128, 128, size=(1, 1960))
                                .astype(np.int8) for s in range(20)]),
    ("hello_world_float", [np.array([[v]], dtype=np.float32) for v in np.linspace(-1, 7, 200)]),
    # Written by tests/testdata/make_test_models.py: float32 CONV_2D, DEPTHWISE_CONV_2D, PAD,
    # LEAKY_RELU, MAX_POOL_2D, AVERAGE_POOL_2D, broadcasting MUL and ADD, STRIDED_SLICE,
    # CONCATENATION, MEAN, FULLY_CONNECTED and SOFTMAX, each overwriting its input.
    ("cnn_float", [np.random.default_rng(s).normal(size=(1, 12, 12, 3)).astype(np.float32)
                   for s in range(50)]),
])
def test_bit_exact_with_tflm(tmp_path, name, inputs):
  model = TESTDATA / f"{name}.tflite"
  exe = _compiled(tmp_path, model)
  stdin = "".join(v.tobytes().hex() + "\n" for v in inputs)
  ours = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True).stdout
  expected = _tflm_outputs(model, inputs)
  assert [bytes.fromhex(line) for line in ours.split()] == expected


@pytest.mark.parametrize("real,expected", [
    (0.5, (1 << 30, 0)), (0.25, (1 << 30, -1)), (1.0, (1 << 30, 1)), (0.0, (0, 0)),
    (0.75, (1610612736, 0)),
])
def test_quantize_multiplier(real, expected):
  assert aot_compile.quantize_multiplier(real) == expected


def test_unsupported_op_names_it_and_lists_the_supported(tmp_path):
  result = subprocess.run(
      [sys.executable, "-m", "tools.aot_compile", f"--model={TESTDATA / 'top_k.tflite'}",
       f"--header={tmp_path / 'm.h'}", f"--source={tmp_path / 'm.c'}", "--prefix=m"],
      cwd=REPO, capture_output=True, text=True)
  assert result.returncode == 1
  assert "uses TOPK_V2, which rules_tflm's ahead-of-time compiler does not support" in result.stderr
  assert ("it supports ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, "
          "DEQUANTIZE, FULLY_CONNECTED, LEAKY_RELU, LOGISTIC, MAX_POOL_2D, MEAN, MUL, PAD, PADV2, "
          "QUANTIZE, RELU, RELU6, RESHAPE, SOFTMAX, SQUEEZE, STRIDED_SLICE, SUB, TANH"
          ) in result.stderr
  assert not (tmp_path / "m.h").exists() and not (tmp_path / "m.c").exists()


def test_add_reshape_and_softmax_bit_exact_with_tflm(tmp_path):
  residual_int8 = TESTDATA / "residual_int8.tflite"  # written by tests/testdata/make_test_models.py
  ops = {op.opcode for op in tflite_reader.read_model_file(str(residual_int8)).main.operators}
  assert {"ADD", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"} <= ops
  exe = _compiled(tmp_path, residual_int8)
  rng = np.random.default_rng(1)
  inputs = [rng.integers(-128, 128, size=(1, 8)).astype(np.int8) for _ in range(300)]
  stdin = "".join(v.tobytes().hex() + "\n" for v in inputs)
  ours = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True).stdout
  assert [bytes.fromhex(line) for line in ours.split()] == _tflm_outputs(residual_int8, inputs)


def _compile_case(case: aot_differential_test.Case) -> aot_compile.Generated:
  """Compiles a one-op model of the differential test, labelled "m.tflite"."""
  model = tflite_reader.read_model(aot_differential_test.build_model(case), "m.tflite")
  return aot_compile.compile_model(model, "m", "m.tflite", "m.h")


def _drawn(kernel: str) -> aot_differential_test.Case:
  """The first random case of a kernel of the differential test."""
  import random
  return aot_differential_test.KERNELS[kernel](random.Random(f"{kernel}-0"))


def _replace(case: aot_differential_test.Case, position: int, **fields) -> None:
  """Replaces fields (shape, dtype, scales, zero_points, data) of a tensor of the case."""
  names = ("shape", "dtype", "scales", "zero_points", "qdim", "data")
  values = dict(zip(names, case.tensors[position]))
  values.update(fields)
  case.tensors[position] = tuple(values[n] for n in names)


def _compile_error(case: aot_differential_test.Case) -> str:
  with pytest.raises(common.ToolError) as error:
    _compile_case(case)
  return str(error.value)


def test_pad_compiles():
  assert "tflm_rt_pad(&op0_shape, 1, &op0_value, " in _compile_case(_drawn("PAD")).source
  assert "tflm_rt_pad(&op0_shape, 1, &op0_value, " in _compile_case(_drawn("PADV2")).source


def test_pad_errors_name_the_model_and_op():
  case = _drawn("PAD")
  _replace(case, 1, data=None)
  assert _compile_error(case).startswith(
      "m.tflite: PAD (op 0) takes its paddings from a tensor that is not constant; the compiler "
      "supports only constant ones")
  case = _drawn("PAD")
  _replace(case, 1, dtype="int64", data=case.tensors[1][5].astype(np.int64))
  assert "PAD (op 0) has paddings of type int64; TFLM reads them as int32" in _compile_error(case)
  case = _drawn("PAD")
  _replace(case, 0, dtype="int16")
  _replace(case, 2, dtype="int16")
  assert "PAD with tensor types int16, int32, int16 is not supported" in _compile_error(case)
  case = _drawn("PAD")
  _replace(case, 2, shape=(case.tensors[2][0][0] + 1,) + tuple(case.tensors[2][0][1:]))
  assert "the paddings must be non-negative and give the output shape" in _compile_error(case)
  case = _drawn("PADV2")
  _replace(case, 3, zero_points=[case.tensors[2][3][0] + 1])
  assert ("PADV2 (op 0) has a padding value quantized differently from its output; TFLM requires "
          "the same scale and zero point") in _compile_error(case)


def test_concatenation_errors_name_the_model_and_op():
  case = _drawn("CONCATENATION")
  last = len(case.tensors) - 1
  _replace(case, last, zero_points=[case.tensors[last][3][0] + 1])
  message = _compile_error(case)
  assert message.startswith("m.tflite: CONCATENATION (op 0) has input \"t0\" with scale ")
  assert message.endswith("TFLM requires every input to share the output's.")
  case = _drawn("CONCATENATION")
  _replace(case, 0, scales=[case.tensors[0][2][0] * 2])
  assert "TFLM requires every input to share the output's" in _compile_error(case)
  case = _drawn("CONCATENATION")
  case.options.fusedActivationFunction = 1
  assert ("CONCATENATION (op 0) has fused activation RELU; TFLM's CONCATENATION supports only "
          "NONE.") in _compile_error(case)
  case = _drawn("CONCATENATION")
  case.options.axis = len(case.tensors[0][0])
  assert "has axis" in _compile_error(case)


def test_strided_slice_errors_name_the_model_and_op():
  for mask in ("ellipsisMask", "newAxisMask"):
    case = _drawn("STRIDED_SLICE")
    setattr(case.options, mask, 1)
    assert ("TFLM's STRIDED_SLICE does not implement ellipsis_mask or new_axis_mask, so the "
            "compiler supports only 0.") in _compile_error(case)
  case = _drawn("STRIDED_SLICE")
  case.options.offset = True
  assert _compile_error(case).startswith(
      "m.tflite: STRIDED_SLICE (op 0) has offset set; TFLM's STRIDED_SLICE ignores it")
  case = _drawn("STRIDED_SLICE")
  _replace(case, 2, data=None)
  assert "takes its end from a tensor that is not constant" in _compile_error(case)
  case = _drawn("STRIDED_SLICE")
  _replace(case, 3, data=np.zeros_like(case.tensors[3][5]))
  assert "TFLM requires them non-zero" in _compile_error(case)


def test_strided_slice_refuses_what_tflm_leaves_unwritten():
  # TFLM writes nothing for an axis shrunk with a negative stride.
  case = _drawn("STRIDED_SLICE")
  rank = len(case.tensors[0][0])
  case.options.shrinkAxisMask = 1 << (rank - 1)
  case.options.beginMask = case.options.endMask = 0
  _replace(case, 1, data=np.zeros(rank, np.int32))
  _replace(case, 2, data=np.ones(rank, np.int32))
  _replace(case, 3, data=np.array([1] * (rank - 1) + [-1], np.int32))
  _replace(case, 4, shape=(1,) * (rank - 1))
  assert "shrinks axis" in _compile_error(case)
  _replace(case, 3, data=np.ones(rank, np.int32))
  assert "tflm_rt_strided_slice(&op0_walk, 0, 1, " in _compile_case(case).source


def test_mean_errors_name_the_model_and_op():
  case = _drawn("MEAN")
  _replace(case, 1, data=None)
  assert _compile_error(case).startswith(
      "m.tflite: MEAN (op 0) takes its axes from a tensor that is not constant")
  case = _drawn("MEAN")
  _replace(case, 0, dtype="float32")
  assert "MEAN with tensor types float32, int32, int8 is not supported" in _compile_error(case)
  case = _drawn("MEAN")
  rank = len(case.tensors[0][0])
  _replace(case, 1, shape=(1,), data=np.array([rank], np.int32))
  assert f"MEAN (op 0) has axis {rank} for an input of rank {rank}." in _compile_error(case)
  case = _drawn("MEAN")
  case.options.keepDims = not case.options.keepDims
  assert "but its output has shape" in _compile_error(case)
  case = _drawn("MEAN")
  _replace(case, 2, scales=[0.0])
  assert "MEAN (op 0) has an int8 tensor without quantization or with a scale of 0" in (
      _compile_error(case))


def test_mean_folds_the_count_into_the_multiplier_as_tflm():
  # 0.5 / 3: QuantizeMultiplier(0.5) = (2^30, 0), then 2^30 << 1 // 3 with shift 0 - 1.
  assert aot_compile._mean_multiplier(0.5, 3) == ((1 << 31) // 3, -1)
  # The fold stops at shift -31: QuantizeMultiplier(2^-30) = (2^30, -29), so 2 bits of 2^20.
  assert aot_compile._mean_multiplier(2.0 ** -30, 1 << 20) == ((1 << 32) >> 20, -31)


def test_leaky_relu_errors_name_the_model_and_op():
  case = _drawn("LEAKY_RELU")
  _replace(case, 0, dtype="int16")
  _replace(case, 1, dtype="int16")
  assert _compile_error(case).startswith(
      "m.tflite: LEAKY_RELU with tensor types int16, int16 is not supported yet")
  case = _drawn("LEAKY_RELU")
  _replace(case, 1, scales=[], zero_points=[])
  assert ("LEAKY_RELU (op 0) has an int8 tensor without quantization or with a scale of 0; "
          "TFLM's int8 LEAKY_RELU needs positive scales.") in _compile_error(case)


def test_converted_data_movement_ops_bit_exact_with_tflm(tmp_path):
  data_ops = TESTDATA / "data_ops_int8.tflite"  # written by tests/testdata/make_test_models.py
  ops = {op.opcode for op in tflite_reader.read_model_file(str(data_ops)).main.operators}
  assert {"PAD", "LEAKY_RELU", "STRIDED_SLICE", "CONCATENATION", "MEAN"} <= ops
  exe = _compiled(tmp_path, data_ops)
  rng = np.random.default_rng(2)
  inputs = [rng.integers(-128, 128, size=(1, 12, 12, 3)).astype(np.int8) for _ in range(100)]
  stdin = "".join(v.tobytes().hex() + "\n" for v in inputs)
  ours = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True).stdout
  assert [bytes.fromhex(line) for line in ours.split()] == _tflm_outputs(data_ops, inputs)


# The ops the converter makes of tests/testdata/make_test_models.py's Keras layers model:
# BatchNormalization is folded into the convolutions, SeparableConv2D is a
# DEPTHWISE_CONV_2D and a 1x1 CONV_2D, GlobalAveragePooling2D a MEAN, Flatten and
# the Reshape of the two heads RESHAPEs (the Reshape of the excitation gate leaves
# none: MUL broadcasts), and relu, relu6 and the ReLU after MaxPooling2D are fused.
_KERAS_LAYERS_OPS = {
    "PAD": 1, "CONV_2D": 4, "DEPTHWISE_CONV_2D": 2, "ADD": 1, "MAX_POOL_2D": 1, "LEAKY_RELU": 1,
    "MEAN": 1, "FULLY_CONNECTED": 3, "LOGISTIC": 1, "MUL": 1, "TANH": 1, "CONCATENATION": 1,
    "RELU": 1, "AVERAGE_POOL_2D": 1, "RESHAPE": 2, "SOFTMAX": 1}
_KERAS_LAYERS_FUSED = {("CONV_2D", "RELU"), ("DEPTHWISE_CONV_2D", "RELU6"), ("MAX_POOL_2D", "RELU"),
                       ("FULLY_CONNECTED", "RELU")}


def _keras_layers(name: str) -> tflite_reader.Subgraph:
  """The main graph of a Keras layers model, checked to hold the ops the layers make."""
  graph = tflite_reader.read_model_file(str(TESTDATA / f"{name}.tflite")).main
  expected = collections.Counter(_KERAS_LAYERS_OPS)
  if graph.tensors[graph.inputs[0]].dtype == "int8":
    expected["QUANTIZE"] += 1  # TANH's output (scale 1/128) to the CONCATENATION's scale
  assert collections.Counter(op.opcode for op in graph.operators) == expected
  fused = {(op.opcode, op.options.get("fused_activation_function")) for op in graph.operators}
  assert _KERAS_LAYERS_FUSED <= fused
  mul = next(op for op in graph.operators if op.opcode == "MUL")
  assert [graph.tensors[i].shape for i in mul.inputs] == [(1, 4, 4, 8), (1, 8)]
  return graph


@pytest.mark.parametrize("name", ["keras_layers_int8", "keras_layers_float"])
def test_converted_keras_layers_bit_exact_with_tflm(tmp_path, name):
  model = TESTDATA / f"{name}.tflite"  # written by tests/testdata/make_test_models.py
  graph = _keras_layers(name)
  image = graph.tensors[graph.inputs[0]]
  rng = np.random.default_rng(3)
  if image.dtype == "int8":
    inputs = [rng.integers(-128, 128, size=image.shape).astype(np.int8) for _ in range(100)]
  else:
    inputs = [rng.uniform(-1, 1, size=image.shape).astype(np.float32) for _ in range(100)]
  exe = _compiled(tmp_path, model)
  stdin = "".join(v.tobytes().hex() + "\n" for v in inputs)
  ours = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True).stdout
  assert [bytes.fromhex(line) for line in ours.split()] == _tflm_outputs(model, inputs)


def test_float32_constants_keep_infinities_and_nans():
  bits = np.array([0x3FC00000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC01234,
                   0x7F800001], dtype=np.uint32)
  assert aot_compile._c_values(bits.view(np.float32)) == (
      '{\n  1.5f, -0.0f, __builtin_inff(), -__builtin_inff(), __builtin_nanf("0x0"), '
      '-__builtin_nanf("0x1234"), __builtin_nansf("0x1")\n}')


def _one_op_model(op: str, dtype: str, input_quantization: tuple, output_quantization: tuple):
  from tools import aot_differential_test
  (in_scales, in_zero_points), (out_scales, out_zero_points) = input_quantization, output_quantization
  case = aot_differential_test.Case(
      op, {}, [((1, 4), dtype, in_scales, in_zero_points, 0, None),
               ((1, 4), dtype, out_scales, out_zero_points, 0, None)], [0], [1], None, "NONE")
  return tflite_reader.read_model(aot_differential_test.build_model(case), "m.tflite")


@pytest.mark.parametrize("op,dtype,input_quantization,output_quantization,message", [
    ("LOGISTIC", "int8", ([0.1], [0]), ([1 / 256], [0]),
     "m.tflite: int8 LOGISTIC (op 0) has output zero point 0; TFLM requires -128"),
    ("TANH", "int8", ([1e-9], [0]), ([1 / 128], [0]),
     "m.tflite: int8 TANH (op 0) has input scale 1e-09; the compiler supports "
     "input scales from 2^-28 to 2^35"),
    ("LOGISTIC", "int16", ([0.1], [0]), ([1 / 32768], [0]),
     "m.tflite: LOGISTIC with tensor types int16, int16 is not supported yet; int8 "
     "(full-integer quantization) is, and float32 for ADD, AVERAGE_POOL_2D, CONCATENATION, "
     "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, LEAKY_RELU, LOGISTIC, MAX_POOL_2D, MEAN, MUL, "
     "PAD, PADV2, RELU, RELU6, RESHAPE, SOFTMAX, SQUEEZE, STRIDED_SLICE, SUB, TANH."),
    ("TANH", "int8", ([], []), ([1 / 128], [0]),
     "m.tflite: int8 TANH (op 0) has a tensor without quantization parameters"),
])
def test_unsupported_sigmoid_variants_are_clear_errors(op, dtype, input_quantization,
                                                      output_quantization, message):
  model = _one_op_model(op, dtype, input_quantization, output_quantization)
  with pytest.raises(common.ToolError) as error:
    aot_compile.compile_model(model, "m", "m.tflite", "m.h")
  assert message in str(error.value)


def test_float32_logistic_calls_the_float_kernel():
  generated = aot_compile.compile_model(_one_op_model("LOGISTIC", "float32", ([], []), ([], [])),
                                        "m", "m.tflite", "m.h")
  assert "  tflm_rt_logistic_f32((const float *)(arena + 0), (float *)(arena + " in generated.source


def test_float32_kernels_are_called_for_float32_models():
  for kernel, call in [("CONV_2D_FLOAT", "tflm_rt_conv_f32(&op0_shape, "),
                       ("DEPTHWISE_CONV_2D_FLOAT", "tflm_rt_depthwise_conv_f32(&op0_shape, "),
                       ("AVERAGE_POOL_2D_FLOAT", "if (tflm_rt_average_pool_f32(&op0_shape, "),
                       ("MAX_POOL_2D_FLOAT", "tflm_rt_max_pool_f32(&op0_shape, "),
                       ("SOFTMAX_FLOAT", "tflm_rt_softmax_f32((const float *)(arena + "),
                       ("MEAN_FLOAT", "tflm_rt_mean_f32(&op0_kept, &op0_reduced, "),
                       ("PAD_FLOAT", "tflm_rt_pad(&op0_shape, 4, &op0_value, "),
                       ("CONCATENATION_FLOAT", "tflm_rt_concat((const float *)"),
                       ("STRIDED_SLICE_FLOAT", "tflm_rt_strided_slice(&op0_walk, "),
                       ("LEAKY_RELU_FLOAT", "tflm_rt_leaky_relu_f32((const float *)(arena + ")]:
    assert "  " + call in _compile_case(_drawn(kernel)).source, kernel


def test_float32_mean_sums_in_the_input_order():
  # TFLM's Reduce adds along the reduced axes in the input's order, whatever order the
  # axes come in; float32 sums differ with the order.
  case = _drawn("MEAN_FLOAT")
  _replace(case, 0, shape=(2, 3, 4))
  _replace(case, 1, shape=(2,), data=np.array([2, 0], np.int32))
  case.options.keepDims = False
  _replace(case, 2, shape=(3,))
  source = _compile_case(case).source
  assert "static const tflm_rt_walk op0_kept = {{1, 1, 1, 1, 3}, {0, 0, 0, 0, 4}};" in source
  assert "static const tflm_rt_walk op0_reduced = {{1, 1, 1, 2, 4}, {0, 0, 0, 12, 1}};" in source


@pytest.mark.parametrize("kernel,change,message", [
    ("DEPTHWISE_CONV_2D", lambda case: setattr(case, "inputs", [0, 1, -1]),
     "m.tflite: DEPTHWISE_CONV_2D (op 0) has no bias; the TFLM interpreter crashes on a "
     "DEPTHWISE_CONV_2D without one"),
    ("CONV_2D", lambda case: _replace(case, 1, shape=case.tensors[1][0][:3] + (1,),
                                      data=case.tensors[1][5][..., :1]),
     "(no grouped convolution)"),
    ("DEPTHWISE_CONV_2D_FLOAT", lambda case: setattr(case, "inputs", [0, 1, -1]),
     "m.tflite: DEPTHWISE_CONV_2D (op 0) has no bias; the TFLM interpreter crashes on a "
     "DEPTHWISE_CONV_2D without one"),
    ("DEPTHWISE_CONV_2D_FLOAT", lambda case: setattr(case.options, "depthMultiplier", 7),
     "m.tflite: DEPTHWISE_CONV_2D (op 0) has input [1, 9, 9, 4], filter [1, 1, 4, 16], output "
     "[1, 5, 3, 16] and depth multiplier 7; the compiler supports a filter [1, height, width, "
     "input channels * depth multiplier]"),
    ("CONV_2D_FLOAT", lambda case: _replace(case, 1, shape=case.tensors[1][0][:3] + (1,),
                                            data=case.tensors[1][5][..., :1]),
     "(no grouped convolution)"),
    ("CONV_2D_FLOAT", lambda case: setattr(case.options, "fusedActivationFunction", 4),
     "m.tflite: CONV_2D (op 0) has fused activation TANH; the compiler supports NONE, RELU, RELU6 "
     "and RELU_N1_TO_1."),
    ("PADV2_FLOAT", lambda case: _replace(case, 3, data=None),
     "m.tflite: PADV2 (op 0) takes its padding value from a tensor that is not a constant "
     "float32 scalar"),
    ("ADD_FLOAT", lambda case: _replace(case, 1, dtype="int8", data=np.zeros(
        case.tensors[1][0], np.int8)),
     "m.tflite: ADD with tensor types float32, int8, float32 is not supported yet"),
])
def test_unsupported_variants_are_clear_errors(kernel, change, message):
  case = _drawn(kernel)
  change(case)
  assert message in _compile_error(case)
