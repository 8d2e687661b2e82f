"""Compiles a .tflite model ahead of time to plain C that calls the kernels in runtime/.

The command line of tools/aot/ (see tools/aot/__init__.py and compiler.py):
one .c and one .h per model, weights as const arrays, every quantization
parameter precomputed, the activations at fixed offsets of one static arena,
and straight-line kernel calls in operator order. The ops and types it
compiles are listed in docs/aot.md; any other is an error naming the model,
the operator and what to do.
"""

import pathlib

from absl import app
from absl import flags

from tools import c_text
from tools import common
from tools import tflite_reader
from tools.aot import compiler

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the .h to write.", required=True)
_SOURCE = flags.DEFINE_string("source", None, "Path of the .c to write.", required=True)
_PREFIX = flags.DEFINE_string("prefix", None, "C prefix of the generated names.", required=True)
_INCLUDE_PATH = flags.DEFINE_string("include_path", None, "How the .c includes the .h.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in the banner.")
_ARENA_SECTION = flags.DEFINE_string("arena_section", None, "Linker section for the arena.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  header, source = pathlib.Path(_HEADER.value), pathlib.Path(_SOURCE.value)
  label = _MODEL_LABEL.value or _MODEL.value
  with common.Outputs(header, source) as outputs:
    c_text.check_identifier(_PREFIX.value, "--prefix", whole=False)
    if _INCLUDE_PATH.value is not None:
      c_text.check_include_path(_INCLUDE_PATH.value, "--include_path")
    if _ARENA_SECTION.value is not None:
      c_text.check_section(_ARENA_SECTION.value, "--arena_section")
    model = tflite_reader.read_model_file(_MODEL.value)
    generated = compiler.compile_model(model, _PREFIX.value, label,
                                       _INCLUDE_PATH.value or header.name, _ARENA_SECTION.value)
    outputs.write(header, generated.header)
    outputs.write(source, generated.source)


if __name__ == "__main__":
  app.run(common.run_tool(main, "aot_compile", lambda: _MODEL.value))
