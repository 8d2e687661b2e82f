"""The emulated-test runner turns every kind of failure red, and counts instructions repeatably."""

import json
import pathlib
import subprocess
import sys
import time

import pytest

REPO = pathlib.Path(__file__).absolute().parents[2]
HERE = REPO / "tests" / "cortex_m"
MACHINES = {"cortex-m0": "microbit", "cortex-m55": "mps3-an547"}
PLUGIN = REPO / "rules" / "cortex_m" / "libinsn_count.so"


def _run(elf: pathlib.Path, machine: str, *flags: str) -> subprocess.CompletedProcess:
  return subprocess.run([sys.executable, "-m", "tools.cli.qemu_run", f"--elf={elf}",
                         f"--machine={machine}", *flags], cwd=REPO, capture_output=True, text=True)


# Each fixture, how long it may run, and what the firmware and the runner print.
FAILURES = {
    "returns_one": (10, "returning 1", "exited with status 1"),
    "hard_fault": (10, "", "*** HardFault at pc 0x"),
    "endless_loop": (2, "looping forever", "did not finish within 2 s"),
}


@pytest.mark.parametrize("core", sorted(MACHINES))
@pytest.mark.parametrize("fixture", sorted(FAILURES))
def test_a_failing_program_fails_the_test(fixture, core):
  timeout, firmware_says, runner_says = FAILURES[fixture]
  start = time.monotonic()
  result = _run(HERE / f"{fixture}_{core}.elf", MACHINES[core], f"--timeout_seconds={timeout}")
  assert time.monotonic() - start < timeout + 8
  assert result.returncode == 1
  assert firmware_says in result.stdout
  assert runner_says in result.stderr
  if fixture == "hard_fault":
    assert "was stopped by a fault" in result.stderr


def _counts() -> tuple[str, str]:
  """The plugin's two lines: instructions, and layers."""
  result = _run(HERE / "counted_loop_cortex-m3.elf", "mps2-an385", f"--plugin={PLUGIN}")
  assert result.returncode == 0, result.stderr
  lines = result.stdout.splitlines()
  return tuple([line for line in lines if line.startswith(prefix)][0]
               for prefix in ("instructions:", "layers:"))


def test_instruction_count_is_the_same_twice():
  first, layers = _counts()
  assert (first, layers) == _counts()
  between = int(first.split("between markers ")[1].split(",")[0])
  # 1000 iterations of load, add, store, increment, compare, branch.
  assert 4000 < between < 12000
  assert first.endswith("marker pairs 1")
  # The two layers between the markers, 900 and 100 iterations; not the one before.
  count, nine_hundred, hundred = map(int, layers.split()[1:])
  assert count == 2
  assert 8.5 < nine_hundred / hundred < 9.5
  assert nine_hundred + hundred < between


def test_size_budgets(tmp_path):
  elf = HERE / "counted_loop_cortex-m3.elf"
  sizes = json.loads((HERE / "counted_loop_cortex-m3.size.json").read_text())
  assert sizes["flash_bytes"] == sizes["text_bytes"] + sizes["rodata_bytes"] + sizes["data_bytes"]
  assert sizes["ram_bytes"] == sizes["data_bytes"] + sizes["bss_bytes"]
  def check(*budget):
    return subprocess.run([sys.executable, "-m", "tools.cli.firmware_size", f"--elf={elf}",
                           "--size_tool=arm-none-eabi-size", f"--report={tmp_path / 'r.json'}", *budget],
                          cwd=REPO, capture_output=True, text=True)
  over_flash = check(f"--max_flash_bytes={sizes['flash_bytes'] - 1}")
  assert over_flash.returncode == 1
  assert (f"uses {sizes['flash_bytes']} bytes of flash, over the budget max_flash_bytes = "
          f"{sizes['flash_bytes'] - 1} by 1 bytes") in over_flash.stderr
  over_ram = check(f"--max_ram_bytes={sizes['ram_bytes'] - 8}")
  assert over_ram.returncode == 1 and "over the budget max_ram_bytes" in over_ram.stderr
  assert not (tmp_path / "r.json").exists()
  assert check(f"--max_flash_bytes={sizes['flash_bytes']}").returncode == 0
