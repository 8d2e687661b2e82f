"""Writes the small test models that tools/*_test.py read (run once; outputs are committed).

    PYTHONPATH=. python tests/testdata/make_test_models.py [NAME ...]

writes every model, or only the groups that write the named ones (file names
without .tflite). A group's models come from one seeded run, so a group is
written whole: naming dense_float16 writes the first five below.

  dense_dynamic_range.tflite  int8 weights, float activations (TFLM cannot run it)
  dense_float16.tflite        float16 weights (TFLM cannot run it)
  top_k.tflite                uses TOPK_V2, an op TFLM has no kernel for
  residual_int8.tflite        int8 FULLY_CONNECTED, RESHAPE, an ADD of two activations, SOFTMAX
  data_ops_int8.tflite        int8 PAD, LEAKY_RELU, STRIDED_SLICE, CONCATENATION, MEAN
  keras_layers_int8.tflite    common Keras image layers, full-integer int8
  keras_layers_float.tflite   the same model in float32
  cnn_float.tflite            float32 convolutions, pooling, data movement, broadcasting
                              ADD and MUL, MEAN, FULLY_CONNECTED and SOFTMAX
  flatten_int8.tflite         Conv2D, Flatten, Reshape, Flatten, Dense with Keras's open
                              batch dimension: SHAPE, STRIDED_SLICE and PACK compute the
                              shapes of the RESHAPEs; full-integer int8
  flatten_float.tflite        the same model in float32
"""

import pathlib
import sys

from tests.testdata import keras_zoo
from tools import training

HERE = pathlib.Path(__file__).resolve().parent


def _write_first_models() -> None:
  """The first five models: one run, sharing Keras's seeded state and one generator."""
  import numpy as np
  import tensorflow as tf

  dense = tf.keras.Sequential([tf.keras.Input(shape=(64,)), tf.keras.layers.Dense(64),
                               tf.keras.layers.Dense(8)])
  for name, types in (("dense_dynamic_range", None), ("dense_float16", [tf.float16])):
    converter = tf.lite.TFLiteConverter.from_keras_model(dense)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if types:
      converter.target_spec.supported_types = types
    (HERE / f"{name}.tflite").write_bytes(converter.convert())

  @tf.function(input_signature=[tf.TensorSpec([1, 16], tf.float32)])
  def top_k(x):
    return tf.math.top_k(x, k=3).values

  converter = tf.lite.TFLiteConverter.from_concrete_functions([top_k.get_concrete_function()])
  (HERE / "top_k.tflite").write_bytes(converter.convert())

  x = tf.keras.Input(shape=(8,), batch_size=1)
  h = tf.keras.layers.Dense(8, activation="relu")(x)
  y = tf.keras.layers.Dense(3, activation="softmax")(tf.keras.layers.Add()([x, h]))
  converter = tf.lite.TFLiteConverter.from_keras_model(tf.keras.Model(x, y))
  converter.optimizations = [tf.lite.Optimize.DEFAULT]
  rng = np.random.default_rng(0)
  converter.representative_dataset = lambda: ([rng.normal(size=(1, 8)).astype(np.float32)]
                                               for _ in range(100))
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
  converter.inference_input_type = converter.inference_output_type = tf.int8
  (HERE / "residual_int8.tflite").write_bytes(converter.convert())

  # ZeroPadding2D, LeakyReLU, slicing, Concatenate and GlobalAveragePooling2D become PAD,
  # LEAKY_RELU, STRIDED_SLICE, CONCATENATION and MEAN.
  x = tf.keras.Input(shape=(12, 12, 3), batch_size=1)
  h = tf.keras.layers.LeakyReLU(0.2)(tf.keras.layers.Conv2D(6, 3)(
      tf.keras.layers.ZeroPadding2D(((1, 2), (2, 1)))(x)))
  wide = tf.keras.layers.Conv2D(4, 1)(h)[:, 1:-1:2, ::-1, :]
  h = tf.keras.layers.Concatenate()([h[:, 1:-1:2, ::-1, :4], wide])
  y = tf.keras.layers.Dense(5, activation="softmax")(tf.keras.layers.GlobalAveragePooling2D()(h))
  converter = tf.lite.TFLiteConverter.from_keras_model(tf.keras.Model(x, y))
  converter.optimizations = [tf.lite.Optimize.DEFAULT]
  converter.representative_dataset = lambda: ([rng.normal(size=(1, 12, 12, 3)).astype(np.float32)]
                                               for _ in range(50))
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
  converter.inference_input_type = converter.inference_output_type = tf.int8
  (HERE / "data_ops_int8.tflite").write_bytes(converter.convert())
  write_cnn_float()


def write_cnn_float() -> None:
  """A float32 model of the layers the ahead-of-time compiler compiles in float32."""
  import numpy as np
  import tensorflow as tf

  x = tf.keras.Input(shape=(12, 12, 3), batch_size=1)
  h = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
  h = tf.keras.layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2, activation="relu6")(h)
  h = tf.keras.layers.LeakyReLU(0.1)(tf.keras.layers.ZeroPadding2D(((1, 0), (0, 1)))(h))
  h = tf.keras.layers.MaxPooling2D(2, strides=1)(h)
  h = tf.keras.layers.AveragePooling2D(2, padding="same")(h)
  # A per-channel scale and shift broadcast over the pixels.
  rng = np.random.default_rng(3)
  h = h * rng.uniform(0.5, 2, size=(1, 1, 1, 16)).astype(np.float32)
  h = h + rng.normal(size=(1, 1, 1, 16)).astype(np.float32)
  h = tf.keras.layers.Concatenate()([h[:, :2, ::-1, :6], h[:, 1:, :, 10:]])
  y = tf.keras.layers.GlobalAveragePooling2D(keepdims=True)(h)
  y = tf.keras.layers.Dense(5, activation="softmax")(tf.keras.layers.Reshape((12,))(y))
  converter = tf.lite.TFLiteConverter.from_keras_model(tf.keras.Model(x, y))
  (HERE / "cnn_float.tflite").write_bytes(converter.convert())


def _keras_layers_model():
  """A 16x16x3 image model with every common Keras layer, named so that its
  tensors' names do not depend on what Keras built before."""
  import tensorflow as tf
  layers = tf.keras.layers
  x = tf.keras.Input(shape=(16, 16, 3), batch_size=1, name="image")
  # The converter folds a ZeroPadding2D into a VALID convolution when the two
  # make a SAME one; this stride 2 SAME would pad 0 before and 1 after, so PAD stays.
  h = layers.ZeroPadding2D(1, name="pad")(x)
  h = layers.Conv2D(8, 3, strides=2, use_bias=False, name="stem")(h)
  h = layers.ReLU(name="stem_relu")(layers.BatchNormalization(name="stem_bn")(h))
  a = layers.DepthwiseConv2D(3, padding="same", use_bias=False, name="dw")(h)
  a = layers.Activation("relu6", name="dw_relu6")(layers.BatchNormalization(name="dw_bn")(a))
  b = layers.SeparableConv2D(8, 3, padding="same", name="separable")(h)
  h = layers.MaxPooling2D(2, name="max_pool")(layers.Add(name="add")([a, b]))
  h = layers.ReLU(name="pool_relu")(h)
  # Squeeze and excitation: a gate per channel, broadcast over the image.
  gate = layers.GlobalAveragePooling2D(name="squeeze")(h)
  gate = layers.Dense(4, activation="relu", name="squeeze_fc")(gate)
  gate = layers.Dense(8, activation="sigmoid", name="excite_fc")(gate)
  gate = layers.Reshape((1, 1, 8), name="excite_shape")(gate)
  excited = layers.Multiply(name="excite")([h, gate])
  leaky = layers.LeakyReLU(0.1, name="leaky")(layers.Conv2D(4, 1, name="leaky_conv")(h))
  tanh = layers.Activation("tanh", name="tanh")(layers.Conv2D(4, 1, name="tanh_conv")(h))
  h = layers.Concatenate(name="concat")([excited, leaky, tanh])
  h = layers.ReLU(name="concat_relu")(h)
  h = layers.Flatten(name="flatten")(layers.AveragePooling2D(2, name="avg_pool")(h))
  # Two heads of three classes each.
  y = layers.Reshape((2, 3), name="heads")(layers.Dense(6, name="logits")(h))
  y = layers.Softmax(name="softmax")(y)
  return tf.keras.Model(x, y, name="keras_layers")


def _write_float_and_int8(model, name: str, seed: int, count: int) -> None:
  """Writes `<name>_float.tflite` and `<name>_int8.tflite` (full integer, calibrated on
  `count` uniform inputs in [-1, 1] drawn with `seed`)."""
  import numpy as np
  import tensorflow as tf
  converter = tf.lite.TFLiteConverter.from_keras_model(model)
  (HERE / f"{name}_float.tflite").write_bytes(converter.convert())
  rng = np.random.default_rng(seed)
  shape = (1,) + tuple(model.inputs[0].shape[1:])
  samples = [rng.uniform(-1, 1, size=shape).astype(np.float32) for _ in range(count)]
  converter = tf.lite.TFLiteConverter.from_keras_model(model)
  converter.optimizations = [tf.lite.Optimize.DEFAULT]
  converter.representative_dataset = lambda: ([s] for s in samples)
  converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
  converter.inference_input_type = converter.inference_output_type = tf.int8
  (HERE / f"{name}_int8.tflite").write_bytes(converter.convert())


def _write_keras_layers_models() -> None:
  """ZeroPadding2D, Conv2D, BatchNormalization, DepthwiseConv2D, SeparableConv2D,
  Add, MaxPooling2D, GlobalAveragePooling2D, Dense, Reshape, Multiply,
  Concatenate, AveragePooling2D, Flatten, Softmax and the relu, relu6, sigmoid,
  tanh and LeakyReLU activations, in int8 and float32."""
  model = _keras_layers_model()
  keras_zoo.set_seeded_weights(model, 1)
  _write_float_and_int8(model, "keras_layers", seed=1, count=100)


def _write_flatten_models() -> None:
  """Conv2D, Flatten, Reshape, Flatten and Dense, the batch dimension left open (Keras's
  default), so the converter computes each new shape at run time; int8 and float32."""
  import tensorflow as tf
  inputs = tf.keras.Input(shape=(6, 6, 2), name="image")  # names independent of earlier models
  x = tf.keras.layers.Conv2D(4, 3, activation="relu")(inputs)
  x = tf.keras.layers.Flatten()(x)
  x = tf.keras.layers.Reshape((4, 16))(x)
  x = tf.keras.layers.Flatten()(x)
  model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(x))
  keras_zoo.set_seeded_weights(model, 2)
  _write_float_and_int8(model, "flatten", seed=2, count=50)


# Each group of models, the files it writes and the function that writes them.
_GROUPS = (
    (("dense_dynamic_range", "dense_float16", "top_k", "residual_int8", "data_ops_int8"),
     _write_first_models),
    (("keras_layers_int8", "keras_layers_float"), _write_keras_layers_models),
    (("flatten_int8", "flatten_float"), _write_flatten_models),
)


def main(names: list[str]) -> None:
  known = [name for group, _ in _GROUPS for name in group]
  unknown = sorted(set(names) - set(known))
  if unknown:
    sys.exit(f"make_test_models.py: no model named {', '.join(unknown)}; the models are "
             f"{', '.join(known)}.")
  training.make_deterministic(0)
  for group, write in _GROUPS:
    if not names or set(names) & set(group):
      write()


if __name__ == "__main__":
  main(sys.argv[1:])
