"""Functions of one input. float32: ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, SIN, COS,
HARD_SWISH and ELU, each a call of runtime/unary.h. int8, where TFLM has it: ELU,
HARD_SWISH, ABS and RSQRT, TFLM's output for each of the 256 inputs computed here (lookup.py)
and looked up."""

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import lookup
from tools.aot import quantization
from tools.aot.registry import register
from tools.aot.registry import tflm_lacks

OPS = ("ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "EXP", "LOG", "SIN", "COS", "HARD_SWISH", "ELU")

# The int8 tables, by op: TFLM's arithmetic for each input (tools/aot/lookup.py).
_TABLES = {"ELU": lookup.elu, "HARD_SWISH": lookup.hard_swish, "ABS": lookup.abs_,
           "RSQRT": lookup.rsqrt}

# TFLM's kernels of these compute float32 only (elementwise.cc, neg.cc, exp.cc).
tflm_lacks("NEG", "SQUARE", "SQRT", "EXP", "LOG", "SIN", "COS", types=("int8",),
           reason="its kernel computes float32 only")


def _same_size(e: emitter.Emitter, op: tflite_reader.Operator, x, y) -> None:
  """Raises unless the input and output have as many elements."""
  if e.size(x.index) != e.size(y.index):
    raise e.error(op, f"its input has shape {list(x.shape)} and its output {list(y.shape)}",
                  "the model is inconsistent: convert it again")


@register(*OPS, types=("float32",))
def emit_unary_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's float kernels: the function of each element."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "float32")
  _same_size(e, op, x, y)
  e.call(op, "", f"tflm_rt_{op.opcode.lower()}_f32", str(e.size(y.index)), e.operand(x.index),
         e.arena(y.index))


@register(*_TABLES, types=("int8",))
def emit_lookup_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's int8 kernels, each input's output computed at compile time and looked up."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "int8")
  _same_size(e, op, x, y)
  if not x.quantization or not y.quantization:
    raise e.error(op, "a tensor has no quantization parameters",
                  f"TFLM's int8 {op.opcode} needs a scale and zero point on both: quantize the "
                  "model fully")
  scales = quantization.scale(x), quantization.scale(y)
  if op.opcode == "HARD_SWISH" and lookup.hard_swish_parameters(*scales)[1] > 0:
    raise e.error(op, f"its input scale {scales[0]!r} is 128 or more times its output scale "
                  f"{scales[1]!r}", "TFLM's int8 HARD_SWISH Prepare refuses it too (it needs the "
                  "input scale / 128 below the output scale): requantize the model")
  if op.opcode == "RSQRT" and lookup.rsqrt_multiplier(*scales)[1] - 20 < -31:
    raise e.error(op, f"its scales {scales[0]!r} and {scales[1]!r} make TFLM shift right by "
                  "more than 31", "TFLM's int8 RSQRT leaves such shifts undefined: requantize "
                  "the model")
  table = _TABLES[op.opcode](scales[0], quantization.zero_point(x), scales[1],
                             quantization.zero_point(y))
  name = f"op{op.index}_table"
  e.constants.append(f"/* op {op.index}: {op.opcode}'s output for inputs -128 to 127 */\n"
                     f"static const int8_t {name}[256] = "
                     f"{c_syntax.c_values(np.array(table, np.int8))};\n")
  e.call(op, "", "tflm_rt_lookup_s8", name, str(e.size(y.index)), e.operand(x.index),
         e.arena(y.index))
