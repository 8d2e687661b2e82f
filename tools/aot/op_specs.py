"""What each op's emitter takes, for the validation pass (validate.py): how many inputs
and outputs, which are constant and which live in the arena, and the families of ops
whose checks are shared (quantized kernels, same-size outputs, broadcasting inputs).
"""

import dataclasses

from tools.aot.ops import comparisons
from tools.aot.ops import unary

@dataclasses.dataclass(frozen=True)
class Spec:
  """What an op's emitter takes: input and output count ranges, and input positions
  that must be constant (`constant`), that must be in the arena (`arena`) and that may
  be left out (-1, `optional`)."""
  inputs: tuple[int, int]
  outputs: tuple[int, int] = (1, 1)
  constant: tuple[int, ...] = ()
  arena: tuple[int, ...] = (0,)
  optional: tuple[int, ...] = ()
  variable: tuple[int, ...] = ()  # positions that must be variable tensors (state)


# The most tensors PACK stacks or SPLIT, SPLIT_V and UNPACK fill (TFLM sets no limit).
MAX_PARTS = 1 << 16
_BINARY = Spec((2, 2), arena=())
_UNARY = Spec((1, 1))
_WINDOWED = Spec((2, 3), constant=(1, 2), optional=(2,))
SPECS = {
    "ADD": _BINARY, "SUB": _BINARY, "MUL": _BINARY,
    "FULLY_CONNECTED": _WINDOWED, "CONV_2D": _WINDOWED, "DEPTHWISE_CONV_2D": _WINDOWED,
    "AVERAGE_POOL_2D": _UNARY, "MAX_POOL_2D": _UNARY,
    "CONCATENATION": Spec((1, 10), arena=()),
    # The emitters of PAD, PADV2, STRIDED_SLICE, the reductions and ARG_MAX and ARG_MIN
    # check their constant inputs.
    "PAD": Spec((2, 2), arena=()),
    "PADV2": Spec((2, 3), arena=(), optional=(2,)),
    "STRIDED_SLICE": Spec((4, 4), arena=()),
    "RESHAPE": Spec((1, 2), arena=(), optional=(1,)), "SQUEEZE": Spec((1, 1), arena=()),
    "EXPAND_DIMS": Spec((2, 2), arena=()),
    "MEAN": Spec((2, 2), arena=()), "SUM": Spec((2, 2), arena=()),
    "REDUCE_MAX": Spec((2, 2), arena=()),
    "ARG_MAX": Spec((2, 2), arena=()), "ARG_MIN": Spec((2, 2), arena=()),
    "SOFTMAX": _UNARY, "QUANTIZE": _UNARY, "DEQUANTIZE": _UNARY,
    "RELU": _UNARY, "RELU6": _UNARY, "LOGISTIC": _UNARY, "TANH": _UNARY, "LEAKY_RELU": _UNARY,
    "MAXIMUM": _BINARY, "MINIMUM": _BINARY, "DIV": _BINARY, "SQUARED_DIFFERENCE": _BINARY,
    "PRELU": _BINARY,
    # The emitters of RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR and TRANSPOSE check their
    # constant inputs.
    "RESIZE_NEAREST_NEIGHBOR": Spec((2, 2), arena=()), "RESIZE_BILINEAR": Spec((2, 2), arena=()),
    "TRANSPOSE": Spec((2, 2), arena=()),
    # The axes of SPLIT and SPLIT_V are constants, as TFLM requires; the emitters check them,
    # SPLIT_V's size_splits and the options of all four.
    "SPLIT": Spec((2, 2), (1, MAX_PARTS), constant=(0,), arena=()),
    "SPLIT_V": Spec((3, 3), (1, MAX_PARTS), constant=(2,), arena=()),
    "UNPACK": Spec((1, 1), (1, MAX_PARTS), arena=()),
    "PACK": Spec((1, MAX_PARTS), arena=()),
    # The emitters of BATCH_MATMUL and GATHER check shapes and options; either input may
    # be a constant.
    "BATCH_MATMUL": Spec((2, 2), arena=()), "GATHER": Spec((2, 2), arena=()),
    # The input, 8 gate weights, 3 peepholes, 4 biases, the projection, the hidden and
    # cell states (variables), 4 layer norms (ops/lstm.py).
    "UNIDIRECTIONAL_SEQUENCE_LSTM": Spec(
        (24, 24), constant=tuple(range(1, 18)) + (20, 21, 22, 23),
        optional=tuple(range(1, 18)) + (20, 21, 22, 23), variable=(18, 19)),
    # Output shape (TFLM reads the output's), filter, input, bias.
    "TRANSPOSE_CONV": Spec((3, 4), constant=(1, 3), arena=(2,), optional=(3,)),
    "DEPTH_TO_SPACE": Spec((1, 1), arena=()), "SPACE_TO_DEPTH": Spec((1, 1), arena=()),
    **{opcode: _UNARY for opcode in unary.OPS},
    **{opcode: _BINARY for opcode in comparisons.OPS},
    # The emitters of SELECT and TILE check the condition's shape and the constant multiples.
    "SELECT": Spec((3, 3), arena=()), "SELECT_V2": Spec((3, 3), arena=()),
    "TILE": Spec((2, 2), arena=()),
}
# Ops whose int8 kernels use the scales and zero points (the emitters of
# LEAKY_RELU, LOGISTIC, TANH, MEAN and SUM check them themselves; ARG_MAX and
# ARG_MIN compare raw values and ignore them).
QUANTIZED = frozenset(SPECS) - {"RESHAPE", "SQUEEZE", "EXPAND_DIMS", "STRIDED_SLICE",
                                 "CONCATENATION", "PAD", "PADV2", "LEAKY_RELU", "LOGISTIC", "TANH",
                                 "MEAN", "SUM", "TRANSPOSE", "SPLIT", "SPLIT_V", "UNPACK", "PACK",
                                 "GATHER", "ARG_MAX", "ARG_MIN", "SELECT", "SELECT_V2", "TILE"}
# Ops whose output has as many elements as input 0.
SAME_SIZE = frozenset({"SOFTMAX", "QUANTIZE", "DEQUANTIZE", "RELU", "RELU6", "LOGISTIC",
                        "TANH", "LEAKY_RELU", "DEPTH_TO_SPACE", "SPACE_TO_DEPTH", *unary.OPS})
# Ops whose inputs broadcast to the output's shape.
BROADCASTING = frozenset({"ADD", "SUB", "MUL", "MAXIMUM", "MINIMUM", "DIV", "SQUARED_DIFFERENCE",
                           "PRELU", "SELECT_V2", *comparisons.OPS})
