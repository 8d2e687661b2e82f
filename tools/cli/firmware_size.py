"""Command line of tools/firmware_size.py: the flash and RAM of a Cortex-M ELF, against budgets and board."""

import pathlib
import sys

from absl import app
from absl import flags

from tools import common
from tools import firmware_size

_ELF = flags.DEFINE_string("elf", None, "Path to the ELF file.", required=True)
_SIZE_TOOL = flags.DEFINE_string("size_tool", "arm-none-eabi-size", "The size command.")
_REPORT = flags.DEFINE_string("report", None, "Path of the JSON report to write.", required=True)
_LABEL = flags.DEFINE_string("label", None, "Name of the binary in messages.")
_MAX_FLASH = flags.DEFINE_integer("max_flash_bytes", 0, "Fail above this flash use; 0 = no budget.")
_MAX_RAM = flags.DEFINE_integer("max_ram_bytes", 0, "Fail above this RAM use; 0 = no budget.")
_BOARD = flags.DEFINE_string("board", None, "The board, core in brackets, for messages.")
_BOARD_FLASH = flags.DEFINE_integer("board_flash_bytes", 0, "The board's flash; 0 = unchecked.")
_BOARD_RAM = flags.DEFINE_integer("board_ram_bytes", 0, "The board's RAM; 0 = unchecked.")
_STACK = flags.DEFINE_integer("stack_bytes", 0, "Stack reserved at the top of RAM.")
_BOARD_CHECK = flags.DEFINE_enum(
    "board_check", "fail", ["fail", "report"],
    "A program too big for the board: fail, or say so in the report (fits: false) and on stderr.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  report = firmware_size.write_report(
      pathlib.Path(_REPORT.value), _ELF.value, size_tool=_SIZE_TOOL.value, label=_LABEL.value,
      max_flash_bytes=_MAX_FLASH.value, max_ram_bytes=_MAX_RAM.value, board=_BOARD.value,
      board_flash_bytes=_BOARD_FLASH.value, board_ram_bytes=_BOARD_RAM.value,
      stack_bytes=_STACK.value, board_check=_BOARD_CHECK.value)
  if not report["fits"]:
    print(f"rules_tflm: left out of the test: {report['does_not_fit']}.", file=sys.stderr)


if __name__ == "__main__":
  app.run(common.run_tool(main, "firmware_size"))
