"""Instructions per layer: the AOT code next to TFLM's reference and CMSIS-NN kernels.

For each model and core asked for (by default person_detect on every core),
it builds and runs three profiling programs in QEMU with rules_tflm's
instruction-count plugin, on the input and inference count of
bench/aot_vs_tflm.py:

  aot             the model compiled ahead of time with -DTFLM_RT_PROFILE:
                  runtime/profile.h's hooks call the layer markers of
                  rules/cortex_m/bench_markers.h around each op that runs code
  tflm_reference  bench/tflm_bench.cc built with -DBENCH_PROFILE (the
  tflm_cmsis_nn   *_profile targets of bench/aot_vs_tflm.bzl): a TFLM profiler
                  calls the markers around each op's Invoke

Each layer's figure is the plugin's count from its begin marker to its end
marker, averaged over the inferences; "outside layers" is the rest of the
instructions between the bench markers (setting the input, the interpreter's
loop). Next to it: the op's multiply-accumulates (tools/analyze.py's count),
instructions per MAC, and the floor, MACs / MACS_PER_INSTRUCTION[core] (from
aot_vs_tflm.py): what the core's widest multiply-accumulate instruction would
need if it did nothing else. Ops the AOT code runs in place (a RESHAPE) have no AOT layer.

The profiling builds add a call per layer, so their totals exceed the
figures of bench/aot_vs_tflm.py by a few instructions per layer; that script's
figures are the ones to quote for whole inferences. Results go to
bench/layer_profile.json and Markdown tables on stdout. From the repository
root:

    ~/.cache/rules_tflm/venv/bin/python3 bench/layer_profile.py --cores=cortex-m4,cortex-m55
"""

import concurrent.futures
import json
import pathlib
import sys
import tempfile

from absl import app
from absl import flags

REPO = pathlib.Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import aot_vs_tflm as bench  # pylint: disable=wrong-import-position
from tools import analyze, common, progress, qemu_run, tflite_reader  # pylint: disable=wrong-import-position

MACS_PER_INSTRUCTION = bench.MACS_PER_INSTRUCTION

# bench/aot_vs_tflm.py's flags (--models, --cores, --jobs, --output_base, --third_party) serve
# here too; --models defaults to person_detect.
flags.FLAGS.set_default("models", ["person_detect"])
_RESULTS = flags.DEFINE_string("profile_results", str(REPO / "bench/layer_profile.json"),
                               "Where the JSON results go.")

TFLM_SYSTEMS = {f"tflm_{kernels}": kernels for kernels in bench.KERNEL_SETS}


def per_layer(counts: tuple[int, ...], layers: int, inferences: int, label: str) -> list[float]:
  """The average count of each of `layers` layer regions over `inferences` in a row."""
  if len(counts) != layers * inferences:
    raise RuntimeError(f"{label}: the plugin counted {len(counts)} layer regions, not "
                       f"{layers} layers x {inferences} inferences")
  return [sum(counts[i::layers]) / inferences for i in range(layers)]


def profile_aot(model: str, tflite: pathlib.Path, core: str, plugin: pathlib.Path) -> dict:
  """The AOT profiling build's instructions per layer, by op index, and outside them."""
  inferences = bench.MODELS[model]["inferences"]
  with tempfile.TemporaryDirectory() as tmp:
    ours = bench.measure(tflite, plugin, pathlib.Path(tmp), inferences, core, profile=True)
  if "does_not_fit" in ours:
    return {"does_not_fit": ours["does_not_fit"]}
  counts = per_layer(ours["layer_counts"], len(ours["layers"]), inferences, f"AOT {model} {core}")
  return {"layers": dict(zip(ours["layers"], counts)),
          "outside_layers": ours["instructions"] - sum(counts)}


def profile_tflm(model: str, kernels: str, core: str, ops: int, bin_dir: pathlib.Path,
                 plugin: pathlib.Path) -> dict:
  """A TFLM profiling binary's instructions per op (TFLM runs every op) and outside them."""
  name = bench.tflm_binary(model, kernels, core) + "_profile"
  elf = bin_dir / "bench" / f"{name}.elf"
  report = json.loads((bin_dir / "bench" / f"{name}.size.json").read_text())
  if bench.misfit(report):
    return {"does_not_fit": bench.misfit(report)}
  inferences = bench.MODELS[model]["inferences"]
  with tempfile.TemporaryFile("w+") as out:
    status, counts = qemu_run.run(str(elf), bench.CORES[core].machine, "qemu-system-arm",
                                  bench.QEMU_TIMEOUT_SECONDS, name, plugin=str(plugin), output=out)
    out.seek(0)
    printed = out.read()
  if status != 0 or not counts:
    raise RuntimeError(f"{name} failed on {bench.CORES[core].machine} (status {status}): {printed}")
  layers = per_layer(counts.layers, ops, inferences, name)
  return {"layers": dict(enumerate(layers)),
          "outside_layers": counts.between_markers / inferences - sum(layers)}


def rows(graph: tflite_reader.Subgraph, core: str, systems: dict[str, dict]) -> list[dict]:
  """One row per op: what it is, its MACs and floor, and each system's instructions."""
  table = []
  for op in graph.operators:
    macs = analyze.operator_macs(op, graph.tensors)
    row = {"op": op.index, "opcode": op.opcode,
           "output_shape": list(graph.tensors[op.outputs[0]].shape), "macs": macs,
           "floor_instructions": macs / MACS_PER_INSTRUCTION[core]}
    for system, result in systems.items():
      row[system] = result.get("layers", {}).get(op.index)
    table.append(row)
  return table


def _number(value) -> str:
  return "" if value is None else f"{value:,.0f}"


def _per_mac(instructions, macs: int) -> str:
  return "" if instructions is None or not macs else f"{instructions / macs:.2f}"


def markdown(model: str, core: str, table: list[dict], systems: dict[str, dict]) -> str:
  """The per-layer table of one model on one core, the five costliest AOT layers marked."""
  names = list(systems)
  costly = sorted((r for r in table if r.get("aot") is not None), key=lambda r: -r["aot"])[:5]
  marked = {r["op"] for r in costly}
  lines = [f"### {model} on {core}", "",
           "| op | | output | MACs | floor | AOT | AOT / MAC | TFLM ref | TFLM+CMSIS-NN | "
           "CMSIS-NN / MAC | AOT / CMSIS-NN |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
  for r in table:
    aot, cmsis = r.get("aot"), r.get("tflm_cmsis_nn")
    ratio = f"{aot / cmsis:.2f}x" if aot is not None and cmsis else ""
    lines.append(
        f"| {r['op']}{' *' if r['op'] in marked else ''} | {r['opcode']} | "
        f"{'x'.join(map(str, r['output_shape']))} | {_number(r['macs'])} | "
        f"{_number(r['floor_instructions'])} | {_number(aot)} | {_per_mac(aot, r['macs'])} | "
        f"{_number(r.get('tflm_reference'))} | {_number(cmsis)} | {_per_mac(cmsis, r['macs'])} | "
        f"{ratio} |")
  outside = {n: systems[n].get("outside_layers") for n in names}
  lines.append(f"| | outside layers | | | | {_number(outside.get('aot'))} | | "
               f"{_number(outside.get('tflm_reference'))} | {_number(outside.get('tflm_cmsis_nn'))} | | |")
  totals = {n: (sum(systems[n]["layers"].values()) + systems[n]["outside_layers"]
                if "layers" in systems[n] else None) for n in names}
  macs = sum(r["macs"] for r in table)
  lines.append(f"| | total | | {_number(macs)} | {_number(macs / MACS_PER_INSTRUCTION[core])} | "
               f"{_number(totals.get('aot'))} | {_per_mac(totals.get('aot'), macs)} | "
               f"{_number(totals.get('tflm_reference'))} | {_number(totals.get('tflm_cmsis_nn'))} | "
               f"{_per_mac(totals.get('tflm_cmsis_nn'), macs)} | |")
  for name, result in systems.items():
    if "layers" not in result:
      lines.append(f"\n{bench.SYSTEM_TITLES[name]}: {next(iter(result.values()))}")
  lines.append("\n* the five costliest layers of the AOT code")
  return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
  del argv  # Unused.
  models, core_names = bench._MODELS.value, bench._CORES.value  # pylint: disable=protected-access
  for asked, known, what in ((models, bench.MODELS, "model"), (core_names, bench.CORE_NAMES, "core")):
    unknown = sorted(set(asked) - set(known))
    if unknown:
      sys.exit(f"layer_profile.py: no {what} {', '.join(unknown)}; the {what}s are "
               f"{', '.join(known)}.")
  build = bench.Bazel(pathlib.Path(bench._OUTPUT_BASE.value), pathlib.Path(bench._THIRD_PARTY.value))  # pylint: disable=protected-access
  print(f"Building TFLM's profiling binaries for {len(models)} models x {len(core_names)} cores ...",
        file=sys.stderr, flush=True)
  build.run("build", [bench.TFLM_TARGETS[1], *(
      f"//bench:{bench.tflm_binary(m, k, c)}_profile"
      for m in models for k in bench.KERNEL_SETS for c in core_names)])
  bin_dir = build.info()["bazel-bin"]
  plugin = bin_dir / "rules/cortex_m/libinsn_count.so"
  tflites = {model: bench.model_path(model, build) for model in models}
  graphs = {model: tflite_reader.read_model_file(str(path)).main for model, path in tflites.items()}

  jobs = {}
  with concurrent.futures.ThreadPoolExecutor(max_workers=bench._JOBS.value) as pool:  # pylint: disable=protected-access
    for core in core_names:
      for model in models:
        jobs[(core, model, "aot")] = pool.submit(
            bench._reporting_failure, profile_aot, model, tflites[model], core, plugin)  # pylint: disable=protected-access
        for system, kernels in TFLM_SYSTEMS.items():
          jobs[(core, model, system)] = pool.submit(
              bench._reporting_failure, profile_tflm, model, kernels, core,  # pylint: disable=protected-access
              len(graphs[model].operators), bin_dir, plugin)
    work = progress.Progress("layer profile", total=len(jobs), enabled=True)  # a line per core x model
    for (core, model, system), future in jobs.items():
      result = future.result()
      state = (f"{len(result['layers'])} layers" if "layers" in result else
               next(iter(result.values())))
      work.step(f"{core} {model} {system}: {state}")

  results = {"what": ("Instructions per layer of the AOT code, TFLM with its reference kernels and "
                      "TFLM with CMSIS-NN, averaged over the inferences; written by "
                      "bench/layer_profile.py (see its docstring)"),
             "macs_per_instruction": MACS_PER_INSTRUCTION, "cores": {}}
  for core in core_names:
    results["cores"][core] = {}
    for model in models:
      systems = {system: jobs[(core, model, system)].result() for system in ["aot", *TFLM_SYSTEMS]}
      table = rows(graphs[model], core, systems)
      results["cores"][core][model] = {
          "layers": table,
          "outside_layers": {s: r.get("outside_layers") for s, r in systems.items()}}
      print(markdown(model, core, table, systems))
  common.write_atomically(pathlib.Path(_RESULTS.value), bench.to_json(results) + "\n")


if __name__ == "__main__":
  app.run(main)
