"""The README's table of models: what the ahead-of-time compiler does with each .tflite of
TFLM's repository and each MLPerf Tiny model.

Each row is a model file and its verdict: compiled ahead of time (coverage_test.py then
checks it bit for bit against TFLM on the host), or TFLM only, with the ops the compiler
refuses and why, read from the compiler's own errors. The table sits in README.md between
BEGIN and END; coverage_test.py fails when it is not what table() writes today, and
`bazel run //tests/coverage:update_readme` rewrites it.
"""

import dataclasses
import functools
import pathlib

from tools import common
from tools import tflite_reader
from tools.aot import compiler
from tools.aot import errors

BEGIN = "<!-- models table: bazel run //tests/coverage:update_readme -->"
END = "<!-- end of models table -->"
COMPILED = "ahead of time, bit-exact with TFLM"
# The one model no C compiler can run: its graph is a command stream for Arm's Ethos-U NPU.
NPU_OP = "CUSTOM:ethos-u"

_UNSUPPORTED = "the op is not supported"
_TYPES = "tensor types "
_COMPILE_TIME_ONLY = "only at compile time"


@dataclasses.dataclass(frozen=True)
class Row:
  """A model: `name` as the table shows it (its path in TFLM's repository, or in ours) and
  `path` where the test reads it."""
  name: str
  path: pathlib.Path


def tflm_root(repo: pathlib.Path) -> pathlib.Path | None:
  """TFLM's repository (@tflm) in the runfiles of a test or `bazel run` beside `repo`, or None."""
  for root in (repo / "external" / "tflm", repo.parent / "tflm"):
    if (root / "tensorflow").is_dir():
      return root
  return None


def rows(tflm: pathlib.Path, repo: pathlib.Path) -> list[Row]:
  """Every .tflite of TFLM's repository, then the MLPerf Tiny models of tests/testdata."""
  found = [Row(str(p.relative_to(tflm)), p) for p in sorted(tflm.rglob("*.tflite"))]
  mlperf = sorted((repo / "tests" / "testdata" / "mlperf_tiny").glob("*.tflite"))
  return found + [Row(str(p.relative_to(repo)), p) for p in mlperf]


def _reason(error: errors.OpError) -> str:
  """One refused op, shortly: the op, with the tensor types it was refused for, or what
  else the compiler said."""
  if error.problem.startswith(_UNSUPPORTED):
    return error.opcode
  if error.problem.startswith(_TYPES):
    types = error.problem[len(_TYPES):].split(" are not")[0].split(", ")
    return f"{error.opcode} on {', '.join(dict.fromkeys(types))}"
  if _COMPILE_TIME_ONLY in error.problem:
    return f"{error.opcode} at run time"
  return f"{error.opcode} ({error.problem.split(',')[0]})"


@functools.cache  # the table and each test ask again
def verdict(path: pathlib.Path) -> str:
  """What the compiler does with the model: COMPILED, or "TFLM only: " and why."""
  try:
    compiler.compile_model(tflite_reader.read_model_file(str(path)), "model", path.name,
                           "model.h")
  except errors.OpErrors as e:
    if any(error.opcode == NPU_OP for error in e.errors):
      return "TFLM only, with an Ethos-U NPU: the graph is one ethos-u command stream"
    reasons = dict.fromkeys(_reason(error) for error in e.errors)  # in graph order, once
    return "TFLM only: the compiler lacks " + "; ".join(reasons)
  except common.ToolError as e:
    return f"TFLM only: {e}"
  return COMPILED


def table(models: list[Row]) -> str:
  """The Markdown table of the models and their verdicts."""
  lines = ["| model | what the compiler does |", "| --- | --- |"]
  lines += [f"| `{row.name}` | {verdict(row.path)} |" for row in models]
  return "\n".join(lines) + "\n"


def in_readme(readme: str) -> str:
  """The table in the README's text."""
  start, end = readme.index(BEGIN) + len(BEGIN) + 1, readme.index(END)
  return readme[start:end]


def with_table(readme: str, new: str) -> str:
  """The README's text with its table replaced by `new`."""
  return readme.replace(BEGIN + "\n" + in_readme(readme), BEGIN + "\n" + new)
