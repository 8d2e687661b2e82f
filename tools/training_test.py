"""Tests of tools/training.py: two trainings in separate processes give identical files."""

import io
import json
import pathlib
import subprocess
import sys
import zipfile

import pytest

from tools import common
from tools import training

REPO = pathlib.Path(__file__).absolute().parents[1]

_TRAIN = """
import sys
from tools import training
with training.quiet():
  training.make_deterministic(3)
  import numpy as np, tensorflow as tf
  x = np.random.uniform(size=(64, 2)).astype("float32")
  model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])
  model.compile(optimizer="adam", loss="mse")
  model.fit(x, x.sum(axis=1), epochs=3, verbose=0)
  training.save_model(model, sys.argv[1])
"""


def _train(path: pathlib.Path) -> bytes:
  subprocess.run([sys.executable, "-c", _TRAIN, str(path)], cwd=REPO, check=True)
  return path.read_bytes()


def test_two_trainings_write_identical_keras_files(tmp_path):
  assert _train(tmp_path / "a.keras") == _train(tmp_path / "b.keras")


def test_normalize_keras_zip_fixes_dates_and_object_ids():
  def keras_zip(date: str, object_id: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
      z.writestr("model.weights.h5", b"weights")
      z.writestr("metadata.json", json.dumps({"date_saved": date, "keras_version": "3"}))
      z.writestr("config.json", json.dumps({"a": {"shared_object_id": object_id},
                                            "b": [{"shared_object_id": object_id}]}))
    return out.getvalue()

  first = training.normalize_keras_zip(keras_zip("2026-01-01@10:00:00", 140001))
  assert first == training.normalize_keras_zip(keras_zip("2026-11-24@20:00:00", 99))
  with zipfile.ZipFile(io.BytesIO(first)) as z:
    assert z.namelist() == ["config.json", "metadata.json", "model.weights.h5"]
    assert json.loads(z.read("config.json")) == {"a": {"shared_object_id": 0},
                                                 "b": [{"shared_object_id": 0}]}


def test_save_model_refuses_unknown_extensions(tmp_path):
  with pytest.raises(common.ToolError, match="use .keras, .h5 or a directory"):
    training.save_model(object(), tmp_path / "m.onnx")
