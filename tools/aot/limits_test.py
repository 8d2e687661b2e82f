"""The runtime's limits: tools/aot/limits.py and runtime/shapes.h agree."""

import re

from tools.aot import harness
from tools.aot import limits


def test_the_runtime_header_defines_the_same_limits():
  header = (harness.REPO / "runtime" / "shapes.h").read_text()
  defined = {name: int(value) for name, value in
             re.findall(r"^#define (TFLM_RT_\w+) (\d+)$", header, re.MULTILINE)}
  assert defined == limits.MACROS, (
      "runtime/shapes.h and tools/aot/limits.py must define the same limits")
