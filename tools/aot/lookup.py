"""The 256-entry tables of int8 functions of one input, computed at compile time.

An int8 function of one input (ELU, HARD_SWISH, ABS, RSQRT) has 256 possible
inputs, so the compiler evaluates TFLM's arithmetic for each of them here,
exactly as TFLM's Prepare (ELU's float32 table) or Eval (HARD_SWISH's int16
fixed point, ABS's requantization, RSQRT's Newton-Raphson) computes it, and
the kernel looks the outputs up (runtime/unary.h's tflm_rt_lookup_s8). Entry
k is the output for input k - 128.
"""

import ctypes
import ctypes.util
import functools
import math
from typing import Callable

import numpy as np

from tools.aot import quantization

INPUTS = range(-128, 128)
_F32 = np.float32


@functools.cache
def _expf() -> Callable[[float], float]:
  """libm's expf, as TFLM's ELU table calls it (std::exp of a float): numpy's own exp of
  float32 rounds differently in many last bits."""
  expf = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").expf
  expf.restype, expf.argtypes = ctypes.c_float, [ctypes.c_float]
  return expf


def _wrap(value: int, bits: int) -> int:
  """value as a C cast to a signed integer of `bits` bits keeps it (two's complement)."""
  value &= (1 << bits) - 1
  return value - (1 << bits) if value >> (bits - 1) else value


def _clamp_s8(value: int) -> int:
  return max(-128, min(127, value))


def _c_div(a: int, b: int) -> int:
  """C's integer division, rounding toward zero."""
  quotient = abs(a) // abs(b)
  return quotient if (a >= 0) == (b > 0) else -quotient


def _srdhm16(a: int, b: int) -> int:
  """gemmlowp's SaturatingRoundingDoublingHighMul of two int16s."""
  if a == b == -32768:
    return 32767
  product = a * b
  nudge = (1 << 14) if product >= 0 else 1 - (1 << 14)
  return _wrap(_c_div(product + nudge, 1 << 15), 16)


def _sdhm16(a: int, b: int) -> int:
  """TFLM's SaturatingDoublingHighMul of two int16s: as _srdhm16, rounding toward zero."""
  if a == b == -32768:
    return 32767
  return _wrap(_c_div(a * b, 1 << 15), 16)


def _rounding_divide_by_pot16(x: int, exponent: int) -> int:
  """gemmlowp's RoundingDivideByPOT of an int16: its mask, 2^exponent - 1, is cast to
  int16 (all ones from exponent 16 on), and the sums wrap in int16."""
  mask = _wrap((1 << exponent) - 1, 16)
  remainder = x & mask
  threshold = _wrap((mask >> 1) + (1 if x < 0 else 0), 16)
  return _wrap((x >> exponent) + (1 if remainder > threshold else 0), 16)


def _saturating_left_shift16(value: int, amount: int) -> int:
  """TFLM's SaturatingLeftShift of an int16."""
  return max(-32768, min(32767, value * (1 << amount)))


def _multiplier16(real: float) -> tuple[int, int]:
  """QuantizeMultiplier(real), then DownScaleInt32ToInt16Multiplier: a Q15 multiplier and
  its exponent."""
  multiplier, exponent = quantization.quantize_multiplier(real)
  if multiplier >= (1 << 31) - 1 - (1 << 15):
    return 32767, exponent
  return (multiplier + (1 << 15)) >> 16, exponent


def multiply_by_quantized_multiplier(x: int, multiplier: int, shift: int) -> int:
  """TFLM's MultiplyByQuantizedMultiplier (runtime/fixed_point.h's) of an int32."""
  a = _wrap(x << shift, 32) if shift > 0 else x
  if a == multiplier == -(1 << 31):
    high = (1 << 31) - 1
  else:
    high = (a * multiplier + (1 << 30)) >> 31
  if shift >= 0:
    return high
  exponent = -shift
  mask = (1 << exponent) - 1
  threshold = (mask >> 1) + (1 if high < 0 else 0)
  return (high >> exponent) + (1 if (high & mask) > threshold else 0)


def elu(in_scale: float, in_zero_point: int, out_scale: float, out_zero_point: int) -> list[int]:
  """TFLM's ELU table (elu.cc's PopulateLookupTable), in float32 as TFLM computes it:
  x = scale * (q - zero point), x < 0 ? expf(x) - 1 : x, times 1 / output scale, rounded
  half away from zero, plus the output zero point, truncated to int32 and clamped.

  Raises quantization.OutOfRange where that sum leaves int32, whose conversion C
  leaves undefined."""
  inverse = _F32(1) / _F32(out_scale)
  table = []
  with np.errstate(all="ignore"):
    for q in INPUTS:
      x = _F32(in_scale) * _F32(q - in_zero_point)
      y = _F32(_expf()(float(x))) - _F32(1) if x < 0 else x
      scaled = _F32(y * inverse)
      rounded = _F32(math.copysign(math.floor(abs(float(scaled)) + 0.5), float(scaled))
                     if math.isfinite(scaled) else scaled)
      total = _F32(rounded + _F32(out_zero_point))
      if not math.isfinite(total) or not -2.0 ** 31 <= float(total) < 2.0 ** 31:
        raise quantization.OutOfRange(
            f"ELU of input {q} is {float(total)} in the output's scale, beyond int32, where "
            "TFLM's table conversion is undefined")
      table.append(_clamp_s8(int(total)))
  return table


def hard_swish_parameters(in_scale: float, out_scale: float) -> tuple[int, int, int, int]:
  """TFLM's HardSwishPrepare: the Q15 output and reluish multipliers and their exponents,
  from float32 ratios of the input scale / 128 to the output scale and to 3 / 32768."""
  hires = _F32(1 / 128) * _F32(in_scale)
  output_multiplier, output_exponent = _multiplier16(float(hires / _F32(out_scale)))
  reluish_multiplier, reluish_exponent = _multiplier16(float(hires / (_F32(3) / _F32(32768))))
  return output_multiplier, output_exponent, reluish_multiplier, reluish_exponent


def hard_swish(in_scale: float, in_zero_point: int, out_scale: float,
               out_zero_point: int) -> list[int]:
  """TFLM's reference_ops::HardSwish of int8 (hard_swish.h), in its int16 fixed point:
  the input on the output scale, times the reluish value (x + 3) / 6 clamped to [0, 1]."""
  output_multiplier, output_exponent, reluish_multiplier, reluish_exponent = (
      hard_swish_parameters(in_scale, out_scale))
  table = []
  for q in INPUTS:
    hires = _wrap(_wrap(q - in_zero_point, 16) * 128, 16)
    preshift = _srdhm16(hires, output_multiplier)
    reluish = hires
    if reluish_exponent > 0:
      reluish = _saturating_left_shift16(reluish, reluish_exponent - 1)
    reluish = _srdhm16(reluish, reluish_multiplier)
    if reluish_exponent > 0:
      reluish = _saturating_left_shift16(reluish, 1)
    if reluish_exponent < 0:
      reluish = _rounding_divide_by_pot16(reluish, -reluish_exponent)
    reluish = (reluish + (1 << 15)) >> 1
    value = _rounding_divide_by_pot16(_sdhm16(reluish, preshift), -output_exponent)
    table.append(_clamp_s8(_wrap(value + out_zero_point, 16)))
  return table


def abs_(in_scale: float, in_zero_point: int, out_scale: float, out_zero_point: int) -> list[int]:
  """TFLM's int8 ABS (elementwise.cc's AbsEvalQuantized): |q - input zero point|, rescaled
  by input scale / output scale (a float32 ratio) unless the scales are equal, plus the
  output zero point, clamped."""
  rescale = _F32(in_scale) != _F32(out_scale)
  if rescale:
    multiplier, shift = quantization.quantize_multiplier(float(_F32(in_scale) / _F32(out_scale)))
  table = []
  for q in INPUTS:
    value = abs(q - in_zero_point)
    if rescale:
      value = multiply_by_quantized_multiplier(value, multiplier, shift)
    table.append(_clamp_s8(value + out_zero_point))
  return table


def _srdhm32(a: int, b: int) -> int:
  """gemmlowp's SaturatingRoundingDoublingHighMul of two int32s."""
  if a == b == -(1 << 31):
    return (1 << 31) - 1
  return (a * b + (1 << 30)) >> 31


def _saturating_shift_left32(x: int, exponent: int) -> int:
  """gemmlowp's SaturatingRoundingMultiplyByPOT<exponent > 0> of an int32."""
  threshold = (1 << (31 - exponent)) - 1
  return (1 << 31) - 1 if x > threshold else -(1 << 31) if x < -threshold else x << exponent


def _inv_sqrt(value: int) -> tuple[int, int]:
  """TFLM's GetInvSqrtQuantizedMultiplierExp(value, kReverseShift): 1 / sqrt(value) as a
  Q31 multiplier and a left shift, by five Newton-Raphson steps in gemmlowp's Q3.28."""
  if value <= 1:
    return (1 << 31) - 1, 0
  shift = 11
  while value >= 1 << 29:
    value //= 4
    shift += 1
  pairs = ((32 - value.bit_length()) - 1) // 2 - 1
  shift -= pairs
  value <<= 2 * pairs
  fixed_input = value >> 1
  half_input = (fixed_input >> 1) + (1 if (fixed_input & 1) > (fixed_input < 0) else 0)
  half_three = (1 << 28) + (1 << 27)
  x = 1 << 28
  for _ in range(5):
    x3 = _saturating_shift_left32(_srdhm32(_srdhm32(x, x), x), 6)
    x = _saturating_shift_left32(_wrap(_srdhm32(half_three, x) - _srdhm32(half_input, x3), 32), 3)
  x = _srdhm32(x, 1518500250)
  if shift < 0:
    x, shift = _wrap(x << -shift, 32), 0
  return x, -shift


def rsqrt_multiplier(in_scale: float, out_scale: float) -> tuple[int, int]:
  """TFLM's SetRsqrtOutputMultiplier: 1 / (sqrtf(input scale) * output scale), in double."""
  return quantization.quantize_multiplier(
      1.0 / float(np.sqrt(_F32(in_scale)) * _F32(out_scale)))


def rsqrt(in_scale: float, in_zero_point: int, out_scale: float,
          out_zero_point: int) -> list[int]:
  """TFLM's int8 RSQRT (elementwise.cc's RsqrtEvalQuantized): 1 / sqrt(q - zero point) in
  fixed point, 2^20 times, rescaled to the output. Its input 0 gives 127; an input below
  the zero point makes TFLM's Invoke fail (RSQRT of a negative), and gives 127 here."""
  multiplier, shift = rsqrt_multiplier(in_scale, out_scale)
  table = []
  for q in INPUTS:
    value = q - in_zero_point
    if value <= 0:
      table.append(127)
      continue
    inv_sqrt, inv_shift = _inv_sqrt(value)
    data = multiply_by_quantized_multiplier(1, inv_sqrt, inv_shift + 20)
    table.append(_clamp_s8(multiply_by_quantized_multiplier(data, multiplier, shift - 20) +
                           out_zero_point))
  return table
