"""Compares the ahead-of-time compiled models with the real TFLM interpreter on Cortex-M3.

For each model of ../shared/baselines/tflm-cortex-m3.json (TFLM's figures,
measured with the same GCC, flags and QEMU), builds our compiled C with
arm-none-eabi-gcc -Os -mcpu=cortex-m3 and rules_tflm's start-up code, runs it
in QEMU (mps2-an385) with our instruction-count plugin, and prints each figure
as a ratio to TFLM's:

  code flash    kernels + generated code (machine code only)
  parameters    precomputed multipliers, shifts and shapes (no ratio: TFLM computes them in RAM)
  weights       the model's constant arrays, against the .tflite's size
  RAM           arena + static data, against TFLM's arena used + statics
  instructions  per inference: N times (set the fixed input, invoke) between the markers, / N
  output        for input byte i = ((i * 37 + 11) % 256) - 128, against TFLM's

Models with ops the compiler does not support yet are listed as such.
Run from the repository root after `bazel build //rules/cortex_m:libinsn_count.so`:

    python bench/aot_vs_tflm.py [--baseline PATH]
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))

from tools import aot_compile, common, qemu_run, tflite_reader  # pylint: disable=wrong-import-position

MODELS = {"hello_world_int8": "hello_world_int8.tflite",
          "micro_speech_quantized": "micro_speech_quantized.tflite",
          "person_detect": "person_detect.tflite"}
# Inferences between the markers: fewer for the large model, which QEMU runs slowly.
INFERENCES = {"hello_world_int8": 10, "micro_speech_quantized": 4, "person_detect": 2}
FLAGS = ["-Os", "-mthumb", "-ffunction-sections", "-fdata-sections", "-ffp-contract=off", "-std=c99"]
# Core -> (QEMU board, flags); the baseline is Cortex-M3, M4 and M7 are printed alongside.
CORES = {
    "cortex-m3": ("mps2-an385", ["-mcpu=cortex-m3"]),
    "cortex-m4": ("mps2-an386", ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]),
    "cortex-m7": ("mps2-an500", ["-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16"]),
}

_MAIN_TEMPLATE = """
#include <stdio.h>
#include "model.h"
#include "rules/cortex_m/bench_markers.h"
static void set_input(void) {
  for (unsigned i = 0; i < MODEL_INPUT_BYTES; i++) ((unsigned char *)model_input())[i] = (unsigned char)(((i * 37 + 11) %% 256) - 128);
}
int main(void) {
  /* The arena reuses the input's memory once it is read: set it every time
     (counted, a few instructions per input byte). */
  rules_tflm_bench_start();
  for (int n = 0; n < %d; n++) {
    set_input();
    model_invoke();
  }
  rules_tflm_bench_stop();
  printf("output:");
  for (unsigned i = 0; i < MODEL_OUTPUT_BYTES; i++) printf(" %%d", ((const signed char *)model_output())[i]);
  printf("\\n");
  return 0;
}
"""


def _symbol_sizes(nm: str, path: pathlib.Path) -> dict[str, tuple[str, int]]:
  out = subprocess.run([nm, "-S", "--defined-only", str(path)], capture_output=True, text=True,
                       check=True).stdout
  sizes = {}
  for line in out.splitlines():
    parts = line.split()
    if len(parts) == 4:
      sizes[parts[3]] = (parts[2].lower(), int(parts[1], 16))
  return sizes


def measure(model_path: pathlib.Path, plugin: pathlib.Path, tmp: pathlib.Path, inferences: int,
            core: str = "cortex-m3") -> dict:
  model = tflite_reader.read_model_file(str(model_path))
  generated = aot_compile.compile_model(model, "model", model_path.name, "model.h")
  (tmp / "model.h").write_text(generated.header)
  (tmp / "model.c").write_text(generated.source)
  (tmp / "main.c").write_text(_MAIN_TEMPLATE % inferences)
  ld = tmp / "m3.ld"
  template = (REPO / "rules/cortex_m/cortex_m.ld.tpl").read_text()
  machine, core_flags = CORES[core]
  flags = FLAGS + core_flags
  for key, value in {"board": machine, "cpu": core, "flash_origin": "0",
                     "flash_length": str(4 << 20), "ram_origin": str(0x20000000),
                     "ram_length": str(4 << 20), "stack_size": "16384", "heap_size": "16384"}.items():
    template = template.replace("%{" + key + "}", value)
  ld.write_text(template)
  ours = [tmp / "model.c", *sorted((REPO / "runtime").glob("*.c"))]
  objects = []
  for source in ours:
    obj = tmp / (source.stem + ".o")
    subprocess.run(["arm-none-eabi-gcc", *flags, "-I", str(tmp), "-I", str(REPO), "-c",
                    str(source), "-o", str(obj)], check=True)
    objects.append(obj)
  elf = tmp / "bench.elf"
  subprocess.run(["arm-none-eabi-gcc", *flags, "-I", str(tmp), "-I", str(REPO), "-nostartfiles",
                  "--specs=nano.specs", "--specs=rdimon.specs", "-Wl,--gc-sections", "-T", str(ld),
                  str(REPO / "rules/cortex_m/startup.c"), str(REPO / "rules/cortex_m/bench_markers.c"),
                  str(tmp / "main.c"), *map(str, objects), "-o", str(elf)], check=True)
  linked = _symbol_sizes("arm-none-eabi-nm", elf)
  code = weights = params = ram = 0
  for obj in objects:
    for name in _symbol_sizes("arm-none-eabi-nm", obj):
      if name not in linked:
        continue  # dropped by --gc-sections
      kind, size = linked[name]
      if kind in "t":
        code += size
      elif kind in "r" and re.fullmatch(r"t\d+|op\d+_bias", name):
        weights += size  # weight and bias arrays (biases with the input offset folded in)
      elif kind in "r":
        params += size  # precomputed multipliers, shifts and shapes
      elif kind in "bd":
        ram += size
  with tempfile.TemporaryFile("w+") as out:
    status, counts = qemu_run.run(str(elf), machine, "qemu-system-arm", 1200, str(elf),
                                  plugin=str(plugin), output=out)
    out.seek(0)
    printed = out.read()
  assert status == 0 and counts, f"{elf} failed: {printed}"
  output = [int(v) for v in printed.split("output:")[1].split()]
  return {"code": code, "weights": weights, "params": params, "ram": ram,
          "instructions": counts.between_markers / inferences, "output": output}


def main() -> None:
  parser = argparse.ArgumentParser()
  parser.add_argument("--baseline", default=str(REPO.parent / "shared/baselines/tflm-cortex-m3.json"))
  parser.add_argument("--models", default=str(REPO.parent / "shared/models"))
  args = parser.parse_args()
  baseline = json.loads(pathlib.Path(args.baseline).read_text())["models"]
  bin_dir = subprocess.run(["bazel", "info", "bazel-bin"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.strip()
  plugin = pathlib.Path(bin_dir) / "rules/cortex_m/libinsn_count.so"
  for name, file in MODELS.items():
    tflm = baseline[name]
    with tempfile.TemporaryDirectory() as tmp:
      try:
        ours = measure(pathlib.Path(args.models) / file, plugin, pathlib.Path(tmp), INFERENCES[name])
      except common.ToolError as e:
        print(f"{name}: not compiled yet: {e}")
        continue
    tflm_ram = tflm["arena_used_bytes"] + tflm["interpreter_static_ram_bytes"]
    print(f"{name} on Cortex-M3, rules_tflm AOT vs TFLM (reference kernels):")
    print(f"  code flash    {ours['code']:>10} B vs {tflm['tflm_code_flash_bytes']:>10} B   "
          f"{ours['code'] / tflm['tflm_code_flash_bytes']:.3f}x")
    print(f"  weights       {ours['weights']:>10} B vs {tflm['model_bytes']:>10} B   "
          f"{ours['weights'] / tflm['model_bytes']:.3f}x (model file)")
    print(f"  parameters    {ours['params']:>10} B (precomputed multipliers, shifts, shapes)")
    print(f"  RAM           {ours['ram']:>10} B vs {tflm_ram:>10} B   {ours['ram'] / tflm_ram:.3f}x")
    print(f"  instructions  {ours['instructions']:>10.0f}   vs {tflm['instructions_per_inference']:>10}     "
          f"{ours['instructions'] / tflm['instructions_per_inference']:.3f}x per inference")
    same = "equal" if ours["output"] == tflm["output_int8"] else "DIFFERENT"
    print(f"  output        {ours['output']} vs {tflm['output_int8']}: {same}")
    for core in ("cortex-m4", "cortex-m7"):
      with tempfile.TemporaryDirectory() as tmp:
        other = measure(pathlib.Path(args.models) / file, plugin, pathlib.Path(tmp), INFERENCES[name],
                        core)
      print(f"  {core}     {other['instructions']:>10.0f} instructions per inference, code "
            f"{other['code']} B, output {other['output']}")


if __name__ == "__main__":
  main()
