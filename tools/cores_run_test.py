"""Tests of tools/cores_run.py: boards too small are left out with the numbers, failures fail."""

import json

import pytest

from tools import common
from tools import cores_run
from tools import testing


def _cores(tmp_path, outcomes: dict[str, str | int]) -> tuple[str, list[cores_run.CoreBinary]]:
  """A fake qemu_run and the cores: a misfit message, or the status the fake run returns."""
  fake = tmp_path / "qemu_run"
  # Exits with the status named after the machine: --machine=status-N.
  fake.write_text("#!/bin/sh\nfor a; do case $a in --machine=status-*) s=${a#--machine=status-};; "
                  "esac; done\necho ran $s\nexit $s\n")
  fake.chmod(0o755)
  cores = []
  for core, outcome in outcomes.items():
    report = tmp_path / f"{core}.json"
    fits = isinstance(outcome, int)
    report.write_text(json.dumps({"fits": fits} if fits else {"fits": False, "does_not_fit": outcome}))
    cores.append(cores_run.CoreBinary.parse(f"{core},status-{outcome if fits else 0},{core}.elf,{report}"))
  return str(fake), cores


def test_a_board_too_small_is_left_out_with_its_numbers(tmp_path, capfd):
  fake, cores = _cores(tmp_path, {"cortex-m0": "//t does not fit microbit: it needs 41264 bytes of RAM",
                                  "cortex-m3": 0, "cortex-m4": 0})
  assert cores_run.run_cores(cores, fake, label="//t")
  out = capfd.readouterr().out
  assert "== cortex-m0: left out by the memory check: //t does not fit microbit: it needs 41264" in out
  assert out.count("ran 0") == 2
  assert out.endswith("passed on cortex-m3, cortex-m4; failed on no core; left out (too big for the "
                      "board): cortex-m0\n")


def test_a_core_that_fails_fails_the_test(tmp_path, capfd):
  fake, cores = _cores(tmp_path, {"cortex-m3": 0, "cortex-m4": 1})
  assert not cores_run.run_cores(cores, fake, label="//t")
  assert "failed on cortex-m4" in capfd.readouterr().out


def test_a_core_spec_needs_four_parts():
  with pytest.raises(common.ToolError, match="expected name,machine,elf,size_report"):
    cores_run.CoreBinary.parse("cortex-m3,mps2-an385,x.elf")


def test_cli_running_nowhere_is_a_failure(tmp_path):
  fake, cores = _cores(tmp_path, {"cortex-m0": "too big"})
  result = testing.run_cli("cores_run", f"--qemu_run={fake}", "--qemu=qemu-system-arm",
                           "--timeout_seconds=5", "--label=//t",
                           f"--core=cortex-m0,microbit,cortex-m0.elf,{tmp_path / 'cortex-m0.json'}")
  testing.assert_clean_failure(result, "cores_run", "//t: no core's board can hold the program, so "
                               "it ran nowhere")
  assert "== cortex-m0: left out by the memory check: too big" in result.stdout
