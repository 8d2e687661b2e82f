"""The C the emitters write: the kernel each op calls, designated initializers, the
typed arena."""

import numpy as np

from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import compiler
from tools.aot.ops import transpose_conv


def test_float32_kernels_are_called_for_float32_models():
  for kernel, call in [("CONV_2D_FLOAT", "tflm_rt_conv_f32("),
                       ("DEPTHWISE_CONV_2D_FLOAT", "tflm_rt_depthwise_conv_f32("),
                       ("AVERAGE_POOL_2D_FLOAT", "tflm_rt_average_pool_f32("),
                       ("MAX_POOL_2D_FLOAT", "tflm_rt_max_pool_f32("),
                       ("SOFTMAX_FLOAT", "tflm_rt_softmax_f32("),
                       ("MEAN_FLOAT", "tflm_rt_mean_f32(&op0_kept, &op0_reduced, "),
                       ("PAD_FLOAT", "tflm_rt_pad(&op0_value, &op0_shape, 4, arena.f32"),
                       ("CONCATENATION_FLOAT", "tflm_rt_concat("),
                       ("STRIDED_SLICE_FLOAT", "tflm_rt_strided_slice(&op0_walk, "),
                       ("LEAKY_RELU_FLOAT", "tflm_rt_leaky_relu_f32("),
                       ("FULLY_CONNECTED_FLOAT", "tflm_rt_fully_connected_f32("),
                       ("TRANSPOSE_CONV_FLOAT", "tflm_rt_transpose_conv_f32(")]:
    assert "  " + call in cases.compile_case(cases.drawn(kernel)).source, kernel


def test_int8_pad_reads_bytes():
  assert "tflm_rt_pad(&op0_value, &op0_shape, 1, arena.s8" in (
      cases.compile_case(cases.drawn("PAD")).source)
  assert "tflm_rt_pad(&op0_value, &op0_shape, 1, arena.s8" in (
      cases.compile_case(cases.drawn("PADV2")).source)


def test_float32_logistic_reads_the_float_member_of_the_arena():
  model = tflite_reader.read_model(
      case_model.one_op_model("LOGISTIC", "float32", ([], []), ([], [])), "m.tflite")
  source = compiler.compile_model(model, "m", "m.tflite", "m.h").source
  assert "  tflm_rt_logistic_f32(4, arena.f32, arena.f32);" in source
  assert ("static union {\n  int8_t s8[16];\n  int16_t s16[8];\n  int32_t s32[4];\n"
          "  float f32[4];\n  uint8_t u8[16];\n} arena __attribute__((aligned(16)));") in source
  assert "const float *m_output(void) { return arena.f32; }" in source


def test_structs_are_designated_initializers():
  source = cases.compile_case(cases.drawn("SOFTMAX")).source
  assert ("static const tflm_rt_softmax_s8_params op0_params = {\n"
          "  .input_multiplier = ") in source
  assert "  .input_left_shift = " in source and "  .diff_min = -" in source


def test_float32_mean_sums_in_the_input_order():
  # TFLM's Reduce adds along the reduced axes in the input's order, whatever order the
  # axes come in; float32 sums differ with the order.
  case = cases.drawn("MEAN_FLOAT")
  case_model.replace(case, 0, shape=(2, 3, 4))
  case_model.replace(case, 1, shape=(2,), data=np.array([2, 0], np.int32))
  case.options.keepDims = False
  case_model.replace(case, 2, shape=(3,))
  source = cases.compile_case(case).source
  assert ("static const tflm_rt_walk op0_kept = {\n  .count = {1, 1, 1, 1, 3},\n"
          "  .step = {0, 0, 0, 0, 4},\n};") in source
  assert ("static const tflm_rt_walk op0_reduced = {\n  .count = {1, 1, 1, 2, 4},\n"
          "  .step = {0, 0, 0, 12, 1},\n};") in source


def test_transpose_conv_pads_as_tflm():
  # A convolution's padding from the output back to the input; for VALID, C++ divides
  # (output + stride - filter) by the stride towards zero, and a negative quotient makes
  # TFLM pad 0 in both dimensions (the differential test draws such outputs).
  assert transpose_conv.padding("SAME", 2, 10, 5) == 1
  assert transpose_conv.padding("SAME", 3, 4, 1) == 0
  assert transpose_conv.padding("VALID", 2, 9, 3) == 0
  assert transpose_conv.padding("VALID", 3, 1, 6) == 1
  assert transpose_conv.padding("VALID", 2, 1, 5) is None
