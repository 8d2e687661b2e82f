"""Command line of tools/profile_run.py: a model's instructions per layer on one core, as JSON."""

from absl import app
from absl import flags

from tools import common
from tools import profile_run

_OUTPUT = flags.DEFINE_string("output", None, "Path of the JSON to write.", required=True)
_SYSTEM = flags.DEFINE_enum("system", None, ["aot", "tflm_reference", "tflm_cmsis_nn"],
                            "What the program runs the model with.", required=True)
_CORE = flags.DEFINE_string("core", None, "The core, e.g. cortex-m4.", required=True)
_ELF = flags.DEFINE_string("elf", None, "The profiling program.", required=True)
_MACHINE = flags.DEFINE_string("machine", None, "QEMU board, e.g. mps2-an386.", required=True)
_SIZE_REPORT = flags.DEFINE_string("size_report", None, "The program's size report (JSON).",
                                   required=True)
_BOARD_FLASH = flags.DEFINE_integer("board_flash_bytes", None, "The board's flash.", required=True)
_BOARD_RAM = flags.DEFINE_integer("board_ram_bytes", None, "The board's RAM.", required=True)
_PLUGIN = flags.DEFINE_string("plugin", None, "The instruction-count plugin (.so).", required=True)
_LABEL = flags.DEFINE_string("label", None, "Name of the program in messages.", required=True)
_AOT_PREFIX = flags.DEFINE_string("aot_prefix", None, "The AOT library's C prefix, for the "
                                  "model's part of the flash.")
_QEMU = flags.DEFINE_string("qemu", "qemu-system-arm", "The QEMU command.")
_NM = flags.DEFINE_string("nm", "arm-none-eabi-nm", "nm, to find the marker addresses.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  profile_run.write(_OUTPUT.value, system=_SYSTEM.value, core=_CORE.value, elf=_ELF.value, machine=_MACHINE.value,
                    size_report=_SIZE_REPORT.value, board_flash_bytes=_BOARD_FLASH.value,
                    board_ram_bytes=_BOARD_RAM.value, plugin=_PLUGIN.value, label=_LABEL.value,
                    qemu=_QEMU.value, nm=_NM.value, aot_prefix=_AOT_PREFIX.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "profile_run", lambda: _LABEL.value))
