"""Progress of long work: what, how far, and the time left once it can be estimated.

    progress = Progress("golden vectors of //m:model", total=16)
    for ...:
      ...
      progress.step("vector 3")   # golden vectors of //m:model: 3/16 (vector 3), about 12 s left

Lines go to stderr where a person watches it (a terminal, or RULES_TFLM_PROGRESS=1 in
the environment) and nowhere otherwise: inside Bazel's actions the action's own
progress message says what runs, and a log full of steps would bury the errors. Test
runners, whose output is a log, pass `enabled=True`.
"""

import os
import sys
import time
from typing import Callable, TextIO


class Progress:
  """Counts steps of one piece of work and prints a line for each (see the module)."""

  def __init__(self, what: str, total: int | None = None, stream: TextIO | None = None,
               enabled: bool | None = None, clock: Callable[[], float] = time.monotonic):
    self.what, self.total, self.done = what, total, 0
    self.stream = stream or sys.stderr
    if enabled is None:
      enabled = os.environ.get("RULES_TFLM_PROGRESS") == "1" or self.stream.isatty()
    self.enabled, self.clock, self.start = enabled, clock, clock()

  def line(self, detail: str = "") -> str:
    """The line for the steps done so far."""
    how_far = f"{self.done}/{self.total}" if self.total else f"{self.done}"
    text = f"{self.what}: {how_far}" + (f" ({detail})" if detail else "")
    if self.total and 0 < self.done < self.total:
      left = (self.clock() - self.start) / self.done * (self.total - self.done)
      text += f", about {left:.0f} s left"
    return text

  def step(self, detail: str = "") -> None:
    """One more step done."""
    self.done += 1
    if self.enabled:
      print(self.line(detail), file=self.stream, flush=True)
