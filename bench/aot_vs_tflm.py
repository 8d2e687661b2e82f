"""Compares the ahead-of-time compiled models with the real TFLM interpreter, all built in this run.

For every model and core of bench/aot_vs_tflm_models.bzl (ten models, the
six Cortex-M cores; --models and --cores pick some) it measures three systems, built with the same
arm-none-eabi-gcc, the same flags (-Os -DNDEBUG, see FLAGS below), the same
start-up code (rules/cortex_m/startup.c), QEMU board and instruction counter:

  tflm_reference  TFLM's interpreter with its reference kernels
  tflm_cmsis_nn   TFLM's interpreter with its CMSIS-NN kernels (reference
                  kernels for the ops CMSIS-NN lacks, as TFLM's build does)
  aot             the model compiled ahead of time by tools/aot/ (//tools:aot_compile)

TFLM comes from the sources in $RULES_TFLM_THIRD_PARTY (../shared/third_party):
one `bazel build --copt=-DNDEBUG //bench:tflm_binaries` compiles it with
rules_tflm's Cortex-M toolchain (bench/BUILD, bench/tflm_bench.cc), in its own
output base so that it never waits for, or blocks, another Bazel server on
this checkout. The AOT side is compiled here, as before, with the flags below.

Figures, per core and model:

  instructions  per inference: N times (set the fixed input, invoke) between
                rules_tflm_bench_start/stop, counted by rules_tflm's QEMU
                plugin, / N. Input byte i = ((i * 37 + 11) % 256) - 128.
  code flash    TFLM: machine code, read-only data and .data initial values
                of TFLM's and CMSIS-NN's objects and of the harness (the op
                resolver and interpreter code it instantiates, main), summed
                over the input sections the linker map lists (the model array,
                start-up code, newlib, libgcc and libm left out). The map comes
                from relinking Bazel's exact link command, which must give a
                byte-identical ELF.
                AOT: machine code of the generated model and runtime/ kept by
                --gc-sections; its precomputed parameters and weights apart.
  RAM           TFLM: arena used (arena_used_bytes() after the inferences) +
                .data and .bss of TFLM's objects and the harness (the
                interpreter and op resolver objects included; the arena
                array excluded). AOT: .data and .bss of its objects (its arena
                included).
  outputs       the int8 outputs for the fixed input; equal when all systems
                that ran agree byte for byte.
  floor         the model's multiply-accumulates (tools/analyze.py) / the
                MACs per instruction of the core's widest multiply-accumulate
                (MACS_PER_INSTRUCTION): a bound no code reaches, and AOT's
                distance to it.

A program too big for its board (the microbit's 256 KiB of flash and 16 KiB of
RAM, with stack and heap) is not run: the table says "does not fit" and the
JSON gives the numbers. A model the AOT compiler does not support says so.
Results go to bench/aot_vs_tflm.json (stable order, no timings) and a
Markdown table on stdout. ../shared/baselines/tflm-cmsis-nn-5-cores.json, if
present, is printed as a cross-check only. From the repository root:

    ~/.cache/rules_tflm/venv/bin/python3 bench/aot_vs_tflm.py
"""

import concurrent.futures
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import types

from absl import app
from absl import flags

REPO = pathlib.Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))

from tools import analyze, common, cores, firmware_size, profile_run, progress, qemu_run, tflite_reader  # pylint: disable=wrong-import-position
from tools.aot import compiler  # pylint: disable=wrong-import-position


def _read_starlark_data(path: pathlib.Path) -> dict:
  """The globals of a .bzl file that is plain data (dicts, lists, struct()), read as Python."""
  scope = {"struct": types.SimpleNamespace}
  exec(compile(path.read_text(), str(path), "exec"), scope)  # pylint: disable=exec-used
  return scope


_BENCH = _read_starlark_data(REPO / "bench/aot_vs_tflm_models.bzl")
MODELS = _BENCH["BENCH_MODELS"]
CORE_NAMES = _BENCH["BENCH_CORES"]
KERNEL_SETS = _BENCH["BENCH_KERNEL_SETS"]
# Core -> board, cpu flags, memory: the table the Bazel rules use.
CORES = cores.read_cores(REPO)

_THIRD_PARTY = flags.DEFINE_string(
    "third_party", os.environ.get("RULES_TFLM_THIRD_PARTY", str(REPO.parent / "shared/third_party")),
    "The folder of TFLM's sources (tflite-micro/, cmsis-nn/, ...).")
_OUTPUT_BASE = flags.DEFINE_string("output_base", str(pathlib.Path.home() / ".cache/bazel_bench"),
                                   "Bazel output base of the benchmark's own server.")
_RESULTS = flags.DEFINE_string("results", str(REPO / "bench/aot_vs_tflm.json"),
                               "Where the JSON results go.")
_BASELINE = flags.DEFINE_string(
    "baseline", str(REPO.parent / "shared/baselines/tflm-cmsis-nn-5-cores.json"),
    "Hand-measured figures, printed as a cross-check if the file exists.")
_JOBS = flags.DEFINE_integer("jobs", os.cpu_count() or 1, "QEMU runs and AOT builds at a time.")
_MODELS = flags.DEFINE_list("models", list(MODELS), "Which models of the table to measure.")
_CORES = flags.DEFINE_list("cores", CORE_NAMES, "Which cores to measure on.")

SYSTEMS = ["tflm_reference", "tflm_cmsis_nn", "aot"]
SYSTEM_TITLES = {"tflm_reference": "TFLM ref", "tflm_cmsis_nn": "TFLM+CMSIS-NN", "aot": "AOT"}

# The AOT side's flags (with each core's cpu flags). TFLM gets the same -Os,
# -mthumb, -ffunction-sections and -fdata-sections from rules_tflm's Cortex-M
# toolchain (rules/private/cortex_m_toolchain.bzl) and -DNDEBUG from BAZEL_FLAGS.
FLAGS = ["-Os", "-DNDEBUG", "-mthumb", "-ffunction-sections", "-fdata-sections",
         "-ffp-contract=off", "-std=c99"]
# As TFLM's release builds: without NDEBUG its checks stay in the inner loops
# (about twice the instructions with the reference kernels).
BAZEL_FLAGS = ["--copt=-DNDEBUG"]
TFLM_TARGETS = ["//bench:tflm_binaries", "//rules/cortex_m:libinsn_count.so"]
# Output sections in flash and in RAM (rules/cortex_m/cortex_m.ld.tpl), as tools/firmware_size.py counts;
# the code flash of TFLM's objects is summed over these in the link map.
FLASH_SECTIONS = firmware_size.FLASH_SECTIONS
RAM_SECTIONS = firmware_size.RAM_SECTIONS
QEMU_TIMEOUT_SECONDS = 1200
# int8 multiply-accumulates per instruction of each core's widest instruction
# for them: MULS + ADDS (Cortex-M0), MLA (M3), SMLAD's two (M4, M7, M33), and
# MVE's VMLADAVA.S8 over 16 lanes (M55). MACs / this is the floor.
MACS_PER_INSTRUCTION = {"cortex-m0": 0.5, "cortex-m3": 1, "cortex-m4": 2, "cortex-m7": 2,
                        "cortex-m33": 2, "cortex-m55": 16}

_MAIN_TEMPLATE = """
#include <stdio.h>
#include "model.h"
#include "rules/cortex_m/bench_markers.h"
#ifdef TFLM_RT_PROFILE
/* runtime/profile.h's hooks: the markers the plugin counts each layer between. */
void tflm_rt_layer_begin(int op) { (void)op; rules_tflm_layer_begin(); }
void tflm_rt_layer_end(int op) { (void)op; rules_tflm_layer_end(); }
#endif
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


def model_path(model: str, bazel: "Bazel") -> pathlib.Path:
  """The .tflite of a model of the table: the file its Bazel label names in the checkout, or
  the one a tflite_model target built in the bench's run."""
  label = MODELS[model]["model"]
  package, name = label[2:].split(":")
  if (REPO / package / name).is_file():
    return REPO / package / name
  return bazel.info()["execution_root"] / bazel.output_file(label)


def tflm_binary(model: str, kernels: str, core: str) -> str:
  """The target name bench/aot_vs_tflm.bzl gives the binary (tflm_bench_binary there)."""
  return f"tflm_{model}_{kernels}_{core}"


def size_report(elf: pathlib.Path, core: str) -> dict:
  """tools/firmware_size's report of an ELF on `core`'s board, as cortex_m_binary writes it."""
  board = CORES[core]
  return firmware_size.measure(str(elf), "arm-none-eabi-size", elf.name, board=board.machine,
                               board_flash_bytes=board.flash_length,
                               board_ram_bytes=board.ram_length, stack_bytes=board.stack_size,
                               board_check="report")


def misfit(report: dict) -> str | None:
  """What of a program does not fit its board ("needs ... bytes of RAM ..."), from its size report."""
  if report["fits"]:
    return None
  why = report["does_not_fit"]
  return why[why.find("needs"):] if "needs" in why else why


def measure(model_path: pathlib.Path, plugin: pathlib.Path, tmp: pathlib.Path, inferences: int,
            core: str = "cortex-m3", profile: bool = False) -> dict:
  """The AOT side: compiles the model and runtime/ for `core`, links, runs it in QEMU.

  Raises common.ToolError when the compiler does not support the model. A
  program too big for the board is not run: "does_not_fit" says why. With
  `profile`, a profiling build (-DTFLM_RT_PROFILE) whose "layers" are the ops
  that run code, in order, and "layer_counts" the plugin's count of each layer
  region, all inferences in a row.
  """
  model = tflite_reader.read_model_file(str(model_path))
  generated = compiler.compile_model(model, "model", model_path.name, "model.h")
  (tmp / "model.h").write_text(generated.header)
  (tmp / "model.c").write_text(generated.source)
  (tmp / "main.c").write_text(_MAIN_TEMPLATE % inferences)
  ld = tmp / "board.ld"
  template = (REPO / "rules/cortex_m/cortex_m.ld.tpl").read_text()
  board = CORES[core]
  flags = FLAGS + board.cpu_flags + (["-DTFLM_RT_PROFILE"] if profile else [])
  for key, value in {"board": board.machine, "cpu": core, "flash_origin": str(board.flash_origin),
                     "flash_length": str(board.flash_length), "ram_origin": str(board.ram_origin),
                     "ram_length": str(board.ram_length), "stack_size": str(board.stack_size),
                     "heap_size": str(board.heap_size)}.items():
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
  linked = profile_run.symbol_sizes("arm-none-eabi-nm", str(elf), str(elf))
  code = weights = params = ram = 0
  for obj in objects:
    for name in profile_run.symbol_sizes("arm-none-eabi-nm", str(obj), str(obj)):
      if name not in linked:
        continue  # dropped by --gc-sections
      kind, size = linked[name]
      if kind in "t":
        code += size
      elif kind in "r" and profile_run.WEIGHTS.fullmatch(name):
        weights += size  # weight and bias arrays (biases with the input offset folded in, filters reordered)
      elif kind in "r":
        params += size  # precomputed multipliers, shifts and shapes
      elif kind in "bd":
        ram += size
  report = size_report(elf, core)
  result = {"code": code, "weights": weights, "params": params, "ram": ram,
            "elf_flash": report["flash_bytes"], "elf_ram": report["ram_bytes"]}
  if misfit(report):
    return dict(result, does_not_fit=misfit(report))
  with tempfile.TemporaryFile("w+") as out:
    try:
      status, counts = qemu_run.run(str(elf), board.machine, "qemu-system-arm",
                                    QEMU_TIMEOUT_SECONDS, str(elf), plugin=str(plugin), output=out)
    except common.ToolError as e:  # a hang: not to be taken for "not compiled"
      raise RuntimeError(str(e)) from None
    out.seek(0)
    printed = out.read()
  if status != 0 or not counts:
    raise RuntimeError(f"{elf} failed on {board.machine} (status {status}): {printed}")
  output = [int(v) for v in printed.split("output:")[1].split()]
  return dict(result, instructions_between_markers=counts.between_markers,
              instructions=counts.between_markers / inferences, output=output,
              layers=generated.layers, layer_counts=counts.layers)


# --- TFLM, built by Bazel ---------------------------------------------------


class Bazel:
  """Runs bazel in its own output base, with the TFLM sources, as the benchmark needs it."""

  def __init__(self, output_base: pathlib.Path, third_party: pathlib.Path):
    self.startup = ["bazel", f"--output_base={output_base}", "--max_idle_secs=600"]
    self.env = dict(os.environ, RULES_TFLM_THIRD_PARTY=str(third_party))

  def run(self, command: str, args: list[str], capture: bool = False) -> str:
    # --symlink_prefix=/: no bazel-* links in the checkout, which point at the usual output base.
    extra = ["--symlink_prefix=/"] if command == "build" else []
    done = subprocess.run([*self.startup, command, *extra, *BAZEL_FLAGS, *args], cwd=REPO,
                          env=self.env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout if capture else ""

  def output_file(self, label: str) -> str:
    """The path, in the execution root, of the one file the target `label` builds."""
    expression = "target.files.to_list()[0].path"
    return self.run("cquery", ["--output=starlark", f"--starlark:expr={expression}", label],
                    capture=True).strip()

  def info(self) -> dict[str, pathlib.Path]:
    out = self.run("info", ["bazel-bin", "execution_root"], capture=True)
    return {key: pathlib.Path(value.strip()) for key, value in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}

  def link_commands(self) -> dict[str, list[str]]:
    """Binary name -> the link command line of its ELF (run in the execution root)."""
    query = 'mnemonic("CppLink", filter("_cc$", deps(//bench:tflm_binaries)))'
    graph = json.loads(self.run("aquery", ["--output=jsonproto", query], capture=True))
    commands = {}
    for action in graph.get("actions", []):
      args = action["arguments"]
      if not args[0].endswith("gcc") or "-o" not in args:
        continue
      output = args[args.index("-o") + 1]
      # aquery lists the arguments and then the params file that holds them again.
      args = [a for a in args if not (a.startswith("@") and a.endswith(".params"))]
      commands[pathlib.PurePath(output).name.removesuffix("_cc")] = args
    return commands

  def compile_flags(self) -> list[str]:
    """The flags Bazel compiled one TFLM source with (micro_interpreter.cc, Cortex-M3), paths left out."""
    query = ('mnemonic("CppCompile", filter("@tflm//:micro", deps(//bench:'
             f'{tflm_binary("hello_world_int8", "reference", "cortex-m3")})))')
    graph = json.loads(self.run("aquery", ["--output=jsonproto", query], capture=True))
    for action in graph.get("actions", []):
      args = action["arguments"]
      if any(a.endswith("/micro_interpreter.cc") for a in args):
        kept, skip = [], False
        for a in args[1:]:
          if skip:
            skip = False
          elif a in ("-iquote", "-isystem", "-I", "-MF", "-o", "-c"):
            skip = True
          elif a.startswith("-") and not a.startswith(("-I", "-MD", "-frandom-seed", "-D__DATE__",
                                                        "-D__TIME")):
            kept.append(a)
        return kept
    return []


def parse_map(text: str) -> list[tuple[str, str, int, str]]:
  """(output section, input section, bytes, file) for each input section of a GNU ld map."""
  rows, output, pending = [], None, None
  for line in text[text.find("Linker script and memory map"):].splitlines()[1:]:
    if not line.strip():
      continue
    if not line[0].isspace():  # an output section (or LOAD, OUTPUT(...), ...)
      head = re.match(r"(\.\S+)", line)
      output, pending = (head.group(1) if head else None), None
      continue
    # " .text.name  0xADDR  0xSIZE  file", or the name alone and the rest on the next line.
    full = re.match(r" (\.\S+|COMMON)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
    alone = re.match(r" (\.\S+|COMMON)\s*$", line)
    wrapped = re.match(r"\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$", line)
    if full and output:
      rows.append((output, full.group(1), int(full.group(2), 16), full.group(3)))
    elif wrapped and pending and output:
      rows.append((output, pending, int(wrapped.group(1), 16), wrapped.group(2)))
    pending = alone.group(1) if alone else None
  return rows


def origin(path: str) -> str:
  """Which part of the program a linker-map input file is: tflm, harness, model, startup or libs."""
  if "/external/tflm/" in path:
    return "tflm"  # TFLM, CMSIS-NN, and the flatbuffers code inlined into them
  if path.endswith("/tflm_bench.o"):
    return "harness"  # bench/tflm_bench.cc
  if "/bench/" in path:
    return "model"  # the tflm_model_library: the model array
  if "/rules/cortex_m/" in path:
    return "startup"  # start-up code and bench markers
  return "libs"  # newlib, libgcc, libm, rdimon


def tflm_sizes(rows: list[tuple[str, str, int, str]]) -> dict[str, int]:
  """Code flash, machine code, statics and harness bytes of a TFLM binary, from its map rows."""
  sizes = {"code_flash_bytes": 0, "code_text_bytes": 0, "harness_flash_bytes": 0,
           "static_ram_bytes": 0, "model_array_bytes": 0}
  for output, section, size, path in rows:
    part = origin(path)
    if part == "model" and output in FLASH_SECTIONS:
      sizes["model_array_bytes"] += size
    if part not in ("tflm", "harness"):
      continue
    if output in FLASH_SECTIONS:
      sizes["code_flash_bytes"] += size
      if part == "harness":
        sizes["harness_flash_bytes"] += size
      if output == ".text":
        sizes["code_text_bytes"] += size
    if output in RAM_SECTIONS and "bench_tensor_arena" not in section:
      sizes["static_ram_bytes"] += size
  return sizes


def run_tflm(model: str, kernels: str, core: str, bin_dir: pathlib.Path, execroot: pathlib.Path,
             link: list[str], plugin: pathlib.Path) -> dict:
  """One TFLM binary: sizes from its relinked map and size report, and, if it fits, a QEMU run."""
  name = tflm_binary(model, kernels, core)
  elf = bin_dir / "bench" / f"{name}.elf"
  report = json.loads((bin_dir / "bench" / f"{name}.size.json").read_text())
  with tempfile.TemporaryDirectory() as tmp:
    relinked, link_map = pathlib.Path(tmp) / "relinked.elf", pathlib.Path(tmp) / "link.map"
    command = list(link)
    command[command.index("-o") + 1] = str(relinked)
    subprocess.run([*command, f"-Wl,-Map={link_map}"], cwd=execroot, check=True)
    if relinked.read_bytes() != elf.read_bytes():
      raise RuntimeError(f"relinking {name} for its map gave another ELF than Bazel's {elf}")
    sizes = tflm_sizes(parse_map(link_map.read_text()))
  result = dict(sizes, elf_flash_bytes=report["flash_bytes"], elf_ram_bytes=report["ram_bytes"])
  if misfit(report):
    return dict(result, does_not_fit=misfit(report))
  inferences = MODELS[model]["inferences"]
  with tempfile.TemporaryFile("w+") as out:
    status, counts = qemu_run.run(str(elf), CORES[core].machine, "qemu-system-arm",
                                  QEMU_TIMEOUT_SECONDS, name, plugin=str(plugin), output=out)
    out.seek(0)
    printed = out.read()
  if status != 0 or not counts:
    raise RuntimeError(f"{name} failed on {CORES[core].machine} (status {status}): {printed}")
  fields = dict(re.findall(r"^(\w+): (.*)$", printed, re.M))
  if fields["kernels"] not in (kernels, "unknown"):
    raise RuntimeError(f"{name} says it ran {fields['kernels']} kernels, not {kernels}")
  used, allocated = (int(v) for v in fields["arena_used_bytes"].split(" of "))
  return dict(result, arena_used_bytes=used, arena_allocated_bytes=allocated,
              ram_bytes=used + sizes["static_ram_bytes"], inferences=inferences,
              instructions_between_markers=counts.between_markers,
              instructions_per_inference=round(counts.between_markers / inferences, 1),
              output_int8=[int(v) for v in fields["output"].split()])


def run_aot(model: str, tflite: pathlib.Path, core: str, plugin: pathlib.Path) -> dict:
  inferences = MODELS[model]["inferences"]
  with tempfile.TemporaryDirectory() as tmp:
    try:
      ours = measure(tflite, plugin, pathlib.Path(tmp), inferences, core)
    except common.ToolError as e:
      return {"not_compiled": str(e)}
  result = {"code_flash_bytes": ours["code"], "params_bytes": ours["params"],
            "weights_bytes": ours["weights"], "ram_bytes": ours["ram"],
            "elf_flash_bytes": ours["elf_flash"], "elf_ram_bytes": ours["elf_ram"]}
  if "does_not_fit" in ours:
    return dict(result, does_not_fit=ours["does_not_fit"])
  return dict(result, inferences=inferences,
              instructions_between_markers=ours["instructions_between_markers"],
              instructions_per_inference=round(ours["instructions"], 1),
              output_int8=ours["output"])


def _reporting_failure(function, *args) -> dict:
  """function(*args), or {"failed": why} when a build step or run fails: the table shows it."""
  try:
    return function(*args)
  except (RuntimeError, subprocess.CalledProcessError, common.ToolError) as e:
    return {"failed": " ".join(str(e).split())}


# --- Results ----------------------------------------------------------------

# Figure -> the key of each system that holds it.
FIGURES = {
    "instructions": "instructions_per_inference",
    "code_flash": "code_flash_bytes",
    "ram": "ram_bytes",
}


def compare(entry: dict) -> None:
  """Adds the outputs' agreement and AOT's ratios to a core x model entry."""
  ran = {s: entry[s]["output_int8"] for s in SYSTEMS if "output_int8" in entry[s]}
  reference = ran.get("tflm_reference")
  entry["outputs_equal"] = len(set(map(tuple, ran.values()))) == 1 if len(ran) > 1 else None
  differences = {}
  for system, output in ran.items():
    if reference is not None and system != "tflm_reference" and output != reference:
      diff = [abs(a - b) for a, b in zip(output, reference)]
      differences[system] = {"elements_differing": sum(d > 0 for d in diff),
                             "max_abs_difference": max(diff)}
  if differences:
    entry["differences_from_tflm_reference"] = differences
  aot = entry["aot"]
  for tflm in ("tflm_reference", "tflm_cmsis_nn"):
    ratios = {}
    for figure, key in FIGURES.items():
      if key in aot and key in entry[tflm] and entry[tflm][key]:
        ratios[figure] = round(aot[key] / entry[tflm][key], 3)
    entry[f"aot_over_{tflm}"] = ratios


def model_facts(tflite: pathlib.Path) -> dict:
  """The multiply-accumulates of one inference and the bytes of constant tensors, as
  tools/analyze.py counts them."""
  report = analyze.describe(tflite_reader.read_model_file(str(tflite)), str(tflite))
  return {"macs": report["macs"], "model_weights_bytes": report["constant_bytes"]}


def floor(entry: dict, facts: dict, core: str) -> None:
  """Adds the model's MACs and weights, the core's floor and AOT's distance to it, and
  AOT's weights over the model's, to an entry."""
  entry.update(facts)
  entry["floor_instructions"] = round(facts["macs"] / MACS_PER_INSTRUCTION[core], 1)
  aot = entry["aot"].get("instructions_per_inference")
  if aot is not None and facts["macs"]:
    entry["aot_over_floor"] = round(aot / entry["floor_instructions"], 2)
  if "weights_bytes" in entry["aot"] and facts["model_weights_bytes"]:
    entry["aot_weights_over_model"] = round(
        entry["aot"]["weights_bytes"] / facts["model_weights_bytes"], 3)


# The Speed issue's targets, AOT over TFLM + CMSIS-NN (instructions: 0.8 on the
# Cortex-M55, 0.6 elsewhere; also 0.25 of TFLM's reference kernels on the M0
# and M3), and AOT's weights over the model's.
TARGETS = {"instructions": 0.6, "code_flash": 0.5, "ram": 0.6}
INSTRUCTION_TARGETS = {"cortex-m55": 0.8}
REFERENCE_TARGETS = {"cortex-m0": 0.25, "cortex-m3": 0.25}
WEIGHTS_TARGET = 1.05


def _worst(entries: dict, ratio) -> tuple[float, str] | None:
  """The largest ratio(entry) over the models that have one, and its model."""
  found = [(value, model) for model, entry in entries.items()
           if (value := ratio(entry)) is not None]
  return max(found) if found else None


def targets(results: dict) -> str:
  """A Markdown table: per core, the worst ratio of each target and whether it is met."""
  head = ["core", "instructions / CMSIS-NN", "instructions / TFLM ref", "code flash / CMSIS-NN",
          "RAM / CMSIS-NN", "weights / model"]
  lines = ["Targets (the worst of the models held to them, per core; met when every one is "
           "within):", "",
           "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
  for core, per_core in results["cores"].items():
    entries = {m: e for m, e in per_core["models"].items() if MODELS[m].get("targets", True)}
    checks = [
        (lambda e, f=figure: e["aot_over_tflm_cmsis_nn"].get(f),
         INSTRUCTION_TARGETS.get(core, TARGETS[figure]) if figure == "instructions"
         else TARGETS[figure]) for figure in TARGETS]
    checks.insert(1, (lambda e: e["aot_over_tflm_reference"].get("instructions"),
                      REFERENCE_TARGETS.get(core)))
    checks.append((lambda e: e.get("aot_weights_over_model"), WEIGHTS_TARGET))
    cells = [core]
    for ratio, target in checks:
      worst = _worst(entries, ratio) if target is not None else None
      cells.append("–" if worst is None else
                   f"{worst[0]:.3f}x ({worst[1]}; target {target}x: "
                   f"{'met' if worst[0] <= target else 'MISSED'})")
    lines.append("| " + " | ".join(cells) + " |")
  return "\n".join(lines) + "\n"


def to_json(value, indent: int = 0) -> str:
  """JSON with one key per line and lists of numbers on one line, for readable diffs."""
  pad, inner = " " * indent, " " * (indent + 1)
  if isinstance(value, dict):
    if not value:
      return "{}"
    items = [f"{inner}{json.dumps(k)}: {to_json(v, indent + 1)}" for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + pad + "}"
  if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
    return "[" + ", ".join(json.dumps(v) for v in value) + "]"
  if isinstance(value, list):
    return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in value) + "\n" + pad + "]"
  return json.dumps(value)


def _cell(system: dict, key: str) -> str:
  if "not_compiled" in system:
    return "not compiled"
  if "failed" in system:
    return "FAILED"
  if key not in system:
    return "does not fit"
  value = system[key]
  return f"{value:,.0f}" if isinstance(value, float) else f"{value:,}"


def _ratio(entry: dict, tflm: str, figure: str) -> str:
  ratio = entry[f"aot_over_{tflm}"].get(figure)
  return f"{ratio:.3f}x" if ratio is not None else "–"


def _outputs(entry: dict) -> str:
  if entry["outputs_equal"] is None:
    return "–"
  if entry["outputs_equal"]:
    return "equal"
  parts = [f"{SYSTEM_TITLES[s]}: {d['elements_differing']} differ by ≤ {d['max_abs_difference']}"
           for s, d in entry.get("differences_from_tflm_reference", {}).items()]
  return "DIFFERENT (" + "; ".join(parts) + ")" if parts else "DIFFERENT"


def tables(results: dict) -> str:
  """The Markdown tables of the results: one per figure, a row per core and model."""
  titles = {"instructions": "Instructions per inference",
            "code_flash": "Code flash (bytes)",
            "ram": "RAM (bytes: arena + statics)"}
  text = []
  for figure, key in FIGURES.items():
    head = ["core", "model", *SYSTEM_TITLES.values(), "AOT / TFLM ref", "AOT / TFLM+CMSIS-NN"]
    if figure == "instructions":
      head += ["floor", "AOT / floor", "outputs"]
    text += [f"{titles[figure]}:", "", "| " + " | ".join(head) + " |",
             "|" + " --- |" * len(head)]
    for core, per_core in results["cores"].items():
      for model, entry in per_core["models"].items():
        row = [core, model, *(_cell(entry[s], key) for s in SYSTEMS),
               _ratio(entry, "tflm_reference", figure), _ratio(entry, "tflm_cmsis_nn", figure)]
        if figure == "instructions":
          over = entry.get("aot_over_floor")
          row += [f"{entry['floor_instructions']:,.0f}", f"{over:.1f}x" if over else "–",
                  _outputs(entry)]
        text.append("| " + " | ".join(row) + " |")
    text.append("")
  not_run = [f"- {core} {model} {SYSTEM_TITLES[system]}: {entry[system][why]}"
             for core, per_core in results["cores"].items()
             for model, entry in per_core["models"].items() for system in SYSTEMS
             for why in ("does_not_fit", "not_compiled", "failed") if why in entry[system]]
  if not_run:
    text += ["Not run:", "", *not_run, ""]
  return "\n".join(text)


def cross_check(results: dict, baseline_path: pathlib.Path) -> str:
  """Our TFLM figures against the hand-measured baseline: instructions and arena used."""
  baseline = json.loads(baseline_path.read_text())["cores"]
  lines = [f"Cross-check against {baseline_path.name} (hand-measured; ours / theirs):", "",
           "| core | model | kernels | instructions | arena used | outputs |",
           "| --- | --- | --- | --- | --- | --- |"]
  for core, per_core in results["cores"].items():
    for model, entry in per_core["models"].items():
      theirs_model = baseline.get(core, {}).get("models", {}).get(model)
      if not theirs_model:
        continue
      for system in ("tflm_reference", "tflm_cmsis_nn"):
        ours = entry[system]
        theirs = theirs_model.get(system.replace("tflm_reference", "tflm_ref"))
        if not theirs or "instructions_per_inference" not in ours:
          continue
        ratio = ours["instructions_per_inference"] / theirs["instructions_per_inference"]
        same = "same" if ours["output_int8"] == theirs["output_int8"] else "DIFFERENT"
        lines.append(f"| {core} | {model} | {system.removeprefix('tflm_')} | "
                     f"{ours['instructions_per_inference']:,.0f} / "
                     f"{theirs['instructions_per_inference']:,.0f} = {ratio:.4f} | "
                     f"{ours['arena_used_bytes']} / {theirs['arena_used_bytes']} | {same} |")
  if len(lines) == 4:
    return f"{baseline_path.name} has no figures for the models and cores measured.\n"
  return "\n".join(lines) + "\n"


def _version(command: list[str]) -> str:
  return subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[0]


def main(argv: list[str]) -> None:
  del argv  # Unused.
  started = time.monotonic()

  models, core_names = _MODELS.value, _CORES.value
  for asked, known, what in ((models, MODELS, "model"), (core_names, CORE_NAMES, "core")):
    unknown = sorted(set(asked) - set(known))
    if unknown:
      sys.exit(f"aot_vs_tflm.py: no {what} {', '.join(unknown)}; the {what}s are "
               f"{', '.join(known)}.")
  bazel = Bazel(pathlib.Path(_OUTPUT_BASE.value), pathlib.Path(_THIRD_PARTY.value))
  print(f"Building TFLM for {len(models)} models x {len(KERNEL_SETS)} kernel sets x "
        f"{len(core_names)} cores ...", file=sys.stderr, flush=True)
  everything = len(models) == len(MODELS) and len(core_names) == len(CORE_NAMES)
  bazel.run("build", TFLM_TARGETS if everything else [TFLM_TARGETS[1], *(
      f"//bench:{tflm_binary(m, k, c)}" for m in models for k in KERNEL_SETS for c in core_names)])
  paths = bazel.info()
  bin_dir, execroot = paths["bazel-bin"], paths["execution_root"]
  plugin = bin_dir / "rules/cortex_m/libinsn_count.so"
  links = bazel.link_commands()
  tflm_flags = bazel.compile_flags()
  tflites = {model: model_path(model, bazel) for model in models}
  facts = {model: model_facts(path) for model, path in tflites.items()}
  built = time.monotonic()

  jobs = {}
  with concurrent.futures.ThreadPoolExecutor(max_workers=_JOBS.value) as pool:
    for core in core_names:
      for model in models:
        for kernels in KERNEL_SETS:
          link = links[tflm_binary(model, kernels, core)]
          jobs[(core, model, f"tflm_{kernels}")] = pool.submit(
              _reporting_failure, run_tflm, model, kernels, core, bin_dir, execroot, link, plugin)
        jobs[(core, model, "aot")] = pool.submit(_reporting_failure, run_aot, model,
                                                 tflites[model], core, plugin)
    work = progress.Progress("bench", total=len(jobs), enabled=True)  # a line per core x model
    for (core, model, system), future in jobs.items():
      result = future.result()
      figure = result.get("instructions_per_inference")
      state = (f"{figure:,.0f} instructions" if figure is not None else
               "not compiled" if "not_compiled" in result else
               f"FAILED: {result['failed']}" if "failed" in result else "does not fit")
      work.step(f"{core} {model} {system}: {state}")

  results = {
      "what": ("Instructions per inference, code flash and RAM of TFLM with its reference kernels, "
               "TFLM with its CMSIS-NN kernels and rules_tflm's ahead-of-time compiled C, for each "
               "model and emulated Cortex-M core; written by bench/aot_vs_tflm.py, all three built "
               "in the same run."),
      "method": {
          "instructions_per_inference": ("instructions between rules_tflm_bench_start/stop (QEMU "
                                         "plugin rules/cortex_m/insn_count_plugin.c) / inferences; "
                                         "each inference sets input byte i = ((i*37+11) % 256) - 128 "
                                         "and invokes"),
          "tflm code_flash_bytes": ("input sections in .text, .rodata, .ARM.extab, .ARM.exidx and "
                                    ".data of TFLM's and CMSIS-NN's objects (@tflm) and the harness "
                                    "bench/tflm_bench.cc, from the linker map of Bazel's link "
                                    "command; model array, start-up code, newlib, libgcc, libm "
                                    "excluded; code_text_bytes: .text only; harness_flash_bytes: "
                                    "the harness's part"),
          "tflm ram_bytes": ("arena_used_bytes() after the inferences + .data and .bss of the same "
                             "objects (static_ram_bytes: the interpreter and op resolver objects "
                             "included, the arena array excluded)"),
          "aot code_flash_bytes": ("machine code (t symbols) of the generated model and runtime/ "
                                   "kept by --gc-sections; params_bytes (precomputed multipliers, "
                                   "shifts, shapes) and weights_bytes apart"),
          "aot ram_bytes": ".data + .bss of the generated model and runtime/ (the arena included)",
          "elf_flash_bytes, elf_ram_bytes": "the whole ELF: text + rodata + data, and data + bss",
          "does_not_fit": ("the ELF needs more flash, or RAM with heap and stack, than the core's "
                           "board has; not run"),
      },
      "toolchain": {
          "cc": _version(["arm-none-eabi-gcc", "--version"]),
          "qemu": _version(["qemu-system-arm", "--version"]),
          "aot_flags": FLAGS,
          "bazel_flags": BAZEL_FLAGS,
          "tflm_compile_flags_cortex_m3": tflm_flags,
          "link": ["--specs=nano.specs", "--specs=rdimon.specs", "-nostartfiles", "-Wl,--gc-sections"],
      },
      "cores": {},
  }
  for core in core_names:
    per_core = {"board": CORES[core].machine, "cpu_flags": CORES[core].cpu_flags, "models": {}}
    for model in models:
      entry = {system: jobs[(core, model, system)].result() for system in SYSTEMS}
      compare(entry)
      floor(entry, facts[model], core)
      per_core["models"][model] = entry
    results["cores"][core] = per_core
  common.write_atomically(pathlib.Path(_RESULTS.value), to_json(results) + "\n")

  print(tables(results))
  print(targets(results))
  baseline = pathlib.Path(_BASELINE.value)
  if baseline.exists():
    print(cross_check(results, baseline))
  finished = time.monotonic()
  print(f"Bazel build {built - started:.0f} s, runs {finished - built:.0f} s; results in "
        f"{_RESULTS.value}", file=sys.stderr)


if __name__ == "__main__":
  app.run(main)
