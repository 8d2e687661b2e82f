"""Tests of tools/cores_run.py: boards too small are left out with the numbers, failures fail."""

import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).absolute().parents[1]


def _run(tmp_path, outcomes: dict[str, str | int]):
  """Runs cores_run over fake cores: a misfit message, or the status the fake QEMU run returns."""
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
    cores.append(f"--core={core},status-{outcome if fits else 0},{core}.elf,{report}")
  return subprocess.run([sys.executable, "-m", "tools.cores_run", f"--qemu_run={fake}",
                         "--label=//t", *cores], cwd=REPO, capture_output=True, text=True)


def test_a_board_too_small_is_left_out_with_its_numbers(tmp_path):
  result = _run(tmp_path, {"cortex-m0": "//t does not fit microbit: it needs 41264 bytes of RAM",
                           "cortex-m3": 0, "cortex-m4": 0})
  assert result.returncode == 0, result.stderr
  assert "== cortex-m0: left out by the memory check: //t does not fit microbit: it needs 41264" in (
      result.stdout)
  assert result.stdout.count("ran 0") == 2
  assert result.stdout.endswith("passed on cortex-m3, cortex-m4; failed on no core; left out (too "
                                "big for the board): cortex-m0\n")


def test_a_core_that_fails_fails_the_test(tmp_path):
  result = _run(tmp_path, {"cortex-m3": 0, "cortex-m4": 1})
  assert result.returncode == 1
  assert "failed on cortex-m4" in result.stdout


def test_running_nowhere_is_a_failure(tmp_path):
  result = _run(tmp_path, {"cortex-m0": "too big"})
  assert result.returncode == 1
  assert "no core's board can hold the program, so it ran nowhere" in result.stderr
  assert "Traceback" not in result.stderr
