"""TFLM's quantization arithmetic, on values worked out by hand."""

import pytest

from tools.aot import quantization


@pytest.mark.parametrize("real,expected", [
    (0.5, (1 << 30, 0)), (0.25, (1 << 30, -1)), (1.0, (1 << 30, 1)), (0.0, (0, 0)),
    (0.75, (1610612736, 0)),
])
def test_quantize_multiplier(real, expected):
  assert quantization.quantize_multiplier(real) == expected


def test_mean_folds_the_count_into_the_multiplier_as_tflm():
  # 0.5 / 3: QuantizeMultiplier(0.5) = (2^30, 0), then 2^30 << 1 // 3 with shift 0 - 1.
  assert quantization.mean_multiplier(0.5, 3) == ((1 << 31) // 3, -1)
  # The fold stops at shift -31: QuantizeMultiplier(2^-30) = (2^30, -29), so 2 bits of 2^20.
  assert quantization.mean_multiplier(2.0 ** -30, 1 << 20) == ((1 << 32) >> 20, -31)


def test_activation_ranges():
  # Scale 0.5, zero point -10: 0 is -10, 6 is 2, -1 is -12 and 1 is -8.
  assert quantization.activation_range_s8("NONE", 0.5, -10) == (-128, 127)
  assert quantization.activation_range_s8("RELU", 0.5, -10) == (-10, 127)
  assert quantization.activation_range_s8("RELU6", 0.5, -10) == (-10, 2)
  assert quantization.activation_range_s8("RELU_N1_TO_1", 0.5, -10) == (-12, -8)
  assert quantization.activation_range_f32("RELU6") == (0.0, 6.0)
