"""Writes the sine model's calibration inputs and its test set, both seeded.

  --calibration: x in [0, 2π], shape (N, 1) float32, for int8 calibration.
  --test: a .npz with x evenly spread over [0, 2π] and y = sin(x), no noise.
"""

import io
import math
import pathlib

from absl import app
from absl import flags
import numpy as np

_CALIBRATION = flags.DEFINE_string("calibration", None, "Output .npy of inputs.", required=True)
_TEST = flags.DEFINE_string("test", None, "Output .npz with x and y.", required=True)
_SEED = flags.DEFINE_integer("seed", 1, "Seed of the calibration samples.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  rng = np.random.default_rng(_SEED.value)
  calibration = rng.uniform(0, 2 * math.pi, size=(200, 1)).astype(np.float32)
  np.save(_CALIBRATION.value, calibration)
  x = np.linspace(0, 2 * math.pi, 500, dtype=np.float32).reshape(-1, 1)
  # np.savez would stamp the archive with the current time; write a fixed one.
  buffer = io.BytesIO()
  np.savez(buffer, x=x, y=np.sin(x).astype(np.float32))
  pathlib.Path(_TEST.value).write_bytes(buffer.getvalue())


if __name__ == "__main__":
  app.run(main)
