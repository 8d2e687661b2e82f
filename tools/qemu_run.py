"""Runs a Cortex-M ELF in qemu-system-arm: the test runner of cortex_m_test and the benchmarks.

The firmware's semihosting output goes to stdout and its exit status (main's
return value) becomes ours. A binary still running after its timeout is
killed and reported as hung; one stopped by a fault handler (status 3) is
reported as such. With the plugin, QEMU counts instructions (total, and between
the rules_tflm_bench_start/stop markers) and the count is printed as
`instructions: total T, between markers M, marker pairs P`. A firmware that
also has the rules_tflm_layer_begin/end markers gets each layer region
counted (Counts.layers, in the order they ran).
"""

import dataclasses
import pathlib
import re
import subprocess
import sys
import tempfile

from tools import common

FAULT_EXIT_STATUS = 3
MARKERS = ("rules_tflm_bench_start", "rules_tflm_bench_stop")
LAYER_MARKERS = ("rules_tflm_layer_begin", "rules_tflm_layer_end")
# The plugin's argument for the address of each marker.
_PLUGIN_KEYS = dict(zip(MARKERS + LAYER_MARKERS, ("start", "stop", "layer_start", "layer_stop")))
_COUNTS = re.compile(r"instructions: total (\d+), between markers (\d+), marker pairs (\d+)")
_LAYERS = re.compile(r"^layers: (\d+)((?: \d+)*)$", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Counts:
  total: int
  between_markers: int
  marker_pairs: int
  layers: tuple[int, ...] = ()  # instructions of each layer region, in the order they ran


def marker_addresses(nm_output: str) -> dict[str, int]:
  """Addresses of the bench and layer markers in `nm` output; absent markers are left out."""
  found = {}
  for line in nm_output.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[2] in _PLUGIN_KEYS:
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
  if not match:
    return None
  layers = _LAYERS.search(log)
  counts = tuple(int(v) for v in layers.group(2).split()) if layers else ()
  if layers and len(counts) != int(layers.group(1)):
    raise common.ToolError(f"the instruction-count plugin logged {layers.group(1)} layers but "
                           f"{len(counts)} counts: its log is cut short")
  return Counts(*map(int, match.groups()), layers=counts)


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
      try:
        symbols = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
      except OSError as e:
        raise common.ToolError(f"cannot run {nm} to find the markers of {label}: {e.strerror}; "
                               "install the Debian package gcc-arm-none-eabi (./setup.sh does).") from None
      except subprocess.CalledProcessError as e:
        raise common.ToolError(f"{nm} cannot read the symbols of {label} ({elf}): "
                               f"{e.stderr.strip()}") from None
      markers = marker_addresses(symbols)
      plugin_args = ",".join([str(pathlib.Path(plugin).resolve())] +
                             [f"{_PLUGIN_KEYS[name]}={address:#x}" for name, address in markers.items()])
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


def run_test(elf: str, machine: str, qemu: str = "qemu-system-arm", timeout: float = 10,
             label: str | None = None, plugin: str | None = None,
             nm: str = "arm-none-eabi-nm") -> int:
  """Runs the firmware as a test: its exit status, after the instruction counts if any.

  A fault is a ToolError; another non-zero status is said on stderr.
  """
  label = label or elf
  status, counts = run(elf, machine, qemu, timeout, label, plugin, nm)
  sys.stdout.flush()
  if counts:
    print(f"instructions: total {counts.total}, between markers {counts.between_markers}, "
          f"marker pairs {counts.marker_pairs}")
    if counts.layers:
      print(f"layers: {len(counts.layers)} {' '.join(map(str, counts.layers))}")
  if status == FAULT_EXIT_STATUS:
    raise common.ToolError(f"{label} was stopped by a fault on {machine} (see the fault report "
                           "above).")
  if status != 0:
    print(f"qemu_run: {label} exited with status {status} on {machine}", file=sys.stderr)
  return status


if __name__ == "__main__":
  common.exit_as_library("qemu_run")
