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

import numpy as np

from tools import common
from tools import model_check
from tools import datasets

_TFLM_ARENA = 16 << 20


@dataclasses.dataclass(frozen=True)
class Evaluation:
  """A model's metrics on the dataset and which interpreter computed them."""
  interpreter: str
  metrics: dict[str, float]


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
    self._interpreter.set_input(datasets.quantize(sample, self._input), 0)
    self._interpreter.invoke()
    return datasets.dequantize(self._interpreter.get_output(0), self._output)


class _TfliteModel:
  """One model in TF Lite's interpreter, for models TFLM cannot run."""

  interpreter_name = "TF Lite (TFLM cannot run this model)"

  def __init__(self, data: bytes):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = common.require_module("tensorflow", "run a model TFLM cannot run")
    with common.captured_output():
      self._interpreter = tf.lite.Interpreter(model_content=data, num_threads=1)
      self._interpreter.allocate_tensors()
    self._input = self._interpreter.get_input_details()[0]
    self._output = self._interpreter.get_output_details()[0]

  def input_shape(self) -> tuple[int, ...]:
    return tuple(int(d) for d in self._input["shape"])

  def run(self, sample: np.ndarray) -> np.ndarray:
    self._interpreter.set_tensor(self._input["index"], datasets.quantize(sample, self._input))
    self._interpreter.invoke()
    return datasets.dequantize(self._interpreter.get_tensor(self._output["index"]), self._output)


def load_model(path: pathlib.Path):
  """The model in TFLM if TFLM can run it, else in TF Lite's interpreter."""
  data = common.read_input(path, ".tflite model")
  model_check.read_model(data, str(path))  # A clear error for a file that is not a model.
  try:
    with common.captured_output():
      return _TflmModel(data)
  except RuntimeError:
    return _TfliteModel(data)


def predictions(model, x: np.ndarray, path: pathlib.Path, dataset: pathlib.Path) -> np.ndarray:
  """The model's dequantized output for every sample, one row each."""
  samples = datasets.batches(x, model.input_shape(), dataset, "dataset", str(path))
  return np.stack([model.run(sample.astype(np.float32)).reshape(-1) for sample in samples])


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


@dataclasses.dataclass(frozen=True)
class Comparison:
  """The candidate against the reference: the table, and the error past max_drop (None within)."""
  table: str
  error: str | None

  def check(self) -> None:
    """Raises the ToolError when the candidate lost more than max_drop."""
    if self.error:
      raise common.ToolError(self.error)


def compare(reference: pathlib.Path, candidate: pathlib.Path, dataset: pathlib.Path,
            task: str = "regression", max_drop: float = 0.0) -> Comparison:
  """Runs both models over the dataset (.npz with x and y) and compares their metrics."""
  x, y = datasets.load_examples(dataset)
  paths = (pathlib.Path(reference), pathlib.Path(candidate))
  evaluations = []
  for path in paths:
    model = load_model(path)
    evaluations.append(Evaluation(model.interpreter_name,
                                  metrics(task, predictions(model, x, path, dataset), y)))
  text = table(task, ("reference " + paths[0].name, "candidate " + paths[1].name),
               tuple(evaluations), max_drop, len(x))
  lost = drop(task, evaluations[0].metrics, evaluations[1].metrics)
  error = None
  if lost > max_drop:
    error = (f"{paths[1]} loses {lost:.6f} against {paths[0]} on {dataset} ({task}), more than "
             f"max_drop = {max_drop:g}. Calibrate int8 on more representative data, keep the "
             "model in float, or raise max_drop if the loss is acceptable.")
  return Comparison(text, error)


if __name__ == "__main__":
  common.exit_as_library("accuracy")
