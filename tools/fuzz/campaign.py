"""A fuzzing campaign: mutants of the test models through every model-reading tool.

`run_campaign(seed, count)` draws `count` mutants (run.cases) of the seed
models (`seed_models`: the small models of tests/testdata and one model of
each kernel of the differential test), runs aot_compile, analyze, c_array
and op_resolver on every one, and analyze with the TFLM check and golden
(both run the TFLM interpreter) on every `tflm_every`-th; the C of every
model aot_compile accepts is built and run under ASan and UBSan
(sanitize.py). It returns the table of outcomes and every bad finding, with
the mutant's bytes to reproduce it.
"""

import collections
import dataclasses
import pathlib
import random
import tempfile
import time

from tools.fuzz import run
from tools.fuzz import sanitize

TESTDATA = run.REPO / "tests" / "testdata"
# Seed models above this size make slow cases and add little.
MAX_SEED_BYTES = 64 * 1024
EVERY_RUN = ("aot_compile", "analyze", "c_array", "op_resolver")
TFLM_RUNS = ("analyze_tflm", "golden")
# TFLM loops for ever on some broken models, at random: analyze and golden then stop
# it. The children they fork inherit these shorter limits, and get longer to finish.
TFLM_LIMIT_SECONDS = 10
TFLM_RUN_TIMEOUT_SECONDS = 150


def seed_models() -> dict[str, bytes]:
  """{name: bytes} of the models the mutants start from."""
  from tools.aot import case_model  # pylint: disable=import-outside-toplevel
  from tools.aot import cases  # pylint: disable=import-outside-toplevel
  seeds = {p.relative_to(TESTDATA).as_posix(): p.read_bytes()
           for p in sorted(TESTDATA.rglob("*.tflite")) if p.stat().st_size <= MAX_SEED_BYTES}
  for kernel in sorted(cases.KERNELS):
    seeds[f"one_op/{kernel}"] = case_model.build_model(cases.drawn(kernel))
  return seeds


@dataclasses.dataclass
class Finding:
  """A bad outcome: the case, the tool (or "sanitizer"), what happened, and the mutant."""
  number: int
  seed_model: str
  mutation: str
  tool: str
  outcome: str
  detail: str
  data: bytes


@dataclasses.dataclass
class Report:
  counts: dict[str, dict[str, int]]
  findings: list[Finding]
  seconds: float
  cases: int

  def text(self) -> str:
    lines = [f"{self.cases} mutated models in {self.seconds:.0f} s; outcomes per tool:", "",
             run.table(self.counts), ""]
    for f in self.findings[:50]:
      lines.append(f"case {f.number} ({f.seed_model}, {f.mutation}): {f.tool}: {f.outcome}: "
                   f"{f.detail.strip()[-600:]}")
    return "\n".join(lines)


def run_campaign(seed: int, count: int, start: int = 0, timeout: float = 30.0,
                 tflm_every: int = 10, work: pathlib.Path | None = None,
                 log=None) -> Report:
  """Runs `count` cases from case number `start`; see the module's docstring."""
  run.preload()
  from tools import analyze, golden  # pylint: disable=import-outside-toplevel
  analyze.PROBE_TIMEOUT_SECONDS = golden.TIMEOUT_SECONDS = TFLM_LIMIT_SECONDS
  began = time.monotonic()
  counts: dict[str, dict[str, int]] = collections.defaultdict(collections.Counter)
  findings, reported = [], 0
  with tempfile.TemporaryDirectory(prefix="rules_tflm_fuzz_") as tmp:
    folder = pathlib.Path(work or tmp)
    runtime = sanitize.Runtime(folder / "runtime")
    model, out, build = folder / "m.tflite", folder / "out", folder / "build"
    for n, case in enumerate(run.cases(seed_models(), seed, count, start)):
      model.write_bytes(case.data)
      tools = EVERY_RUN + (TFLM_RUNS if case.number % tflm_every == 0 else ())
      for tool in tools:
        run.clean(out)
        result = run.run_tool(tool, model, out,
                              TFLM_RUN_TIMEOUT_SECONDS if tool in TFLM_RUNS else timeout)
        counts[tool][result.outcome] += 1
        if result.outcome in run.BAD:
          findings.append(Finding(case.number, case.seed_model, case.mutation, tool,
                                  result.outcome, result.stderr, case.data))
        if tool == "aot_compile" and result.outcome == "success":
          run.clean(build)
          for name in ("m.h", "m.c"):
            (build / name).write_bytes((out / name).read_bytes())
          checked = sanitize.check(runtime, case.data, build,
                                   random.Random(case.number).getrandbits(31))
          counts["C under ASan+UBSan"][checked.outcome] += 1
          if checked.outcome != "ok":
            findings.append(Finding(case.number, case.seed_model, case.mutation, "sanitizer",
                                    checked.outcome, checked.detail, case.data))
      if log:
        for f in findings[reported:]:
          log(f"case {f.number} ({f.seed_model}, {f.mutation}): {f.tool}: {f.outcome}: "
              f"{f.detail.strip()[-300:]}")
        reported = len(findings)
      if log and (n + 1) % 100 == 0:
        log(f"{n + 1} cases, {len(findings)} findings, {time.monotonic() - began:.0f} s")
  return Report({k: dict(v) for k, v in sorted(counts.items())}, findings,
                time.monotonic() - began, count)
