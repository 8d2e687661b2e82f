"""Runs a Cortex-M ELF in qemu-system-arm: the test runner of cortex_m_test and the benchmarks.

The firmware's semihosting output goes to stdout and its exit status (main's
return value) becomes ours. A binary still running after --timeout_seconds is
killed and reported as hung; one stopped by a fault handler (status 3) is
reported as such. With --plugin, QEMU counts instructions (total, and between
the rules_tflm_bench_start/stop markers) and the count is printed as
`instructions: total T, between markers M, marker pairs P`.
"""

import dataclasses
import pathlib
import re
import subprocess
import sys
import tempfile

from absl import app
from absl import flags

from tools import common

_ELF = flags.DEFINE_string("elf", None, "The firmware ELF.", required=True)
_MACHINE = flags.DEFINE_string("machine", None, "QEMU board, e.g. mps2-an385.", required=True)
_QEMU = flags.DEFINE_string("qemu", "qemu-system-arm", "The QEMU command.")
_TIMEOUT = flags.DEFINE_float("timeout_seconds", 10, "Kill the run after this long.")
_PLUGIN = flags.DEFINE_string("plugin", None, "Instruction-count plugin (.so) to load.")
_NM = flags.DEFINE_string("nm", "arm-none-eabi-nm", "nm, to find the marker addresses.")
_LABEL = flags.DEFINE_string("label", None, "Name of the binary in messages.")

FAULT_EXIT_STATUS = 3
MARKERS = ("rules_tflm_bench_start", "rules_tflm_bench_stop")
_COUNTS = re.compile(r"instructions: total (\d+), between markers (\d+), marker pairs (\d+)")


@dataclasses.dataclass(frozen=True)
class Counts:
  total: int
  between_markers: int
  marker_pairs: int


def marker_addresses(nm_output: str) -> dict[str, int]:
  """Addresses of the bench markers in `nm` output; absent markers are left out."""
  found = {}
  for line in nm_output.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[2] in MARKERS:
      found[parts[2]] = int(parts[0], 16)
  return found


def qemu_command(qemu: str, machine: str, elf: str, plugin_args: str | None,
                 log: str | None) -> list[str]:
  """The command line that boots `elf` on `machine` with semihosting."""
  command = [qemu, "-M", machine, "-nographic", "-monitor", "none",
             "-semihosting-config", "enable=on,target=native", "-kernel", elf]
  if plugin_args:
    command += ["-plugin", plugin_args, "-d", "plugin", "-D", log]
  return command


def parse_counts(log: str) -> Counts | None:
  match = _COUNTS.search(log)
  return Counts(*map(int, match.groups())) if match else None


def run(elf: str, machine: str, qemu: str, timeout: float, label: str,
        plugin: str | None = None, nm: str = "arm-none-eabi-nm",
        output=None) -> tuple[int, Counts | None]:
  """Runs the firmware; its exit status and, with a plugin, the instruction counts.

  The firmware's output goes to `output` (a file or subprocess.DEVNULL), by
  default our stdout.
  """
  with tempfile.TemporaryDirectory() as tmp:
    log = str(pathlib.Path(tmp) / "plugin.log")
    plugin_args = None
    if plugin:
      symbols = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
      markers = marker_addresses(symbols)
      plugin_args = ",".join([str(pathlib.Path(plugin).resolve())] +
                             [f"{key}={markers[name]:#x}" for key, name in zip(("start", "stop"), MARKERS)
                              if name in markers])
    command = qemu_command(qemu, machine, elf, plugin_args, log)
    try:
      status = subprocess.run(command, timeout=timeout, stdin=subprocess.DEVNULL,
                              stdout=output).returncode
    except subprocess.TimeoutExpired:
      raise common.ToolError(
          f"{label} did not finish within {timeout:g} s on {machine} and was stopped: an endless "
          "loop or a hang (raise timeout_seconds if it is just slow).") from None
    except OSError as e:
      raise common.ToolError(f"cannot run {qemu}: {e.strerror}; install the Debian package "
                             "qemu-system-arm (./setup.sh does).") from None
    counts = parse_counts(pathlib.Path(log).read_text()) if plugin and pathlib.Path(log).exists() else None
  return status, counts


def main(argv: list[str]) -> None:
  del argv  # Unused.
  label = _LABEL.value or _ELF.value
  status, counts = run(_ELF.value, _MACHINE.value, _QEMU.value, _TIMEOUT.value, label,
                       _PLUGIN.value, _NM.value)
  sys.stdout.flush()
  if counts:
    print(f"instructions: total {counts.total}, between markers {counts.between_markers}, "
          f"marker pairs {counts.marker_pairs}")
  if status == FAULT_EXIT_STATUS:
    raise common.ToolError(f"{label} was stopped by a fault on {_MACHINE.value} (see the "
                           "fault report above).")
  if status != 0:
    print(f"qemu_run: {label} exited with status {status} on {_MACHINE.value}", file=sys.stderr)
  sys.exit(status)


if __name__ == "__main__":
  app.run(common.run_tool(main, "qemu_run"))
