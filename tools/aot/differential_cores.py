"""The differential cases compiled for one Cortex-M core and run in QEMU, many models per ELF.

The cores suite (differential_cores_test.py) hands this the drawn cases of
differential.py and a core's kit (rules/private/cortex_m_kit.bzl: runtime/
and the start-up code as Bazel built them for the core, the board's linker
script and the exact command lines of the core's toolchain). Each model is
compiled ahead of time with a prefix of its own. Consecutive models go into
one ELF, up to MODELS_PER_ELF and as many as the board should hold (the check
data lives in flash, each model's arena in RAM, beside the stack and heap),
with differential.check_program's `main`, all in one C file, and linked as
cortex_m_binary links; firmware_size measures the ELF as cortex_m_binary
measures its binaries, and qemu_run runs it on the core's board. An ELF too
big for the board is split in two until it fits; a single model that fits
no ELF is left out, with the numbers (Run.left_out).

One C file for many models: the generated source names its file-scope
statics (the arena, t<N>, op<N>_...) alike in every model, so the file
`#define`s each of them to carry the model's prefix around the model's
`#include`. One compiler run per ELF instead of one per model takes a third
of the time; what each model's code does is the same.
"""

import concurrent.futures
import dataclasses
import json
import os
import pathlib
import re
import subprocess

from tools import common
from tools import cores
from tools import firmware_size
from tools import qemu_run
from tools import tflite_reader
from tools.aot import compiler
from tools.aot import differential
from tools.aot import harness

MODELS_PER_ELF = 64
QEMU_TIMEOUT_SECONDS = 300
# What an ELF holds beside its models, as a first guess for packing (the size check decides):
# the runtime's kernels it calls, newlib (printf, semihosting), the start-up code and the check
# program's code in flash; newlib's state in RAM.
_OTHER_FLASH, _OTHER_RAM = 96 * 1024, 2 * 1024
# A file-scope static of the generated source: `static ... <name>[` or `<name> =` or
# `<name> __attribute__`, or the arena union's closing `} <name> __attribute__`.
_STATIC = re.compile(r"^(?:static [^=;\[\n]*?|\} )(\w+)(?=\[| =| __attribute__)", re.M)


@dataclasses.dataclass(frozen=True)
class Kit:
  """A core's kit, read from the JSON of cortex_m_kit, with its paths made absolute."""
  core: str
  machine: str
  gcc: str
  size: str
  qemu: str
  compile_flags: list[str]
  link_flags: list[str]
  linker_script: str
  libraries: list[dict]
  link_options: list[str]


def read_kit(path: pathlib.Path, runfiles: pathlib.Path) -> Kit:
  """The kit at `path`, its runfiles paths resolved against `runfiles`."""
  fields = json.loads(common.read_input(path, "cortex_m_kit").decode())
  fields["linker_script"] = str(runfiles / fields["linker_script"])
  fields["libraries"] = [dict(library, path=str(runfiles / library["path"]))
                         for library in fields["libraries"]]
  return Kit(**fields)


@dataclasses.dataclass(frozen=True)
class Model:
  """A drawn case compiled to C (`<prefix>.c`, `<prefix>.h`) and its file-scope statics."""
  drawn: differential.Drawn
  prefix: str
  source: pathlib.Path
  statics: tuple[str, ...]
  flash: int  # a guess: the .tflite (its weights) and the check data
  ram: int  # the arena
  ulps: int  # float32 outputs within this many units in the last place match


@dataclasses.dataclass
class Run:
  """What running cases on a core found."""
  elfs: int = 0
  checks: int = 0
  mismatches: list[differential.Mismatch] = dataclasses.field(default_factory=list)
  left_out: list[str] = dataclasses.field(default_factory=list)  # a case and why, each

  def add(self, other: "Run") -> None:
    self.elfs += other.elfs
    self.checks += other.checks
    self.mismatches += other.mismatches
    self.left_out += other.left_out


def generate(drawn: list[differential.Drawn], tmp: pathlib.Path, ulps: dict[str, int]) -> list[Model]:
  """Every drawn case compiled to C in `tmp` with the prefix <kernel>_c<number>; a kernel's
  float32 outputs match within ulps[kernel] units in the last place (default 0)."""
  models = []
  for d in drawn:
    prefix = f"{d.kernel.lower()}_c{d.number}"
    generated = compiler.compile_model(tflite_reader.read_model(d.model, d.kernel), prefix,
                                       d.kernel, f"{prefix}.h")
    data = sum(v.nbytes for vector in d.inputs for v in vector)
    data += sum(len(b) for vector in d.expected for b in vector)
    models.append(Model(d, prefix, harness.write(tmp, prefix, generated),
                        tuple(dict.fromkeys(_STATIC.findall(generated.source))),
                        len(d.model) + data, -(-max(generated.arena_bytes, 16) // 16) * 16,
                        ulps.get(d.kernel, 0)))
  return models


def pack(models: list[Model], board: cores.Core) -> list[list[Model]]:
  """Consecutive models in groups of at most MODELS_PER_ELF that should fit the board."""
  flash = board.flash_length - _OTHER_FLASH
  ram = board.ram_length - board.stack_size - board.heap_size - _OTHER_RAM
  groups, used = [[]], (0, 0)
  for model in models:
    if groups[-1] and (len(groups[-1]) == MODELS_PER_ELF or used[0] + model.flash > flash or
                       used[1] + model.ram > ram):
      groups.append([])
      used = (0, 0)
    groups[-1].append(model)
    used = (used[0] + model.flash, used[1] + model.ram)
  return groups


def models_source(models: list[Model]) -> str:
  """The models' sources, included one after the other, each model's statics renamed."""
  lines = ["#include <stddef.h>", '#include "runtime/tflm_rt.h"']
  for m in models:
    lines += [f"#define {name} {m.prefix}_{name}" for name in m.statics]
    lines.append(f'#include "{m.source.name}"')
    lines += [f"#undef {name}" for name in m.statics]
  return "\n".join(lines) + "\n"


def _run(command: list, what: str) -> None:
  done = subprocess.run(list(map(str, command)), capture_output=True, text=True)
  if done.returncode != 0:
    raise common.ToolError(f"{what} failed (status {done.returncode}): "
                           f"{' '.join(map(str, command))}\n{done.stdout}{done.stderr}")


def build(kit: Kit, models: list[Model], checks: list[differential.Check],
          elf: pathlib.Path) -> None:
  """The models and the program that checks them, compiled as tflm_aot_library compiles
  generated C and linked as cortex_m_binary links."""
  source, obj = elf.with_suffix(".c"), elf.with_suffix(".o")
  source.write_text(differential.check_program(checks, models_source(models)))
  _run([kit.gcc, *kit.compile_flags, *harness.CFLAGS, "-I", source.parent, "-I", harness.REPO,
        "-c", source, "-o", obj], f"compiling {source.name} for {kit.core}")
  libraries = []
  for library in kit.libraries:
    libraries += (["-Wl,--whole-archive", library["path"], "-Wl,--no-whole-archive"]
                  if library["alwayslink"] else [library["path"]])
  _run([kit.gcc, *kit.link_flags, f"-T{kit.linker_script}", obj, *libraries, *kit.link_options,
        "-o", elf], f"linking {elf.name} for {kit.core}")


def run_group(kit: Kit, board: cores.Core, models: list[Model], elf: pathlib.Path) -> Run:
  """Builds the models into `elf` and runs it; too big for the board, each half on its own."""
  checks = [c for m in models for c in differential.checks(m.drawn, m.prefix, m.ulps)]
  build(kit, models, checks, elf)
  report = firmware_size.measure(str(elf), kit.size, elf.name, board=board.machine,
                                 board_flash_bytes=board.flash_length,
                                 board_ram_bytes=board.ram_length, stack_bytes=board.stack_size,
                                 board_check="report")
  run = Run()
  if not report["fits"] and len(models) > 1:
    half = len(models) // 2
    run.add(run_group(kit, board, models[:half], elf.with_name(f"{elf.stem}a.elf")))
    run.add(run_group(kit, board, models[half:], elf.with_name(f"{elf.stem}b.elf")))
    return run
  if not report["fits"]:
    d, why = models[0].drawn, report["does_not_fit"]
    run.left_out.append(f"{d.kernel} case {d.number} alone {why[why.find('needs'):]}")
    return run
  printed = elf.with_suffix(".out")
  with printed.open("w") as out:
    status, _ = qemu_run.run(str(elf), kit.machine, kit.qemu, QEMU_TIMEOUT_SECONDS,
                             f"{elf.name} on {kit.core}", output=out)
  text = printed.read_text()
  if status != 0 or not differential.all_checked(text, checks):
    raise common.ToolError(f"{elf.name} (cases {models[0].prefix} to {models[-1].prefix}) "
                           f"stopped on {kit.core} ({kit.machine}) with status {status} before "
                           f"its last check:\n{text[-2000:]}")
  run.elfs, run.checks = 1, len(checks)
  run.mismatches = differential.mismatches(text, checks)
  if not run.mismatches:  # a few MB each, with the debug information; kept when they fail
    elf.unlink()
    elf.with_suffix(".o").unlink()
  return run


def run_cases(kit: Kit, board: cores.Core, drawn: list[differential.Drawn], tmp: pathlib.Path,
              ulps: dict[str, int] | None = None) -> Run:
  """Every drawn case compiled for the core and run on its board in QEMU; `ulps` as in
  `generate`."""
  groups = pack(generate(drawn, tmp, ulps or {}), board)
  total = Run()
  with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
    for run in pool.map(lambda g: run_group(kit, board, g[1], tmp / f"elf{g[0]}.elf"),
                        enumerate(groups)):
      total.add(run)
  return total
