"""Child process of tools/analyze.py: runs a model in the real TFLM interpreter.

    tflm_probe.py MODEL LOW HIGH

Looks for the smallest arena, a multiple of 16 bytes, with which the model
runs: LOW is a size known to fail (0 if none), HIGH a size to try first.
Each attempt loads the model into a TFLM interpreter (PyPI `tflite-micro`)
with that arena, fills the inputs with zeros and invokes it, and prints one
JSON line:

    {"arena": 2192, "ok": true, "used": 1504}
    {"arena": 512, "ok": false, "log": "<what TFLM printed>"}

If HIGH fails, that is the only line. Before each attempt it prints
{"trying": N}, so that if TFLM crashes the process (it does, with some models
and tiny arenas), the parent knows which size did it and can go on from
there. `used` is the arena TFLM's recording allocator reports, which leaves out
temporary memory: a lower bound that narrows the search.

Self-contained (standard library, numpy and tflite_micro only) because the
parent starts it by file path, under Bazel and without.
"""

import json
import os
import re
import sys
import tempfile

import numpy as np

_USED = re.compile(r"Arena allocation total (\d+) bytes")


def _print(record: dict) -> None:
  sys.stdout.write(json.dumps(record) + "\n")
  sys.stdout.flush()


def _capture_fd2(run):
  """Runs `run()` with file descriptor 2 (TFLM's error output) sent to a temporary file."""
  sys.stderr.flush()
  saved = os.dup(2)
  with tempfile.TemporaryFile() as log:
    os.dup2(log.fileno(), 2)
    try:
      error = run()
    finally:
      sys.stderr.flush()
      os.dup2(saved, 2)
      os.close(saved)
    log.seek(0)
    return error, log.read().decode("utf-8", "replace")


def probe(runtime, model: bytes, arena: int) -> dict:
  """Loads and invokes `model` with an `arena`-byte arena; the result record."""
  def run():
    try:
      interpreter = runtime.Interpreter.from_bytes(model, arena_size=arena)
      index = 0
      while True:
        try:
          details = interpreter.get_input_details(index)
        except Exception:  # No input with this index: all are set.
          break
        interpreter.set_input(np.zeros(details["shape"], dtype=details["dtype"]), index)
        index += 1
      interpreter.invoke()
      interpreter.print_allocations()
    except Exception as e:  # TFLM reports every failure as a RuntimeError or similar.
      return f"{type(e).__name__}: {e}"
    return None

  error, log = _capture_fd2(run)
  if error:
    return {"arena": arena, "ok": False, "log": (log + "\n" + error).strip()}
  used = _USED.search(log)
  return {"arena": arena, "ok": True, "used": int(used.group(1)) if used else None}


GRANULARITY = 16


def search(attempt, low: int, high: int) -> None:
  """Bisects between a failing `low` and `high` (tried first) in steps of GRANULARITY."""
  result = attempt(high)
  if not result["ok"]:
    return
  used = result.get("used")
  if used and low < used < high:  # TFLM's own count: often just what it needs.
    hint = -(-used // GRANULARITY) * GRANULARITY
    if attempt(hint)["ok"]:
      high = hint
      if hint - GRANULARITY > low and not attempt(hint - GRANULARITY)["ok"]:
        return
    else:
      low = hint
  while high - low > GRANULARITY:
    middle = (low + high) // 2 // GRANULARITY * GRANULARITY
    if attempt(middle)["ok"]:
      high = middle
    else:
      low = middle


def main(argv: list[str]) -> int:
  from tflite_micro.python.tflite_micro import runtime
  with open(argv[1], "rb") as f:
    model = f.read()

  def attempt(arena: int) -> dict:
    _print({"trying": arena})
    result = probe(runtime, model, arena)
    _print(result)
    return result

  search(attempt, int(argv[2]), int(argv[3]))
  return 0


if __name__ == "__main__":
  sys.exit(main(sys.argv))
