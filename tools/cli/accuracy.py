"""Command line of tools/accuracy.py: a quantized model against its float original, with a threshold.

Prints the table (and writes it to --report, also when the drop is too
large, to show by how much), then fails past --max_drop.
"""

import pathlib

from absl import app
from absl import flags

from tools import accuracy
from tools import common

_REFERENCE = flags.DEFINE_string("reference", None, "The .tflite to compare against (float).",
                                 required=True)
_CANDIDATE = flags.DEFINE_string("candidate", None, "The .tflite under test (quantized).",
                                 required=True)
_DATASET = flags.DEFINE_string("dataset", None, ".npz with inputs x and expected outputs y.",
                               required=True)
_TASK = flags.DEFINE_enum("task", "regression", ["regression", "classification"],
                          "What the model does, which decides the metrics.")
_MAX_DROP = flags.DEFINE_float("max_drop", None, "Largest allowed drop: MAE increase for "
                               "regression, top-1 percentage points for classification.",
                               required=True)
_REPORT = flags.DEFINE_string("report", None, "Also write the table to this file.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  comparison = accuracy.compare(pathlib.Path(_REFERENCE.value), pathlib.Path(_CANDIDATE.value),
                                pathlib.Path(_DATASET.value), _TASK.value, _MAX_DROP.value)
  print(comparison.table, end="")
  if _REPORT.value:
    common.write_atomically(_REPORT.value, comparison.table)
  comparison.check()


if __name__ == "__main__":
  app.run(common.run_tool(main, "accuracy", lambda: f"{_REFERENCE.value} and {_CANDIDATE.value}"))
