"""Command line of tools/c_array.py: a binary file as a const, aligned C array."""

import pathlib

from absl import app
from absl import flags

from tools import c_array
from tools import c_text
from tools import common

_INPUT = flags.DEFINE_string("input", None, "Path to the binary file to embed.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the .h to write.", required=True)
_SOURCE = flags.DEFINE_string(
    "source", None, "Path of the source to write; .c gives C, .cc or .cpp gives C++.", required=True)
_ARRAY_NAME = flags.DEFINE_string("array_name", None, "C identifier of the array.", required=True)
_NAMESPACE = flags.DEFINE_string("namespace", None, "C++ namespace for the array, e.g. fw::models.")
_SECTION = flags.DEFINE_string("section", None, "Linker section for the array, e.g. .rodata.models.")
_ALIGNMENT = flags.DEFINE_integer("alignment", 16, "Alignment of the array in bytes.")
_INCLUDE_PATH = flags.DEFINE_string(
    "include_path", None, "How the source #includes the header; default: the header's file name.")
_INPUT_LABEL = flags.DEFINE_string("input_label", None, "Name of the input for the banner.")
_ARENA_REPORT = flags.DEFINE_string(
    "arena_report", None, "Report of tools/analyze.py; adds NAME_ARENA_SIZE to the header.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  c_text.check_identifier(_ARRAY_NAME.value, "--array_name")
  if _NAMESPACE.value is not None:
    c_text.check_namespace(_NAMESPACE.value, "--namespace")
  c_array.write_array(_INPUT.value, pathlib.Path(_HEADER.value), pathlib.Path(_SOURCE.value),
                      _ARRAY_NAME.value, _NAMESPACE.value, _SECTION.value, _ALIGNMENT.value,
                      _INCLUDE_PATH.value, _INPUT_LABEL.value,
                      pathlib.Path(_ARENA_REPORT.value) if _ARENA_REPORT.value else None)


if __name__ == "__main__":
  app.run(common.run_tool(main, "c_array", lambda: _INPUT.value))
