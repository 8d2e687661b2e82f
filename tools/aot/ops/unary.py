"""float32 functions of one input: ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, SIN, COS and
HARD_SWISH, each a call of runtime/unary.h."""

from tools import tflite_reader
from tools.aot import emitter
from tools.aot.registry import register

OPS = ("ABS", "NEG", "SQUARE", "SQRT", "RSQRT", "EXP", "LOG", "SIN", "COS", "HARD_SWISH")


@register(*OPS, types=("float32",))
def emit_unary_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's float kernels: the function of each element."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.same_types(op, [x.index, y.index], "float32")
  if e.size(x.index) != e.size(y.index):
    raise e.error(op, f"its input has shape {list(x.shape)} and its output {list(y.shape)}",
                  "the model is inconsistent: convert it again")
  e.call(op, "", f"tflm_rt_{op.opcode.lower()}_f32", str(e.size(y.index)), e.operand(x.index),
         e.arena(y.index))
