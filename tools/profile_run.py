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
import re
import subprocess

from tools import common
from tools import qemu_run

# The names the ahead-of-time compiler gives a model's weight and bias arrays (tN, or
# opN_filter / opN_bias where it rearranged them) and its other constants (opN_...).
WEIGHTS = re.compile(r"t\d+|op\d+_(bias|filter)")
_MODEL_CONSTANTS = re.compile(r"op\d+_\w+")


def symbol_sizes(nm: str, path: str, label: str) -> dict[str, tuple[str, int]]:
  """Each sized symbol of an object or ELF file: its nm kind, lower-cased, and size."""
  try:
    listing = subprocess.run([nm, "-S", "--defined-only", path], capture_output=True, text=True,
                             check=True).stdout
  except (OSError, subprocess.CalledProcessError) as e:
    raise common.ToolError(f"cannot list the symbols of {label} with {nm}: {e}") from None
  sizes = {}
  for line in listing.splitlines():
    parts = line.split()
    if len(parts) == 4:  # symbols without a size have three
      sizes[parts[3]] = (parts[2].lower(), int(parts[1], 16))
  return sizes


def flash_parts(nm: str, elf: str, prefix: str, label: str) -> dict:
  """The model's weights, and its other constants and generated code (functions named
  `<prefix>_...`), in the program's flash, from its symbols."""
  weights = model = 0
  for name, (kind, size) in symbol_sizes(nm, elf, label).items():
    if kind == "r" and WEIGHTS.fullmatch(name):
      weights += size
    elif (kind == "r" and _MODEL_CONSTANTS.fullmatch(name)) or (
        kind == "t" and name.startswith(prefix + "_")):
      model += size
  return {"weights_bytes": weights, "model_bytes": model}


def profile(system: str, core: str, elf: str, machine: str, size_report: str,
            board_flash_bytes: int, board_ram_bytes: int, plugin: str, label: str,
            qemu: str = "qemu-system-arm", nm: str = "arm-none-eabi-nm",
            timeout: float = 600, aot_prefix: str | None = None) -> dict:
  """The counts of one run of `system` ("aot", "tflm_reference", "tflm_cmsis_nn") on `core`
  (see the module's docstring); for the AOT code (`aot_prefix`, its C prefix), what of the
  flash is the model's (flash_parts)."""
  sizes = json.loads(open(size_report, encoding="utf-8").read())
  result = {"system": system, "core": core, "machine": machine, "flash_bytes": sizes["flash_bytes"],
            "ram_bytes": sizes["ram_bytes"], "board_flash_bytes": board_flash_bytes,
            "board_ram_bytes": board_ram_bytes}
  if aot_prefix:
    result["flash_parts"] = flash_parts(nm, elf, aot_prefix, label)
  if not sizes["fits"]:
    return dict(result, does_not_fit=sizes["does_not_fit"])
  status, counts = qemu_run.run(elf, machine, qemu, timeout, label, plugin, nm,
                                output=subprocess.DEVNULL)
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
