"""The differential test on the emulated Cortex-M cores: the kernels' core-only paths against TFLM.

On a core the runtime's kernels take paths the host never runs: the ACLE
DSP ones (TFLM_RT_DSP: Cortex-M4, M7, M33, M55) and the MVE ones (TFLM_RT_MVE:
Cortex-M55) of runtime/arch.h, and 32-bit code from arm-none-eabi-gcc on all
six. For every kernel of the host suite this draws its first
RULES_TFLM_CORES_DIFFERENTIAL_CASES cases (default 8; under Bazel set it with
--test_env; the host suite draws 200), the same models and inputs as the host suite's first cases
(differential.py), and, on each core (one test and one Bazel shard each),
compiles them with the core's toolchain and links them with runtime/ and the
start-up code as Bazel built them for that core (its kit,
rules/private/cortex_m_kit.bzl), many models per ELF
(differential_cores.py), and runs them in QEMU on the core's board. The ELF
compares every output with the host's TFLM (or TF Lite's reference kernels,
as on the host) bit for bit, any NaN matching any NaN. A mismatch fails the
test with the host suite's reproducer line, the core and the first
differing bytes. A case too big for a board on its own (a few cases on the
microbit's 16 KiB of RAM) is left out there, and the test log lists it.

One exception: the float32 kernels that call libm (LIBM_ULPS) run newlib's
expf, tanhf and the rest on a core, and TFLM on the host glibc's, which
differ by an ULP or two (see differential_test.py), so their outputs match
within LIBM_ULPS units in the last place. Measured: 20 cases of each on all
six cores needed 2 (1 left 22 mismatches on Cortex-M4).

It reads the kits from the runfiles, so it runs under Bazel:
`bazel test //tools/aot:differential_cores_test` (pytest.ini keeps it out of
plain pytest runs).
"""

import os
import pathlib

import pytest

from tools import cores
from tools.aot import cases
from tools.aot import differential
from tools.aot import differential_cores
from tools.aot import harness

CASES = int(os.environ.get("RULES_TFLM_CORES_DIFFERENTIAL_CASES", "8"))
CORES = cores.read_cores(harness.REPO)
LIBM_ULPS = {f"{op}_FLOAT": 2 for op in ("LOGISTIC", "TANH", "SOFTMAX", "EXP", "LOG", "SIN", "COS",
                                         "ELU")}


def kit_path(core: str) -> pathlib.Path:
  """Where the core's kit (tools/aot/BUILD) is in the test's runfiles."""
  return harness.REPO / "tools" / "aot" / f"differential_kit_{core}.json"


@pytest.mark.parametrize("core", list(CORES))
def test_kernels_match_tflm_on_the_core(tmp_path, capsys, core):
  assert kit_path(core).exists(), (f"no {kit_path(core)}: run this test with "
                                   "bazel test //tools/aot:differential_cores_test")
  kit = differential_cores.read_kit(kit_path(core), harness.REPO)
  # The kit was built for this core: its board, and the core's flags first.
  assert (kit.machine, kit.compile_flags[:len(CORES[core].cpu_flags)]) == (
      CORES[core].machine, CORES[core].cpu_flags)
  drawn = [d for kernel in sorted(cases.KERNELS) for d in differential.draw_cases(kernel, CASES)]
  run = differential_cores.run_cases(kit, CORES[core], drawn, tmp_path, LIBM_ULPS)
  with capsys.disabled():  # in the test log, passed or not
    print(f"\n{core} ({kit.machine}): {len(cases.KERNELS)} kernels x {CASES} cases, {run.checks} "
          f"checks in {run.elfs} ELFs; left out, too big for the board alone: "
          f"{len(run.left_out) or 'none'}")
    for line in run.left_out:
      print(f"  left out on {core}: {line}")
  assert run.checks + cases.INPUTS_PER_CASE * len(run.left_out) == cases.INPUTS_PER_CASE * len(drawn)
  assert not run.mismatches, "\n".join(f"on {core}: {m.message()}" for m in run.mismatches)
