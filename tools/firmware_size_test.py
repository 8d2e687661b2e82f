"""Tests of tools/firmware_size.py: section parsing, flash/RAM sums, budgets and board sizes."""

import json

import pytest

from tools import common
from tools import firmware_size
from tools import testing
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


def test_a_program_too_big_for_the_board_names_the_numbers():
  sizes = {"flash_bytes": 300000, "ram_bytes": 49200, "heap_bytes": 4096}
  board = "the microbit board (cortex-m0)"
  assert firmware_size.board_misfit("//fw", sizes, board, 300000, 57392, 4096) is None
  assert firmware_size.board_misfit("//fw", sizes, board, 262144, 16384, 4096) == (
      "//fw does not fit the microbit board (cortex-m0): it needs 300000 bytes of flash, the board "
      "has 262144 (37856 over) and 57392 bytes of RAM (49200 data and bss, 4096 heap, 4096 "
      "stack), the board has 16384 (41008 over)")


def _size_tool(tmp_path) -> str:
  size_tool = tmp_path / "size"
  size_tool.write_text(f"#!/bin/sh\ncat <<'END'\n{SIZE_OUTPUT}END\n")
  size_tool.chmod(0o755)
  return str(size_tool)


BOARD = {"board": "the tiny board (cortex-m0)", "board_flash_bytes": 4096, "board_ram_bytes": 8192,
         "stack_bytes": 4096}


def test_too_big_for_the_board_fails_or_is_reported(tmp_path):
  report = tmp_path / "r.json"
  with pytest.raises(common.ToolError) as error:
    firmware_size.write_report(report, "fw.elf", size_tool=_size_tool(tmp_path), label="//fw", **BOARD)
  assert "//fw does not fit the tiny board (cortex-m0): it needs 7088 bytes of flash" in str(error.value)
  assert "Leave that core out" in str(error.value) and not report.exists()
  written = firmware_size.write_report(report, "fw.elf", size_tool=_size_tool(tmp_path), label="//fw",
                                       board_check="report", **BOARD)
  assert json.loads(report.read_text()) == written
  assert written["fits"] is False and "8496 bytes of RAM" in written["does_not_fit"]


def test_a_size_tool_that_fails_names_the_elf(tmp_path):
  with pytest.raises(common.ToolError, match="//fw: cannot read section sizes of fw.elf with /nonexistent/size"):
    firmware_size.measure("fw.elf", "/nonexistent/size", "//fw")


def test_cli_over_the_flash_budget(tmp_path):
  report = tmp_path / "r.json"
  result = testing.run_cli("firmware_size", "--elf=fw.elf", f"--size_tool={_size_tool(tmp_path)}",
                           f"--report={report}", "--label=//fw", "--max_flash_bytes=7000",
                           "--max_ram_bytes=0", "--board=the tiny board (cortex-m0)",
                           "--board_flash_bytes=0", "--board_ram_bytes=0", "--stack_bytes=4096",
                           "--board_check=report")
  testing.assert_clean_failure(result, "firmware_size", "//fw uses 7088 bytes of flash, over the "
                               "budget max_flash_bytes = 7000 by 88 bytes", [report])
