"""Tests of tools/profile_run.py without QEMU: a program its board cannot hold, bad input.

The runs themselves are checked where Bazel builds the programs:
//tests/report:browser_test reads the per-layer counts of two report pages.
"""

import json

from tools import profile_run
from tools import testing


def _size_report(tmp_path, **sizes) -> str:
  path = tmp_path / "size.json"
  path.write_text(json.dumps(dict({"flash_bytes": 300000, "ram_bytes": 400, "heap_bytes": 4096,
                                   "fits": True}, **sizes)))
  return str(path)


def test_a_program_the_board_cannot_hold_is_reported_not_run(tmp_path):
  why = "//m:p does not fit microbit: it needs 300000 bytes of flash, the board has 262144"
  result = profile_run.profile(
      system="aot", core="cortex-m0", elf=str(tmp_path / "never_read.elf"), machine="microbit",
      size_report=_size_report(tmp_path, fits=False, does_not_fit=why),
      board_flash_bytes=262144, board_ram_bytes=16384, plugin="unused.so", label="//m:p",
      qemu="/nonexistent/qemu")
  assert result == {"system": "aot", "core": "cortex-m0", "machine": "microbit", "flash_bytes": 300000,
                    "ram_bytes": 400, "board_flash_bytes": 262144, "board_ram_bytes": 16384,
                    "does_not_fit": why}


def test_flash_parts_sort_the_symbols_by_the_compiler_s_names(tmp_path):
  nm = tmp_path / "nm"
  nm.write_text("#!/bin/sh\ncat <<'EOF'\n"
                "00002758 00000040 r op0_bias\n"
                "00002718 00000400 r op0_filter\n"
                "00002000 00000100 R t7\n"
                "000026c0 00000018 r op0_params\n"
                "000026d8 00000040 r op0_shifts\n"
                "0000009c 000000a4 T m_invoke\n"
                "00000644 00000084 T tflm_rt_conv_s8\n"
                "00000700 00000010 t dot_2x2_s8\n"
                "20000000 00000020 b arena\n"
                "00000000 T _start_without_size\n"
                "EOF\n")
  nm.chmod(0o755)
  assert profile_run.flash_parts(str(nm), "p.elf", "m", "//m:p") == {
      "weights_bytes": 0x40 + 0x400 + 0x100, "model_bytes": 0x18 + 0x40 + 0xa4}


def test_cli_says_what_failed_and_leaves_nothing(tmp_path):
  output = tmp_path / "profile.json"
  result = testing.run_cli(
      "profile_run", f"--output={output}", "--system=aot", "--core=cortex-m4",
      f"--elf={tmp_path / 'missing.elf'}", "--machine=mps2-an386",
      f"--size_report={_size_report(tmp_path)}", "--board_flash_bytes=4194304",
      "--board_ram_bytes=4194304", "--plugin=missing.so", "--label=//m:p",
      "--nm=/nonexistent/nm")
  testing.assert_clean_failure(result, "profile_run", "cannot run /nonexistent/nm to find the "
                               "markers of //m:p", [output])
