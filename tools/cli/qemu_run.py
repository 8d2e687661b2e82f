"""Command line of tools/qemu_run.py: a Cortex-M ELF in qemu-system-arm, its exit status as ours."""

import sys

from absl import app
from absl import flags

from tools import common
from tools import qemu_run

_ELF = flags.DEFINE_string("elf", None, "The firmware ELF.", required=True)
_MACHINE = flags.DEFINE_string("machine", None, "QEMU board, e.g. mps2-an385.", required=True)
_QEMU = flags.DEFINE_string("qemu", "qemu-system-arm", "The QEMU command.")
_TIMEOUT = flags.DEFINE_float("timeout_seconds", 10, "Kill the run after this long.")
_PLUGIN = flags.DEFINE_string("plugin", None, "Instruction-count plugin (.so) to load.")
_NM = flags.DEFINE_string("nm", "arm-none-eabi-nm", "nm, to find the marker addresses.")
_LABEL = flags.DEFINE_string("label", None, "Name of the binary in messages.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  sys.exit(qemu_run.run_test(_ELF.value, _MACHINE.value, _QEMU.value, _TIMEOUT.value, _LABEL.value,
                             _PLUGIN.value, _NM.value))


if __name__ == "__main__":
  app.run(common.run_tool(main, "qemu_run"))
