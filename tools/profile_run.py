"""Runs a profiling build of a model in QEMU: its instructions in all and per layer.

The program (tflm_model_report builds one per core, for the AOT code and for
TFLM) runs one inference between the rules_tflm_bench_start/stop markers, each
layer between rules_tflm_layer_begin/end (runtime/profile.h's hooks call them,
or a TFLM profiler). The result,
for tools/model_report.py: the core, the program's flash and RAM (its size
report) next to the board's, and either the instruction counts or, for a
program its board cannot hold, why it does not fit.
"""

import json

from tools import common
from tools import qemu_run


def profile(system: str, core: str, elf: str, machine: str, size_report: str,
            board_flash_bytes: int, board_ram_bytes: int, plugin: str, label: str,
            qemu: str = "qemu-system-arm", nm: str = "arm-none-eabi-nm",
            timeout: float = 600) -> dict:
  """The counts of one run of `system` ("aot", "tflm_reference", "tflm_cmsis_nn") on `core`
  (see the module's docstring)."""
  sizes = json.loads(open(size_report, encoding="utf-8").read())
  result = {"system": system, "core": core, "machine": machine, "flash_bytes": sizes["flash_bytes"],
            "ram_bytes": sizes["ram_bytes"], "board_flash_bytes": board_flash_bytes,
            "board_ram_bytes": board_ram_bytes}
  if not sizes["fits"]:
    return dict(result, does_not_fit=sizes["does_not_fit"])
  with open("/dev/null", "w", encoding="utf-8") as quiet:
    status, counts = qemu_run.run(elf, machine, qemu, timeout, label, plugin, nm, output=quiet)
  if status != 0 or not counts or counts.marker_pairs != 1:
    raise common.ToolError(f"{label} did not run one inference on {machine} (exit status {status}"
                           f"{'' if counts else ', no instruction counts'}); build it with "
                           "tflm_model_report, whose program calls the markers once")
  return dict(result, instructions=counts.between_markers, layers=list(counts.layers))


def write(output: str, **options) -> dict:
  """Profiles (see `profile`) and writes the result as JSON, or nothing on an error."""
  with common.Outputs(output) as outputs:
    result = profile(**options)
    outputs.write(output, json.dumps(result, indent=1) + "\n")
  return result
