"""A small image model with a Flatten and a Reshape, its batch dimension left open as Keras
leaves it by default; seeded weights, no training.

Run by the `trained_model` rule as `flatten_model --output flatten_model.keras --seed 0`.
"""

from absl import app
from absl import flags

from tools import training

_OUTPUT = flags.DEFINE_string("output", None, "Where to save the model (.keras).", required=True)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the weights.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  with training.quiet():
    training.make_deterministic(_SEED.value)
    import tensorflow as tf
    inputs = tf.keras.Input(shape=(8, 8, 1))
    x = tf.keras.layers.Conv2D(4, 3, activation="relu")(inputs)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Reshape((6, 24))(x)
    x = tf.keras.layers.Flatten()(x)
    outputs = tf.keras.layers.Dense(3, activation="softmax")(x)
    training.save_model(tf.keras.Model(inputs, outputs), _OUTPUT.value)


if __name__ == "__main__":
  app.run(main)
