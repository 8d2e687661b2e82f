"""Command line of tools/convert.py: a SavedModel or Keras model to a .tflite, optionally quantized."""

import pathlib

from absl import app
from absl import flags

from tools import common
from tools import convert

_MODEL = flags.DEFINE_string("model", None, "SavedModel directory or .keras/.h5 file.", required=True)
_OUTPUT = flags.DEFINE_string("output", None, "Path of the .tflite to write.", required=True)
_QUANTIZATION = flags.DEFINE_enum("quantization", "none", convert.QUANTIZATIONS,
                                  "Post-training quantization.")
_DATASET = flags.DEFINE_string("representative_dataset", None,
                               "Calibration inputs for int8/int16x8: .npy, or .npz with `x`.")
_MAX_SAMPLES = flags.DEFINE_integer("max_calibration_samples", 500,
                                    "Calibrate on at most this many samples.")
_BATCH_SIZE = flags.DEFINE_integer(
    "batch_size", 1, "Fix an open batch dimension to this before converting (0: keep it open).")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in messages.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  dataset = pathlib.Path(_DATASET.value) if _DATASET.value else None
  convert.write_tflite(pathlib.Path(_MODEL.value), pathlib.Path(_OUTPUT.value), _QUANTIZATION.value,
                       dataset, _MAX_SAMPLES.value, _MODEL_LABEL.value, _BATCH_SIZE.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "convert"))
