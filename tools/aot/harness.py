"""What the tests that run compiled models share: gcc with the runtime, and TFLM.

Models compiled by tools/aot/ are built with the host gcc together with
runtime/*.c and run; the TFLM interpreter of the tflite-micro package gives
the outputs they must equal, or, for ops TFLM has no kernel for, TF Lite's
interpreter with its reference kernels.
"""

import pathlib
import subprocess

import numpy as np

from tools import common
from tools import golden
from tools.aot import compiler

REPO = pathlib.Path(__file__).absolute().parents[2]
TESTDATA = REPO / "tests" / "testdata"
# Float kernels add in TFLM's order: a fused multiply-add would round differently.
CFLAGS = ["-std=c99", "-ffp-contract=off"]


def write(directory: pathlib.Path, prefix: str, generated: compiler.Generated) -> pathlib.Path:
  """Writes <prefix>.h and <prefix>.c; the .c's path."""
  (directory / f"{prefix}.h").write_text(generated.header)
  source = directory / f"{prefix}.c"
  source.write_text(generated.source)
  return source


def build(sources: list[pathlib.Path], exe: pathlib.Path, flags: list[str]) -> pathlib.Path:
  """Links `sources` with the runtime into `exe`, with gcc and `flags`."""
  runtime = sorted((REPO / "runtime").glob("*.c"))
  includes = sorted({str(s.parent) for s in sources})
  subprocess.run(["gcc", *CFLAGS, *flags, *[f"-I{d}" for d in includes], "-I", str(REPO),
                  *map(str, sources), *map(str, runtime), "-o", str(exe), "-lm"], check=True)
  return exe


def tflm_outputs(model: bytes, inputs: list[list[np.ndarray]], arena_size: int) -> list[bytes]:
  """TFLM's first output for each list of model inputs."""
  return [first for first, in tflm_all_outputs(model, inputs, arena_size, 1)]


def tflm_all_outputs(model: bytes, inputs: list[list[np.ndarray]], arena_size: int,
                     count: int) -> list[list[bytes]]:
  """TFLM's first `count` outputs for each list of model inputs."""
  from tflite_micro.python.tflite_micro import runtime  # pylint: disable=import-outside-toplevel
  with common.captured_output():
    interpreter = runtime.Interpreter.from_bytes(model, arena_size=arena_size)
  outputs = []
  for values in inputs:
    for index, value in enumerate(values):
      interpreter.set_input(value, index)
    interpreter.invoke()
    outputs.append([np.array(interpreter.get_output(k)).tobytes() for k in range(count)])
  return outputs


def tflite_outputs(model: bytes, inputs: list[list[np.ndarray]], count: int) -> list[list[bytes]]:
  """TF Lite's first `count` outputs for each list of model inputs, from its reference
  kernels (the oracle of ops TFLM cannot run), as golden.py asks them."""
  return [[a.tobytes() for a in vector]
          for vector in golden.golden_vectors(model, inputs, count, tflm=False)]
