"""Trains a tiny classifier: which quadrant of the plane is (x, y) in?

  train --output model.keras --seed 0          (run by trained_model)
  train --write_data --calibration c.npy --test t.npz
"""

import io
import pathlib

from absl import app
from absl import flags
import numpy as np

from tools import training

_OUTPUT = flags.DEFINE_string("output", None, "Where to save the model (.keras).")
_SEED = flags.DEFINE_integer("seed", 0, "Seed.")
_WRITE_DATA = flags.DEFINE_bool("write_data", False, "Write the data sets instead of training.")
_CALIBRATION = flags.DEFINE_string("calibration", None, "Output .npy of inputs.")
_TEST = flags.DEFINE_string("test", None, "Output .npz with x and y.")


def points(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
  x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2)).astype(np.float32)
  return x, (x[:, 0] < 0).astype(np.int64) * 2 + (x[:, 1] < 0).astype(np.int64)


def main(argv: list[str]) -> None:
  del argv  # Unused.
  if _WRITE_DATA.value:
    np.save(_CALIBRATION.value, points(1, 100)[0])
    buffer = io.BytesIO()
    x, y = points(2, 400)
    np.savez(buffer, x=x, y=y)
    pathlib.Path(_TEST.value).write_bytes(buffer.getvalue())
    return
  with training.quiet():
    training.make_deterministic(_SEED.value)
    import tensorflow as tf
    x, y = points(_SEED.value, 1000)
    model = tf.keras.Sequential([tf.keras.Input(shape=(2,)),
                                 tf.keras.layers.Dense(16, activation="relu"),
                                 tf.keras.layers.Dense(4, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    training.save_model(model, _OUTPUT.value)


if __name__ == "__main__":
  app.run(main)
