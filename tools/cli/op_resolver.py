"""Command line of tools/op_resolver.py: a MicroMutableOpResolver header with exactly a model's ops."""

import pathlib

from absl import app
from absl import flags

from tools import c_text
from tools import common
from tools import op_resolver

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the header to write.", required=True)
_NAME = flags.DEFINE_string("name", None, "snake_case name the C++ names derive from, e.g. "
                            "model_data gives ModelDataOpResolver.", required=True)
_NAMESPACE = flags.DEFINE_string("namespace", None, "C++ namespace of the names, e.g. fw::models.")
_INCLUDE_PATH = flags.DEFINE_string("include_path", None, "Path the header is included as.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in the banner.")
_LINKED_OPS = flags.DEFINE_list("linked_ops", None, "The builtin ops whose kernels the TFLM library "
                                "is linked with; a model op outside them is an error.")
_LINKED_BY = flags.DEFINE_string("linked_by", None, "The target that chose --linked_ops, for messages.")
_CUSTOM_OPS = flags.DEFINE_enum("custom_ops", "error", ["error", "hook"],
                                "What to do with custom ops: refuse them, or declare a hook.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  c_text.check_identifier(_NAME.value, "--name")
  if _NAMESPACE.value is not None:
    c_text.check_namespace(_NAMESPACE.value, "--namespace")
  op_resolver.write_header(_MODEL.value, pathlib.Path(_HEADER.value), _NAME.value, _NAMESPACE.value,
                           _INCLUDE_PATH.value, _MODEL_LABEL.value, _LINKED_OPS.value,
                           _LINKED_BY.value, _CUSTOM_OPS.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "op_resolver", lambda: _MODEL.value))
