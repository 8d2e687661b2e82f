"""The kernels of the differential test and how many random models each gets.

RULES_TFLM_DIFFERENTIAL_CASES sets the number of models per kernel (default
200, with 3 inputs each).
"""

import os
import random

from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases_activations
from tools.aot import cases_float
from tools.aot import cases_folding
from tools.aot import cases_index
from tools.aot import cases_int8
from tools.aot import cases_matmul_gather
from tools.aot import cases_reduce
from tools.aot import cases_resize
from tools.aot import cases_split
from tools.aot import cases_transpose_conv
from tools.aot import compiler
from tools.aot.ops import comparisons
from tools.aot.ops import unary

CASES = int(os.environ.get("RULES_TFLM_DIFFERENTIAL_CASES", "200"))
INPUTS_PER_CASE = 3

# The suffix of a kernel's name for the type it runs on (int8 has none).
_SUFFIXES = {"": "int8", "_FLOAT": "float32", "_INT32": "int32"}

KERNELS = {
    "CONV_2D": lambda rng: cases_int8.conv_case(rng, depthwise=False),
    "DEPTHWISE_CONV_2D": lambda rng: cases_int8.conv_case(rng, depthwise=True),
    # A residual block's CONV_2D and ADD, run in slices (tools/aot/fusion.py).
    "CONV_2D_ADD": cases_int8.residual_case,
    "FULLY_CONNECTED": cases_int8.fully_connected_case,
    "AVERAGE_POOL_2D": lambda rng: cases_int8.pool_case(rng, "AVERAGE_POOL_2D"),
    "MAX_POOL_2D": lambda rng: cases_int8.pool_case(rng, "MAX_POOL_2D"),
    "DEQUANTIZE": lambda rng: cases_int8.quantize_case(rng, "DEQUANTIZE", "int8", "float32"),
    "QUANTIZE_FLOAT": lambda rng: cases_int8.quantize_case(rng, "QUANTIZE", "float32", "int8"),
    "REQUANTIZE": lambda rng: cases_int8.quantize_case(rng, "QUANTIZE", "int8", "int8"),
    "SOFTMAX": cases_int8.softmax_case,
    "ADD": lambda rng: cases_int8.binary_case(rng, "ADD"),
    "SUB": lambda rng: cases_int8.binary_case(rng, "SUB"),
    "MUL": lambda rng: cases_int8.binary_case(rng, "MUL"),
    "MAXIMUM": lambda rng: cases_int8.maximum_minimum_case(rng, "MAXIMUM"),
    "MINIMUM": lambda rng: cases_int8.maximum_minimum_case(rng, "MINIMUM"),
    "RESIZE_NEAREST_NEIGHBOR": cases_int8.resize_nearest_case,
    "TRANSPOSE": cases_int8.transpose_case,
    "BATCH_MATMUL": cases_matmul_gather.batch_matmul_case,
    "GATHER": cases_matmul_gather.gather_case,
    "TRANSPOSE_CONV": cases_transpose_conv.transpose_conv_case,
    "RESIZE_BILINEAR": cases_resize.resize_bilinear_case,
    "DEPTH_TO_SPACE": lambda rng: cases_resize.depth_space_case(rng, "DEPTH_TO_SPACE"),
    "SPACE_TO_DEPTH": lambda rng: cases_resize.depth_space_case(rng, "SPACE_TO_DEPTH"),
    # Conv1D's EXPAND_DIMS of an activation: the bytes copied (int8 and float32, as TFLM).
    "EXPAND_DIMS": cases_folding.expand_dims_case,
    # RESHAPE and SQUEEZE of an activation, int32 and float32: the bytes copied.
    "RESHAPE": cases_folding.reshape_case,
    "SQUEEZE": cases_folding.squeeze_case,
    "RELU": lambda rng: cases_int8.relu_case(rng, "RELU"),
    "RELU6": lambda rng: cases_int8.relu_case(rng, "RELU6"),
    "PAD": lambda rng: cases_int8.pad_case(rng, "PAD"),
    "PADV2": lambda rng: cases_int8.pad_case(rng, "PADV2"),
    "CONCATENATION": cases_int8.concatenation_case,
    "STRIDED_SLICE": cases_int8.strided_slice_case,
    "MEAN": cases_int8.mean_case,
    "REDUCE_MAX": lambda rng: cases_reduce.reduce_case(rng, "REDUCE_MAX"),
    "SUM": lambda rng: cases_reduce.reduce_case(rng, "SUM"),
    "ARG_MAX": lambda rng: cases_reduce.arg_min_max_case(rng, "ARG_MAX"),
    "ARG_MIN": lambda rng: cases_reduce.arg_min_max_case(rng, "ARG_MIN"),
    "LEAKY_RELU": cases_int8.leaky_relu_case,
    "LOGISTIC": lambda rng: cases_int8.sigmoid_case(rng, "LOGISTIC"),
    "TANH": lambda rng: cases_int8.sigmoid_case(rng, "TANH"),
    "PRELU": cases_activations.prelu_case,
    "ELU": lambda rng: cases_activations.unary_s8_case(rng, "ELU"),
    "HARD_SWISH": lambda rng: cases_activations.unary_s8_case(rng, "HARD_SWISH"),
    "ABS": lambda rng: cases_activations.unary_s8_case(rng, "ABS"),
    "RSQRT": lambda rng: cases_activations.unary_s8_case(rng, "RSQRT"),
    "LOGISTIC_FLOAT": lambda rng: cases_float.float_unary_case(rng, "LOGISTIC"),
    "TANH_FLOAT": lambda rng: cases_float.float_unary_case(rng, "TANH"),
    "RELU_FLOAT": lambda rng: cases_float.float_unary_case(rng, "RELU"),
    "RELU6_FLOAT": lambda rng: cases_float.float_unary_case(rng, "RELU6"),
    **{f"{op}_FLOAT": (lambda op: lambda rng: cases_float.float_unary_case(rng, op))(op)
       for op in unary.OPS},
    "ADD_FLOAT": lambda rng: cases_float.float_binary_case(rng, "ADD"),
    "DIV_FLOAT": lambda rng: cases_float.float_div_case(rng, "DIV"),
    "SQUARED_DIFFERENCE_FLOAT": lambda rng: cases_float.float_div_case(rng, "SQUARED_DIFFERENCE"),
    "SUB_FLOAT": lambda rng: cases_float.float_binary_case(rng, "SUB"),
    "MUL_FLOAT": lambda rng: cases_float.float_binary_case(rng, "MUL"),
    "MAXIMUM_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_int8.maximum_minimum_case(rng, "MAXIMUM")),
    "MINIMUM_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_int8.maximum_minimum_case(rng, "MINIMUM")),
    "RESIZE_NEAREST_NEIGHBOR_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_int8.resize_nearest_case(rng)),
    "TRANSPOSE_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.transpose_case(rng)),
    "BATCH_MATMUL_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_matmul_gather.batch_matmul_case(rng)),
    "GATHER_FLOAT": lambda rng: cases_float.float32_case(rng, cases_matmul_gather.gather_case(rng)),
    "TRANSPOSE_CONV_FLOAT": cases_transpose_conv.float_transpose_conv_case,
    "RESIZE_BILINEAR_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_resize.resize_bilinear_case(rng)),
    "DEPTH_TO_SPACE_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_resize.depth_space_case(rng, "DEPTH_TO_SPACE")),
    "SPACE_TO_DEPTH_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_resize.depth_space_case(rng, "SPACE_TO_DEPTH")),
    "CONV_2D_FLOAT": lambda rng: cases_float.float_conv_case(rng, depthwise=False),
    "DEPTHWISE_CONV_2D_FLOAT": lambda rng: cases_float.float_conv_case(rng, depthwise=True),
    "AVERAGE_POOL_2D_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.pool_case(rng, "AVERAGE_POOL_2D")),
    "MAX_POOL_2D_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.pool_case(rng, "MAX_POOL_2D")),
    "SOFTMAX_FLOAT": cases_float.float_softmax_case,
    "MEAN_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.mean_case(rng)),
    **{f"{op}_FLOAT": (lambda op: lambda rng: cases_float.float32_case(
        rng, cases_reduce.reduce_case(rng, op)))(op) for op in ("REDUCE_MAX", "SUM")},
    **{f"{op}_FLOAT": (lambda op: lambda rng: cases_float.float32_case(
        rng, cases_reduce.arg_min_max_case(rng, op)))(op) for op in ("ARG_MAX", "ARG_MIN")},
    "PAD_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.pad_case(rng, "PAD")),
    "PADV2_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.pad_case(rng, "PADV2")),
    "CONCATENATION_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.concatenation_case(rng)),
    "STRIDED_SLICE_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.strided_slice_case(rng)),
    # TFLM's float32 PRELU broadcasts up to 4 dimensions, its int8 one up to 8.
    "PRELU_FLOAT": lambda rng: cases_float.float32_case(
        rng, cases_activations.prelu_case(rng, max_rank=4)),
    "LEAKY_RELU_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.leaky_relu_case(rng)),
    "FULLY_CONNECTED_FLOAT": lambda rng: cases_float.float32_case(rng, cases_int8.fully_connected_case(rng)),
    # Several outputs (SPLIT, SPLIT_V, UNPACK) or inputs (PACK), each output compared.
    **cases_split.CASES,
    **{f"{op}_FLOAT": (lambda case: lambda rng: cases_float.float32_case(rng, case(rng)))(case)
       for op, case in cases_split.CASES.items()},
    **{f"{op}{suffix}": (lambda op, dtype: lambda rng: cases_index.comparison_case(
        rng, op, dtype))(op, dtype) for op in comparisons.OPS
       for suffix, dtype in _SUFFIXES.items()},
    **{f"{op}_INT32": (lambda op: lambda rng: cases_index.int32_binary_case(rng, op))(op)
       for op in ("ADD", "SUB", "MUL")},
    **{f"{op}{suffix}": (lambda op, dtype: lambda rng: cases_index.select_case(
        rng, op, dtype))(op, dtype) for op in ("SELECT", "SELECT_V2")
       for suffix, dtype in _SUFFIXES.items()},
    **{f"TILE{suffix}": (lambda dtype: lambda rng: cases_index.tile_case(rng, dtype))(dtype)
       for suffix, dtype in _SUFFIXES.items()},
}

# Kernels TFLM cannot run (no SELECT nor TILE, no int32 SELECT_V2): their oracle is TF Lite's
# interpreter with its reference kernels (harness.tflite_outputs).
TFLITE_ORACLE = frozenset({"SELECT", "SELECT_FLOAT", "SELECT_INT32", "SELECT_V2_INT32", "TILE",
                           "TILE_FLOAT", "TILE_INT32"})


def drawn(kernel: str) -> case_model.Case:
  """The first random case of a kernel, as the differential test draws it."""
  return KERNELS[kernel](random.Random(f"{kernel}-0"))


def compile_case(case: case_model.Case) -> compiler.Generated:
  """Compiles a case's model, labelled "m.tflite", with prefix m."""
  model = tflite_reader.read_model(case_model.build_model(case), "m.tflite")
  return compiler.compile_model(model, "m", "m.tflite", "m.h")
