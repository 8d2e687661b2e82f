"""Compares a quantized model with its float original on a dataset, and fails past a threshold.

Both models run every sample of a .npz (`x`: inputs, `y`: expected outputs)
in the real TFLM interpreter (PyPI `tflite-micro`); models TFLM cannot run
(dynamic-range, float16) run in TF Lite's interpreter instead, and the table
says so. Inputs are quantized and outputs dequantized with each model's own
scale and zero point, so the metrics are in the units of `y`.

  regression:      MAE and RMSE; the drop is the increase of MAE.
  classification:  top-1 accuracy in %; the drop is in percentage points.
"""

import dataclasses
import os
import pathlib

from absl import app
from absl import flags
import numpy as np

from tools import common
from tools import tflite_reader

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

_TFLM_ARENA = 16 << 20


@dataclasses.dataclass(frozen=True)
class Evaluation:
  """A model's metrics on the dataset and which interpreter computed them."""
  interpreter: str
  metrics: dict[str, float]


def load_dataset(path: pathlib.Path) -> tuple[np.ndarray, np.ndarray]:
  """The `x` and `y` arrays of a .npz, checked to have one row per sample each."""
  if not path.is_file():
    raise common.ToolError(f"{path}: dataset not found.")
  try:
    archive = np.load(path, allow_pickle=False)
  except (ValueError, OSError):
    raise common.ToolError(f"{path} is not a NumPy .npz file; save x and y with "
                           "numpy.savez(path, x=..., y=...).") from None
  if isinstance(archive, np.ndarray):
    raise common.ToolError(f"{path} holds a single array; the dataset needs inputs and expected "
                           "outputs: numpy.savez(path, x=..., y=...).")
  with archive:
    missing = [k for k in ("x", "y") if k not in archive.files]
    if missing:
      raise common.ToolError(f"{path} has arrays {sorted(archive.files)} but not {missing}; save "
                             "inputs as x and expected outputs as y.")
    x, y = archive["x"], archive["y"]
  if x.ndim == 0 or y.ndim == 0 or len(x) != len(y) or len(x) == 0:
    raise common.ToolError(f"{path}: x has shape {x.shape} and y {y.shape}; they need the same "
                           "number of samples (first dimension), at least one.")
  return x, y


class _TflmModel:
  """One model in the TFLM interpreter, quantizing inputs and dequantizing outputs."""

  interpreter_name = "TFLM"

  def __init__(self, data: bytes):
    from tflite_micro.python.tflite_micro import runtime
    self._interpreter = runtime.Interpreter.from_bytes(data, arena_size=_TFLM_ARENA)
    self._input = self._interpreter.get_input_details(0)
    self._output = self._interpreter.get_output_details(0)

  def input_shape(self) -> tuple[int, ...]:
    return tuple(int(d) for d in self._input["shape"])

  def run(self, sample: np.ndarray) -> np.ndarray:
    self._interpreter.set_input(_quantize(sample, self._input), 0)
    self._interpreter.invoke()
    return _dequantize(self._interpreter.get_output(0), self._output)


class _TfliteModel:
  """One model in TF Lite's interpreter, for models TFLM cannot run."""

  interpreter_name = "TF Lite (TFLM cannot run this model)"

  def __init__(self, data: bytes):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = common.require_module("tensorflow", "run a model TFLM cannot run")
    with common.captured_output():
      self._interpreter = tf.lite.Interpreter(model_content=data, num_threads=1)
      self._interpreter.allocate_tensors()
    self._input = self._details(self._interpreter.get_input_details()[0])
    self._output = self._details(self._interpreter.get_output_details()[0])

  @staticmethod
  def _details(d: dict) -> dict:
    return {**d, "quantization_parameters": {"scales": d["quantization_parameters"]["scales"],
                                             "zero_points": d["quantization_parameters"]["zero_points"]}}

  def input_shape(self) -> tuple[int, ...]:
    return tuple(int(d) for d in self._input["shape"])

  def run(self, sample: np.ndarray) -> np.ndarray:
    self._interpreter.set_tensor(self._input["index"], _quantize(sample, self._input))
    self._interpreter.invoke()
    return _dequantize(self._interpreter.get_tensor(self._output["index"]), self._output)


def _quantize(sample: np.ndarray, details: dict) -> np.ndarray:
  dtype = np.dtype(details["dtype"])
  q = details["quantization_parameters"]
  if dtype.kind == "f" or not len(q["scales"]):
    return sample.astype(dtype)
  info = np.iinfo(dtype)
  values = np.round(sample / q["scales"][0]) + q["zero_points"][0]
  return np.clip(values, info.min, info.max).astype(dtype)


def _dequantize(output: np.ndarray, details: dict) -> np.ndarray:
  q = details["quantization_parameters"]
  if np.dtype(details["dtype"]).kind == "f" or not len(q["scales"]):
    return output.astype(np.float64)
  return (output.astype(np.float64) - q["zero_points"][0]) * q["scales"][0]


def load_model(path: pathlib.Path):
  """The model in TFLM if TFLM can run it, else in TF Lite's interpreter."""
  data = common.read_input(path, ".tflite model")
  tflite_reader.read_model(data, str(path))  # A clear error for a file that is not a model.
  try:
    with common.captured_output():
      return _TflmModel(data)
  except RuntimeError:
    return _TfliteModel(data)


def predictions(model, x: np.ndarray, path: pathlib.Path, dataset: pathlib.Path) -> np.ndarray:
  """The model's dequantized output for every sample, one row each."""
  shape = model.input_shape()
  if tuple(x.shape[1:]) != shape[1:]:
    raise common.ToolError(
        f"{dataset}: samples have shape {tuple(x.shape[1:])}, but {path} takes inputs of shape "
        f"{shape} (batch first); store x as (N, {', '.join(map(str, shape[1:]))}).")
  return np.stack([model.run(sample[np.newaxis, ...].astype(np.float32)).reshape(-1)
                   for sample in x])


def metrics(task: str, predicted: np.ndarray, y: np.ndarray) -> dict[str, float]:
  """MAE and RMSE (regression) or top-1 accuracy in % (classification)."""
  if task == "regression":
    error = predicted - y.reshape(predicted.shape).astype(np.float64)
    return {"MAE": float(np.mean(np.abs(error))), "RMSE": float(np.sqrt(np.mean(error ** 2)))}
  labels = y.reshape(len(y), -1)
  labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0]
  return {"top-1 %": float(100 * np.mean(predicted.argmax(axis=1) == labels))}


def drop(task: str, reference: dict[str, float], candidate: dict[str, float]) -> float:
  """How much worse the candidate is: MAE increase, or top-1 percentage points lost."""
  if task == "regression":
    return candidate["MAE"] - reference["MAE"]
  return reference["top-1 %"] - candidate["top-1 %"]


def table(task: str, names: tuple[str, str], evaluations: tuple[Evaluation, Evaluation],
          max_drop: float, samples: int) -> str:
  """The comparison as text."""
  keys = list(evaluations[0].metrics)
  width = max(len(n) for n in names) + 2
  lines = [f"{task} on {samples} samples", " " * width + "".join(f"{k:>12}" for k in keys)]
  for name, evaluation in zip(names, evaluations):
    lines.append(f"{name:<{width}}" + "".join(f"{evaluation.metrics[k]:>12.6f}" for k in keys)
                 + f"   ({evaluation.interpreter})")
  lost = drop(task, evaluations[0].metrics, evaluations[1].metrics)
  lines.append(f"drop {lost:.6f} (max_drop {max_drop:g}): {'ok' if lost <= max_drop else 'FAILED'}")
  return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
  del argv  # Unused.
  dataset = pathlib.Path(_DATASET.value)
  x, y = load_dataset(dataset)
  paths = (pathlib.Path(_REFERENCE.value), pathlib.Path(_CANDIDATE.value))
  evaluations = []
  for path in paths:
    model = load_model(path)
    evaluations.append(Evaluation(model.interpreter_name,
                                  metrics(_TASK.value, predictions(model, x, path, dataset), y)))
  text = table(_TASK.value, ("reference " + paths[0].name, "candidate " + paths[1].name),
               tuple(evaluations), _MAX_DROP.value, len(x))
  print(text, end="")
  if _REPORT.value:
    common.write_atomically(_REPORT.value, text)
  lost = drop(_TASK.value, evaluations[0].metrics, evaluations[1].metrics)
  if lost > _MAX_DROP.value:
    raise common.ToolError(
        f"{paths[1]} loses {lost:.6f} against {paths[0]} on {dataset} ({_TASK.value}), more "
        f"than max_drop = {_MAX_DROP.value:g}. Calibrate int8 on more representative data, "
        "keep the model in float, or raise max_drop if the loss is acceptable.")


if __name__ == "__main__":
  app.run(common.run_tool(main, "accuracy"))
