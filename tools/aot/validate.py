"""The validation pass of the compiler: each graph and op against what its kernel assumes.

tools/model_check.py has made sure the model holds together (indices in
range, buffers as long as their shapes, sane quantization). This pass checks,
before any C is emitted, what the op families of ops/ rely on: how many
inputs and outputs each op has (op_specs.py), which are constant and which live in the
arena, ranks and shapes (broadcasting included), quantization where the
int8 kernels need it, op options in range, and that int32 accumulators
cannot overflow. `check_plan` then checks that the memory plan keeps every
tensor inside the arena. A failure is an OpError (errors.py) naming the
operator and the tensor; all of them are raised at once.
"""

import math

import numpy as np

from tools import common
from tools import memory_planner
from tools import tflite_reader
from tools.aot import emitter
from tools.aot import errors
from tools.aot import op_specs

# The largest activation tensor the compiler places in an arena: far above
# any Cortex-M's RAM, and small enough that no int32 sum in the kernels overflows.
MAX_ACTIVATION_BYTES = 1 << 22
_INT32_MAX = (1 << 31) - 1
_CONVERT = "the model is inconsistent: convert it again with the TFLite converter"


_PADDINGS = ("SAME", "VALID")
_IO_TYPES = ("int8", "int16", "int32", "uint8", "float32", "bool")


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
  """The shape that `a` and `b` broadcast to (NumPy's and TFLite's rule), or None."""
  rank = max(len(a), len(b))
  a, b = (1,) * (rank - len(a)) + a, (1,) * (rank - len(b)) + b
  if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
    return None
  return tuple(max(x, y) if 1 not in (x, y) else x * y for x, y in zip(a, b))


def _squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
  """`shape` without its leading 1s (TFLM's broadcasting ops ignore them)."""
  while shape and shape[0] == 1:
    shape = shape[1:]
  return tuple(shape)


def out_size(padding: str, size: int, filter_size: int, stride: int, dilation: int) -> int:
  """An output dimension of a convolution or pool, as TFLite's ComputeOutSize."""
  effective = (filter_size - 1) * dilation + 1
  if padding == "SAME":
    return (size + stride - 1) // stride
  return (size - effective + stride) // stride


class _Checker:
  """The checks of one operator; `problems` collects its OpErrors."""

  def __init__(self, graph: tflite_reader.Subgraph, op: tflite_reader.Operator, label: str):
    self.graph, self.op, self.label = graph, op, label
    self.tensors = graph.tensors
    self.problems: list[errors.OpError] = []

  def fail(self, problem: str, fix: str) -> None:
    self.problems.append(errors.OpError(self.label, self.op.index, self.op.opcode, problem, fix,
                                        errors.output_name(self.op, self.tensors)))

  def name(self, index: int) -> str:
    return errors.tensor_name(self.tensors[index])

  def tensor(self, position: int) -> tflite_reader.Tensor | None:
    inputs = self.op.inputs
    present = position < len(inputs) and inputs[position] >= 0
    return self.tensors[inputs[position]] if present else None

  def wiring(self, spec: op_specs.Spec) -> bool:
    """Counts, presence, constness, static shapes; False if the op's shape checks cannot run."""
    op = self.op

    def wanted(low_high: tuple[int, int]) -> str:
      return f"{low_high[0]}" + (f" to {low_high[1]}" if low_high[1] != low_high[0] else "")

    if not (spec.inputs[0] <= len(op.inputs) <= spec.inputs[1] and
            spec.outputs[0] <= len(op.outputs) <= spec.outputs[1]):
      outputs = "output" if spec.outputs == (1, 1) else "outputs"
      self.fail(f"it has {len(op.inputs)} inputs and {len(op.outputs)} outputs",
                f"{op.opcode} takes {wanted(spec.inputs)} inputs and {wanted(spec.outputs)} "
                f"{outputs}; {_CONVERT}")
      return False
    ok = True
    for position, index in enumerate(op.inputs):
      if index < 0:
        if position not in spec.optional:
          self.fail(f"input {position} is left out (-1)", f"{op.opcode} needs it; {_CONVERT}")
          ok = False
        continue
      t = self.tensors[index]
      if position in spec.constant and t.buffer is None:
        self.fail(f"input {position}, {self.name(index)}, is not a constant",
                  "the compiler reads it at compile time: make it a constant")
        ok = False
      if position in spec.variable:
        if not t.is_variable:
          self.fail(f"input {position}, {self.name(index)}, is not a variable tensor",
                    f"{op.opcode} keeps its state there; {_CONVERT}")
          ok = False
        continue
      if (position in spec.arena or position not in spec.constant) and t.is_variable:
        self.fail(f"input {position}, {self.name(index)}, is a variable tensor",
                  "the compiler supports no variables (use tflm_model_library)")
        ok = False
      if position in spec.arena and t.buffer is not None:
        self.fail(f"input {position}, {self.name(index)}, is a constant",
                  f"the compiler runs {op.opcode} on an activation; fold the constant op away")
        ok = False
    for index in op.outputs:
      t = self.tensors[index]
      if t.buffer is not None or t.is_variable:
        self.fail(f"its output {self.name(index)} is a constant or variable tensor",
                  f"an op writes an activation; {_CONVERT}")
        ok = False
    for index in [i for i in op.inputs if i >= 0] + list(op.outputs):
      t = self.tensors[index]
      if any(d < 1 for d in t.shape):
        self.fail(f"{self.name(index)} has shape {list(t.shape)}",
                  "the compiler supports only static shapes without empty dimensions")
        ok = False
      elif t.buffer is None and t.num_bytes > MAX_ACTIVATION_BYTES:
        self.fail(f"{self.name(index)} is {t.num_bytes} bytes", "the compiler places activations "
                  f"of up to {MAX_ACTIVATION_BYTES} bytes: make the model smaller")
        ok = False
    return ok

  def quantized(self) -> bool:
    """Every int8 tensor of an int8 kernel has a scale and zero point."""
    ok = True
    for index in [i for i in self.op.inputs if i >= 0] + list(self.op.outputs):
      t = self.tensors[index]
      if t.dtype == "int8" and (t.quantization is None or not t.quantization.zero_points):
        self.fail(f"{self.name(index)} is int8 without a quantization scale and zero point",
                  "quantize the model fully (int8 with a representative dataset)")
        ok = False
    return ok

  def same_size(self, a: int, b: int) -> None:
    x, y = self.tensors[a], self.tensors[b]
    if math.prod(x.shape) != math.prod(y.shape):
      self.fail(f"{self.name(a)} of shape {list(x.shape)} and {self.name(b)} of shape "
                f"{list(y.shape)} differ in size", f"{self.op.opcode} keeps the size; {_CONVERT}")

  def positive_options(self, *names: str) -> bool:
    bad = [(n, self.op.options[n]) for n in names if n in self.op.options and
           not (isinstance(self.op.options[n], int) and 1 <= self.op.options[n] <= 1 << 16)]
    for n, value in bad:
      self.fail(f"option {n} is {value}", "it must be from 1 to 65536")
    return not bad

  def finite_option(self, name: str) -> None:
    value = self.op.options.get(name, 0.0)
    if not math.isfinite(value):
      self.fail(f"option {name} is {value}", "it must be a finite number")

  def window(self, filter_h: int, filter_w: int) -> bool:
    """Strides, dilations, padding and the output's height and width; False if they are
    not something the other checks can go on from."""
    o = self.op.options
    if not self.positive_options("stride_h", "stride_w", "dilation_h_factor",
                                 "dilation_w_factor", "depth_multiplier"):
      return False
    if o.get("padding", "VALID") not in _PADDINGS:
      self.fail(f"padding {o.get('padding')} is unknown", "it must be SAME or VALID")
      return False
    x = self.tensor(2 if self.op.opcode == "TRANSPOSE_CONV" else 0)
    y = self.tensors[self.op.outputs[0]]
    if len(x.shape) != 4 or len(y.shape) != 4:
      self.fail(f"input {list(x.shape)} and output {list(y.shape)} are not 4D",
                "TFLM runs this op on 4D (NHWC) tensors only")
      return False
    if x.shape[0] != y.shape[0]:
      self.fail(f"input {list(x.shape)} and output {list(y.shape)} differ in batches", _CONVERT)
      return False
    if self.op.opcode == "CONV_2D" and filter_h == filter_w == 1:
      # The 1x1 kernel reads no padding and checks no bounds: the output must be
      # the one the options give.
      expected = tuple(out_size(o.get("padding", "VALID"), x.shape[d], 1, o.get(s, 1), 1)
                       for d, s in ((1, "stride_h"), (2, "stride_w")))
      if expected != y.shape[1:3]:
        self.fail(f"input {list(x.shape)} with a 1x1 filter gives an output of height and width "
                  f"{list(expected)}, but the output has shape {list(y.shape)}", _CONVERT)
        return False
    return True

  def accumulator(self, rows: np.ndarray, bias: np.ndarray | None, zero_point: int) -> None:
    """No int32 sum of (input + offset) x weight over a row of `rows` [channels, k], with
    the bias, can overflow for any int8 input (nor the bias with the offset folded in)."""
    reach = np.abs(rows.astype(np.int64)).sum(axis=1) * (128 + abs(zero_point))
    if bias is not None:
      reach = reach + np.abs(bias.astype(np.int64))
    worst = int(reach.max()) if reach.size else 0
    if worst > _INT32_MAX - 256:
      self.fail(f"its bias and weights can sum to {worst}, beyond int32",
                "TFLM's kernels would overflow too: requantize the model")


def _check_op(c: _Checker) -> None:
  op = c.op
  spec = op_specs.SPECS.get(op.opcode)
  if spec is None or not c.wiring(spec):
    return  # an unsupported op: the compiler's registry says so
  x, y = c.tensor(0), c.tensors[op.outputs[0]]
  int8 = y.dtype == "int8" or x.dtype == "int8"
  if int8 and op.opcode in op_specs.QUANTIZED and not c.quantized():
    return
  if op.opcode in op_specs.SAME_SIZE:
    c.same_size(op.inputs[0], op.outputs[0])
  if op.opcode in ("RESHAPE", "SQUEEZE", "EXPAND_DIMS") and x.num_bytes != y.num_bytes:
    c.fail(f"input {c.name(x.index)} is {x.num_bytes} bytes and output {c.name(y.index)} "
           f"{y.num_bytes}", f"{op.opcode} keeps every byte; {_CONVERT}")
  if op.opcode in op_specs.BROADCASTING:
    inputs = [c.tensor(p).shape for p in range(len(op.inputs))]
    shape = broadcast_shape(*inputs[:2])
    if shape is not None and len(inputs) == 3:
      shape = broadcast_shape(shape, inputs[2])
    if (shape is None or _squeezed(shape) != _squeezed(y.shape)) and not (
        len({math.prod(s) for s in inputs + [y.shape]}) == 1):
      c.fail(f"shapes {' and '.join(str(list(s)) for s in inputs)} do not broadcast to the "
             f"output's {list(y.shape)}", _CONVERT)
  if op.opcode == "LEAKY_RELU":
    c.finite_option("alpha")
  if op.opcode == "SOFTMAX":
    beta = op.options.get("beta", 1.0)
    if not math.isfinite(beta) or (int8 and beta <= 0):
      c.fail(f"option beta is {beta}", "it must be a finite number (above 0 for int8)")
  if op.opcode in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
    if "filter_height" not in op.options or "filter_width" not in op.options:
      c.fail("its options are not pooling options (no filter size)", _CONVERT)
    elif c.positive_options("filter_height", "filter_width"):
      c.window(op.options.get("filter_height", 1), op.options.get("filter_width", 1))
  if op.opcode in ("CONV_2D", "DEPTHWISE_CONV_2D"):
    _check_conv(c, x, y, c.tensor(1), c.tensor(2))
  if op.opcode == "TRANSPOSE_CONV":
    _check_conv(c, c.tensor(2), y, c.tensor(1), c.tensor(3))
  if op.opcode == "FULLY_CONNECTED":
    _check_fully_connected(c, x, y)


def _bias_type(c: _Checker, x, bias) -> bool:
  """The bias, if any, has the type the kernel of the input's type reads."""
  wanted = {"int8": "int32", "float32": "float32"}.get(x.dtype)
  if bias is not None and wanted and bias.dtype != wanted:
    c.fail(f"the bias {c.name(bias.index)} is {bias.dtype}",
           f"a {x.dtype} {c.op.opcode} takes a {wanted} bias; {_CONVERT}")
    return False
  return True


def _check_conv(c: _Checker, x, y, w, bias) -> None:
  if not _bias_type(c, x, bias):
    return
  if len(w.shape) != 4:
    c.fail(f"the filter {c.name(w.index)} has shape {list(w.shape)}", "TFLM convolves with 4D "
           "filters only")
    return
  if not c.window(w.shape[1], w.shape[2]):
    return
  channels = y.shape[-1]
  if not _per_output(c, w, bias, channels, "output channel"):
    return
  if w.dtype == "int8" and x.dtype == "int8" and (bias is None or bias.dtype == "int32"):
    weights = emitter.constant_values(w)
    # An output sums each weight of its channel at most once (depthwise: of its column).
    rows = (weights.reshape(-1, w.shape[3]).T if c.op.opcode == "DEPTHWISE_CONV_2D" else
            weights.reshape(w.shape[0], -1))
    c.accumulator(rows, emitter.constant_values(bias) if bias is not None else None,
                  x.quantization.zero_points[0])


def _per_output(c: _Checker, w, bias, count: int, output: str) -> bool:
  """The bias has a value, and the int8 weights one scale or a scale, per `output`."""
  if bias is not None and math.prod(bias.shape) != count:
    c.fail(f"the bias {c.name(bias.index)} has {math.prod(bias.shape)} values for {count} "
           f"{output}s", _CONVERT)
    return False
  if w.dtype == "int8" and w.quantization and len(w.quantization.scales) not in (1, count):
    c.fail(f"the weights {c.name(w.index)} have {len(w.quantization.scales)} scales for "
           f"{count} {output}s", f"give one per {output}, or one for all")
    return False
  return True


def _check_fully_connected(c: _Checker, x, y) -> None:
  w, bias = c.tensor(1), c.tensor(2)
  if not _bias_type(c, x, bias):
    return
  if len(w.shape) != 2:
    c.fail(f"the weights {c.name(w.index)} have shape {list(w.shape)}",
           "TFLM's FULLY_CONNECTED takes 2D weights [units, depth] only")
    return
  units, depth = w.shape
  size = math.prod(x.shape)
  if size % depth or math.prod(y.shape) != size // depth * units or y.shape[-1:] != (units,):
    c.fail(f"input {list(x.shape)}, weights {list(w.shape)} and output {list(y.shape)} do not "
           "fit (the input is batches x depth, the output batches x units, units last)", _CONVERT)
    return
  if not _per_output(c, w, bias, units, "unit"):
    return
  if w.dtype == "int8" and x.dtype == "int8" and (bias is None or bias.dtype == "int32"):
    bias_values = emitter.constant_values(bias) if bias is not None else None
    c.accumulator(emitter.constant_values(w).reshape(units, depth), bias_values,
                  x.quantization.zero_points[0])


def check_graph(graph: tflite_reader.Subgraph, label: str) -> None:
  """Raises a ToolError naming every operator (and model input or output) that the
  kernels could not run as it is."""
  problems = []
  if not graph.outputs:
    problems.append(f"{label}: the model has no outputs, so nothing to compute; give it one")
  for what, indices in (("input", graph.inputs), ("output", graph.outputs)):
    for index in indices:
      t = graph.tensors[index]
      if t.buffer is not None or t.is_variable or any(d < 1 for d in t.shape) or (
          t.dtype not in _IO_TYPES):
        kind = "constant" if t.buffer is not None else "variable" if t.is_variable else t.dtype
        problems.append(f"{label}: the model {what} {errors.tensor_name(t)} is a {kind} of "
                        f"shape {list(t.shape)}; the compiler takes {what}s that are activations "
                        f"of a static shape and of type {', '.join(_IO_TYPES)}")
  for op in graph.operators:
    checker = _Checker(graph, op, label)
    _check_op(checker)
    problems += [str(p) for p in checker.problems]
  if problems:
    raise common.ToolError("\n".join(problems))


def check_plan(graph: tflite_reader.Subgraph, plan: memory_planner.Plan, label: str) -> None:
  """Raises unless every planned tensor lies inside the arena, aligned for its type."""
  for index, offset in plan.offsets.items():
    t = graph.tensors[index]
    size = plan.sizes.get(index, t.num_bytes)  # a fused op's slice buffer holds fewer
    if offset < 0 or offset + size > plan.arena_bytes or offset % max(t.element_size, 1):
      raise common.ToolError(
          f"{label}: the memory plan puts {errors.tensor_name(t)} ({size} bytes) at "
          f"offset {offset} of a {plan.arena_bytes}-byte arena; this is a bug in rules_tflm's "
          "memory planner, please report it")
