"""Command line of tools/golden.py: golden test vectors from the TFLM interpreter, as a C header."""

import pathlib

from absl import app
from absl import flags

from tools import common
from tools import golden

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the header to write.", required=True)
_COUNT = flags.DEFINE_integer("count", 8, "Number of random vectors.")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the random inputs.")
_DATASET = flags.DEFINE_string("dataset", None, "Inputs to use instead: .npy, or .npz with x.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in the banner.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  golden.write_header(_MODEL.value, pathlib.Path(_HEADER.value), _COUNT.value, _SEED.value,
                      pathlib.Path(_DATASET.value) if _DATASET.value else None, _MODEL_LABEL.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "golden", lambda: _MODEL.value))
