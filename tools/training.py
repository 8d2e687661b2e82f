"""Helpers for training scripts that `trained_model` runs: repeatable results, repeatable files.

    from tools import training

    training.make_deterministic(seed)
    model = ...  # build and fit
    training.save_model(model, output_path)

With both, two clean builds write byte-identical models, so Bazel's caches
(local or remote) hit and everything downstream of the model is reproducible.
"""

import contextlib
import io
import json
import os
import pathlib
import random
import sys
from typing import Iterator
import zipfile

from tools import common

# A Keras file records when it was saved; this fixed date replaces it.
_FIXED_DATE = "1980-01-01@00:00:00"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def make_deterministic(seed: int) -> None:
  """Seeds every random generator and makes TensorFlow run repeatably on one CPU thread."""
  os.environ.setdefault("PYTHONHASHSEED", str(seed))
  os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
  os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  tf = common.require_module("tensorflow", "train a model")
  random.seed(seed)
  import numpy as np
  np.random.seed(seed)
  tf.keras.utils.set_random_seed(seed)
  tf.config.threading.set_inter_op_parallelism_threads(1)
  tf.config.threading.set_intra_op_parallelism_threads(1)
  tf.config.experimental.enable_op_determinism()


def _renumber_shared_objects(config, numbers: dict[int, int]):
  """`config` with each `shared_object_id` (a Python id(), new every run) numbered by first use."""
  if isinstance(config, dict):
    return {key: (numbers.setdefault(value, len(numbers)) if key == "shared_object_id" else
                  _renumber_shared_objects(value, numbers)) for key, value in config.items()}
  if isinstance(config, list):
    return [_renumber_shared_objects(value, numbers) for value in config]
  return config


@contextlib.contextmanager
def quiet() -> Iterator[None]:
  """Keeps TensorFlow's C-level chatter out of the build log, unless the block fails."""
  with common.captured_output() as log:
    try:
      yield
    except BaseException:
      text = log()
      failed = True
    else:
      failed = False
  if failed:
    sys.stderr.write(text)
    raise


def normalize_keras_zip(data: bytes) -> bytes:
  """A .keras file's bytes with what varies between runs fixed.

  That is: entry timestamps, the save date in metadata.json, the Python object
  ids Keras records in config.json, and the order of entries.
  """
  with zipfile.ZipFile(io.BytesIO(data)) as src:
    entries = {name: src.read(name) for name in src.namelist()}
  if "config.json" in entries:
    config = _renumber_shared_objects(json.loads(entries["config.json"]), {})
    entries["config.json"] = json.dumps(config, sort_keys=True).encode()
  if "metadata.json" in entries:
    metadata = json.loads(entries["metadata.json"])
    if "date_saved" in metadata:
      metadata["date_saved"] = _FIXED_DATE
    entries["metadata.json"] = json.dumps(metadata, sort_keys=True).encode()
  out = io.BytesIO()
  with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as dst:
    for name in sorted(entries):
      info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
      info.external_attr = 0o644 << 16
      dst.writestr(info, entries[name])
  return out.getvalue()


def save_model(model, path: str | pathlib.Path) -> None:
  """Saves a Keras model so that the same weights always give the same bytes.

  `.keras` and `.h5` paths get a Keras file; a path without an extension gets
  a SavedModel directory (`model.export`).
  """
  path = pathlib.Path(path)
  if path.suffix == ".keras":
    tmp = path.with_name(path.name + ".unnormalized.keras")
    model.save(tmp)
    try:
      common.write_atomically(path, normalize_keras_zip(tmp.read_bytes()))
    finally:
      tmp.unlink(missing_ok=True)
  elif path.suffix == ".h5":
    model.save(path)
  elif not path.suffix:
    model.export(str(path))
  else:
    raise common.ToolError(f"{path}: cannot save a model as '{path.suffix}'; use .keras, .h5 or "
                           "a directory name (SavedModel).")
