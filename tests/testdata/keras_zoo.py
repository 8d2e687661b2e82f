"""The Keras layer zoo: small seeded models of the layers users reach for, each built the
default Keras way (batch dimension left open), for tests/keras/ to convert with
tflite_model and compile ahead of time.

Each model has one input and a few layers, so a failure names its layer. The
weights come from `set_seeded_weights`, not training: the tests check that the
compiled code computes what TFLM does, not what the model is good for.
"""

import dataclasses
from typing import Callable

import numpy as np


def set_seeded_weights(model, seed: int) -> None:
  """Draws every weight from a generator seeded with `seed`, whatever Keras drew before.

  Kernels are He-normal, biases small and positive (so that no ReLU is zero
  for every calibration input); BatchNormalization gets scales, offsets, means and variances far
  from the identity, so folding it into the convolutions changes them; PReLU slopes
  are in [0.05, 0.5].
  """
  import tensorflow as tf
  rng = np.random.default_rng(seed)
  for layer in model.layers:
    for weight in layer.weights:
      shape = tuple(weight.shape)
      if weight.name == "gamma":
        value = rng.uniform(0.5, 1.5, shape)
      elif weight.name == "moving_variance":
        value = rng.uniform(0.5, 2.0, shape)
      elif weight.name in ("beta", "moving_mean"):
        value = rng.normal(0.0, 0.3, shape)
      elif weight.name == "bias":
        value = rng.uniform(0.0, 0.3, shape)
      elif weight.name == "alpha":
        value = rng.uniform(0.05, 0.5, shape)
      else:  # a kernel, He-normal over the inputs of one output; a depthwise
        # kernel (height, width, channels, multiplier) reads one channel.
        depthwise = (isinstance(layer, tf.keras.layers.DepthwiseConv2D) or
                     weight.name == "depthwise_kernel")
        fan_in = np.prod(shape[:2] if depthwise else shape[:-1])
        value = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
      weight.assign(value.astype(np.float32))


def _merge(tf, shape):
  """Add, Multiply, Subtract, Maximum, Minimum and Concatenate of two convolutions, then
  Permute, Softmax over a non-last axis, Reshape, Flatten and Dense."""
  layers = tf.keras.layers
  x = tf.keras.Input(shape=shape, name="image")
  a, b = layers.Conv2D(4, 1)(x), layers.Conv2D(4, 1, activation="relu")(x)
  h = layers.Concatenate()([layers.Add()([a, b]), layers.Multiply()([a, b]),
                            layers.Subtract()([a, b]), layers.Maximum()([a, b]),
                            layers.Minimum()([a, b])])
  h = layers.Softmax(axis=1)(layers.Permute((2, 1, 3))(h))
  h = layers.Flatten()(layers.Reshape((4, -1))(h))
  return tf.keras.Model(x, layers.Dense(3)(h))


def _image(tf, shape):
  """ZeroPadding2D, Conv2D, PReLU, Conv2DTranspose, bilinear UpSampling2D, Cropping2D, a
  BatchNormalization the converter cannot fold into a convolution, hard_swish and swish,
  GlobalMaxPooling2D and Dense."""
  layers = tf.keras.layers
  x = tf.keras.Input(shape=shape, name="image")
  h = layers.Conv2D(6, 3)(layers.ZeroPadding2D(((1, 0), (0, 1)))(x))
  h = layers.PReLU(shared_axes=[1, 2])(h)
  h = layers.Conv2DTranspose(4, 3, strides=2, padding="same")(h)
  h = layers.UpSampling2D(2, interpolation="bilinear")(layers.Cropping2D(((2, 1), (1, 2)))(h))
  h = layers.Activation("hard_swish")(layers.BatchNormalization()(h))
  h = layers.Activation("swish")(h)
  return tf.keras.Model(x, layers.Dense(3)(layers.GlobalMaxPooling2D()(h)))


def _upsampling(tf, shape):
  """UpSampling2D (nearest: Keras 3 repeats rows and columns, which converts to TILE) between
  two convolutions, then GlobalAveragePooling2D and Dense."""
  layers = tf.keras.layers
  x = tf.keras.Input(shape=shape, name="image")
  h = layers.UpSampling2D((2, 3), interpolation="nearest")(layers.Conv2D(4, 3)(x))
  h = layers.Conv2D(4, 3, activation="relu")(h)
  return tf.keras.Model(x, layers.Dense(3)(layers.GlobalAveragePooling2D()(h)))


def _sequence(tf, shape):
  """Conv1D, Dense on a 3-D input, a small attention block (MatMul, Softmax, MatMul), Add,
  Flatten and Dense."""
  layers = tf.keras.layers
  x = tf.keras.Input(shape=shape, name="signal")
  h = layers.Dense(8)(layers.Conv1D(8, 3, activation="relu")(x))
  query, key, value = layers.Dense(8)(h), layers.Dense(8)(h), layers.Dense(8)(h)
  scores = layers.Softmax()(layers.Dot(axes=2)([query, key]))
  h = layers.Add()([h, layers.Dot(axes=(2, 1))([scores, value])])
  return tf.keras.Model(x, layers.Dense(4)(layers.Flatten()(h)))


def _embedding(tf, shape):
  """Embedding of 12 token ids from a vocabulary of 20, Flatten and Dense."""
  layers = tf.keras.layers
  x = tf.keras.Input(shape=shape, dtype="int32", name="tokens")
  return tf.keras.Model(x, layers.Dense(3)(layers.Flatten()(layers.Embedding(20, 4)(x))))


@dataclasses.dataclass(frozen=True)
class ZooModel:
  """A zoo model: its builder (called with tensorflow and the input shape), the input
  shape without the batch, and for token ids the vocabulary size (0: float inputs)."""
  builder: Callable
  shape: tuple[int, ...]
  vocabulary: int = 0


MODELS = {
    "merge": ZooModel(_merge, (6, 4, 2)),
    "image": ZooModel(_image, (6, 6, 2)),
    "upsampling": ZooModel(_upsampling, (5, 5, 2)),
    "sequence": ZooModel(_sequence, (10, 3)),
    "embedding": ZooModel(_embedding, (12,), vocabulary=20),
}


def build(name: str, seed: int):
  """The zoo model `name` with weights drawn from `seed`."""
  import tensorflow as tf
  model = MODELS[name].builder(tf, MODELS[name].shape)
  set_seeded_weights(model, seed)
  return model


def calibration(name: str, count: int, seed: int) -> np.ndarray:
  """`count` seeded inputs of the model (uniform in [-1, 1], or token ids), for the
  int8 converter to calibrate on and the golden tests to run."""
  zoo, rng = MODELS[name], np.random.default_rng(seed)
  if zoo.vocabulary:
    return rng.integers(0, zoo.vocabulary, (count, *zoo.shape)).astype(np.int32)
  return rng.uniform(-1, 1, (count, *zoo.shape)).astype(np.float32)
