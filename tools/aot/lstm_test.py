"""UNIDIRECTIONAL_SEQUENCE_LSTM compiled ahead of time: TFLM's float32 MNIST LSTM
(tests/testdata/trained_lstm.tflite) against the real TFLM over invocations in a row,
its state carried from one to the next and <prefix>_reset() as TFLM's Reset."""

import pathlib
import subprocess

import numpy as np
import pytest

from tools import tflite_reader
from tools.aot import compiler
from tools.aot import harness

MODEL = harness.TESTDATA / "trained_lstm.tflite"

# Reads one input per line of hex and prints the output; a line "reset" calls model_reset().
_MAIN = r"""
#include <stdio.h>
#include <string.h>
#include "model.h"
int main(void) {
  static char line[4 * MODEL_INPUT_BYTES + 8];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "reset", 5) == 0) { model_reset(); continue; }
    unsigned char *in = (unsigned char *)model_input();
    for (unsigned i = 0; i < MODEL_INPUT_BYTES; i++) sscanf(line + 2 * i, "%2hhx", &in[i]);
    if (model_invoke() != 0) return 1;
    const unsigned char *out = (const unsigned char *)model_output();
    for (unsigned i = 0; i < MODEL_OUTPUT_BYTES; i++) printf("%02x", out[i]);
    printf("\n");
  }
  return 0;
}
"""


@pytest.fixture(scope="module", name="program")
def _program(tmp_path_factory):
  """The compiled model's program, and its generated code."""
  tmp = tmp_path_factory.mktemp("lstm")
  generated = compiler.compile_model(tflite_reader.read_model_file(str(MODEL)), "model",
                                     str(MODEL), "model.h")
  source = harness.write(tmp, "model", generated)
  (tmp / "main.c").write_text(_MAIN)
  exe = harness.build([tmp / "main.c", source], tmp / "model", ["-O2", "-Wall", "-Wextra",
                                                                 "-Werror"])
  return exe, generated


def _run(exe: pathlib.Path, lines: list[str]) -> list[bytes]:
  run = subprocess.run([str(exe)], input="".join(f"{line}\n" for line in lines),
                       capture_output=True, text=True, check=True)
  return [bytes.fromhex(line) for line in run.stdout.split()]


def _images(count: int) -> list[np.ndarray]:
  rng = np.random.default_rng(7)
  return [rng.uniform(0, 1, size=(1, 28, 28)).astype(np.float32) for _ in range(count)]


def test_invocations_in_a_row_give_tflm_s_bytes(program):
  exe, _ = program
  images = _images(6)
  ours = _run(exe, [v.tobytes().hex() for v in images])
  assert ours == harness.tflm_outputs(MODEL.read_bytes(), [[v] for v in images], 1 << 20)


def test_the_state_carries_over_and_reset_starts_again(program):
  exe, generated = program
  image = _images(1)[0].tobytes().hex()
  first, second, after_reset = _run(exe, [image, image, "reset", image])
  assert first != second  # the second call starts from the first one's state
  assert after_reset == first
  # The states live outside the reused arena: tensors 2 and 17, the hidden and cell state.
  assert "static float v2[20];" in generated.source and "static float v17[20];" in generated.source
  assert "void model_reset(void);" in generated.header
