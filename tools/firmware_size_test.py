"""Tests of tools/firmware_size.py: section parsing, flash/RAM sums and budgets."""

import pytest

from tools import common
from tools import firmware_size

SIZE_OUTPUT = """\
fw.elf  :
section             size        addr
.text               6632           0
.rodata              344        6640
.data                112   536870912
.bss                 192   536871024
.heap               4096   536871216
.comment              38           0
.debug_info        67012           0
Total              78426
"""


def test_usage_sums_flash_and_ram():
  sizes = firmware_size.usage(firmware_size.parse_sections(SIZE_OUTPUT))
  assert sizes["flash_bytes"] == 6632 + 344 + 112
  assert sizes["ram_bytes"] == 112 + 192
  assert sizes["heap_bytes"] == 4096


def test_budgets():
  sizes = firmware_size.usage(firmware_size.parse_sections(SIZE_OUTPUT))
  firmware_size.check_budgets("//fw", sizes, max_flash=7088, max_ram=304)
  with pytest.raises(common.ToolError, match="uses 7088 bytes of flash, over the budget "
                     "max_flash_bytes = 7000 by 88 bytes"):
    firmware_size.check_budgets("//fw", sizes, max_flash=7000, max_ram=0)
  with pytest.raises(common.ToolError, match="304 bytes of RAM, over the budget max_ram_bytes = 300"):
    firmware_size.check_budgets("//fw", sizes, max_flash=0, max_ram=300)
