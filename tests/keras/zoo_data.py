"""Writes <directory>/<name>.npy for every zoo model: seeded inputs to calibrate the int8
conversion on and to run the golden tests with."""

import pathlib
import sys

import numpy as np

from tests.testdata import keras_zoo


def main(directory: str) -> None:
  for name in keras_zoo.MODELS:
    np.save(pathlib.Path(directory) / f"{name}.npy", keras_zoo.calibration(name, 64, seed=1))


if __name__ == "__main__":
  main(sys.argv[1])
