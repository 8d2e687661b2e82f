"""Builds one model of the Keras layer zoo (tests/testdata/keras_zoo.py) with seeded weights.

Run by the `trained_model` rule as `zoo_model --output <name>.keras --seed 0 --model <name>`.
"""

from absl import app
from absl import flags

from tests.testdata import keras_zoo
from tools import training

_OUTPUT = flags.DEFINE_string("output", None, "Where to save the model (.keras).", required=True)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the weights.")
_MODEL = flags.DEFINE_enum("model", None, list(keras_zoo.MODELS), "Which zoo model.",
                           required=True)


def main(argv: list[str]) -> None:
  del argv  # Unused.
  with training.quiet():
    training.make_deterministic(_SEED.value)
    training.save_model(keras_zoo.build(_MODEL.value, _SEED.value), _OUTPUT.value)


if __name__ == "__main__":
  app.run(main)
