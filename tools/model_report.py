"""A model's report: the numbers (JSON) and one self-contained HTML page of them.

`build` gathers what a firmware engineer asks of a model: its inputs and
outputs, ops and MACs, weights, the arena TFLM needs and the one the
ahead-of-time compiler plans, each layer's cost (MACs, and the instructions
tools/profile_run.py counted on each core for our code and TFLM's), flash and
RAM against each board and the budgets, the duty cycle, float against
quantized accuracy on a dataset, and the memory plans over the graph. `page` renders that dictionary as HTML with inline CSS and SVG: no
script, no font and nothing else fetched, so it reads offline and in a code
review. Every number on the page carries `data-json="<path>"`, the path of the
value it shows in the JSON (keys and list indices joined by dots), so tests can
check that the two agree.

TFLM's plan is modelled: TFLM's GreedyMemoryPlanner places the largest buffer
first, each at the lowest offset free over its lifetime, which is
memory_planner's largest-first order without overlaps; its size equals the
"head" TFLM's RecordingMicroAllocator reports for the models under tests/.
"""

import html
import json
import math
import pathlib
import re

import numpy as np

from tools import accuracy
from tools import analyze
from tools import common
from tools import datasets
from tools import memory_planner
from tools import model_check
from tools import tflite_reader
from tools.aot import compiler

# How many of the most expensive layers the page marks.
TOP_LAYERS = 5


def memory_bars(graph: tflite_reader.Subgraph, plan: memory_planner.Plan) -> dict:
  """The plan as bars (tensor, first and last op, offset, bytes) and the op at which the
  memory in use reaches its top (the end of the highest live tensor)."""
  life = memory_planner.lifetimes(graph)
  last_step = max(len(graph.operators) - 1, 0)
  # The plan is of the compiler's folded graph: show the tensors this graph uses.
  bars = [{"tensor": t, "name": graph.tensors[t].name, "first": min(life[t][0], last_step),
           "last": min(life[t][1], last_step), "offset": plan.offsets[t],
           # A fused op's slice buffer holds fewer bytes than its tensor (tools/aot/fusion.py).
           "bytes": plan.sizes.get(t, graph.tensors[t].num_bytes)}
          for t in sorted(plan.offsets) if t in life]
  top = [max((b["offset"] + b["bytes"] for b in bars if b["first"] <= step <= b["last"]), default=0)
         for step in range(last_step + 1)]
  peak_step = top.index(max(top)) if top else 0
  return {"arena_bytes": plan.arena_bytes, "peak_step": peak_step,
          "peak_bytes": top[peak_step] if top else 0, "bars": bars}


def layers(graph: tflite_reader.Subgraph, aot: memory_planner.Plan | None) -> list[dict]:
  """One row per op: index, op, shapes, MACs, weight bytes and the AOT arena offsets."""
  tensors = graph.tensors
  rows = []
  for op in graph.operators:
    used = [i for i in op.inputs if i >= 0]
    activations = [i for i in used if tensors[i].buffer is None]
    offsets = aot.offsets if aot else {}
    rows.append({
        "index": op.index, "op": op.opcode,
        "input_shapes": [list(tensors[i].shape) for i in activations],
        "output_shapes": [list(tensors[o].shape) for o in op.outputs],
        "macs": analyze.operator_macs(op, tensors),
        "weights_bytes": sum(tensors[i].num_bytes for i in used if tensors[i].buffer is not None),
        # Where the AOT arena holds each input and output (None: not in the arena).
        "input_offsets": [offsets.get(i) for i in activations],
        "output_offsets": [offsets.get(o) for o in op.outputs],
    })
  return rows


def mark_top(rows: list[dict], cost) -> None:
  """Sets "top" on the TOP_LAYERS rows of the highest nonzero `cost(row)`."""
  ranked = sorted((r for r in rows if cost(r)), key=lambda r: (-cost(r), r["index"]))
  top = {r["index"] for r in ranked[:TOP_LAYERS]}
  for r in rows:
    r["top"] = r["index"] in top


def workload(instructions: dict[str, int], clock_mhz: float,
             inferences_per_second: float) -> dict:
  """Duty cycle per core at one instruction per cycle: an estimate, since QEMU counts
  instructions, not cycles."""
  cycles_per_second = clock_mhz * 1e6
  return {"clock_mhz": clock_mhz, "inferences_per_second": inferences_per_second,
          "cores": {core: {"instructions_per_inference": n,
                           "duty_cycle_percent": round(
                               100 * n * inferences_per_second / cycles_per_second, 2)}
                    for core, n in instructions.items()}}


# Bins of the histogram of quantization errors.
ERROR_BINS = 20


def accuracy_section(reference: pathlib.Path, quantized: pathlib.Path, dataset: pathlib.Path,
                     task: str) -> dict:
  """Float versus quantized on the dataset, as tflite_accuracy_test computes it, and the
  histogram of the quantized model's error on each output against the float model's."""
  x, y = datasets.load_examples(dataset)
  runs = {}
  for key, path in (("reference", reference), ("quantized", quantized)):
    model = accuracy.load_model(path)
    outputs = accuracy.predictions(model, x, path, dataset)
    runs[key] = {"interpreter": model.interpreter_name,
                 "metrics": accuracy.metrics(task, outputs, y), "outputs": outputs}
  error = (runs["quantized"].pop("outputs") - runs["reference"].pop("outputs")).reshape(-1)
  counts, edges = np.histogram(error, bins=ERROR_BINS)
  return {"task": task, "samples": len(x), "reference_model": reference.name,
          "quantized_model": quantized.name, **runs,
          "drop": accuracy.drop(task, runs["reference"]["metrics"], runs["quantized"]["metrics"]),
          "error_histogram": {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]},
          "max_abs_error": float(np.max(np.abs(error)))}


def build(model: tflite_reader.Model, analysis: dict, compiled: compiler.Generated | None,
          aot_error: str | None, profiles: list[dict] = (), clock_mhz: float = 0,
          inferences_per_second: float = 0, accuracy_numbers: dict | None = None,
          max_flash_bytes: int = 0, max_ram_bytes: int = 0) -> dict:
  """The report's numbers.

  `analysis` is tools/analyze.py's report of the model; `compiled` what the
  ahead-of-time compiler made of it (None, with `aot_error` saying why, when it
  cannot compile it); `profiles` tools/profile_run.py's results, one per core and
  system, in the order the user listed the cores: the first core on which the AOT
  code ran ranks the layers; `accuracy_numbers` what accuracy_section found, if there
  is a dataset; the budgets (0: none) are firmware_size's, for the programs on the cores.
  """
  graph = model.main
  aot_plan = compiled.plan if compiled else None
  rows = layers(graph, aot_plan)
  ours = [p for p in profiles if p["system"] == "aot"]
  ran = [p for p in ours if "layers" in p]
  for r in rows:
    r["instructions"] = {p["core"]: dict(zip(compiled.layers, p["layers"])).get(r["index"])
                         for p in ran}
    r["tflm_instructions"] = {}
  cores = {p["core"]: {k: v for k, v in p.items() if k not in ("system", "core", "layers")}
           for p in ours}
  for p in profiles:
    if p["system"] == "aot":
      continue
    cores.setdefault(p["core"], {}).setdefault("tflm", {})[p["system"]] = (
        {"instructions": p["instructions"]} if "layers" in p else
        {"does_not_fit": p["does_not_fit"]})
    if "layers" not in p:
      continue
    if len(p["layers"]) != len(rows):  # TFLM's profiler marks every op
      raise common.ToolError(f"{analysis['model']}: TFLM ({p['system']}) ran {len(p['layers'])} "
                             f"layers on {p['core']}, the model has {len(rows)} ops")
    for r, count in zip(rows, p["layers"]):
      r["tflm_instructions"].setdefault(p["core"], {})[p["system"]] = count
  first_core = ran[0]["core"] if ran else None
  mark_top(rows, (lambda r: r["instructions"][first_core] or 0) if first_core else
           (lambda r: r["macs"]))
  tflm = analysis.get("tflm", {})
  report = {
      "model": analysis["model"], "model_bytes": analysis["model_bytes"],
      "quantization": analysis["quantization"],
      "inputs": analysis["inputs"], "outputs": analysis["outputs"], "ops": analysis["ops"],
      "macs": analysis["macs"], "weights_bytes": analysis["constant_bytes"],
      "tflm": {"runs_model": tflm.get("runnable"), "error": tflm.get("error"),
               "min_arena_bytes": tflm.get("min_arena_bytes")},
      "aot": {"compiles_model": aot_plan is not None, "error": aot_error,
              "arena_bytes": aot_plan.arena_bytes if aot_plan else None},
      "top_by": f"AOT instructions on {first_core}" if first_core else "MACs",
      "layers": rows,
      "memory": {"tflm": memory_bars(graph, memory_planner.largest_first(graph))},
      "cores": cores,
      "budgets": {"flash_bytes": max_flash_bytes or None, "ram_bytes": max_ram_bytes or None},
  }
  if aot_plan:
    report["memory"]["aot"] = memory_bars(graph, aot_plan)
  if ran and clock_mhz and inferences_per_second:
    report["workload"] = workload({p["core"]: p["instructions"] for p in ran}, clock_mhz,
                                  inferences_per_second)
  if accuracy_numbers:
    report["accuracy"] = accuracy_numbers
  return report


# --- the page ------------------------------------------------------------

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1d232b; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; font-size: 13px; }
p { max-width: 60em; }
th, td { border: 1px solid #c8ced6; padding: 2px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.top td { background: #fdecc8; }
.ok { color: #1a7f37; } .no { color: #b42318; }
.note { color: #57606a; }
svg text { font: 11px system-ui, sans-serif; fill: #1d232b; }
"""


def _number(value, path: str, unit: str = "") -> str:
  """A number as the page shows it, with its JSON path."""
  if value is None:
    return "–"
  text = f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
  return f'<span data-json="{html.escape(path)}">{text}</span>{unit}'


def _shape(shape: list[int]) -> str:
  return "x".join(map(str, shape)) or "scalar"


def _yes_no(flag: bool | None, yes: str, no: str) -> str:
  return f'<span class="ok">{yes}</span>' if flag else f'<span class="no">{no}</span>'


def _io_rows(entries: list[dict], kind: str) -> list[str]:
  rows = []
  for i, t in enumerate(entries):
    path = f"{kind}.{i}"
    scale = (_number(t["scale"], f"{path}.scale") if isinstance(t["scale"], (int, float)) else
             "per channel" if t["scale"] else "–")
    zero = (_number(t["zero_point"], f"{path}.zero_point")
            if isinstance(t["zero_point"], int) else "–")
    rows.append(f"<tr><td>{kind[:-1]}</td><td>{html.escape(t['name'])}</td><td>{t['dtype']}</td>"
                f"<td>{_shape(t['shape'])}</td><td class=n>{scale}</td><td class=n>{zero}</td></tr>")
  return rows


def _summary(r: dict) -> list[str]:
  tflm, aot = r["tflm"], r["aot"]
  return [
      f"<h1>{html.escape(r['model'])}</h1>",
      "<table>",
      f"<tr><th>model</th><td class=n>{_number(r['model_bytes'], 'model_bytes', ' bytes')}</td></tr>",
      f"<tr><th>quantization</th><td>{html.escape(r['quantization'])}</td></tr>",
      f"<tr><th>MACs per inference</th><td class=n>{_number(r['macs'], 'macs')}</td></tr>",
      f"<tr><th>weights</th><td class=n>{_number(r['weights_bytes'], 'weights_bytes', ' bytes')}</td></tr>",
      "<tr><th>ops</th><td>" + ", ".join(
          f"{html.escape(op)} × {_number(n, 'ops.' + op)}" for op, n in r["ops"].items()) + "</td></tr>",
      f"<tr><th>TFLM</th><td>{_yes_no(tflm['runs_model'], 'runs the model', 'does not run it')}"
      + (f"; smallest arena {_number(tflm['min_arena_bytes'], 'tflm.min_arena_bytes', ' bytes')}"
         if tflm["min_arena_bytes"] else "")
      + (f'<br><span class="note">{html.escape(tflm["error"])}</span>' if tflm["error"] else "")
      + "</td></tr>",
      f"<tr><th>ahead-of-time compiler</th><td>"
      f"{_yes_no(aot['compiles_model'], 'compiles the model', 'does not compile it')}"
      + (f"; arena {_number(aot['arena_bytes'], 'aot.arena_bytes', ' bytes')}"
         if aot["compiles_model"] else "")
      + (f'<br><span class="note">{html.escape(aot["error"])}</span>' if aot["error"] else "")
      + "</td></tr>",
      "</table>",
      "<table><tr><th></th><th>name</th><th>type</th><th>shape</th><th>scale</th>"
      "<th>zero point</th></tr>",
      *_io_rows(r["inputs"], "inputs"), *_io_rows(r["outputs"], "outputs"),
      "</table>",
  ]


# What the page calls each system a profile ran.
SYSTEM_NAMES = {"aot": "AOT", "tflm_reference": "TFLM reference", "tflm_cmsis_nn": "TFLM + CMSIS-NN"}


def _instruction_columns(row: dict) -> list[tuple[str, str]]:
  """(heading, path in a layer row) of each core and system with per-layer counts."""
  columns = []
  for core in dict.fromkeys([*row["instructions"], *row["tflm_instructions"]]):
    if core in row["instructions"]:
      columns.append((f"AOT instructions, {core}", f"instructions.{core}"))
    columns += [(f"{SYSTEM_NAMES[system]}, {core}", f"tflm_instructions.{core}.{system}")
                for system in row["tflm_instructions"].get(core, {})]
  return columns


def _layer_table(r: dict) -> list[str]:
  columns = _instruction_columns(r["layers"][0]) if r["layers"] else []
  head = ("<tr><th>#</th><th>op</th><th>inputs</th><th>outputs</th><th>MACs</th>"
          "<th>weights (bytes)</th><th>AOT arena offsets: inputs → outputs</th>"
          + "".join(f"<th>{html.escape(heading)}</th>" for heading, _ in columns) + "</tr>")
  out = ["<h2>Layers</h2>",
         f'<p class="note">The {TOP_LAYERS} most expensive by {html.escape(r["top_by"])} are '
         "marked.</p>", "<table>", head]
  for i, row in enumerate(r["layers"]):
    path = f"layers.{i}"
    offsets = " → ".join(
        ", ".join(_number(o, f"{path}.{key}.{k}") for k, o in enumerate(row[key]))
        for key in ("input_offsets", "output_offsets"))
    cells = [_number(row["index"], f"{path}.index"), html.escape(row["op"]),
             " ".join(map(_shape, row["input_shapes"])), " ".join(map(_shape, row["output_shapes"])),
             _number(row["macs"], f"{path}.macs"), _number(row["weights_bytes"], f"{path}.weights_bytes"),
             offsets if any(o is not None for o in row["input_offsets"] + row["output_offsets"])
             else "–",
             *(_number(lookup(row, key), f"{path}.{key}") for _, key in columns)]
    klass = ' class="top"' if row["top"] else ""
    out.append(f"<tr{klass}>" + "".join(
        f"<td{' class=n' if k in (0, 4, 5) or k > 6 else ''}>{c}</td>"
        for k, c in enumerate(cells)) + "</tr>")
  out.append("</table>")
  return out


_PLOT_WIDTH, _PLOT_HEIGHT, _MARGIN = 720, 260, 48


def memory_svg(memory: dict, steps: int, title: str, path: str) -> str:
  """One plan as an SVG: a bar per tensor from its first to its last op (x) at its offset (y)."""
  arena = max(memory["arena_bytes"], 1)
  step_width = _PLOT_WIDTH / max(steps, 1)
  scale = _PLOT_HEIGHT / arena
  parts = [f'<svg class="plan" width="{_PLOT_WIDTH + 2 * _MARGIN}" '
           f'height="{_PLOT_HEIGHT + 2 * _MARGIN}" role="img" aria-label="{html.escape(title)}">',
           f'<rect x="{_MARGIN}" y="{_MARGIN}" width="{_PLOT_WIDTH}" height="{_PLOT_HEIGHT}" '
           'fill="none" stroke="#c8ced6"/>']
  for i, bar in enumerate(memory["bars"]):
    x = _MARGIN + bar["first"] * step_width
    width = (bar["last"] - bar["first"] + 1) * step_width
    y = _MARGIN + _PLOT_HEIGHT - (bar["offset"] + bar["bytes"]) * scale
    height = max(bar["bytes"] * scale, 1)
    hue = (i * 47) % 360
    parts.append(
        f'<rect class="bar" data-json="{path}.bars.{i}" x="{x:.1f}" y="{y:.1f}" '
        f'width="{max(width - 1, 1):.1f}" height="{height:.1f}" fill="hsl({hue},55%,62%)">'
        f'<title>tensor {bar["tensor"]} {html.escape(bar["name"])}: {bar["bytes"]:,} bytes at '
        f'{bar["offset"]:,}, ops {bar["first"]} to {bar["last"]}</title></rect>')
  peak_x = _MARGIN + (memory["peak_step"] + 0.5) * step_width
  parts += [
      f'<line class="peak" x1="{peak_x:.1f}" y1="{_MARGIN}" x2="{peak_x:.1f}" '
      f'y2="{_MARGIN + _PLOT_HEIGHT}" stroke="#b42318" stroke-dasharray="4 3"/>',
      f'<text x="{peak_x + 4:.1f}" y="{_MARGIN - 6}" fill="#b42318">peak at op '
      f'{memory["peak_step"]}: {memory["peak_bytes"]:,} bytes</text>',
      f'<text x="4" y="{_MARGIN + 4}">{arena:,}</text>',
      f'<text x="4" y="{_MARGIN + _PLOT_HEIGHT}">0</text>',
      f'<text x="{_MARGIN}" y="{_MARGIN + _PLOT_HEIGHT + 18}">op 0</text>',
      f'<text x="{_MARGIN + _PLOT_WIDTH - 40}" y="{_MARGIN + _PLOT_HEIGHT + 18}">op {steps - 1}</text>',
      "</svg>"]
  return "\n".join(parts)


def _memory(r: dict) -> list[str]:
  steps = len(r["layers"])
  out = ["<h2>Memory over the graph</h2>",
         '<p class="note">Each bar is a tensor from the op that writes it to the last op that '
         "reads it (x), at its offset in the arena (y, bytes).</p>"]
  plans = [("aot", "rules_tflm's ahead-of-time plan")] if "aot" in r["memory"] else []
  plans.append(("tflm", "TFLM's greedy plan (largest tensor first, as TFLM plans without an "
                        "offline plan)"))
  for key, title in plans:
    memory = r["memory"][key]
    out += [f"<h3>{html.escape(title)}: "
            f"{_number(memory['arena_bytes'], f'memory.{key}.arena_bytes', ' bytes')}</h3>",
            memory_svg(memory, steps, title, f"memory.{key}")]
  if r["tflm"]["min_arena_bytes"]:
    out.append(f'<p class="note">TFLM\'s smallest arena, '
               f'{_number(r["tflm"]["min_arena_bytes"], "tflm.min_arena_bytes", " bytes")}, also '
               "holds the interpreter's own structures (tensor and node records, kernels' data) "
               "beside this plan.</p>")
  return out


_BAR_WIDTH = 150


# The parts of a program's flash, in the order the bar stacks them, and their colours.
_FLASH_PARTS = (("weights_bytes", "the model's weights", "#3b82c4"),
                ("model_bytes", "its other constants and generated code", "#7fb3e0"))
_REST_COLOR = "#a6b0bd"


def _usage_bar(used: int, size: int, budget: int | None, path: str,
               parts: dict | None = None) -> str:
  """A bar of `used` bytes of `size` (the board's), split into `parts` where given, the
  budget a tick, as inline SVG; red past the budget or the board."""
  def x(n: int) -> int:
    return round(_BAR_WIDTH * min(n / size, 1)) if size else 0
  over = used > size or (budget and used > budget)
  segments, start = [], 0
  for key, what, color in (_FLASH_PARTS if parts else ()):
    segments.append(f'<rect class="part" x="{x(start)}" width="{x(start + parts[key]) - x(start)}"'
                    f' height="12" fill="{color}"><title>{what}: {parts[key]:,} bytes</title></rect>')
    start += parts[key]
  rest = "#b42318" if over else (_REST_COLOR if parts else "#3b82c4")
  tick = (f'<rect class="budget" x="{max(x(budget) - 1, 0)}" width="2" height="12" '
          'fill="#1d232b"/>' if budget else "")
  return (f'<svg width="{_BAR_WIDTH}" height="12" role="img" aria-label="{used} of {size} bytes">'
          f'<rect width="{_BAR_WIDTH}" height="12" fill="#e7ebf0"/>'
          f'<rect class="used" data-json="{path}" width="{x(used)}" height="12" fill="{rest}"/>'
          f'{"".join(segments)}{tick}</svg>')


def _cores(r: dict) -> list[str]:
  if not r["cores"]:
    return []
  out = ["<h2>On each core</h2>",
         '<p class="note">A program of the ahead-of-time compiled model, its runtime and a '
         "minimal main, built for the core and run once in QEMU with zeroed inputs; flash and "
         "RAM (data and bss, without heap and stack) from its size report, against the board's "
         "and the budgets (the tick on the bar). The flash bar shows the model's weights (dark "
         "blue), its other constants and generated code (light blue) and the rest: kernels, C "
         "library, start-up code (grey). TFLM's programs, where profiled, run the same "
         "way with the kernels named, built with this build's compiler flags: TFLM's release "
         "builds also define NDEBUG (--copt=-DNDEBUG), without which its reference kernels run "
         "their debug checks.</p>",
  ]
  systems = list(dict.fromkeys(s for c in r["cores"].values() for s in c.get("tflm", {})))
  out.append("<table><tr><th>core</th><th>AOT instructions per inference</th>"
             + "".join(f"<th>{SYSTEM_NAMES[s]}</th>" for s in systems)
             + "<th>flash</th><th></th><th>RAM</th><th></th></tr>")

  def runs(c: dict, path: str) -> str:
    return (_number(c["instructions"], f"{path}.instructions") if "instructions" in c else
            f'<span class="no">{html.escape(c["does_not_fit"])}</span>' if "does_not_fit" in c
            else "–")

  for core, c in r["cores"].items():
    path = f"cores.{core}"
    cells = [html.escape(core), runs(c, path),
             *(runs(c.get("tflm", {}).get(s, {}), f"{path}.tflm.{s}") for s in systems)]
    for what in ("flash", "ram"):
      used, size, budget = c[f"{what}_bytes"], c[f"board_{what}_bytes"], r["budgets"][f"{what}_bytes"]
      cells += [f"{_number(used, f'{path}.{what}_bytes')} of "
                f"{_number(size, f'{path}.board_{what}_bytes', ' bytes')}"
                + (f"; budget {_number(budget, f'budgets.{what}_bytes')}" if budget else ""),
                _usage_bar(used, size, budget, f"{path}.{what}_bytes",
                           c.get("flash_parts") if what == "flash" else None)]
    out.append("<tr>" + "".join(f"<td class=n>{cell}</td>" for cell in cells) + "</tr>")
  out.append("</table>")
  return out


def _workload(r: dict) -> list[str]:
  if "workload" not in r:
    return []
  w = r["workload"]
  out = ["<h2>Workload (estimate)</h2>",
         f'<p class="note">At {_number(w["clock_mhz"], "workload.clock_mhz")} MHz and '
         f'{_number(w["inferences_per_second"], "workload.inferences_per_second")} inferences per '
         "second, counting one cycle per instruction: QEMU counts instructions, not cycles, so "
         "read these as estimates.</p>",
         "<table><tr><th>core</th><th>instructions per inference</th><th>duty cycle</th></tr>"]
  for core, v in w["cores"].items():
    out.append(f"<tr><td>{html.escape(core)}</td>"
               f"<td class=n>{_number(v['instructions_per_inference'], f'workload.cores.{core}.instructions_per_inference')}</td>"
               f"<td class=n>{_number(v['duty_cycle_percent'], f'workload.cores.{core}.duty_cycle_percent', ' %')}</td></tr>")
  out.append("</table>")
  return out


_HIST_WIDTH, _HIST_HEIGHT = 480, 140


def histogram_svg(histogram: dict, path: str) -> str:
  """The error histogram: one bar per bin, x from the first edge to the last."""
  counts = histogram["counts"]
  tallest = max(max(counts), 1)
  width = _HIST_WIDTH / len(counts)
  parts = [f'<svg class="histogram" width="{_HIST_WIDTH + 2 * _MARGIN}" '
           f'height="{_HIST_HEIGHT + 2 * _MARGIN}" role="img" aria-label="quantization errors">']
  for i, count in enumerate(counts):
    height = _HIST_HEIGHT * count / tallest
    parts.append(f'<rect class="bin" data-json="{path}.counts.{i}" x="{_MARGIN + i * width:.1f}" '
                 f'y="{_MARGIN + _HIST_HEIGHT - height:.1f}" width="{max(width - 1, 1):.1f}" '
                 f'height="{height:.1f}" fill="#3b82c4"><title>{count} outputs in '
                 f'[{histogram["edges"][i]:.4g}, {histogram["edges"][i + 1]:.4g})</title></rect>')
  parts += [f'<text x="{_MARGIN}" y="{_MARGIN + _HIST_HEIGHT + 16}">{histogram["edges"][0]:.4g}</text>',
            f'<text x="{_MARGIN + _HIST_WIDTH - 40}" y="{_MARGIN + _HIST_HEIGHT + 16}">'
            f'{histogram["edges"][-1]:.4g}</text>',
            f'<text x="4" y="{_MARGIN + 4}">{tallest}</text>', "</svg>"]
  return "\n".join(parts)


def _accuracy(r: dict) -> list[str]:
  if "accuracy" not in r:
    return []
  a = r["accuracy"]
  keys = list(a["reference"]["metrics"])
  out = ["<h2>Accuracy</h2>",
         f'<p class="note">{html.escape(a["task"])} on '
         f'{_number(a["samples"], "accuracy.samples")} samples of the dataset, as '
         "tflite_accuracy_test computes it.</p>",
         "<table><tr><th>model</th>" + "".join(f"<th>{html.escape(k)}</th>" for k in keys)
         + "<th>interpreter</th></tr>"]
  for key in ("reference", "quantized"):
    out.append(f"<tr><td>{key}: {html.escape(a[key + '_model'])}</td>" + "".join(
        f"<td class=n>{_number(a[key]['metrics'][k], f'accuracy.{key}.metrics.{k}')}</td>"
        for k in keys) + f"<td>{html.escape(a[key]['interpreter'])}</td></tr>")
  out += ["</table>",
          f'<p>Drop: {_number(a["drop"], "accuracy.drop")}. The quantized model\'s output minus '
          f'the float model\'s, over every output of every sample (largest '
          f'{_number(a["max_abs_error"], "accuracy.max_abs_error")}):</p>',
          histogram_svg(a["error_histogram"], "accuracy.error_histogram")]
  return out


def page(report: dict) -> str:
  """The report as one HTML page (inline CSS and SVG; nothing fetched, no script)."""
  body = [*_summary(report), *_cores(report), *_workload(report), *_accuracy(report),
          *_layer_table(report), *_memory(report)]
  return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          f"<title>{html.escape(report['model'])}: model report</title>"
          f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) +
          '\n<p class="note">Written by rules_tflm (tools/model_report.py).</p>\n</body></html>\n')


def shown_numbers(page_html: str) -> list[tuple[str, str]]:
  """(JSON path, text) of every number the page shows, for tests."""
  return re.findall(r'<span data-json="([^"]+)">([^<]*)</span>', page_html)


def lookup(report: dict, path: str):
  """The value at a data-json path of the report."""
  value = report
  for key in path.split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
  return value


def matches(text: str, value) -> bool:
  """Whether the page's text shows `value` (as _number writes it)."""
  shown = float(text.replace(",", ""))
  return shown == value if isinstance(value, int) else math.isclose(shown, value, rel_tol=1e-5)


def _read_json(path: str, label: str, what: str) -> dict:
  try:
    return json.loads(open(path, encoding="utf-8").read())
  except (OSError, ValueError) as error:
    raise common.ToolError(f"{label}: cannot read the {what} {path} ({error}); rebuild it "
                           "with tflm_model_report") from None


def write(model_path: str, analysis_path: str, html_path: str, json_path: str, label: str,
          profile_paths: list[str] = (), clock_mhz: float = 0, inferences_per_second: float = 0,
          reference: str | None = None, dataset: str | None = None,
          task: str = "regression", max_flash_bytes: int = 0, max_ram_bytes: int = 0) -> dict:
  """Reads the model, tools/analyze.py's report of it and tools/profile_run.py's results,
  and with a dataset runs the model and its float `reference` on it; writes the page and
  the JSON (both or neither) and returns the report."""
  if bool(dataset) != bool(reference):
    raise common.ToolError(f"{label}: the accuracy section needs both a dataset and the float "
                           "reference model to compare with; give both or neither")
  with common.Outputs(html_path, json_path) as outputs:
    model = model_check.read_model_file(model_path, label)
    analysis = _read_json(analysis_path, label, "analysis report")
    profiles = [_read_json(p, label, "profile") for p in profile_paths]
    try:
      compiled, aot_error = compiler.compile_model(model, "model", label, "model.h"), None
    except common.ToolError as error:
      compiled, aot_error = None, str(error)
    accuracy_numbers = (accuracy_section(pathlib.Path(reference), pathlib.Path(model_path),
                                         pathlib.Path(dataset), task) if dataset else None)
    report = build(model, analysis, compiled, aot_error, profiles, clock_mhz,
                   inferences_per_second, accuracy_numbers, max_flash_bytes, max_ram_bytes)
    outputs.write(json_path, json.dumps(report, indent=1) + "\n")
    outputs.write(html_path, page(report))
  return report
