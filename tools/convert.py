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

`batch_size` (default 1) fixes an open batch dimension before conversion:
with the batch left open (Keras's default), the converter writes the new
shape of every Flatten or Reshape as ops that compute it at run time
(SHAPE, STRIDED_SLICE, PACK); with a fixed batch they are constants. 0 keeps
the batch as the model has it. A batch the model fixes itself is kept.
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
                        max_samples: int, label: str = "the model",
                        dtype: np.dtype = np.float32) -> list[np.ndarray]:
  """Splits `dataset` into batches of the model's input type, shaped like its input.

  `input_shape` is the model's input shape with its batch dimension (None:
  open, batches of one); the dataset must be (N, <input_shape without batch>).
  `dtype` is the input's type: float32, or an integer type for token ids.
  """
  samples = datasets.batches(dataset, input_shape, path, "representative dataset", label)
  samples = samples[:max_samples].astype(dtype)
  batch = input_shape[0] or 1
  if batch > 1:
    if len(samples) < batch:
      raise common.ToolError(f"{path}: the representative dataset has {len(samples)} samples, "
                             f"fewer than one batch of {batch}; add samples or lower batch_size.")
    count = len(samples) // batch
    samples = samples[:count * batch].reshape((count, batch) + samples.shape[2:])
  return list(samples)


def _tensorflow():
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
  return common.require_module("tensorflow", "convert a model to TensorFlow Lite")


def _first_line(e: Exception) -> str:
  return f"{type(e).__name__}: {(str(e).strip().splitlines() or [''])[0]}"


def _load(source: Source, label: str):
  """The loaded model (a Keras model, or a SavedModel's serving signature) and its inputs."""
  tf = _tensorflow()
  try:
    if source.kind == "saved_model":
      loaded = tf.saved_model.load(str(source.path))
      signature = loaded.signatures[tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
      return loaded, signature, list(signature.structured_input_signature[1].items())
    model = tf.keras.models.load_model(str(source.path), compile=False)
    return model, None, [(None, t) for t in model.inputs]
  except Exception as e:  # TF raises many types for a bad model; all mean "cannot load".
    raise common.ToolError(f"{label}: TensorFlow could not load {source.path} "
                           f"({_first_line(e)}); check that Keras or TensorFlow "
                           "saved it and that it is complete.") from None


def make_converter(source: Source, label: str, batch_size: int = 0):
  """A TFLiteConverter for the model, the model's input shape (with batch) and its numpy type.

  A positive `batch_size` fixes an open batch dimension (see the module's docstring).
  """
  tf = _tensorflow()
  model, signature, inputs = _load(source, label)
  if len(inputs) != 1:
    raise common.ToolError(f"{label}: the model has {len(inputs)} inputs; rules_tflm converts "
                           "models with one input.")
  name, spec = inputs[0]
  shape = tuple(spec.shape)
  input_type = np.dtype(tf.as_dtype(spec.dtype).as_numpy_dtype)  # Keras gives a name, TF a DType
  if not batch_size or not shape or shape[0] is not None:
    converter = (tf.lite.TFLiteConverter.from_saved_model(str(source.path)) if signature
                 else tf.lite.TFLiteConverter.from_keras_model(model))
    return converter, shape, input_type
  shape = (batch_size,) + shape[1:]
  try:
    if signature:  # the serving signature, traced again for the fixed shape
      fixed = tf.TensorSpec(shape, spec.dtype, name=name)
      function = tf.function(lambda x: signature(**{name: x}), input_signature=[fixed])
      return tf.lite.TFLiteConverter.from_concrete_functions(
          [function.get_concrete_function()], model), shape, input_type
    # The input keeps its name, so the .tflite's tensor names do not depend on what Keras
    # built before in the process.
    clone = tf.keras.models.clone_model(
        model, input_tensors=tf.keras.Input(batch_shape=shape, dtype=spec.dtype, name=spec.name))
    clone.set_weights(model.get_weights())
    return tf.lite.TFLiteConverter.from_keras_model(clone), shape, input_type
  except Exception as e:  # Keras cannot rebuild every model (subclassed ones).
    raise common.ToolError(
        f"{label}: could not fix the batch dimension of {source.path} to {batch_size} "
        f"({_first_line(e)}); build the model with a fixed batch (tf.keras.Input(..., "
        "batch_size=1)), or set batch_size = 0 to convert it with the batch left open.") from None


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
            label: str, batch_size: int = 1) -> bytes:
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
    converter, input_shape, input_type = make_converter(source, label, batch_size)
    samples = (calibration_samples(dataset, input_shape, dataset_path, max_samples, label,
                                   input_type)
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
                 label: str | None = None, batch_size: int = 1) -> None:
  """Converts the model at `model` and writes the .tflite to `output` (nothing there on failure)."""
  if batch_size < 0:
    raise common.ToolError(f"batch_size is {batch_size}; give 1 (one sample per inference, as "
                           "on a microcontroller), another positive batch, or 0 to keep the "
                           "model's own.")
  with common.Outputs(output) as outputs:
    tflite = convert(find_source(pathlib.Path(model)), quantization, dataset, max_samples,
                     label or str(model), batch_size)
    outputs.write(output, tflite)


if __name__ == "__main__":
  common.exit_as_library("convert")
