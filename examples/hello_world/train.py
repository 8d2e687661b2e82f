"""Trains the sine model of TFLM's Hello World example: y = sin(x) for x in [0, 2π].

Run by the `trained_model` rule as `train --output sine_model.keras --seed 0`.
"""

import math

from absl import app
from absl import flags

from tools import training

_OUTPUT = flags.DEFINE_string("output", None, "Where to save the model (.keras).", required=True)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of every random choice.")
_EPOCHS = flags.DEFINE_integer("epochs", 300, "Training epochs.")
_SAMPLES = flags.DEFINE_integer("samples", 1000, "Training samples.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  with training.quiet():
    training.make_deterministic(_SEED.value)
    train_and_save()


def train_and_save() -> None:
  import numpy as np
  import tensorflow as tf

  rng = np.random.default_rng(_SEED.value)
  x = rng.uniform(0, 2 * math.pi, size=(_SAMPLES.value, 1)).astype(np.float32)
  y = (np.sin(x) + rng.normal(0, 0.05, size=x.shape)).astype(np.float32)

  model = tf.keras.Sequential([
      tf.keras.Input(shape=(1,)),
      tf.keras.layers.Dense(16, activation="relu"),
      tf.keras.layers.Dense(16, activation="relu"),
      tf.keras.layers.Dense(1),
  ])
  model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
  model.fit(x, y, epochs=_EPOCHS.value, batch_size=64, shuffle=True, verbose=0)
  training.save_model(model, _OUTPUT.value)


if __name__ == "__main__":
  app.run(main)
