"""The one format of an operator's problem: the model, the operator, the problem, the fix
and the tensor the operator writes (to find the layer in the model).

    //models:kws: operator 7 (CONV_2D): fused activation TANH is not supported; use ...
    (output: tensor 9 "conv/Relu")
"""

from tools import c_text
from tools import common


def tensor_name(tensor) -> str:
  """How messages name a tensor: index and (escaped, shortened) name."""
  return f"tensor {tensor.index} \"{c_text.comment(tensor.name, 60)}\""


def output_name(op, tensors) -> str:
  """How messages name the tensor the operator writes first, or "" (no output, or one
  out of range)."""
  if op.outputs and 0 <= op.outputs[0] < len(tensors):
    return tensor_name(tensors[op.outputs[0]])
  return ""


class OpError(common.ToolError):
  """An operator of the model that the compiler cannot compile as it is; `tensor` names
  its output (output_name)."""

  def __init__(self, label: str, index: int, opcode: str, problem: str, fix: str,
               tensor: str = ""):
    output = f" (output: {tensor})" if tensor else ""
    super().__init__(f"{label}: operator {index} ({opcode}): {problem}; {fix}{output}")
    self.label, self.index, self.opcode = label, index, opcode
    self.problem, self.fix = problem, fix


class OpErrors(common.ToolError):
  """Several operators' problems, one line each."""

  def __init__(self, errors: list[OpError]):
    super().__init__("\n".join(str(e) for e in errors))
    self.errors = errors
