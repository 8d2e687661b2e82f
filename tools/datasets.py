"""The NumPy datasets the tools read, and how their samples become a model's inputs.

A dataset is a .npy array of samples, shape (N, <input shape without the
batch dimension>), or a .npz that holds that array under `x` (and, where
expected outputs are needed, those under `y`). convert calibrates on one,
golden computes its vectors from one, accuracy scores a model on one.

For a quantized input, a sample becomes q = round(x / scale) + zero_point,
clipped to the type's range (what TFLite's QUANTIZE op computes), in the
precision of the sample's own dtype; outputs are dequantized the other way.
"""

import pathlib
from typing import Sequence

import numpy as np

from tools import common

_SAVE_SAMPLES = "save the samples with numpy.save(path, x) or numpy.savez(path, x=x)"
_SAVE_EXAMPLES = "save inputs and expected outputs with numpy.savez(path, x=..., y=...)"


def _load(path: pathlib.Path, what: str, kinds: str, how: str):
  path = pathlib.Path(path)
  if not path.is_file():
    raise common.ToolError(f"{path}: {what} not found.")
  try:
    return np.load(path, allow_pickle=False)
  except (ValueError, OSError):
    raise common.ToolError(f"{path} is not a NumPy {kinds} file of numbers; {how}.") from None


def load_samples(path: pathlib.Path, what: str = "dataset") -> np.ndarray:
  """The samples of a .npy, or of a .npz's `x` (or its only array); `what` names the file in errors."""
  loaded = _load(path, what, ".npy or .npz", _SAVE_SAMPLES)
  if isinstance(loaded, np.ndarray):
    return loaded
  with loaded:
    if "x" in loaded.files:
      return loaded["x"]
    if len(loaded.files) == 1:
      return loaded[loaded.files[0]]
    raise common.ToolError(f"{path} holds arrays {sorted(loaded.files)} but no 'x'; store the "
                           "samples under the key 'x'.")


def load_examples(path: pathlib.Path, what: str = "dataset") -> tuple[np.ndarray, np.ndarray]:
  """The inputs `x` and expected outputs `y` of a .npz, as many of one as of the other."""
  archive = _load(path, what, ".npz", _SAVE_EXAMPLES)
  if isinstance(archive, np.ndarray):
    raise common.ToolError(f"{path} holds a single array; the {what} needs inputs and expected "
                           f"outputs: {_SAVE_EXAMPLES}.")
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


def shape_text(shape: Sequence) -> str:
  """A shape for messages, unknown dimensions as '?': (?, 4)."""
  return "(" + ", ".join("?" if d in (None, -1) else str(d) for d in shape) + ")"


def batches(x: np.ndarray, input_shape: Sequence[int | None], path: pathlib.Path, what: str,
            model: str) -> np.ndarray:
  """The samples `x` as batches of one for an input of `input_shape` (batch first, None = any).

  Returns shape (N, 1, <sample shape>); samples that already have a batch
  dimension of one are taken as they are. Raises a ToolError naming both
  shapes when they do not match.
  """
  want = tuple(input_shape[1:])
  got = tuple(x.shape[1:])
  if len(got) == len(want) + 1 and got[:1] == (1,):
    got = got[1:]
  matches = len(got) == len(want) and all(w in (None, -1) or w == g for w, g in zip(want, got))
  if x.ndim == 0 or not matches or len(x) == 0:
    raise common.ToolError(
        f"{path}: {what} has shape {shape_text(x.shape)}, but {model} takes inputs of shape "
        f"{shape_text(input_shape)}, so samples must be {shape_text(('N',) + want)}: one row per "
        "sample, without the batch dimension.")
  return x.reshape((len(x), 1) + got)


def quantize(values: np.ndarray, details: dict) -> np.ndarray:
  """Real `values` in the type of the tensor `details` describes.

  `details` is a tensor's description as the TFLM and TF Lite interpreters
  give it (`dtype`, `quantization_parameters` with `scales` and
  `zero_points`). Float and unquantized tensors get `values` cast.
  """
  dtype = np.dtype(details["dtype"])
  q = details["quantization_parameters"]
  if dtype.kind == "f" or not len(q["scales"]):
    return values.astype(dtype)
  info = np.iinfo(dtype)
  return np.clip(np.round(values / q["scales"][0]) + q["zero_points"][0], info.min,
                 info.max).astype(dtype)


def dequantize(values: np.ndarray, details: dict) -> np.ndarray:
  """A tensor's `values` as real numbers (float64), the inverse of `quantize`."""
  q = details["quantization_parameters"]
  if np.dtype(details["dtype"]).kind == "f" or not len(q["scales"]):
    return values.astype(np.float64)
  return (values.astype(np.float64) - q["zero_points"][0]) * q["scales"][0]
