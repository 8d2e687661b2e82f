"""TFLM's quantization arithmetic, done at compile time as TFLM's Prepare does it.

Each function names the TFLM routine it matches; the rounding (float32 or
double, half away from zero) is TFLM's, so the kernels get the same integers.
"""

import math

import numpy as np

# The fused activations the int8 and float32 kernels clamp to.
ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_RANGES = {"NONE": (-_FLOAT32_MAX, _FLOAT32_MAX), "RELU": (0.0, _FLOAT32_MAX),
           "RELU6": (0.0, 6.0), "RELU_N1_TO_1": (-1.0, 1.0)}


# The largest shift of a multiplier the kernels apply (as TFLite's
# single-rounding QuantizeMultiplier, which saturates larger ones): a left
# shift of a 32-bit value by more is undefined in C.
MAX_SHIFT = 30


class OutOfRange(ValueError):
  """A quantization parameter outside what the fixed-point kernels compute.

  The compiler turns it into an error naming the operator (compiler.py).
  """


def quantize_multiplier(real: float) -> tuple[int, int]:
  """A Q31 multiplier and a power-of-two shift with real = multiplier * 2^shift / 2^31.

  As TFLM's QuantizeMultiplier: frexp, then round half away from zero.
  Raises OutOfRange for a shift above MAX_SHIFT or a real that is not finite.
  """
  multiplier, shift = _frexp_multiplier(real)
  if shift > MAX_SHIFT:
    raise OutOfRange(f"the scales give a multiplier of {real:.6g}, 2^{shift - 1} or more, which "
                     f"the fixed-point kernels cannot apply (shifts up to {MAX_SHIFT})")
  return multiplier, shift


def _frexp_multiplier(real: float) -> tuple[int, int]:
  if not math.isfinite(real):
    raise OutOfRange(f"the scales give a multiplier of {real}, which is not a finite number")
  if real == 0.0:
    return 0, 0
  fraction, shift = math.frexp(real)
  fixed = int(math.floor(abs(fraction) * (1 << 31) + 0.5)) * (1 if fraction > 0 else -1)
  if fixed == 1 << 31:
    fixed //= 2
    shift += 1
  if shift < -31:
    return 0, 0
  return fixed, shift


def activation_range_s8(activation: str, scale: float, zero_point: int) -> tuple[int, int]:
  """TFLM's CalculateActivationRangeQuantized for int8 (the division in float32).

  `activation` must be one of ACTIVATIONS.
  """
  def quantize(value: float) -> int:
    with np.errstate(all="ignore"):
      scaled = float(np.float32(value) / np.float32(scale))
    if not math.isfinite(scaled):
      raise OutOfRange(f"the activation bound {value} over the scale {scale!r} is not a finite "
                       "float32")
    return zero_point + int(math.floor(abs(scaled) + 0.5)) * (1 if scaled >= 0 else -1)

  low, high = _RANGES[activation]
  return (max(-128, quantize(low)) if activation != "NONE" else -128,
          min(127, quantize(high)) if activation in ("RELU6", "RELU_N1_TO_1") else 127)


def activation_range_f32(activation: str) -> tuple[float, float]:
  """TFLM's CalculateActivationRange for float32; `activation` one of ACTIVATIONS."""
  return _RANGES[activation]


def scale(tensor) -> float:
  """The tensor's scale as TFLM holds it: a float32 (0 when unquantized)."""
  return float(np.float32(tensor.quantization.scales[0])) if tensor.quantization else 0.0


def zero_point(tensor) -> int:
  """The tensor's zero point (0 when unquantized)."""
  q = tensor.quantization
  return q.zero_points[0] if q and q.zero_points else 0


def mean_multiplier(real: float, count: int) -> tuple[int, int]:
  """The multiplier and shift of real / count, as TFLM's QuantizedMeanOrSum folds them.

  QuantizeMultiplier(real), then the multiplier shifted left by up to
  log2(count) bits (at most 32, and the shift kept >= -31) and divided by
  count in 64-bit integers.
  """
  multiplier, shift = quantize_multiplier(real)
  folded = min(count.bit_length() - 1, 32, 31 + shift)
  return (multiplier << folded) // count, shift - folded


def fixed_point_input(real: float, integer_bits: int) -> tuple[int, int, int]:
  """The Q31 multiplier, left shift and input range radius that rescale an int8
  input by `real` into fixed point with `integer_bits` integer bits.

  As TFLM's int8 LOGISTIC and TANH Prepare (Q4.27) and SOFTMAX Prepare
  (Q5.26): inputs at least `radius` from the zero point saturate.
  """
  multiplier, left_shift = _frexp_multiplier(real)
  if left_shift < 0:
    raise OutOfRange(f"the input rescaling factor {real:.6g} is below 1/2, which TFLM's Prepare "
                     "refuses (it needs a left shift of 0 or more)")
  radius = math.floor(((1 << integer_bits) - 1) * (1 << (31 - integer_bits)) / (1 << left_shift))
  return multiplier, left_shift, radius
