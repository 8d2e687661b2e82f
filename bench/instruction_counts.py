"""Prints, for the hello_world test on each emulated core, its flash, RAM and instructions.

Builds the test's Cortex-M binaries with Bazel, runs each in QEMU with
rules_tflm's instruction-count plugin, and prints the total instructions
from reset to exit (and those between the bench markers, if the program has
any), with flash and RAM from the size report. Run from the repository root:

    python bench/instruction_counts.py
"""

import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))

from tools import cores, qemu_run  # pylint: disable=wrong-import-position

# Core -> QEMU board, from the table the rules use (rules/private/cortex_m_cores.bzl).
CORES = {name: core.machine for name, core in cores.read_cores(REPO).items()}
PACKAGE, TEST = "examples/hello_world", "model_data_test"


def main() -> None:
  targets = [f"//{PACKAGE}:{TEST}_{core}_bin" for core in CORES] + ["//rules/cortex_m:libinsn_count.so"]
  subprocess.run(["bazel", "build", "--noshow_progress", *targets], cwd=REPO, check=True,
                 stderr=subprocess.DEVNULL)
  bin_dir = pathlib.Path(subprocess.run(["bazel", "info", "bazel-bin"], cwd=REPO, check=True,
                                        capture_output=True, text=True).stdout.strip())
  plugin = bin_dir / "rules/cortex_m/libinsn_count.so"
  print(f"{'core':<11} {'board':<11} {'flash B':>8} {'RAM B':>6} {'instructions':>13}")
  for core, machine in CORES.items():
    elf = bin_dir / PACKAGE / f"{TEST}_{core}_bin.elf"
    sizes = json.loads(elf.with_name(f"{TEST}_{core}_bin.size.json").read_text())
    counts = []
    for _ in range(2):  # Twice, to show the count repeats exactly.
      status, count = qemu_run.run(str(elf), machine, "qemu-system-arm", 30, str(elf),
                                   plugin=str(plugin), output=subprocess.DEVNULL)
      assert status == 0 and count, f"{elf} failed on {machine}"
      counts.append(count.total)
    repeat = "" if counts[0] == counts[1] else f"  (differs: {counts[1]})"
    print(f"{core:<11} {machine:<11} {sizes['flash_bytes']:>8} {sizes['ram_bytes']:>6} "
          f"{counts[0]:>13}{repeat}")


if __name__ == "__main__":
  main()
