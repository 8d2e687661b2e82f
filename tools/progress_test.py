"""Tests of tools/progress.py: the lines, the estimate, and when it stays quiet."""

import io

from tools import progress


class _Clock:
  def __init__(self):
    self.now = 100.0

  def __call__(self) -> float:
    return self.now


def test_lines_say_how_far_and_the_time_left():
  out, clock = io.StringIO(), _Clock()
  work = progress.Progress("golden vectors of //m:m", total=4, stream=out, enabled=True,
                           clock=clock)
  clock.now += 3
  work.step("vector 1")
  clock.now += 3
  work.step()
  clock.now += 6
  work.step()
  work.step()
  assert out.getvalue().splitlines() == [
      "golden vectors of //m:m: 1/4 (vector 1), about 9 s left",
      "golden vectors of //m:m: 2/4, about 6 s left",
      "golden vectors of //m:m: 3/4, about 4 s left",
      "golden vectors of //m:m: 4/4",
  ]


def test_without_a_total_it_counts():
  out = io.StringIO()
  work = progress.Progress("TFLM arena of //m:m", stream=out, enabled=True)
  work.step("between 0 and 1024 bytes")
  assert out.getvalue() == "TFLM arena of //m:m: 1 (between 0 and 1024 bytes)\n"


def test_quiet_unless_a_person_watches(monkeypatch):
  out = io.StringIO()  # not a terminal
  monkeypatch.delenv("RULES_TFLM_PROGRESS", raising=False)
  progress.Progress("work", total=2, stream=out).step()
  assert out.getvalue() == ""
  monkeypatch.setenv("RULES_TFLM_PROGRESS", "1")
  progress.Progress("work", total=2, stream=out).step()
  assert out.getvalue().startswith("work: 1/2")
