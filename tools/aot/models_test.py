"""Whole models compiled by tools/aot/ against the real TFLM: built with gcc, the same
outputs bit for bit."""

import collections
import pathlib
import subprocess

import numpy as np
import pytest

from tools import tflite_reader
from tools.aot import compiler
from tools.aot import harness

TESTDATA = harness.TESTDATA

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


def _assert_bit_exact(tmp_path: pathlib.Path, name: str, inputs: list[np.ndarray],
                      main: str = _MAIN, flags: tuple[str, ...] = ()) -> tuple[compiler.Generated, str]:
  """Compiles tests/testdata/<name>.tflite, runs it on `inputs`, and compares with TFLM;
  the generated code and what the program wrote on stderr."""
  model = TESTDATA / f"{name}.tflite"
  generated = compiler.compile_model(tflite_reader.read_model_file(str(model)), "model",
                                     str(model), "model.h")
  source = harness.write(tmp_path, "model", generated)
  (tmp_path / "main.c").write_text(main)
  exe = harness.build([tmp_path / "main.c", source], tmp_path / "model",
                      ["-O2", "-Wall", "-Wextra", "-Werror", *flags])
  stdin = "".join(v.tobytes().hex() + "\n" for v in inputs)
  run = subprocess.run([str(exe)], input=stdin, capture_output=True, text=True, check=True)
  expected = harness.tflm_outputs(model.read_bytes(), [[v] for v in inputs], arena_size=1 << 20)
  assert [bytes.fromhex(line) for line in run.stdout.split()] == expected
  return generated, run.stderr


def _ops(name: str) -> set[str]:
  return {op.opcode for op in tflite_reader.read_model_file(str(TESTDATA / f"{name}.tflite")).main.operators}


@pytest.mark.parametrize("name,inputs", [
    ("hello_world_int8", [np.array([[v]], dtype=np.int8) for v in range(-128, 128)]),
    ("micro_speech_quantized", [np.random.default_rng(s).integers(-128, 128, size=(1, 1960))
                                .astype(np.int8) for s in range(20)]),
    ("hello_world_float", [np.array([[v]], dtype=np.float32) for v in np.linspace(-1, 7, 200)]),
    # Whole convolutional models, where outputs overlap inputs in the arena as far as
    # tools/aot/overlap.py lets them: the kernels must read and write in its order.
    ("person_detect", [np.random.default_rng(s).integers(-128, 128, size=(1, 96, 96, 1))
                       .astype(np.int8) for s in range(2)]),
    ("mlperf_tiny/kws_ref_model", [np.random.default_rng(s).integers(
        -128, 128, size=(1, 49, 10, 1)).astype(np.int8) for s in range(2)]),
    ("mlperf_tiny/vww_96_int8", [np.random.default_rng(s).integers(
        -128, 128, size=(1, 96, 96, 3)).astype(np.int8) for s in range(2)]),
    ("mlperf_tiny/pretrainedResnet_quant", [np.random.default_rng(s).integers(
        -128, 128, size=(1, 32, 32, 3)).astype(np.int8) for s in range(2)]),
    # Written by tests/testdata/make_test_models.py: float32 CONV_2D, DEPTHWISE_CONV_2D, PAD,
    # LEAKY_RELU, MAX_POOL_2D, AVERAGE_POOL_2D, broadcasting MUL and ADD, STRIDED_SLICE,
    # CONCATENATION, MEAN, FULLY_CONNECTED and SOFTMAX, each overwriting its input.
    ("cnn_float", [np.random.default_rng(s).normal(size=(1, 12, 12, 3)).astype(np.float32)
                   for s in range(50)]),
])
def test_bit_exact_with_tflm(tmp_path, name, inputs):
  _assert_bit_exact(tmp_path, name, inputs)


def test_a_profiling_build_marks_each_layer_and_computes_the_same(tmp_path):
  # The hooks of runtime/profile.h, defined by the program: they log each op's index.
  hooks = (_MAIN + "void tflm_rt_layer_begin(int op) { fprintf(stderr, \"begin %d\\n\", op); }\n"
           "void tflm_rt_layer_end(int op) { fprintf(stderr, \"end %d\\n\", op); }\n")
  rng = np.random.default_rng(4)
  inputs = [rng.integers(-128, 128, size=(1, 8)).astype(np.int8) for _ in range(2)]
  generated, log = _assert_bit_exact(tmp_path, "residual_int8", inputs, hooks,
                                     ("-DTFLM_RT_PROFILE", "-include", "stdio.h"))
  # Op 1, the RESHAPE, shares the arena with its output: it runs no code.
  assert [op.opcode for op in tflite_reader.read_model_file(
      str(TESTDATA / "residual_int8.tflite")).main.operators] == [
          "FULLY_CONNECTED", "RESHAPE", "ADD", "FULLY_CONNECTED", "SOFTMAX"]
  assert "op 1: RESHAPE (in place: nothing to copy)" in generated.source
  assert generated.layers == (0, 2, 3, 4)
  once = [f"{what} {op}" for op in generated.layers for what in ("begin", "end")]
  assert log.split("\n") == once * len(inputs) + [""]


def test_add_reshape_and_softmax_bit_exact_with_tflm(tmp_path):
  # Written by tests/testdata/make_test_models.py.
  assert {"ADD", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"} <= _ops("residual_int8")
  rng = np.random.default_rng(1)
  _assert_bit_exact(tmp_path, "residual_int8",
                    [rng.integers(-128, 128, size=(1, 8)).astype(np.int8) for _ in range(300)])


def test_converted_data_movement_ops_bit_exact_with_tflm(tmp_path):
  assert {"PAD", "LEAKY_RELU", "STRIDED_SLICE", "CONCATENATION", "MEAN"} <= _ops("data_ops_int8")
  rng = np.random.default_rng(2)
  _assert_bit_exact(tmp_path, "data_ops_int8", [rng.integers(-128, 128, size=(1, 12, 12, 3))
                                                .astype(np.int8) for _ in range(100)])


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
  graph = _keras_layers(name)
  image = graph.tensors[graph.inputs[0]]
  rng = np.random.default_rng(3)
  if image.dtype == "int8":
    inputs = [rng.integers(-128, 128, size=image.shape).astype(np.int8) for _ in range(100)]
  else:
    inputs = [rng.uniform(-1, 1, size=image.shape).astype(np.float32) for _ in range(100)]
  _assert_bit_exact(tmp_path, name, inputs)


@pytest.mark.parametrize("name,dtype", [("flatten_int8", np.int8), ("flatten_float", np.float32)])
def test_shapes_computed_at_run_time_are_folded(tmp_path, name, dtype):
  # Keras's open batch dimension: SHAPE, STRIDED_SLICE and PACK make each RESHAPE's shape.
  assert {"SHAPE", "STRIDED_SLICE", "PACK", "RESHAPE"} <= _ops(name)
  model = tflite_reader.read_model_file(str(TESTDATA / f"{name}.tflite"))
  source = compiler.compile_model(model, "model", name, "model.h").source
  calls = [line.split("(")[0].strip() for line in source.splitlines() if line.startswith("  tflm_rt_")]
  assert calls == ["tflm_rt_conv_" + ("s8" if dtype == np.int8 else "f32"),
                   "tflm_rt_fully_connected_" + ("s8" if dtype == np.int8 else "f32")]
  rng = np.random.default_rng(4)
  if dtype == np.int8:
    inputs = [rng.integers(-128, 128, size=(1, 6, 6, 2)).astype(np.int8) for _ in range(100)]
  else:
    inputs = [rng.uniform(-1, 1, size=(1, 6, 6, 2)).astype(np.float32) for _ in range(100)]
  _assert_bit_exact(tmp_path, name, inputs)
