"""Reports the flash and RAM a Cortex-M ELF uses, and checks them against budgets and the board.

Reads the section sizes that `arm-none-eabi-size -A` prints:
  flash = code + read-only data + the initial values of .data (text + rodata + data)
  RAM   = .data + .bss (statically allocated; heap and stack reserved apart)
A program larger than its board (flash; RAM with heap and stack) fails, or
with board_check = "report" is reported as not fitting, for tests that
leave such boards out.
"""

import json
import pathlib
import subprocess

from tools import common

FLASH_SECTIONS = (".text", ".rodata", ".ARM.extab", ".ARM.exidx", ".data")
RAM_SECTIONS = (".data", ".bss")
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
      "flash_bytes": sum(sections.get(s, 0) for s in FLASH_SECTIONS),
      "ram_bytes": sum(sections.get(s, 0) for s in RAM_SECTIONS),
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


def section_sizes(elf: str, size_tool: str = "arm-none-eabi-size", label: str | None = None) -> dict[str, int]:
  """{section: bytes} of `elf`, from `size_tool -A -d`."""
  try:
    output = subprocess.run([size_tool, "-A", "-d", elf], capture_output=True, text=True,
                            check=True).stdout
  except (OSError, subprocess.CalledProcessError) as e:
    raise common.ToolError(f"{label or elf}: cannot read section sizes of {elf} with "
                           f"{size_tool}: {getattr(e, 'stderr', None) or e}") from None
  return parse_sections(output)


def measure(elf: str, size_tool: str = "arm-none-eabi-size", label: str | None = None,
            max_flash_bytes: int = 0, max_ram_bytes: int = 0, board: str | None = None,
            board_flash_bytes: int = 0, board_ram_bytes: int = 0, stack_bytes: int = 0,
            board_check: str = "fail") -> dict:
  """The size report of `elf`, after checking the budgets and the board (0 = unchecked).

  board_check "fail" makes a program too big for the board an error;
  "report" says so in the report: fits false, and why in does_not_fit.
  """
  label = label or elf
  sizes = usage(section_sizes(elf, size_tool, label))
  check_budgets(label, sizes, max_flash_bytes, max_ram_bytes)
  misfit = board_misfit(label, sizes, board or "the board", board_flash_bytes, board_ram_bytes,
                        stack_bytes)
  if misfit and board_check == "fail":
    raise common.ToolError(f"{misfit}. Leave that core out of the rule's cores (or targets), or "
                           "make the program or model smaller.")
  return dict(sizes, fits=misfit is None, **({"does_not_fit": misfit} if misfit else {}))


def write_report(report: pathlib.Path, elf: str, **options) -> dict:
  """Writes and returns `measure(elf, **options)`; on any error, no report is left behind."""
  with common.Outputs(report) as outputs:
    result = measure(elf, **options)
    outputs.write(report, json.dumps(result, indent=1) + "\n")
  return result


if __name__ == "__main__":
  common.exit_as_library("firmware_size")
