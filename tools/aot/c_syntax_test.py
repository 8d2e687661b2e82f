"""C syntax helpers against the exact text they write."""

import numpy as np

from tools.aot import c_syntax


def test_float32_constants_keep_infinities_and_nans():
  bits = np.array([0x3FC00000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC01234,
                   0x7F800001], dtype=np.uint32)
  assert c_syntax.c_values(bits.view(np.float32)) == (
      '{\n  1.5f, -0.0f, __builtin_inff(), -__builtin_inff(), __builtin_nanf("0x0"), '
      '-__builtin_nanf("0x1234"), __builtin_nansf("0x1")\n}')


def test_const_struct_names_every_field():
  assert c_syntax.const_struct("tflm_rt_x", "op3_params", {
      "output_offset": 3, "multipliers": "op3_multipliers", "shape": [1, 2],
      "kept": {"count": [4], "step": (1,)}}) == (
          "static const tflm_rt_x op3_params = {\n"
          "  .output_offset = 3,\n"
          "  .multipliers = op3_multipliers,\n"
          "  .shape = {1, 2},\n"
          "  .kept = {.count = {4}, .step = {1}},\n"
          "};\n")
