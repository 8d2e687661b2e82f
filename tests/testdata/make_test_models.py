"""Writes the small test models that tools/*_test.py read (run once; outputs are committed).

    PYTHONPATH=. python tests/testdata/make_test_models.py

  dense_dynamic_range.tflite  int8 weights, float activations (TFLM cannot run it)
  dense_float16.tflite        float16 weights (TFLM cannot run it)
  top_k.tflite                uses TOPK_V2, an op TFLM has no kernel for
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
  del np


if __name__ == "__main__":
  main()
