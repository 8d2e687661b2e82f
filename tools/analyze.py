"""Reports what a .tflite model holds and whether the real TFLM interpreter runs it.

The report (JSON) lists ops, tensors and their sizes, multiply-accumulates per
inference, the model's quantization, and, from the TFLM interpreter of the PyPI
`tflite-micro` package: whether it loads and runs the model and the smallest
tensor arena it accepts (found by bisection). Each TFLM attempt runs in a child
process (tools/tflm_probe.py), because TFLM can crash on a too-small arena.

With require_tflm, a model TFLM cannot run is an error that says why; with
max_flash_bytes / max_arena_bytes, so is a model over budget.
"""

import collections
import dataclasses
import json
import math
import pathlib
import subprocess
import sys

from tools import common
from tools import model_check
from tools import progress
from tools import tflite_reader

_PROBE = pathlib.Path(__file__).with_name("tflm_probe.py")
ARENA_GRANULARITY = 16

# Ops whose output is not a computation in the model's arithmetic type.
_CONVERSIONS = frozenset({"QUANTIZE", "DEQUANTIZE", "CAST"})


@dataclasses.dataclass
class TflmResult:
  """What the TFLM interpreter made of the model."""
  checked: bool = False
  runnable: bool | None = None
  error: str | None = None
  min_arena_bytes: int | None = None
  recommended_arena_bytes: int | None = None
  arena_margin_percent: int = 10


def operator_macs(op: tflite_reader.Operator, tensors: tuple[tflite_reader.Tensor, ...]) -> int:
  """Multiply-accumulates of one inference of `op`; 0 for ops other than the four below."""
  def shape(i: int) -> tuple[int, ...]:
    return tensors[op.inputs[i]].shape if i < len(op.inputs) and op.inputs[i] >= 0 else ()

  out = math.prod(tensors[op.outputs[0]].shape) if op.outputs else 0
  if op.opcode == "FULLY_CONNECTED":  # weights [units, depth]
    return out * shape(1)[-1] if shape(1) else 0
  if op.opcode == "CONV_2D":  # filter [out_channels, kh, kw, in_channels]
    f = shape(1)
    return out * f[1] * f[2] * f[3] if len(f) == 4 else 0
  if op.opcode == "DEPTHWISE_CONV_2D":  # filter [1, kh, kw, channels]
    f = shape(1)
    return out * f[1] * f[2] if len(f) == 4 else 0
  if op.opcode == "TRANSPOSE_CONV":  # inputs: output shape, filter [oc, kh, kw, ic], input
    f, x = shape(1), shape(2)
    return math.prod(x) * f[0] * f[1] * f[2] if len(f) == 4 and x else 0
  return 0


def quantization_kind(graph: tflite_reader.Subgraph) -> str:
  """float32, int8, int16x8, dynamic_range, float16 or mixed, from the types of the op outputs."""
  tensors = graph.tensors
  computed = {tensors[o].dtype for op in graph.operators if op.opcode not in _CONVERSIONS
              for o in op.outputs if o >= 0}
  computed.discard("int32")  # indices, shapes, argmax: not the model's arithmetic
  computed.discard("bool")
  if computed == {"float32"} or not computed:
    if any(tensors[op.inputs[0]].dtype == "float16" for op in graph.operators
           if op.opcode == "DEQUANTIZE" and op.inputs):
      return "float16"
    hybrid = any(
        tensors[i].buffer is not None and tensors[i].dtype in ("int8", "uint8")
        for op in graph.operators if op.opcode not in _CONVERSIONS for i in op.inputs if i >= 0)
    return "dynamic_range" if hybrid else "float32"
  if computed == {"int8"}:
    return "int8"
  if computed <= {"int16", "int8"} and "int16" in computed:
    return "int16x8"
  return "mixed"


def _tensor_entry(t: tflite_reader.Tensor) -> dict:
  return {"index": t.index, "name": t.name, "dtype": t.dtype, "shape": list(t.shape),
          "bytes": t.num_bytes, "constant": t.buffer is not None}


def _io_entry(t: tflite_reader.Tensor) -> dict:
  q = t.quantization
  return {"name": t.name, "dtype": t.dtype, "shape": list(t.shape),
          "scale": q.scales[0] if q and len(q.scales) == 1 else (list(q.scales) if q else None),
          "zero_point": (q.zero_points[0] if q and len(q.zero_points) == 1 else
                         (list(q.zero_points) if q else None))}


def describe(model: tflite_reader.Model, label: str) -> dict:
  """The report's model part: everything but the TFLM result."""
  graph = model.main
  tensors = graph.tensors
  operators = [{"index": op.index, "op": op.opcode, "inputs": list(op.inputs),
                "outputs": list(op.outputs), "macs": operator_macs(op, tensors)}
               for op in graph.operators]
  return {
      "model": label,
      "model_bytes": model.size_bytes,
      "quantization": quantization_kind(graph),
      "inputs": [_io_entry(tensors[i]) for i in graph.inputs],
      "outputs": [_io_entry(tensors[i]) for i in graph.outputs],
      "ops": dict(sorted(collections.Counter(op.opcode for op in graph.operators).items())),
      "operators": operators,
      "tensors": [_tensor_entry(t) for t in tensors],
      "constant_bytes": sum(t.num_bytes for t in tensors if t.buffer is not None),
      "macs": sum(o["macs"] for o in operators),
  }


def _round_up(n: int) -> int:
  return -(-n // ARENA_GRANULARITY) * ARENA_GRANULARITY


# The longest one TFLM probe may take (it loads and invokes the model a few
# times; real models take well under a second): TFLM loops for ever on some
# broken models, and the probe that does is killed and counted as a failure.
PROBE_TIMEOUT_SECONDS = 60
_HUNG = -1000


def _probe(model_path: str, low: int, high: int) -> subprocess.CompletedProcess:
  """One run of tools/tflm_probe.py; returncode _HUNG if it outlived PROBE_TIMEOUT_SECONDS."""
  command = [sys.executable, str(_PROBE), model_path, str(low), str(high)]
  try:
    return subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS)
  except subprocess.TimeoutExpired as e:
    out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else e.stdout or ""
    return subprocess.CompletedProcess(command, _HUNG, out, f"the TFLM interpreter did not "
                                       f"finish within {PROBE_TIMEOUT_SECONDS} s and was stopped")


def check_tflm(model_path: str, model_bytes: int, margin_percent: int) -> TflmResult:
  """Whether TFLM runs the model, and the smallest arena (a multiple of 16) it accepts.

  The search runs in tools/tflm_probe.py; when TFLM crashes that process, the
  size it was trying counts as too small and a new process goes on.
  """
  result = TflmResult(checked=True, arena_margin_percent=margin_percent)
  generous = _round_up(max(10 * model_bytes, 1 << 20))
  failed, worked, first = 0, None, None
  work = progress.Progress(f"TFLM arena of {model_path}")
  while worked is None or worked - failed > ARENA_GRANULARITY:
    high = worked or generous
    done = _probe(model_path, failed, high)
    trying = None
    for line in done.stdout.splitlines():
      try:
        record = json.loads(line)
      except ValueError:  # the last line of a probe that was stopped
        continue
      if "trying" in record:
        trying = record["trying"]
        continue
      trying = None
      first = first or record
      if record["ok"]:
        worked = min(worked or record["arena"], record["arena"])
      else:
        failed = max(failed, record["arena"])
    if done.returncode != 0:
      if trying is None:
        raise common.ToolError(f"the TFLM interpreter could not start ({done.stderr.strip()}); "
                               f"{common.SETUP_HINT}.")
      if trying == generous:
        how = ("did not finish" if done.returncode == _HUNG else
               f"crashed (exit status {done.returncode})")
        first = {"ok": False, "log": f"TFLM {how} loading the model with a {generous}-byte "
                                     f"arena: {done.stderr.strip()}"}
      failed = max(failed, trying)
    if first is not None and not first["ok"] and worked is None:
      result.runnable, result.error = False, first["log"]
      return result
    if done.returncode == 0 and (worked is None or worked - failed > ARENA_GRANULARITY):
      raise common.ToolError(f"the arena search for {model_path} stopped early between {failed} "
                             f"and {worked} bytes; this is a bug in rules_tflm.")
    work.step(f"between {failed} and {worked} bytes")
  result.runnable = True
  result.min_arena_bytes = worked
  result.recommended_arena_bytes = _round_up(worked * (100 + margin_percent) // 100)
  return result


def explain_tflm_failure(label: str, report: dict, error: str) -> str:
  """A user-facing reason why TFLM cannot run the model, from its quantization and TFLM's log."""
  kind = report["quantization"]
  if kind in ("dynamic_range", "float16"):
    what = ("a dynamic-range (hybrid) model: int8 weights with float activations"
            if kind == "dynamic_range" else "a float16 model: float16 weights dequantized at run time")
    return (f"{label} is {what}. TFLM has no kernels for that, so it cannot run it; convert with "
            "quantization = \"int8\" (full integer, needs a representative_dataset), or \"none\" "
            "for float32.")
  missing = sorted({op for op in report["ops"] if op.startswith("CUSTOM:") or
                    f"'{op}'" in error or f"opcode {op}" in error})
  lines = [line.strip() for line in error.splitlines() if line.strip()]
  reason = "; ".join(lines[:4])
  if "Didn't find op" in error or missing:
    ops = ", ".join(missing) or "an op of the model"
    return (f"{label} uses {ops}, which the TFLM interpreter has no kernel for (TFLM said: "
            f"{reason}). Change the model to use ops TFLM supports, or register a custom kernel "
            "in your firmware.")
  return f"the TFLM interpreter cannot run {label}: {reason}."


def check_budgets(report: dict, max_flash: int, max_arena: int) -> None:
  """Raises a ToolError naming both numbers when the model breaks a budget."""
  label = report["model"]
  if max_flash and report["model_bytes"] > max_flash:
    raise common.ToolError(
        f"{label}: the model is {report['model_bytes']} bytes of flash, over the budget "
        f"max_flash_bytes = {max_flash} by {report['model_bytes'] - max_flash} bytes; make the "
        "model smaller (fewer or narrower layers, int8 quantization) or raise the budget.")
  if max_arena:
    arena = report["tflm"]["recommended_arena_bytes"]
    if arena is None:
      raise common.ToolError(f"{label}: max_arena_bytes needs the TFLM arena measurement, but the "
                             "TFLM check did not run or failed.")
    if arena > max_arena:
      raise common.ToolError(
          f"{label}: TFLM needs a {arena}-byte tensor arena (smallest accepted "
          f"{report['tflm']['min_arena_bytes']} bytes + {report['tflm']['arena_margin_percent']} %), "
          f"over the budget max_arena_bytes = {max_arena} by {arena - max_arena} bytes; make the "
          "activations smaller (narrower layers, smaller input, int8) or raise the budget.")


def summary_text(report: dict) -> str:
  """A few lines for people: size, quantization, ops, MACs, TFLM."""
  ops = ", ".join(f"{op} x{n}" for op, n in report["ops"].items())
  tflm = report["tflm"]
  if not tflm["checked"]:
    verdict = "not checked"
  elif tflm["runnable"]:
    verdict = (f"runs; smallest arena {tflm['min_arena_bytes']} bytes, recommended "
               f"{tflm['recommended_arena_bytes']} bytes")
  else:
    verdict = "cannot run it: " + (tflm["error"] or "").splitlines()[0]
  return (f"{report['model']}: {report['model_bytes']} bytes, {report['quantization']}\n"
          f"  ops: {ops}\n"
          f"  {report['macs']} multiply-accumulates per inference, "
          f"{report['constant_bytes']} bytes of constants\n"
          f"  TFLM: {verdict}\n")


def reuse_tflm_check(earlier: dict, model: tflite_reader.Model, margin: int) -> TflmResult | None:
  """The TFLM result of an earlier report of the same model, with `margin`; None if it has none.

  The smallest arena does not depend on the margin, so a report that
  tflite_model wrote saves tflm_model_library the bisection.
  """
  tflm = earlier.get("tflm") or {}
  if earlier.get("model_bytes") != model.size_bytes or not tflm.get("checked"):
    return None
  result = TflmResult(checked=True, runnable=tflm["runnable"], error=tflm["error"],
                      arena_margin_percent=margin)
  if result.runnable:
    result.min_arena_bytes = tflm["min_arena_bytes"]
    result.recommended_arena_bytes = _round_up(result.min_arena_bytes * (100 + margin) // 100)
  return result


def read_earlier_report(path: str) -> dict:
  """An earlier report of tools/analyze.py, or a ToolError naming the file."""
  try:
    return json.loads(common.read_input(path, "an analysis report (JSON)"))
  except (json.JSONDecodeError, UnicodeDecodeError) as e:
    raise common.ToolError(f"{path}: not an analysis report of tools/analyze.py ({e}); rebuild "
                           "the tflite_model that made it.") from None


def analyze(model_path: str, label: str, tflm_check: bool, require_tflm: bool, margin: int,
            earlier: dict | None = None) -> dict:
  """The full report of the model at `model_path`; TFLM's result comes from `earlier` if it has one."""
  model = model_check.read_model_file(model_path, label)
  report = describe(model, label)
  tflm = TflmResult(arena_margin_percent=margin)
  if require_tflm and report["quantization"] in ("dynamic_range", "float16"):
    raise common.ToolError(explain_tflm_failure(label, report, ""))
  if tflm_check or require_tflm:
    tflm = (earlier and reuse_tflm_check(earlier, model, margin)) or check_tflm(
        model_path, model.size_bytes, margin)
    if require_tflm and not tflm.runnable:
      raise common.ToolError(explain_tflm_failure(label, report, tflm.error or ""))
  report["tflm"] = dataclasses.asdict(tflm)
  return report


def write_report(model: str, report: str, summary: str | None = None, label: str | None = None,
                 tflm_check: bool = True, require_tflm: bool = False, margin_percent: int = 10,
                 max_flash_bytes: int = 0, max_arena_bytes: int = 0,
                 earlier_report: str | None = None) -> dict:
  """Analyzes the model at `model`, checks the budgets and writes the report (and summary).

  `earlier_report` is a report of the same model by an earlier run, whose
  TFLM measurement is reused. Returns the report; on any error, neither file
  is left behind.
  """
  with common.Outputs(report, summary) as outputs:
    earlier = read_earlier_report(earlier_report) if earlier_report else None
    result = analyze(model, label or model, tflm_check, require_tflm, margin_percent, earlier)
    check_budgets(result, max_flash_bytes, max_arena_bytes)
    outputs.write(report, json.dumps(result, indent=1) + "\n")
    if summary:
      outputs.write(summary, summary_text(result))
  return result


if __name__ == "__main__":
  common.exit_as_library("analyze")
