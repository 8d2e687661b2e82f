"""Random int8 one-op models of RESIZE_BILINEAR, DEPTH_TO_SPACE and SPACE_TO_DEPTH for the
differential test (cases_float.float32_case makes them float32)."""

import random

from tools.aot import case_model
from tools.aot import cases_int8
from tools.aot.case_model import Case


def _quantization(rng: random.Random) -> tuple[list[float], list[int]]:
  """One scale and zero point, for input and output alike."""
  return [rng.uniform(0.005, 0.2)], [rng.randint(-128, 127)]


def resize_bilinear_case(rng: random.Random) -> Case:
  """RESIZE_BILINEAR up, down or to size 1, with align_corners or half_pixel_centers or
  neither; a tenth of the models upsample a height or width of 1 or 2 up to 48 times (sizes
  at which TFLM's rounded integer scale still stays inside the input)."""
  shape = (rng.randint(1, 2), rng.randint(1, 8), rng.randint(1, 8), rng.randint(1, 4))
  size = [rng.randint(1, 16), rng.randint(1, 16)]
  if rng.random() < 0.1:
    axis = rng.randint(1, 2)
    shape = tuple(rng.randint(1, 2) if d == axis else n for d, n in enumerate(shape))
    size[axis - 1] = rng.randint(17, 48)
  return cases_int8.resize_case(rng, "RESIZE_BILINEAR", shape, size, _quantization(rng))


def depth_space_case(rng: random.Random, op: str) -> Case:
  """DEPTH_TO_SPACE or SPACE_TO_DEPTH by a block size of 1 to 4 (1 a tenth of the time)."""
  block = 1 if rng.random() < 0.1 else rng.randint(2, 4)
  batches, height, width = rng.randint(1, 2), rng.randint(1, 4), rng.randint(1, 4)
  depth = rng.randint(1, 4)
  space = (batches, height * block, width * block, depth)
  packed = (batches, height, width, depth * block * block)
  shape, out_shape = (packed, space) if op == "DEPTH_TO_SPACE" else (space, packed)
  s = case_model.schema()
  options = s.DepthToSpaceOptionsT() if op == "DEPTH_TO_SPACE" else s.SpaceToDepthOptionsT()
  options.blockSize = block
  scales, zero_points = _quantization(rng)
  tensors = [(shape, "int8", scales, zero_points, 0, None),
             (out_shape, "int8", scales, zero_points, 0, None)]
  options_type = "DepthToSpaceOptions" if op == "DEPTH_TO_SPACE" else "SpaceToDepthOptions"
  return Case(op, dict(shape=shape, block_size=block), tensors, [0], [1], options, options_type)
