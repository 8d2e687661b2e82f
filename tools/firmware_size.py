"""Reports the flash and RAM a Cortex-M ELF uses, and checks them against budgets and the board.

Reads the section sizes that `arm-none-eabi-size -A` prints:
  flash = code + read-only data + the initial values of .data (text + rodata + data)
  RAM   = .data + .bss (statically allocated; heap and stack reserved apart)
A program larger than its board (flash; RAM with heap and stack) fails, or
with --board_check=report is reported as not fitting, for tests that leave
such boards out.
"""

import json
import pathlib
import subprocess
import sys

from absl import app
from absl import flags

from tools import common

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

_FLASH_SECTIONS = (".text", ".rodata", ".ARM.extab", ".ARM.exidx", ".data")
_RAM_SECTIONS = (".data", ".bss")
_RESERVED_SECTIONS = (".heap",)


def parse_sections(size_output: str) -> dict[str, int]:
  """{section: bytes} from the output of `size -A` (System V format)."""
  sections = {}
  for line in size_output.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
      sections[parts[0]] = int(parts[1])
  return sections


def usage(sections: dict[str, int]) -> dict[str, int]:
  """Flash and RAM bytes, and the heap reserved in RAM, from section sizes."""
  return {
      "flash_bytes": sum(sections.get(s, 0) for s in _FLASH_SECTIONS),
      "ram_bytes": sum(sections.get(s, 0) for s in _RAM_SECTIONS),
      "heap_bytes": sum(sections.get(s, 0) for s in _RESERVED_SECTIONS),
      "text_bytes": sections.get(".text", 0),
      "rodata_bytes": sections.get(".rodata", 0),
      "data_bytes": sections.get(".data", 0),
      "bss_bytes": sections.get(".bss", 0),
  }


def check_budgets(label: str, sizes: dict[str, int], max_flash: int, max_ram: int) -> None:
  """Raises a ToolError naming both numbers when a budget is exceeded."""
  for what, used, budget in (("flash", sizes["flash_bytes"], max_flash),
                             ("RAM", sizes["ram_bytes"], max_ram)):
    if budget and used > budget:
      name = "max_flash_bytes" if what == "flash" else "max_ram_bytes"
      raise common.ToolError(
          f"{label} uses {used} bytes of {what}, over the budget {name} = {budget} by "
          f"{used - budget} bytes; make the code or data smaller or raise the budget.")


def board_misfit(label: str, sizes: dict[str, int], board: str, flash: int, ram: int,
                 stack: int) -> str | None:
  """What does not fit the board, with the numbers; None when all fits."""
  needed_ram = sizes["ram_bytes"] + sizes["heap_bytes"] + stack
  problems = []
  if flash and sizes["flash_bytes"] > flash:
    problems.append(f"{sizes['flash_bytes']} bytes of flash, the board has {flash} "
                    f"({sizes['flash_bytes'] - flash} over)")
  if ram and needed_ram > ram:
    problems.append(f"{needed_ram} bytes of RAM ({sizes['ram_bytes']} data and bss, "
                    f"{sizes['heap_bytes']} heap, {stack} stack), the board has {ram} "
                    f"({needed_ram - ram} over)")
  return f"{label} does not fit {board}: it needs {' and '.join(problems)}" if problems else None


def main(argv: list[str]) -> None:
  del argv  # Unused.
  common.remove_outputs([_REPORT.value])
  label = _LABEL.value or _ELF.value
  try:
    output = subprocess.run([_SIZE_TOOL.value, "-A", "-d", _ELF.value], capture_output=True,
                            text=True, check=True).stdout
  except (OSError, subprocess.CalledProcessError) as e:
    raise common.ToolError(f"{label}: cannot read section sizes of {_ELF.value} with "
                           f"{_SIZE_TOOL.value}: {getattr(e, 'stderr', None) or e}") from None
  sizes = usage(parse_sections(output))
  check_budgets(label, sizes, _MAX_FLASH.value, _MAX_RAM.value)
  misfit = board_misfit(label, sizes, _BOARD.value or "the board", _BOARD_FLASH.value,
                        _BOARD_RAM.value, _STACK.value)
  if misfit and _BOARD_CHECK.value == "fail":
    raise common.ToolError(f"{misfit}. Leave that core out of the rule's cores (or targets), or "
                           "make the program or model smaller.")
  if misfit:
    print(f"rules_tflm: left out of the test: {misfit}.", file=sys.stderr)
  report = dict(sizes, fits=misfit is None, **({"does_not_fit": misfit} if misfit else {}))
  common.write_atomically(pathlib.Path(_REPORT.value), json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
  app.run(common.run_tool(main, "firmware_size"))
