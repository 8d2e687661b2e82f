"""Tests of tools/firmware_size.py: section parsing, flash/RAM sums, budgets and board sizes."""

import json
import pathlib
import subprocess
import sys

import pytest

from tools import common
from tools import firmware_size

REPO = pathlib.Path(__file__).absolute().parents[1]
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


def _run(tmp_path, *flags):
  size_tool = tmp_path / "size"
  size_tool.write_text(f"#!/bin/sh\ncat <<'END'\n{SIZE_OUTPUT}END\n")
  size_tool.chmod(0o755)
  return subprocess.run([sys.executable, "-m", "tools.firmware_size", "--elf=fw.elf",
                         f"--size_tool={size_tool}", f"--report={tmp_path / 'r.json'}",
                         "--label=//fw", "--board=the tiny board (cortex-m0)",
                         "--board_flash_bytes=4096", "--board_ram_bytes=8192", "--stack_bytes=4096",
                         *flags], cwd=REPO, capture_output=True, text=True)


def test_too_big_for_the_board_fails_the_build_or_is_reported(tmp_path):
  failed = _run(tmp_path)
  assert failed.returncode == 1 and not (tmp_path / "r.json").exists()
  assert "//fw does not fit the tiny board (cortex-m0): it needs 7088 bytes of flash" in failed.stderr
  assert "Leave that core out" in failed.stderr and "Traceback" not in failed.stderr
  reported = _run(tmp_path, "--board_check=report")
  assert reported.returncode == 0
  assert "rules_tflm: left out of the test: //fw does not fit" in reported.stderr
  report = json.loads((tmp_path / "r.json").read_text())
  assert report["fits"] is False and "8496 bytes of RAM" in report["does_not_fit"]
