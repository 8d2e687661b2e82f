"""Command line of tools/offline_plan.py: a copy of a .tflite that carries our memory plan for TFLM."""

import pathlib

from absl import app
from absl import flags

from tools import common
from tools import offline_plan

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_OUTPUT = flags.DEFINE_string("output", None, "Path of the planned copy to write.", required=True)
_IN_PLACE = flags.DEFINE_bool("in_place", True, "Let elementwise ops overwrite an input that "
                              "dies with them (model inputs included); see memory_planner.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  print(offline_plan.write_planned(_MODEL.value, pathlib.Path(_OUTPUT.value), _IN_PLACE.value))


if __name__ == "__main__":
  app.run(common.run_tool(main, "offline_plan", lambda: _MODEL.value))
