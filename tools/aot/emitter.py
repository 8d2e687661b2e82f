"""What emitting one graph accumulates, and the checks every op family shares.

An op family's emitter (tools/aot/ops/) gets the Emitter and one operator,
appends the constants it needs (`constants`) and its kernel call (`body`),
and raises `error(...)` (the one format of errors.py) for what it cannot
compile.
"""

import dataclasses
import math

import numpy as np

from tools import c_text
from tools import memory_planner
from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import errors
from tools.aot import quantization
from tools.aot import registry

# The member of the generated arena union that holds tensors of each C type.
ARENA_MEMBERS = {"int8_t": "s8", "int16_t": "s16", "int32_t": "s32", "float": "f32",
                 "uint8_t": "u8"}
ELEMENT_BYTES = {"int8_t": 1, "int16_t": 2, "int32_t": 4, "float": 4, "uint8_t": 1}

# What to do about an op's types, or an op the compiler does not compile.
INTERPRETER_HINT = "or build the model with tflm_model_library (TFLM's interpreter) instead"


# The NumPy type of each tensor type whose values the compiler reads.
NUMPY_TYPES = {"int8": "<i1", "uint8": "<u1", "int16": "<i2", "int32": "<i4", "int64": "<i8",
               "float32": "<f4", "bool": "?"}


def constant_values(tensor: tflite_reader.Tensor) -> np.ndarray:
  """A constant tensor's values, flat."""
  return np.frombuffer(tensor.buffer, dtype=NUMPY_TYPES[tensor.dtype])


def reset_value(tensor: tflite_reader.Tensor) -> int:
  """What TFLM sets each byte of a variable tensor to, at start and on reset: an int8
  tensor's zero point, else 0 (MicroInterpreterGraph::ResetTensorData)."""
  if tensor.dtype == "int8" and tensor.quantization and tensor.quantization.zero_points:
    return int(tensor.quantization.zero_points[0])
  return 0


@dataclasses.dataclass
class Emitter:
  """The graph's tensors and plan, and the C emitted so far."""
  tensors: tuple[tflite_reader.Tensor, ...]
  plan: memory_planner.Plan
  label: str
  constants: list[str] = dataclasses.field(default_factory=list)
  body: list[str] = dataclasses.field(default_factory=list)
  defined: set[int] = dataclasses.field(default_factory=set)
  scratch_bytes: int = 0  # the largest scratch request (tools/aot/scratch.py)
  # Static storage outside the arena: the variable tensors (state kept from one
  # invocation to the next, Emitter.variable) and ops' own buffers (Emitter.buffer).
  variables: dict[int, str] = dataclasses.field(default_factory=dict)
  statics: list[str] = dataclasses.field(default_factory=list)

  def arena(self, index: int, ctype: str | None = None) -> str:
    """A pointer to tensor `index` in the arena, through the member of its C type."""
    ctype = ctype or c_syntax.C_TYPES[self.tensors[index].dtype]
    element = self.plan.offsets[index] // ELEMENT_BYTES[ctype]
    return f"arena.{ARENA_MEMBERS[ctype]}" + (f" + {element}" if element else "")

  def constant(self, index: int) -> str:
    """The name of a constant tensor's array, defining it on first use."""
    tensor = self.tensors[index]
    if index not in self.defined:
      self.defined.add(index)
      values = constant_values(tensor)
      self.constants.append(
          f"/* tensor {index} \"{c_text.comment(tensor.name)}\" {tensor.dtype} "
          f"{list(tensor.shape)} */\n"
          f"static const {c_syntax.C_TYPES[tensor.dtype]} t{index}[{values.size}] "
          f"__attribute__((aligned(16))) = {c_syntax.c_values(values)};\n")
    return f"t{index}"

  def operand(self, index: int) -> str:
    """An input of an op: a constant array, or its place in the arena."""
    return self.constant(index) if self.tensors[index].buffer is not None else self.arena(index)

  def variable(self, index: int) -> str:
    """The static array of variable tensor `index`, defined on first use: it keeps its
    values from one invocation to the next, from TFLM's initial value (reset_value) until
    <prefix>_reset()."""
    if index not in self.variables:
      tensor = self.tensors[index]
      ctype = c_syntax.C_TYPES[tensor.dtype]
      count = math.prod(tensor.shape)
      self.variables[index] = f"v{index}"
      value = reset_value(tensor)
      init = f" = {{{', '.join([str(value)] * count)}}}" if value else ""
      self.statics.append(f"/* variable tensor {index} \"{c_text.comment(tensor.name)}\" "
                          f"{tensor.dtype} {list(tensor.shape)} */\n"
                          f"static {ctype} v{index}[{count}]{init};\n")
    return self.variables[index]

  def buffer(self, name: str, ctype: str, count: int) -> str:
    """A static array of `count` elements that one op uses while it runs."""
    self.statics.append(f"static {ctype} {name}[{count}];\n")
    return name

  def scratch(self, bytes_: int) -> str:
    """The scratch buffer of the DSP kernels, at least `bytes_` bytes where they run."""
    self.scratch_bytes = max(self.scratch_bytes, bytes_)
    return "dsp_scratch"

  def struct(self, ctype: str, name: str, fields) -> str:
    """Defines a static const struct with designated initializers; returns &name."""
    self.constants.append(c_syntax.const_struct(ctype, name, fields))
    return f"&{name}"

  def comment(self, op: tflite_reader.Operator, extra: str = "") -> str:
    def describe(i: int) -> str:
      t = self.tensors[i]
      return f"t{i} \"{c_text.comment(t.name)}\" {t.dtype} {list(t.shape)}"
    inputs = ", ".join(describe(i) for i in op.inputs if i >= 0)
    outputs = ", ".join(describe(i) for i in op.outputs)
    return f"  /* op {op.index}: {op.opcode}{extra}: {inputs} -> {outputs} */"

  def call(self, op: tflite_reader.Operator, extra: str, kernel: str, *args: str) -> None:
    """Appends the op's comment and the call `kernel(args);`."""
    self.body += [self.comment(op, extra), f"  {kernel}({', '.join(args)});"]

  def checked_call(self, op: tflite_reader.Operator, extra: str, kernel: str, *args: str) -> None:
    """As `call`, for a kernel that can fail at run time (it returns nonzero): then
    <prefix>_invoke returns at once with the op's index + 1."""
    self.body += [self.comment(op, extra),
                  f"  if ({kernel}({', '.join(args)}) != 0) return {op.index + 1};"]

  def error(self, op: tflite_reader.Operator, problem: str, fix: str) -> errors.OpError:
    return errors.OpError(self.label, op.index, op.opcode, problem, fix,
                          errors.output_name(op, self.tensors))

  def unsupported_types(self, op: tflite_reader.Operator) -> errors.OpError:
    return unsupported_types(self.label, op, self.tensors)

  def activation(self, op: tflite_reader.Operator) -> str:
    """The op's fused activation, one the kernels clamp to."""
    activation = op.options.get("fused_activation_function", "NONE")
    if activation not in quantization.ACTIVATIONS:
      raise self.error(op, f"fused activation {activation} is not supported",
                       f"the compiler supports {', '.join(quantization.ACTIVATIONS)}; apply "
                       f"{activation} as an op of its own")
    return activation

  def same_types(self, op: tflite_reader.Operator, indices, dtype: str) -> None:
    """Raises unless the tensors at `indices` (-1 skipped) are all of `dtype`."""
    if any(self.tensors[i].dtype != dtype for i in indices if i >= 0):
      raise self.unsupported_types(op)

  def static_shapes(self, op: tflite_reader.Operator, indices) -> None:
    """Raises if a tensor at `indices` has an empty or unknown dimension."""
    for i in indices:
      t = self.tensors[i]
      if any(d < 1 for d in t.shape):
        raise self.error(op, f"tensor \"{t.name}\" has shape {list(t.shape)}",
                         "the compiler supports only static shapes without empty dimensions")

  def constant_ints(self, op: tflite_reader.Operator, position: int, what: str) -> list[int]:
    """The values of the op's constant int32 input at `position`, read at compile time."""
    index = op.inputs[position] if position < len(op.inputs) else -1
    tensor = self.tensors[index] if index >= 0 else None
    if tensor is None or tensor.buffer is None:
      raise self.error(op, f"its {what} come from a tensor that is not constant",
                       f"the compiler reads the {what} at compile time: make them a constant")
    if tensor.dtype != "int32":
      raise self.error(op, f"its {what} are of type {tensor.dtype}",
                       f"TFLM reads them as int32: write the {what} as int32")
    return [int(v) for v in constant_values(tensor)]

  def size(self, index: int) -> int:
    """The number of elements of tensor `index`."""
    return math.prod(self.tensors[index].shape)


def unsupported_types(label: str, op: tflite_reader.Operator, tensors) -> errors.OpError:
  """The error of an op whose tensor types no emitter compiles."""
  types = ", ".join(tensors[i].dtype for i in op.inputs + op.outputs if i >= 0)
  compiled = registry.types_of(op.opcode)
  ends = [i for i in op.inputs if i >= 0][:1] + list(op.outputs[:1])
  type_ = registry.op_type(tensors[ends[0]].dtype, tensors[ends[-1]].dtype) if ends else ""
  reason = registry.tflm_reason(op.opcode, type_)
  # TFLM's interpreter is no way out where its own kernel refuses the types too.
  hint = f"; TFLM lacks {type_} {op.opcode} too ({reason})" if reason else f", {INTERPRETER_HINT}"
  return errors.OpError(
      label, op.index, op.opcode, f"tensor types {types} are not supported",
      f"the compiler compiles {op.opcode} for {' and '.join(compiled)} tensors (int8: full-integer "
      f"quantization); convert the model to those types{hint}",
      errors.output_name(op, tensors))
