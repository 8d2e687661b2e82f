"""Runs one test program on every Cortex-M core whose board can hold it: the runner of tflm_model_test.

Each --core is `name,machine,elf,size_report`. A core whose size report says
the program does not fit its board (tools/firmware_size.py
--board_check=report) is left out, with the numbers; every other core runs
the program in QEMU through tools/qemu_run.py. Passes when every core that
ran passed and at least one ran.
"""

import json
import pathlib
import subprocess
import sys

from absl import app
from absl import flags

from tools import common

_CORES = flags.DEFINE_multi_string("core", [], "name,machine,elf,size_report of each core.")
_QEMU_RUN = flags.DEFINE_string("qemu_run", None, "The qemu_run executable.", required=True)
_QEMU = flags.DEFINE_string("qemu", "qemu-system-arm", "The QEMU command.")
_TIMEOUT = flags.DEFINE_float("timeout_seconds", 10, "Kill a run after this long.")
_LABEL = flags.DEFINE_string("label", None, "Name of the test in messages.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  passed, failed, left_out = [], [], []
  for spec in _CORES.value:
    name, machine, elf, report = spec.split(",")
    sizes = json.loads(pathlib.Path(report).read_text())
    if not sizes.get("fits", True):
      print(f"== {name}: left out by the memory check: {sizes['does_not_fit']}", flush=True)
      left_out.append(name)
      continue
    print(f"== {name} ({machine})", flush=True)
    status = subprocess.run([_QEMU_RUN.value, f"--elf={elf}", f"--machine={machine}",
                             f"--qemu={_QEMU.value}", f"--timeout_seconds={_TIMEOUT.value}",
                             f"--label={_LABEL.value} on {name}"]).returncode
    (passed if status == 0 else failed).append(name)
  print(f"passed on {', '.join(passed) or 'no core'}; failed on {', '.join(failed) or 'no core'}; "
        f"left out (too big for the board): {', '.join(left_out) or 'none'}")
  if failed:
    sys.exit(1)
  if not passed:
    raise common.ToolError(f"{_LABEL.value}: no core's board can hold the program, so it ran "
                           "nowhere; see the sizes above.")


if __name__ == "__main__":
  app.run(common.run_tool(main, "cores_run"))
