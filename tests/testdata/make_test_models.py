"""Writes the small test models that tools/*_test.py read (run once; outputs are committed).

    PYTHONPATH=. python tests/testdata/make_test_models.py

  dense_dynamic_range.tflite  int8 weights, float activations (TFLM cannot run it)
  dense_float16.tflite        float16 weights (TFLM cannot run it)
  top_k.tflite                uses TOPK_V2, an op TFLM has no kernel for
  residual_int8.tflite        int8 FULLY_CONNECTED, RESHAPE, an ADD of two activations, SOFTMAX
  data_ops_int8.tflite        int8 PAD, LEAKY_RELU, STRIDED_SLICE, CONCATENATION, MEAN
  cnn_float.tflite            float32 convolutions, pooling, data movement, broadcasting
                              ADD and MUL, MEAN, FULLY_CONNECTED and SOFTMAX
"""

import pathlib

from tools import training

HERE = pathlib.Path(__file__).resolve().parent


def main() -> None:
  training.make_deterministic(0)
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


if __name__ == "__main__":
  main()
