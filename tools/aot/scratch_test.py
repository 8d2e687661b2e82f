"""The scratch the emitters ask for (scratch.py) is what runtime/dsp.h's kernels use."""

import subprocess

from tools.aot import harness
from tools.aot import scratch

_SIZES = [1, 3, 4, 5, 8, 27, 64, 255, 256, 4000]


def test_the_emitters_ask_for_the_bytes_the_dsp_kernels_use(tmp_path):
  calls = "".join(f'  printf("%d %d %d\\n", TFLM_RT_DSP_ROWS_BYTES(4, {n}), '
                  f"TFLM_RT_DSP_CONV_BYTES({n}), TFLM_RT_DSP_DEPTHWISE_BYTES({n}, 9));\n"
                  for n in _SIZES)
  source = tmp_path / "sizes.c"
  source.write_text('#include <stdio.h>\n#include "runtime/dsp.h"\n'
                    f"int main(void) {{\n{calls}  return 0;\n}}\n")
  exe = tmp_path / "sizes"
  subprocess.run(["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", str(harness.REPO),
                  str(source), "-o", str(exe)], check=True)
  printed = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
  assert printed.split("\n")[:-1] == [
      f"{scratch.rows_bytes(4, n)} {scratch.conv_bytes(n)} {scratch.depthwise_bytes(n, 9)}"
      for n in _SIZES]


def test_the_buffer_is_declared_for_dsp_cores_only():
  assert scratch.declaration(10)[-1] == (
      "static int32_t dsp_scratch[TFLM_RT_DSP ? 3 : 1] __attribute__((aligned(8)));")
