"""Runs the model-reading tools on mutated models, each in a child process, and classifies them.

Start-up is the cost that matters (thousands of runs), so the tools are not
started afresh: this process imports what their command lines import, then
forks one child per run, which runs `python -m tools.cli.<tool>` as it is
(runpy: the same flags, the same error handling) with stdout and stderr sent
to a file. A child that outlives its timeout is killed with its process
group (analyze's TFLM probes included). Each result is one of OUTCOMES:

    success      exit 0, every output written
    clean error  exit 1 with "<tool>: error: ...", and no output left behind
    traceback    a Python traceback on stderr
    internal     "internal error in rules_tflm": an exception past validation
    signal       the child died by a signal
    hang         the child outlived the timeout
    partial      a failure that left output files (or temporary files) behind
    odd          anything else (exit 0 without outputs, exit 1 without a message)

Only the first two are fine. sanitize.py then compiles and runs the C that
aot_compile wrote for each accepted model.
"""

import dataclasses
import os
import pathlib
import random
import runpy
import select
import shutil
import signal
import sys
import time

from tools.fuzz import mutate

REPO = pathlib.Path(__file__).absolute().parents[2]
OUTCOMES = ("success", "clean error", "traceback", "internal", "signal", "hang", "partial", "odd")
BAD = frozenset(OUTCOMES[2:])

# Each tool: its flags ({model} and {out} filled in) and the files it writes in {out}.
TOOLS = {
    "analyze": (["--model={model}", "--report={out}/r.json", "--summary={out}/s.txt",
                 "--notflm_check"], ["r.json", "s.txt"]),
    "analyze_tflm": (["--model={model}", "--report={out}/r.json", "--require_tflm"], ["r.json"]),
    "aot_compile": (["--model={model}", "--header={out}/m.h", "--source={out}/m.c", "--prefix=m",
                     "--model_label=//fuzz:m"], ["m.h", "m.c"]),
    "c_array": (["--input={model}", "--header={out}/a.h", "--source={out}/a.c",
                 "--array_name=model_data"], ["a.h", "a.c"]),
    "op_resolver": (["--model={model}", "--header={out}/o.h", "--name=m", "--custom_ops=hook"],
                    ["o.h"]),
    "golden": (["--model={model}", "--header={out}/g.h", "--count=2"], ["g.h"]),
}


def preload() -> None:
  """Imports, once, what the children's command lines import (they start warm)."""
  # pylint: disable=import-outside-toplevel,unused-import
  import absl.app
  import absl.flags
  import numpy
  from tflite_micro.python.tflite_micro import runtime
  from tools import analyze, c_array, golden, model_check, op_resolver
  from tools.aot import compiler, registry
  registry.supported_ops()


@dataclasses.dataclass
class Result:
  tool: str
  outcome: str
  status: int | None
  stderr: str
  seconds: float


def _child(tool: str, argv: list[str], log: pathlib.Path) -> None:
  """In the forked child: runs the tool's command line; never returns."""
  code = 70
  try:
    os.setpgid(0, 0)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    # The parent's sys.stdout and sys.stderr may not be fds 1 and 2 (pytest captures them).
    sys.stdout = open(1, "w", closefd=False)  # pylint: disable=consider-using-with
    sys.stderr = open(2, "w", closefd=False)  # pylint: disable=consider-using-with
    sys.argv = [tool] + argv
    try:
      runpy.run_module(f"tools.cli.{tool}", run_name="__main__", alter_sys=True)
      code = 0
    except SystemExit as e:
      if isinstance(e.code, str):
        print(e.code, file=sys.stderr)
      code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
  except BaseException:  # pylint: disable=broad-except
    import traceback  # pylint: disable=import-outside-toplevel
    traceback.print_exc()
    code = 71
  finally:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # pylint: disable=protected-access


def _wait(pid: int, timeout: float) -> int | None:
  """The child's wait status, or None after killing its group at the timeout."""
  fd = os.pidfd_open(pid)
  try:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if not poller.poll(timeout * 1000):
      for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
          target()
        except ProcessLookupError:
          pass
      os.waitpid(pid, 0)
      return None
    return os.waitpid(pid, 0)[1]
  finally:
    os.close(fd)


def run_tool(tool: str, model: pathlib.Path, out: pathlib.Path, timeout: float) -> Result:
  """One run of `tool` on `model`, writing into the empty folder `out`, classified."""
  flags, files = TOOLS[tool]
  argv = [f.format(model=model, out=out) for f in flags]
  log = out.parent / f"{out.name}.log"
  start = time.monotonic()
  name = "analyze" if tool == "analyze_tflm" else tool
  sys.stdout.flush()
  sys.stderr.flush()
  pid = os.fork()
  if pid == 0:
    _child(name, argv, log)
  status = _wait(pid, timeout)
  seconds = time.monotonic() - start
  stderr = log.read_text(errors="replace") if log.exists() else ""
  left = sorted(p.name for p in out.iterdir())
  if status is None:
    outcome = "hang"
  elif os.WIFSIGNALED(status):
    outcome = "signal"
  elif "Traceback (most recent call last)" in stderr:
    outcome = "traceback"
  elif "internal error in rules_tflm" in stderr:
    outcome = "internal"
  elif os.waitstatus_to_exitcode(status) == 0:
    outcome = "success" if left == sorted(files) else "odd"
  elif left:
    outcome = "partial"
  elif os.waitstatus_to_exitcode(status) == 1 and f"{name}: error: " in stderr:
    outcome = "clean error"
  else:
    outcome = "odd"
  code = None if status is None else os.waitstatus_to_exitcode(status)
  return Result(tool, outcome, code, stderr, seconds)


@dataclasses.dataclass
class Case:
  """One mutated model: its number, seed model, what was done, and its bytes."""
  number: int
  seed_model: str
  mutation: str
  data: bytes


def cases(seeds: dict[str, bytes], seed: int, count: int, start: int = 0):
  """`count` mutants drawn from `seeds` ({name: bytes}) with the fixed `seed`."""
  names = sorted(seeds)
  for number in range(start, start + count):
    rng = random.Random(f"{seed}-{number}")
    name, donor = rng.choice(names), rng.choice(names)
    mutation, data = mutate.mutant(rng, seeds[name], seeds[donor])
    yield Case(number, name, mutation, data)


def clean(folder: pathlib.Path) -> None:
  shutil.rmtree(folder, ignore_errors=True)
  folder.mkdir(parents=True)


def table(counts: dict[str, dict[str, int]]) -> str:
  """The classification table: a row per tool, a column per outcome."""
  columns = list(OUTCOMES) + ["ok", "sanitizer", "bad C"]
  used = [c for c in columns if c in OUTCOMES or any(row.get(c) for row in counts.values())]
  lines = ["| tool | " + " | ".join(used) + " |", "| --- |" + " --- |" * len(used)]
  for tool, row in counts.items():
    lines.append(f"| {tool} | " + " | ".join(str(row.get(c, 0)) for c in used) + " |")
  return "\n".join(lines)
