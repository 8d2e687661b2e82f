"""Command line of tools/cores_run.py: one test program on every core whose board can hold it."""

import sys

from absl import app
from absl import flags

from tools import common
from tools import cores_run

_CORES = flags.DEFINE_multi_string("core", [], "name,machine,elf,size_report of each core.")
_QEMU_RUN = flags.DEFINE_string("qemu_run", None, "The qemu_run executable.", required=True)
_QEMU = flags.DEFINE_string("qemu", "qemu-system-arm", "The QEMU command.")
_TIMEOUT = flags.DEFINE_float("timeout_seconds", 10, "Kill a run after this long.")
_LABEL = flags.DEFINE_string("label", None, "Name of the test in messages.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  cores = [cores_run.CoreBinary.parse(spec) for spec in _CORES.value]
  if not cores_run.run_cores(cores, _QEMU_RUN.value, _QEMU.value, _TIMEOUT.value, _LABEL.value):
    sys.exit(1)


if __name__ == "__main__":
  app.run(common.run_tool(main, "cores_run"))
