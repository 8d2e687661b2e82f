"""Converts a SavedModel or Keras model to a TensorFlow Lite FlatBuffer, optionally quantized.

Quantization modes (`quantization`, the command line's --quantization):
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

import numpy as np

from tools import common
from tools import datasets

QUANTIZATIONS = ("none", "dynamic_range", "float16", "int8", "int16x8")
CALIBRATED = ("int8", "int16x8")

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


def calibration_samples(dataset: np.ndarray, input_shape: tuple[int, ...], path: pathlib.Path,
                        max_samples: int, label: str = "the model") -> list[np.ndarray]:
  """Splits `dataset` into float32 batches of one, shaped like the model's input.

  `input_shape` is the model's input shape with its batch dimension; the
  dataset must be (N, <input_shape without batch>).
  """
  samples = datasets.batches(dataset, input_shape, path, "representative dataset", label)
  return list(samples[:max_samples].astype(np.float32))


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
  dataset = datasets.load_samples(dataset_path, "representative dataset") if dataset_path else None
  with common.captured_output() as log:
    converter, input_shape = make_converter(source, label)
    samples = (calibration_samples(dataset, input_shape, dataset_path, max_samples, label)
               if dataset is not None else None)
    configure(converter, quantization, samples)
    try:
      return bytes(converter.convert())
    except Exception as e:  # The converter's errors come in many types.
      details = "\n".join(log().strip().splitlines()[-15:])
      raise common.ToolError(f"{label}: the TFLite converter failed ({quantization}): "
                             f"{type(e).__name__}: {e}\nThe converter's last words:\n{details}") from None


def write_tflite(model: pathlib.Path, output: pathlib.Path, quantization: str = "none",
                 dataset: pathlib.Path | None = None, max_samples: int = 500,
                 label: str | None = None) -> None:
  """Converts the model at `model` and writes the .tflite to `output` (nothing there on failure)."""
  with common.Outputs(output) as outputs:
    tflite = convert(find_source(pathlib.Path(model)), quantization, dataset, max_samples,
                     label or str(model))
    outputs.write(output, tflite)


if __name__ == "__main__":
  common.exit_as_library("convert")
