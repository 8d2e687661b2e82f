"""tools/aot_compile.py against the real TFLM: compiled with gcc, the same outputs bit for bit."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tools import aot_compile
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
                  str(tmp_path / "model.c"), str(REPO / "runtime/fully_connected.c"),
                  str(REPO / "runtime/elementwise.c"),
                  str(REPO / "runtime/softmax.c"), str(REPO / "runtime/conv.c"), "-o",
                  str(exe)], check=True)
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
  assert ("it supports ADD, AVERAGE_POOL_2D, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE, "
          "FULLY_CONNECTED, LOGISTIC, MAX_POOL_2D, MUL, QUANTIZE, RELU, RELU6, RESHAPE, SOFTMAX, "
          "SQUEEZE, SUB, TANH") in result.stderr
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
     "(full-integer quantization) is, and float32 for ADD, FULLY_CONNECTED, LOGISTIC, MUL, "
     "RELU, RELU6, SUB, TANH."),
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
