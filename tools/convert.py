"""Converts a SavedModel or Keras model to a TensorFlow Lite FlatBuffer, optionally quantized.

Quantization modes (`--quantization`):
  none           float32 throughout.
  dynamic_range  int8 weights, float activations ("hybrid" ops; TFLM cannot run it).
  float16        float16 weights, dequantized at run time (TFLM cannot run it).
  int8           full integer: int8 weights and activations, int8 input and
                 output; needs a representative dataset to calibrate ranges.
  int16x8        int16 activations with int8 weights, int16 input and output;
                 needs a representative dataset.

The representative dataset is a .npy array of shape (N, <input shape>) or a
.npz holding such an array under `x`.
"""

import dataclasses
import os
import pathlib

from absl import app
from absl import flags
import numpy as np

from tools import common

QUANTIZATIONS = ("none", "dynamic_range", "float16", "int8", "int16x8")
CALIBRATED = ("int8", "int16x8")

_MODEL = flags.DEFINE_string("model", None, "SavedModel directory or .keras/.h5 file.", required=True)
_OUTPUT = flags.DEFINE_string("output", None, "Path of the .tflite to write.", required=True)
_QUANTIZATION = flags.DEFINE_enum("quantization", "none", QUANTIZATIONS, "Post-training quantization.")
_DATASET = flags.DEFINE_string("representative_dataset", None,
                               "Calibration inputs for int8/int16x8: .npy, or .npz with `x`.")
_MAX_SAMPLES = flags.DEFINE_integer("max_calibration_samples", 500,
                                    "Calibrate on at most this many samples.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in messages.")


@dataclasses.dataclass(frozen=True)
class Source:
  """Where the model comes from: `kind` is keras (a .keras/.h5 file) or saved_model."""
  path: pathlib.Path
  kind: str


def find_source(path: pathlib.Path) -> Source:
  """Tells what kind of model `path` is, or raises a ToolError saying what is expected."""
  if path.is_dir():
    if (path / "saved_model.pb").is_file():
      return Source(path, "saved_model")
    raise common.ToolError(
        f"{path} is a directory without saved_model.pb, so not a SavedModel; pass a SavedModel "
        "directory (tf.saved_model.save or model.export) or a .keras/.h5 file.")
  if not path.exists():
    raise common.ToolError(f"{path}: no such file or directory; pass a SavedModel directory or a "
                           ".keras/.h5 file.")
  if path.suffix in (".keras", ".h5"):
    return Source(path, "keras")
  raise common.ToolError(
      f"{path}: cannot tell what model this is from its name; pass a SavedModel directory or a "
      "Keras file ending in .keras or .h5.")


def load_dataset(path: pathlib.Path) -> np.ndarray:
  """The calibration array of a .npy, or of a .npz's `x` (or its only array)."""
  if not path.is_file():
    raise common.ToolError(f"{path}: representative dataset not found.")
  try:
    loaded = np.load(path, allow_pickle=False)
  except (ValueError, OSError):
    raise common.ToolError(f"{path} is not a NumPy .npy or .npz file of numbers; save the "
                           "calibration inputs with numpy.save or numpy.savez.") from None
  if isinstance(loaded, np.ndarray):
    return loaded
  with loaded:
    if "x" in loaded.files:
      return loaded["x"]
    if len(loaded.files) == 1:
      return loaded[loaded.files[0]]
    raise common.ToolError(f"{path} holds arrays {sorted(loaded.files)} but no 'x'; store the "
                           "calibration inputs under the key 'x'.")


def _shape_text(shape) -> str:
  return "(" + ", ".join("?" if d in (None, -1) else str(d) for d in shape) + ")"


def calibration_samples(dataset: np.ndarray, input_shape: tuple[int, ...], path: pathlib.Path,
                        max_samples: int) -> list[np.ndarray]:
  """Splits `dataset` into float32 batches of one, shaped like the model's input.

  `input_shape` is the model's input shape with its batch dimension; the
  dataset must be (N, <input_shape without batch>).
  """
  sample_shape = tuple(input_shape[1:])
  actual = tuple(dataset.shape[1:])
  compatible = len(actual) == len(sample_shape) and all(
      want in (None, -1) or want == got for want, got in zip(sample_shape, actual))
  if dataset.ndim == 0 or not compatible or len(dataset) == 0:
    raise common.ToolError(
        f"{path}: representative dataset has shape {_shape_text(dataset.shape)}, but the model's "
        f"input is {_shape_text(input_shape)}, so samples must be {_shape_text(('N',) + sample_shape)}"
        ": one row per sample, without the batch dimension.")
  samples = dataset[:max_samples].astype(np.float32)
  return [sample[np.newaxis, ...] for sample in samples]


def _tensorflow():
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
  return common.require_module("tensorflow", "convert a model to TensorFlow Lite")


def make_converter(source: Source, label: str):
  """A TFLiteConverter for the model and the model's input shape (with batch)."""
  tf = _tensorflow()
  try:
    if source.kind == "saved_model":
      converter = tf.lite.TFLiteConverter.from_saved_model(str(source.path))
      loaded = tf.saved_model.load(str(source.path))
      signature = loaded.signatures[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
      inputs = [t for t in signature.structured_input_signature[1].values()]
    else:
      model = tf.keras.models.load_model(str(source.path), compile=False)
      converter = tf.lite.TFLiteConverter.from_keras_model(model)
      inputs = list(model.inputs)
  except Exception as e:  # TF raises many types for a bad model; all mean "cannot load".
    first_line = (str(e).strip().splitlines() or [""])[0]
    raise common.ToolError(f"{label}: TensorFlow could not load {source.path} "
                           f"({type(e).__name__}: {first_line}); check that Keras or TensorFlow "
                           "saved it and that it is complete.") from None
  if len(inputs) != 1:
    raise common.ToolError(f"{label}: the model has {len(inputs)} inputs; rules_tflm converts "
                           "models with one input.")
  return converter, tuple(inputs[0].shape)


def configure(converter, quantization: str, samples: list[np.ndarray] | None) -> None:
  """Sets the converter's optimization options for `quantization`."""
  tf = _tensorflow()
  if quantization == "none":
    return
  converter.optimizations = [tf.lite.Optimize.DEFAULT]
  if quantization == "float16":
    converter.target_spec.supported_types = [tf.float16]
  elif quantization in CALIBRATED:
    converter.representative_dataset = lambda: ([s] for s in samples)
    if quantization == "int8":
      converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
      converter.inference_input_type = tf.int8
      converter.inference_output_type = tf.int8
    else:
      converter.target_spec.supported_ops = [
          tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
      converter.inference_input_type = tf.int16
      converter.inference_output_type = tf.int16


def convert(source: Source, quantization: str, dataset_path: pathlib.Path | None, max_samples: int,
            label: str) -> bytes:
  """The .tflite bytes of the model, quantized as asked."""
  if quantization in CALIBRATED and dataset_path is None:
    raise common.ToolError(
        f"{label}: quantization '{quantization}' needs a representative dataset to calibrate "
        "activation ranges: set representative_dataset to a .npy/.npz of typical inputs, shape "
        "(N, <input shape>).")
  if quantization not in CALIBRATED and dataset_path is not None:
    raise common.ToolError(
        f"{label}: a representative dataset ({dataset_path}) is only used by quantization "
        f"'int8' and 'int16x8', not '{quantization}'; remove it or change the quantization.")
  dataset = load_dataset(dataset_path) if dataset_path else None
  with common.captured_output() as log:
    converter, input_shape = make_converter(source, label)
    samples = (calibration_samples(dataset, input_shape, dataset_path, max_samples)
               if dataset is not None else None)
    configure(converter, quantization, samples)
    try:
      return bytes(converter.convert())
    except Exception as e:  # The converter's errors come in many types.
      details = "\n".join(log().strip().splitlines()[-15:])
      raise common.ToolError(f"{label}: the TFLite converter failed ({quantization}): "
                             f"{type(e).__name__}: {e}\nThe converter's last words:\n{details}") from None


def main(argv: list[str]) -> None:
  del argv  # Unused.
  output = pathlib.Path(_OUTPUT.value)
  output.unlink(missing_ok=True)
  source = find_source(pathlib.Path(_MODEL.value))
  dataset = pathlib.Path(_DATASET.value) if _DATASET.value else None
  tflite = convert(source, _QUANTIZATION.value, dataset, _MAX_SAMPLES.value,
                   _MODEL_LABEL.value or _MODEL.value)
  common.write_atomically(output, tflite)


if __name__ == "__main__":
  app.run(common.run_tool(main, "convert"))
