"""Runs one test program on every Cortex-M core whose board can hold it.

The runner of the `<name>_cores` tests of tflm_aot_test and tflm_interpreter_test.

Each core is a CoreBinary (`--core=name,machine,elf,size_report` on the
command line). A core whose size report says the program does not fit its
board (firmware_size with board_check = "report") is left out, with the
numbers; every other core runs the program in QEMU through the qemu_run
executable (//tools:qemu_run). Passes when every core that ran passed and
at least one ran.
"""

import dataclasses
import json
import pathlib
import subprocess
import sys

from tools import common
from tools import progress


@dataclasses.dataclass(frozen=True)
class CoreBinary:
  """The test program built for one core: `name,machine,elf,size_report` on the command line."""
  name: str
  machine: str
  elf: str
  size_report: str

  @classmethod
  def parse(cls, spec: str) -> "CoreBinary":
    parts = spec.split(",")
    if len(parts) != 4:
      raise common.ToolError(f"--core={spec}: expected name,machine,elf,size_report (four "
                             "comma-separated parts).")
    return cls(*parts)


def run_cores(cores: list[CoreBinary], qemu_run: str, qemu: str = "qemu-system-arm",
              timeout: float = 10, label: str | None = None) -> bool:
  """Runs the program on every core whose board holds it; whether every one that ran passed.

  Raises a ToolError when no board could hold it, so it ran nowhere.
  """
  passed, failed, left_out = [], [], []
  # The test log is what a person reads: always say how far the cores are.
  work = progress.Progress(f"{label or 'the program'} on the cores", total=len(cores),
                           stream=sys.stdout, enabled=True)
  for core in cores:
    sizes = json.loads(pathlib.Path(core.size_report).read_text())
    if not sizes.get("fits", True):
      print(f"== {core.name}: left out by the memory check: {sizes['does_not_fit']}", flush=True)
      left_out.append(core.name)
      work.step(f"{core.name} left out")
      continue
    print(f"== {core.name} ({core.machine})", flush=True)
    status = subprocess.run([qemu_run, f"--elf={core.elf}", f"--machine={core.machine}",
                             f"--qemu={qemu}", f"--timeout_seconds={timeout}",
                             f"--label={label} on {core.name}"]).returncode
    (passed if status == 0 else failed).append(core.name)
    work.step(f"{core.name} {'passed' if status == 0 else 'FAILED'}")
  print(f"passed on {', '.join(passed) or 'no core'}; failed on {', '.join(failed) or 'no core'}; "
        f"left out (too big for the board): {', '.join(left_out) or 'none'}")
  if not failed and not passed:
    raise common.ToolError(f"{label}: no core's board can hold the program, so it ran "
                           "nowhere; see the sizes above.")
  return not failed


if __name__ == "__main__":
  common.exit_as_library("cores_run")
