"""Tests of tools/qemu_run.py with a stand-in QEMU: exit status, faults, hangs, instruction counts."""

import pytest

from tools import common
from tools import qemu_run
from tools import testing


def _fake_qemu(tmp_path, script: str) -> str:
  """A qemu-system-arm that runs `script` (sh); $log is the plugin log QEMU's -D names."""
  fake = tmp_path / "qemu"
  fake.write_text("#!/bin/sh\nlog=\nwhile [ $# -gt 0 ]; do [ \"$1\" = -D ] && log=$2; shift; done\n"
                  + script + "\n")
  fake.chmod(0o755)
  return str(fake)


def test_marker_addresses_from_nm():
  nm = "00000400 T main\n000001a0 T rules_tflm_bench_start\n000001b0 T rules_tflm_bench_stop\n"
  assert qemu_run.marker_addresses(nm) == {"rules_tflm_bench_start": 0x1a0,
                                           "rules_tflm_bench_stop": 0x1b0}


def test_layer_counts_are_parsed_in_order():
  log = "instructions: total 90, between markers 40, marker pairs 1\nlayers: 3 10 5 20\n"
  assert qemu_run.parse_counts(log) == qemu_run.Counts(90, 40, 1, (10, 5, 20))
  with pytest.raises(common.ToolError, match="logged 3 layers but 2 counts"):
    qemu_run.parse_counts("instructions: total 9, between markers 4, marker pairs 1\nlayers: 3 1 2\n")


def test_qemu_command_with_semihosting_and_the_plugin():
  assert qemu_run.qemu_command("qemu", "mps2-an385", "fw.elf", "p.so,start=0x1", "log") == [
      "qemu", "-M", "mps2-an385", "-nographic", "-monitor", "none", "-semihosting-config",
      "enable=on,target=native", "-kernel", "fw.elf", "-plugin", "p.so,start=0x1", "-d", "plugin",
      "-D", "log"]


def test_the_firmware_status_is_ours_and_counts_are_printed(tmp_path, capfd):
  fake_nm = tmp_path / "nm"
  fake_nm.write_text("#!/bin/sh\necho 000001a0 T rules_tflm_bench_start\n")
  fake_nm.chmod(0o755)
  qemu = _fake_qemu(tmp_path, "echo hello\necho 'instructions: total 9, between markers 4, "
                    "marker pairs 1' > $log\nexit 2")
  (tmp_path / "p.so").write_bytes(b"")
  status = qemu_run.run_test("fw.elf", "mps2-an385", qemu, 5, "//fw", str(tmp_path / "p.so"),
                             str(fake_nm))
  assert status == 2
  out, err = capfd.readouterr()
  assert out == "hello\ninstructions: total 9, between markers 4, marker pairs 1\n"
  assert err == "qemu_run: //fw exited with status 2 on mps2-an385\n"


def test_a_hang_is_stopped_and_named(tmp_path):
  with pytest.raises(common.ToolError, match="//fw did not finish within 0.5 s on mps2-an385"):
    qemu_run.run_test("fw.elf", "mps2-an385", _fake_qemu(tmp_path, "sleep 10"), 0.5, "//fw")


def test_cli_a_fault(tmp_path):
  result = testing.run_cli("qemu_run", "--elf=fw.elf", "--machine=mps2-an385",
                           f"--qemu={_fake_qemu(tmp_path, 'exit 3')}", "--timeout_seconds=5",
                           "--label=//fw", "--nm=arm-none-eabi-nm")
  testing.assert_clean_failure(result, "qemu_run", "//fw was stopped by a fault on mps2-an385")
