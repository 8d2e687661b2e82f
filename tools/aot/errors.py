"""The one format of an operator's problem: the model, the operator, the problem, the fix.

    //models:kws: operator 7 (CONV_2D): fused activation TANH is not supported; use ...
"""

from tools import common


class OpError(common.ToolError):
  """An operator of the model that the compiler cannot compile as it is."""

  def __init__(self, label: str, index: int, opcode: str, problem: str, fix: str):
    super().__init__(f"{label}: operator {index} ({opcode}): {problem}; {fix}")
    self.label, self.index, self.opcode = label, index, opcode
    self.problem, self.fix = problem, fix


class OpErrors(common.ToolError):
  """Several operators' problems, one line each."""

  def __init__(self, errors: list[OpError]):
    super().__init__("\n".join(str(e) for e in errors))
    self.errors = errors
