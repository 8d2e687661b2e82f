"""Compiles a .tflite model ahead of time to plain C that calls the kernels in runtime/.

The output is one .c and one .h per model: weights as const arrays (flash),
every quantization parameter precomputed, the activations at fixed offsets of
one static arena (tools/memory_planner.py), and straight-line calls in
operator order. No interpreter, no FlatBuffer parsing, no malloc.

    int  <prefix>_invoke(void);          /* 0 on success */
    <type> *<prefix>_input(void);        /* the input tensor, in the arena */
    const <type> *<prefix>_output(void); /* the output tensor */

plus the input and output shapes, sizes, scales and zero points as macros.
Models may have several inputs and outputs: <prefix>_input_<i>() and
<prefix>_output_<i>(), <prefix>_input_at(i), and macros per tensor.
Supported, for int8 and float32 tensors alike: FULLY_CONNECTED (int8 weights
per tensor or per channel), CONV_2D and DEPTHWISE_CONV_2D (int8 per channel;
any depth multiplier, stride, dilation and padding), AVERAGE_POOL_2D,
MAX_POOL_2D, ADD, SUB and MUL (with broadcasting), RELU, RELU6, LOGISTIC,
TANH, SOFTMAX, LEAKY_RELU, MEAN (constant axes, keep_dims true or false), PAD
and PADV2 (constant paddings), CONCATENATION (any axis; int8 inputs quantized
as the output, as TFLM requires), STRIDED_SLICE (constant begin, end and
strides, rank up to 4, no ellipsis or new axis), RESHAPE and SQUEEZE; and
QUANTIZE (float32 or int8 to int8) and DEQUANTIZE (int8 to float32). The
float32 kernels compute in TFLM's order, so they match its float reference
kernels bit for bit (with the same libm for expf and tanhf).
Any other op, or a variant TFLM or the compiler does not support, is an error
that names it and says what is supported.
"""

import dataclasses
import math
import pathlib

from absl import app
from absl import flags
import numpy as np

from tools import aot_overlap
from tools import common
from tools import memory_planner
from tools import tflite_reader

_MODEL = flags.DEFINE_string("model", None, "Path to the .tflite file.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the .h to write.", required=True)
_SOURCE = flags.DEFINE_string("source", None, "Path of the .c to write.", required=True)
_PREFIX = flags.DEFINE_string("prefix", None, "C prefix of the generated names.", required=True)
_INCLUDE_PATH = flags.DEFINE_string("include_path", None, "How the .c includes the .h.")
_MODEL_LABEL = flags.DEFINE_string("model_label", None, "Name of the model in the banner.")
_ARENA_SECTION = flags.DEFINE_string("arena_section", None, "Linker section for the arena.")

# The ops compiled for float32 tensors too.
_FLOAT_OPS = ("ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D",
              "FULLY_CONNECTED", "LEAKY_RELU", "LOGISTIC", "MAX_POOL_2D", "MEAN", "MUL", "PAD",
              "PADV2", "RELU", "RELU6", "RESHAPE", "SOFTMAX", "SQUEEZE", "STRIDED_SLICE", "SUB",
              "TANH")

_C_TYPES = {"int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "float32": "float",
            "uint8": "uint8_t"}


@dataclasses.dataclass(frozen=True)
class Generated:
  header: str
  source: str
  arena_bytes: int


def quantize_multiplier(real: float) -> tuple[int, int]:
  """A Q31 multiplier and a power-of-two shift with real = multiplier * 2^shift / 2^31.

  As TFLM's QuantizeMultiplier: frexp, then round half away from zero.
  """
  if real == 0.0:
    return 0, 0
  fraction, shift = math.frexp(real)
  fixed = int(math.floor(abs(fraction) * (1 << 31) + 0.5)) * (1 if fraction > 0 else -1)
  if fixed == 1 << 31:
    fixed //= 2
    shift += 1
  if shift < -31:
    return 0, 0
  return fixed, shift


def _activation_range_s8(activation: str, scale: float, zero_point: int) -> tuple[int, int]:
  """TFLM's CalculateActivationRangeQuantized for int8 (the division in float32)."""
  def quantize(value: float) -> int:
    scaled = float(np.float32(value) / np.float32(scale))
    return zero_point + int(math.floor(abs(scaled) + 0.5)) * (1 if scaled >= 0 else -1)

  low, high = -128, 127
  if activation == "RELU":
    return max(low, quantize(0.0)), high
  if activation == "RELU6":
    return max(low, quantize(0.0)), min(high, quantize(6.0))
  if activation == "RELU_N1_TO_1":
    return max(low, quantize(-1.0)), min(high, quantize(1.0))
  if activation == "NONE":
    return low, high
  raise common.ToolError(f"fused activation {activation} is not supported; use NONE, RELU, RELU6 "
                         "or RELU_N1_TO_1.")


def _activation_range_f32(activation: str) -> tuple[str, str]:
  ranges = {"NONE": ("-3.402823466e+38f", "3.402823466e+38f"), "RELU": ("0.0f", "3.402823466e+38f"),
            "RELU6": ("0.0f", "6.0f"), "RELU_N1_TO_1": ("-1.0f", "1.0f")}
  if activation not in ranges:
    raise common.ToolError(f"fused activation {activation} is not supported.")
  return ranges[activation]


def _c_float(value: np.float32) -> str:
  """A C float expression of exactly these bits: infinities and NaNs (sign and
  payload) through GCC's builtins."""
  if np.isfinite(value):
    return f"{float(value)!r}f"
  bits = int(np.array(value, dtype=np.float32).view(np.uint32))
  sign = "-" if bits >> 31 else ""
  if np.isinf(value):
    return f"{sign}__builtin_inff()"
  quiet = bits & (1 << 22)
  return f'{sign}__builtin_{"nanf" if quiet else "nansf"}("{hex(bits & ((1 << 22) - 1))}")'


def _c_values(values: np.ndarray) -> str:
  if values.dtype.kind == "f":
    text = [_c_float(v) for v in values.astype(np.float32).ravel()]
  else:
    text = [str(int(v)) for v in values.ravel()]
  lines = [", ".join(text[i:i + 16]) for i in range(0, len(text), 16)]
  return "{\n  " + ",\n  ".join(lines) + "\n}"


def _constant(tensor: tflite_reader.Tensor) -> np.ndarray:
  dtype = {"int8": "<i1", "int32": "<i4", "float32": "<f4", "int16": "<i2", "int64": "<i8"}[tensor.dtype]
  return np.frombuffer(tensor.buffer, dtype=dtype)


@dataclasses.dataclass
class _Emitter:
  """What compiling one graph accumulates: constant definitions and the invoke body."""
  tensors: tuple[tflite_reader.Tensor, ...]
  plan: memory_planner.Plan
  label: str
  constants: list[str] = dataclasses.field(default_factory=list)
  body: list[str] = dataclasses.field(default_factory=list)
  defined: set[int] = dataclasses.field(default_factory=set)

  def arena(self, index: int, ctype: str, const: bool = False) -> str:
    return f"({'const ' if const else ''}{ctype} *)(arena + {self.plan.offsets[index]})"

  def constant(self, index: int) -> str:
    """The name of a constant tensor's array, defining it on first use."""
    tensor = self.tensors[index]
    if index not in self.defined:
      self.defined.add(index)
      values = _constant(tensor)
      self.constants.append(
          f"/* tensor {index} \"{tensor.name}\" {tensor.dtype} {list(tensor.shape)} */\n"
          f"static const {_C_TYPES[tensor.dtype]} t{index}[{values.size}] "
          f"__attribute__((aligned(16))) = {_c_values(values)};\n")
    return f"t{index}"

  def comment(self, op: tflite_reader.Operator, extra: str = "") -> str:
    def describe(i: int) -> str:
      t = self.tensors[i]
      return f"t{i} \"{t.name}\" {t.dtype} {list(t.shape)}"
    inputs = ", ".join(describe(i) for i in op.inputs if i >= 0)
    outputs = ", ".join(describe(i) for i in op.outputs)
    return f"  /* op {op.index}: {op.opcode}{extra}: {inputs} -> {outputs} */"

  def unsupported_types(self, op: tflite_reader.Operator) -> common.ToolError:
    types = ", ".join(self.tensors[i].dtype for i in op.inputs + op.outputs if i >= 0)
    return common.ToolError(f"{self.label}: {op.opcode} with tensor types {types} is not supported "
                            "yet; int8 (full-integer quantization) is, and float32 for "
                            f"{', '.join(_FLOAT_OPS)}.")


def _emit_fully_connected(e: _Emitter, op: tflite_reader.Operator) -> None:
  x, w = e.tensors[op.inputs[0]], e.tensors[op.inputs[1]]
  bias = op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
  y = e.tensors[op.outputs[0]]
  units, depth = w.shape[0], w.shape[-1]
  batches = math.prod(x.shape) // depth
  activation = op.options.get("fused_activation_function", "NONE")
  e.body.append(e.comment(op, " " + activation))
  if x.dtype == w.dtype == y.dtype == "int8":
    # Fold the input offset into the bias (exact in int32, as TFLM's sums are).
    weights = _constant(w).reshape(units, depth).astype(np.int64)
    folded = -x.quantization.zero_points[0] * weights.sum(axis=1)
    if bias is not None:
      folded = folded + _constant(e.tensors[bias]).astype(np.int64)
    bias_name = f"op{op.index}_bias"
    e.constants.append(f"/* bias of op {op.index} with the input offset folded in */\n"
                       f"static const int32_t {bias_name}[{units}] = {_c_values(folded)};\n")
    input_scale, output_scale = np.float32(x.quantization.scales[0]), y.quantization.scales[0]
    # As TFLM: the product of the scales in float, the quotient in double.
    pairs = [quantize_multiplier(float(np.float32(input_scale * np.float32(s))) /
                                 float(np.float32(output_scale))) for s in w.quantization.scales]
    low, high = _activation_range_s8(activation, output_scale, y.quantization.zero_points[0])
    zero_point = y.quantization.zero_points[0]
    args = (f"{e.arena(x.index, 'int8_t', True)}, {e.constant(w.index)}, {bias_name}, "
            f"{e.arena(y.index, 'int8_t')}, {batches}, {depth}, {units}")
    if len(pairs) == 1:
      # Every argument a constant: the inline kernel folds them into its code.
      (multiplier, shift), = pairs
      e.body.append(f"  tflm_rt_fully_connected_s8_per_tensor({args}, {multiplier}, {shift}, "
                    f"{zero_point}, {low}, {high});")
    else:
      e.constants.append(
          f"static const int32_t op{op.index}_multipliers[{len(pairs)}] = "
          f"{_c_values(np.array([p[0] for p in pairs]))};\n"
          f"static const int32_t op{op.index}_shifts[{len(pairs)}] = "
          f"{_c_values(np.array([p[1] for p in pairs]))};\n"
          f"static const tflm_rt_fc_s8_params op{op.index}_params = {{\n"
          f"  {zero_point}, op{op.index}_multipliers, op{op.index}_shifts, {low}, {high}\n}};\n")
      e.body.append(f"  tflm_rt_fully_connected_s8(&op{op.index}_params, {args});")
  elif x.dtype == w.dtype == y.dtype == "float32":
    low, high = _activation_range_f32(activation)
    bias_ref = e.constant(bias) if bias is not None else "NULL"
    e.body.append(
        f"  tflm_rt_fully_connected_f32({e.arena(x.index, 'float', True)}, {e.constant(w.index)}, "
        f"{bias_ref}, {e.arena(y.index, 'float')}, {batches}, {depth}, {units}, {low}, {high});")
  else:
    raise e.unsupported_types(op)


def _operand(e: _Emitter, index: int, ctype: str = "int8_t") -> str:
  """An input of an op: in the arena, or a constant array."""
  return e.constant(index) if e.tensors[index].buffer is not None else e.arena(index, ctype, True)


_MAX_RANK = 6  # TFLM_RT_MAX_RANK in runtime/tflm_rt.h


def _binary_tensors(e: _Emitter, op: tflite_reader.Operator, dtype: str = "int8"):
  """The inputs and output of ADD, SUB or MUL, and the kernel's broadcast argument."""
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  if not a.dtype == b.dtype == y.dtype == dtype:
    raise e.unsupported_types(op)
  rank = len(y.shape)
  if math.prod(a.shape) == math.prod(b.shape) == math.prod(y.shape):  # leading 1s aside, equal
    return a, b, y, "NULL"
  if rank > _MAX_RANK or max(len(a.shape), len(b.shape)) > rank:
    raise common.ToolError(f"{e.label}: {op.opcode} of shapes {list(a.shape)} and {list(b.shape)} "
                           f"to {list(y.shape)}: the compiler broadcasts up to {_MAX_RANK} "
                           "dimensions.")

  def strides(shape: tuple[int, ...]) -> list[int]:
    """Element strides of `shape` aligned to the output's dimensions, 0 where broadcast."""
    shape = (1,) * (rank - len(shape)) + tuple(shape)
    result, step = [0] * rank, 1
    for d in reversed(range(rank)):
      result[d] = step if shape[d] != 1 else 0
      step *= shape[d]
    return result

  def row(values: list[int]) -> str:
    return "{" + ", ".join(map(str, values)) + "}"

  e.constants.append(f"static const tflm_rt_broadcast op{op.index}_broadcast = {{{rank}, "
                     f"{row(y.shape)}, {row(strides(a.shape))}, {row(strides(b.shape))}}};\n")
  return a, b, y, f"&op{op.index}_broadcast"


def _emit_add(e: _Emitter, op: tflite_reader.Operator) -> None:
  """ADD and SUB: TFLM's int8 scaling to twice the larger input scale, in double."""
  if _all_float32(e, op):
    return _emit_elementwise_f32(e, op)
  a, b, y, broadcast = _binary_tensors(e, op)
  left_shift = 20
  s1, s2, so = (float(np.float32(t.quantization.scales[0])) for t in (a, b, y))
  twice_max = 2 * max(s1, s2)
  m1, m2 = quantize_multiplier(s1 / twice_max), quantize_multiplier(s2 / twice_max)
  if op.opcode == "SUB":
    m2 = (-m2[0], m2[1])  # the kernel's sum of the scaled inputs becomes their difference
  mo = quantize_multiplier(twice_max / ((1 << left_shift) * so))
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_s8(activation, so, y.quantization.zero_points[0])
  e.constants.append(
      f"static const tflm_rt_add_s8_params op{op.index}_params = {{\n"
      f"  {-a.quantization.zero_points[0]}, {-b.quantization.zero_points[0]}, "
      f"{y.quantization.zero_points[0]}, {left_shift}, {m1[0]}, {m1[1]}, {m2[0]}, {m2[1]}, "
      f"{mo[0]}, {mo[1]}, {low}, {high}\n}};\n")
  e.body += [e.comment(op, " " + activation),
             f"  tflm_rt_add_s8(&op{op.index}_params, {broadcast}, {_operand(e, a.index)}, "
             f"{_operand(e, b.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


def _emit_mul(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_elementwise_f32(e, op)
  a, b, y, broadcast = _binary_tensors(e, op)
  s1, s2, so = (float(np.float32(t.quantization.scales[0])) for t in (a, b, y))
  multiplier, shift = quantize_multiplier(s1 * s2 / so)
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_s8(activation, so, y.quantization.zero_points[0])
  e.constants.append(
      f"static const tflm_rt_mul_s8_params op{op.index}_params = {{"
      f"{-a.quantization.zero_points[0]}, {-b.quantization.zero_points[0]}, "
      f"{y.quantization.zero_points[0]}, {multiplier}, {shift}, {low}, {high}}};\n")
  e.body += [e.comment(op, " " + activation),
             f"  tflm_rt_mul_s8(&op{op.index}_params, {broadcast}, {_operand(e, a.index)}, "
             f"{_operand(e, b.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


def _emit_relu(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_activation_f32(e, op)
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not x.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
  scale_in, scale_out = (float(np.float32(t.quantization.scales[0])) for t in (x, y))
  if op.opcode == "RELU":
    # As TFLM's ReluQuantized: rescale to the output, then clamp.
    zero_point, offset = x.quantization.zero_points[0], y.quantization.zero_points[0]
    multiplier, shift = quantize_multiplier(scale_in / scale_out)
    low, high = _activation_range_s8("RELU", scale_out, offset)
  else:
    # As TFLM's Relu6Quantized: a clamp in the input's quantization, no rescale
    # (multiplier 2^30 with shift 1 is exactly 1).
    zero_point, offset, multiplier, shift = 0, 0, 1 << 30, 1
    low, high = _activation_range_s8("RELU6", scale_in, x.quantization.zero_points[0])
  e.constants.append(
      f"static const tflm_rt_relu_s8_params op{op.index}_params = {{{zero_point}, {offset}, "
      f"{multiplier}, {shift}, {low}, {high}}};\n")
  e.body += [e.comment(op),
             f"  tflm_rt_relu_s8(&op{op.index}_params, {_operand(e, x.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


def _emit_copy(e: _Emitter, op: tflite_reader.Operator) -> None:
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  source = e.constant(x.index) if x.buffer is not None else e.arena(x.index, "uint8_t", True)
  e.body += [e.comment(op), f"  tflm_rt_copy({source}, {e.arena(y.index, 'uint8_t')}, {y.num_bytes});"]


def _emit_softmax(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_softmax_f32(e, op)
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not x.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
  # As TFLM's Prepare: beta * input scale in Q5.26, and the largest input
  # difference whose exponential still counts.
  integer_bits = 5
  beta, scale = float(op.options.get("beta", 1.0)), float(np.float32(x.quantization.scales[0]))
  real = min(beta * scale * (1 << (31 - integer_bits)), (1 << 31) - 1.0)
  multiplier, left_shift = quantize_multiplier(real)
  radius = math.floor(((1 << integer_bits) - 1) * (1 << (31 - integer_bits)) / (1 << left_shift))
  depth = y.shape[-1]
  e.constants.append(f"static const tflm_rt_softmax_s8_params op{op.index}_params = "
                     f"{{{multiplier}, {left_shift}, {-radius}}};\n")
  e.body += [e.comment(op),
             f"  tflm_rt_softmax_s8(&op{op.index}_params, {e.arena(x.index, 'int8_t', True)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape) // depth}, {depth});"]


def _conv_shape(e: _Emitter, op: tflite_reader.Operator, filter_h: int, filter_w: int) -> str:
  """A C initializer of tflm_rt_conv_shape for a convolution or pooling op."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  o = op.options
  stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
  dil_h, dil_w = o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)
  pad_h = aot_overlap.padding_before(o.get("padding"), stride_h, dil_h, x.shape[1], filter_h, y.shape[1])
  pad_w = aot_overlap.padding_before(o.get("padding"), stride_w, dil_w, x.shape[2], filter_w, y.shape[2])
  values = [x.shape[0], x.shape[1], x.shape[2], x.shape[3], y.shape[1], y.shape[2], y.shape[3],
            filter_h, filter_w, stride_h, stride_w, dil_h, dil_w, pad_h, pad_w]
  return "{" + ", ".join(map(str, values)) + "}"


def _check_conv_shapes(e: _Emitter, op: tflite_reader.Operator) -> int:
  """Raises unless CONV_2D or DEPTHWISE_CONV_2D has shapes the kernels take; the depth multiplier."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  bias = op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
  multiplier = 1
  if not len(x.shape) == len(w.shape) == len(y.shape) == 4:
    raise _op_error(e, op, f"has input {list(x.shape)}, filter {list(w.shape)} and output "
                    f"{list(y.shape)}; TFLM convolves 4D (NHWC) tensors only.")
  if op.opcode == "DEPTHWISE_CONV_2D":
    multiplier = op.options.get("depth_multiplier", 1)
    if not (w.shape[0] == 1 and w.shape[3] == y.shape[3] == x.shape[3] * multiplier):
      raise _op_error(e, op, f"has input {list(x.shape)}, filter {list(w.shape)}, output "
                      f"{list(y.shape)} and depth multiplier {multiplier}; the compiler supports "
                      "a filter [1, height, width, input channels * depth multiplier] and an "
                      "output of that many channels.")
    if bias is None:
      raise _op_error(e, op, "has no bias; the TFLM interpreter crashes on a DEPTHWISE_CONV_2D "
                      "without one, so the compiler, bit-exact with TFLM, requires a bias (zeros "
                      "will do).")
  elif not (w.shape[3] == x.shape[3] and w.shape[0] == y.shape[3]):
    raise _op_error(e, op, f"has input {list(x.shape)}, filter {list(w.shape)} and output "
                    f"{list(y.shape)}; the compiler supports a filter [output channels, height, "
                    "width, input channels] (no grouped convolution).")
  return multiplier


def _emit_conv(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_conv_f32(e, op)
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  if not x.dtype == w.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
  _check_conv_shapes(e, op)
  bias = op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
  depthwise = op.opcode == "DEPTHWISE_CONV_2D"
  channels = y.shape[3]
  scales = list(w.quantization.scales)
  if len(scales) == 1:
    scales *= channels
  # As TFLM's PopulateConvolutionQuantizationParams: in double.
  input_scale, output_scale = (float(np.float32(t.quantization.scales[0])) for t in (x, y))
  pairs = [quantize_multiplier(input_scale * float(np.float32(s)) / output_scale) for s in scales]
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_s8(activation, output_scale, y.quantization.zero_points[0])
  n = op.index
  e.constants.append(
      f"static const int32_t op{n}_multipliers[{channels}] = {_c_values(np.array([p[0] for p in pairs]))};\n"
      f"static const int32_t op{n}_shifts[{channels}] = {_c_values(np.array([p[1] for p in pairs]))};\n"
      f"static const tflm_rt_conv_s8_params op{n}_params = {{{-x.quantization.zero_points[0]}, "
      f"{y.quantization.zero_points[0]}, op{n}_multipliers, op{n}_shifts, {low}, {high}}};\n"
      f"static const tflm_rt_conv_shape op{n}_shape = {_conv_shape(e, op, w.shape[1], w.shape[2])};\n")
  # A 1x1 filter never reads padding (SAME pads (out - 1) * stride + 1 - in <= 0),
  # so every input counts and the input offset folds into the bias.
  pointwise = not depthwise and w.shape[1] == w.shape[2] == 1
  if pointwise:
    weights = _constant(w).reshape(channels, -1).astype(np.int64)
    folded = -x.quantization.zero_points[0] * weights.sum(axis=1)
    if bias is not None:
      folded = folded + _constant(e.tensors[bias]).astype(np.int64)
    e.constants.append(f"/* bias of op {n} with the input offset folded in */\n"
                       f"static const int32_t op{n}_bias[{channels}] = {_c_values(folded)};\n")
    bias_ref = f"op{n}_bias"
  else:
    bias_ref = e.constant(bias) if bias is not None else "NULL"
  args = (f"{e.arena(x.index, 'int8_t', True)}, {e.constant(w.index)}, {bias_ref}, "
          f"{e.arena(y.index, 'int8_t')}")
  e.body.append(e.comment(op, " " + activation))
  if pointwise:
    e.body.append(f"  tflm_rt_conv_1x1_s8(&op{n}_params, &op{n}_shape, {args});")
  elif depthwise:
    e.body.append(f"  tflm_rt_depthwise_conv_s8(&op{n}_params, &op{n}_shape, "
                  f"{op.options.get('depth_multiplier', 1)}, {args});")
  else:
    e.body.append(f"  tflm_rt_conv_s8(&op{n}_params, &op{n}_shape, {args});")


def _emit_pool(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_pool_f32(e, op)
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not x.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_s8(activation, y.quantization.scales[0], y.quantization.zero_points[0])
  shape = _conv_shape(e, op, op.options["filter_height"], op.options["filter_width"])
  e.constants.append(f"static const tflm_rt_conv_shape op{op.index}_shape = {shape};\n")
  kernel = "tflm_rt_average_pool_s8" if op.opcode == "AVERAGE_POOL_2D" else "tflm_rt_max_pool_s8"
  e.body += [e.comment(op, " " + activation),
             f"  if ({kernel}(&op{op.index}_shape, {low}, {high}, "
             f"{e.arena(x.index, 'int8_t', True)}, {e.arena(y.index, 'int8_t')}) != 0) return -1;"]


def _emit_quantize(e: _Emitter, op: tflite_reader.Operator) -> None:
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  size = math.prod(y.shape)
  if op.opcode == "DEQUANTIZE" and x.dtype == "int8" and y.dtype == "float32":
    call = (f"tflm_rt_dequantize_s8({e.arena(x.index, 'int8_t', True)}, {e.arena(y.index, 'float')}, "
            f"{size}, {float(np.float32(x.quantization.scales[0]))!r}f, {x.quantization.zero_points[0]});")
  elif op.opcode == "QUANTIZE" and x.dtype == "float32" and y.dtype == "int8":
    call = (f"tflm_rt_quantize_f32_s8({e.arena(x.index, 'float', True)}, {e.arena(y.index, 'int8_t')}, "
            f"{size}, {float(np.float32(y.quantization.scales[0]))!r}f, {y.quantization.zero_points[0]});")
  elif op.opcode == "QUANTIZE" and x.dtype == y.dtype == "int8":
    # As TFLM: the ratio of the scales in double.
    multiplier, shift = quantize_multiplier(float(np.float32(x.quantization.scales[0])) /
                                            float(np.float32(y.quantization.scales[0])))
    call = (f"tflm_rt_requantize_s8({e.arena(x.index, 'int8_t', True)}, {e.arena(y.index, 'int8_t')}, "
            f"{size}, {x.quantization.zero_points[0]}, {multiplier}, {shift}, "
            f"{y.quantization.zero_points[0]});")
  else:
    raise e.unsupported_types(op)
  e.body += [e.comment(op), "  " + call]


_MAX_DIMS = 5  # TFLM_RT_MAX_DIMS in runtime/tflm_rt.h


def _op_error(e: _Emitter, op: tflite_reader.Operator, problem: str) -> common.ToolError:
  return common.ToolError(f"{e.label}: {op.opcode} (op {op.index}) {problem}")


# The C type and kernel suffix of each type the data movement ops, MEAN and LEAKY_RELU take.
_DATA_TYPES = {"int8": ("int8_t", "s8"), "float32": ("float", "f32")}


def _data_tensors(e: _Emitter, op: tflite_reader.Operator, indices) -> tuple[str, str]:
  """The C type and kernel suffix of the tensors and the op's output, which must all be
  int8 or all float32, with a known, non-empty shape; raises otherwise."""
  tensors = [e.tensors[i] for i in list(indices) + [op.outputs[0]]]
  dtype = tensors[0].dtype
  if dtype not in _DATA_TYPES or any(t.dtype != dtype for t in tensors):
    raise e.unsupported_types(op)
  for t in tensors:
    if any(d < 1 for d in t.shape):
      raise _op_error(e, op, f"has tensor \"{t.name}\" of shape {list(t.shape)}; the compiler "
                      "supports only static shapes without empty dimensions.")
  return _DATA_TYPES[dtype]


def _zero_point(t: tflite_reader.Tensor) -> int:
  return t.quantization.zero_points[0] if t.quantization and t.quantization.zero_points else 0


def _scale(t: tflite_reader.Tensor) -> float:
  """The scale as TFLM holds it: a float32 (0 when unquantized)."""
  return float(np.float32(t.quantization.scales[0])) if t.quantization else 0.0


def _constant_ints(e: _Emitter, op: tflite_reader.Operator, position: int, what: str) -> list[int]:
  """The values of the op's constant int32 input at `position`, read at compile time."""
  index = op.inputs[position] if position < len(op.inputs) else -1
  tensor = e.tensors[index] if index >= 0 else None
  if tensor is None or tensor.buffer is None:
    raise _op_error(e, op, f"takes its {what} from a tensor that is not constant; the compiler "
                    "supports only constant ones, read at compile time.")
  if tensor.dtype != "int32":
    raise _op_error(e, op, f"has {what} of type {tensor.dtype}; TFLM reads them as int32, the only "
                    "type supported.")
  return [int(v) for v in _constant(tensor)]


def _extended(values: list[int], fill: int) -> list[int]:
  """Values of the trailing dimensions, extended at the front to _MAX_DIMS."""
  return [fill] * (_MAX_DIMS - len(values)) + list(values)


def _c_ints(values) -> str:
  return "{" + ", ".join(str(int(v)) for v in values) + "}"


def _pad_value_f32(e: _Emitter, op: tflite_reader.Operator, value_index: int) -> str:
  """A float32 PAD's padding value (0) or PADV2's constant, as a C float."""
  if value_index < 0:
    return "0.0f"
  c = e.tensors[value_index]
  if c.buffer is None or c.dtype != "float32" or len(_constant(c)) != 1:
    raise _op_error(e, op, "takes its padding value from a tensor that is not a constant float32 "
                    "scalar; the compiler supports only that.")
  return _c_float(_constant(c)[0])


def _emit_pad(e: _Emitter, op: tflite_reader.Operator) -> None:
  """PAD and PADV2: the paddings (and PADV2's value) read at compile time."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  ctype, suffix = _data_tensors(e, op, [x.index])
  rank = len(x.shape)
  if rank > _MAX_DIMS:
    raise _op_error(e, op, f"pads a tensor of rank {rank}; TFLM pads tensors of rank at most "
                    f"{_MAX_DIMS}.")
  paddings = _constant_ints(e, op, 1, "paddings")
  if len(paddings) != 2 * rank or len(y.shape) != rank:
    raise _op_error(e, op, f"has {len(paddings)} paddings for an input of rank {rank} and an output "
                    f"of rank {len(y.shape)}; it needs one [before, after] pair per dimension.")
  before, after = paddings[0::2], paddings[1::2]
  padded = tuple(b + n + a for b, n, a in zip(before, x.shape, after))
  if min(paddings) < 0 or padded != y.shape:
    raise _op_error(e, op, f"pads shape {list(x.shape)} by {paddings} to shape {list(y.shape)}; "
                    "the paddings must be non-negative and give the output shape.")
  value_index = op.inputs[2] if len(op.inputs) > 2 else -1
  if suffix == "f32":
    value = _pad_value_f32(e, op, value_index)
  elif value_index >= 0:
    c = e.tensors[value_index]
    if c.buffer is None or c.dtype != "int8" or len(_constant(c)) != 1:
      raise _op_error(e, op, "takes its padding value from a tensor that is not a constant int8 "
                      "scalar; the compiler supports only that.")
    if _scale(c) != _scale(y) or _zero_point(c) != _zero_point(y):
      raise _op_error(e, op, "has a padding value quantized differently from its output; TFLM "
                      "requires the same scale and zero point.")
    value = int(_constant(c)[0])
  else:
    value = _zero_point(y)
    if not -128 <= value <= 127:
      raise _op_error(e, op, f"has output zero point {value}, outside int8; TFLM requires it "
                      "within [-128, 127].")
  shape = ", ".join(_c_ints(_extended(v, f)) for v, f in ((x.shape, 1), (before, 0), (after, 0)))
  e.constants.append(f"static const tflm_rt_pad_shape op{op.index}_shape = {{{shape}}};\n"
                     f"static const {ctype} op{op.index}_value = {value};\n")
  e.body += [e.comment(op, f" value {value}"),
             f"  tflm_rt_pad(&op{op.index}_shape, {x.element_size}, &op{op.index}_value, "
             f"{_operand(e, x.index, ctype)}, {e.arena(y.index, ctype)});"]


def _emit_concatenation(e: _Emitter, op: tflite_reader.Operator) -> None:
  """CONCATENATION: one block copy per input, into its place along the axis."""
  inputs, y = [e.tensors[i] for i in op.inputs], e.tensors[op.outputs[0]]
  ctype, suffix = _data_tensors(e, op, op.inputs)
  activation = op.options.get("fused_activation_function", "NONE")
  if activation != "NONE":
    raise _op_error(e, op, f"has fused activation {activation}; TFLM's CONCATENATION supports "
                    "only NONE.")
  if len(inputs) > 10:
    raise _op_error(e, op, f"has {len(inputs)} inputs; TFLM concatenates at most 10.")
  rank, axis = len(y.shape), op.options.get("axis", 0)
  if not -rank <= axis < rank:
    raise _op_error(e, op, f"has axis {axis} for an output of rank {rank}.")
  axis %= rank
  others = y.shape[:axis] + y.shape[axis + 1:]
  if (any(len(t.shape) != rank or t.shape[:axis] + t.shape[axis + 1:] != others for t in inputs) or
      sum(t.shape[axis] for t in inputs) != y.shape[axis]):
    raise _op_error(e, op, f"joins shapes {[list(t.shape) for t in inputs]} along axis {axis} into "
                    f"shape {list(y.shape)}; the shapes must agree but along the axis.")
  for t in inputs if suffix == "s8" else []:
    if _scale(t) != _scale(y) or _zero_point(t) != _zero_point(y):
      raise _op_error(e, op, f"has input \"{t.name}\" with scale {_scale(t)} and zero point "
                      f"{_zero_point(t)} but output scale {_scale(y)} and zero point "
                      f"{_zero_point(y)}; TFLM requires every input to share the output's.")
  blocks, inner = math.prod(y.shape[:axis]), math.prod(y.shape[axis + 1:])
  e.body.append(e.comment(op, f" axis {axis}"))
  offset = 0
  for t in inputs:
    output = e.arena(y.index, ctype) + (f" + {offset}" if offset else "")
    size = y.element_size
    e.body.append(f"  tflm_rt_concat({_operand(e, t.index, ctype)}, {output}, {blocks}, "
                  f"{t.shape[axis] * inner * size}, {y.shape[axis] * inner * size});")
    offset += t.shape[axis] * inner


def _strides(shape) -> list[int]:
  """Elements between neighbours along each dimension of a row-major tensor."""
  return [math.prod(shape[d + 1:]) for d in range(len(shape))]


def _c_walk(counts: list[int], steps: list[int]) -> str:
  """A C initializer of tflm_rt_walk, extended at the front to _MAX_DIMS."""
  return f"{{{_c_ints(_extended(counts, 1))}, {_c_ints(_extended(steps, 0))}}}"


def _slice_axis(begin: int, end: int, stride: int, size: int, begin_masked: bool,
                end_masked: bool, shrink: bool) -> tuple[int, int]:
  """The first index and the number of indices TFLM's StridedSlice visits along one axis.

  As TFLM's StridedSliceStartForAxis and StridedSliceEndForAxis: negative
  indices count from the end, then clamp to [0, size] going forwards or
  [-1, size - 1] going backwards; a shrunk axis ends one past its start.
  """
  low, high = (0, size) if stride > 0 else (-1, size - 1)
  start = min(max(begin + size if begin < 0 else begin, low), high)
  if begin_masked:
    start = 0 if stride > 0 else size - 1
  if shrink:
    stop = start if start >= size else start + 1
  else:
    stop = min(max(end + size if end < 0 else end, low), high)
    if end_masked:
      stop = size if stride > 0 else -1
  return start, len(range(start, stop, stride))


def _emit_strided_slice(e: _Emitter, op: tflite_reader.Operator) -> None:
  """STRIDED_SLICE: the index ranges resolved at compile time into one strided walk."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  ctype, _ = _data_tensors(e, op, [x.index])
  o = op.options
  for mask in ("ellipsis_mask", "new_axis_mask"):
    if o.get(mask, 0):
      raise _op_error(e, op, f"has {mask} {o[mask]}; TFLM's STRIDED_SLICE does not implement "
                      "ellipsis_mask or new_axis_mask, so the compiler supports only 0.")
  if o.get("offset", False):
    raise _op_error(e, op, "has offset set; TFLM's STRIDED_SLICE ignores it (it reads end as an "
                    "index, not an offset from begin), so the compiler supports only offset false.")
  rank = len(x.shape)
  if rank > 4:
    raise _op_error(e, op, f"slices a tensor of rank {rank}; TFLM slices tensors of rank at most 4.")
  begin, end, strides = (_constant_ints(e, op, i, what) for i, what in
                         ((1, "begin"), (2, "end"), (3, "strides")))
  if not len(begin) == len(end) == len(strides) == rank:
    raise _op_error(e, op, f"has {len(begin)} begin, {len(end)} end and {len(strides)} strides "
                    f"values for an input of rank {rank}; it needs one of each per dimension.")
  if 0 in strides:
    raise _op_error(e, op, f"has strides {strides}; TFLM requires them non-zero.")

  def bit(mask: str, d: int) -> bool:
    return bool(o.get(mask, 0) >> d & 1)

  axes = [_slice_axis(begin[d], end[d], strides[d], x.shape[d], bit("begin_mask", d),
                      bit("end_mask", d), bit("shrink_axis_mask", d)) for d in range(rank)]
  for d in range(rank):
    if bit("shrink_axis_mask", d) and axes[d][1] != 1:
      raise _op_error(e, op, f"shrinks axis {d} at index {begin[d]} with stride {strides[d]}; TFLM "
                      "writes nothing for it (a shrunk axis needs an index inside the dimension "
                      "and a positive stride), so the compiler refuses it.")
  shape = tuple(count for d, (_, count) in enumerate(axes) if not bit("shrink_axis_mask", d))
  if shape != y.shape:
    raise _op_error(e, op, f"slices shape {list(x.shape)} with begin {begin}, end {end} and strides "
                    f"{strides} into shape {list(shape)}, but its output has shape {list(y.shape)}.")
  in_strides = _strides(x.shape)
  start = sum(first * s for (first, _), s in zip(axes, in_strides))
  walk = _c_walk([count for _, count in axes], [st * s for st, s in zip(strides, in_strides)])
  e.constants.append(f"static const tflm_rt_walk op{op.index}_walk = {walk};\n")
  e.body += [e.comment(op, f" begin {begin} end {end} strides {strides}"),
             f"  tflm_rt_strided_slice(&op{op.index}_walk, {start}, {x.element_size}, "
             f"{_operand(e, x.index, ctype)}, {e.arena(y.index, ctype)});"]


def _mean_multiplier(real: float, count: int) -> tuple[int, int]:
  """The multiplier and shift of real / count, as TFLM's QuantizedMeanOrSum folds them.

  QuantizeMultiplier(real), then the multiplier shifted left by up to
  log2(count) bits (at most 32, and the shift kept >= -31) and divided by
  count in 64-bit integers.
  """
  multiplier, shift = quantize_multiplier(real)
  folded = min(count.bit_length() - 1, 32, 31 + shift)
  return (multiplier << folded) // count, shift - folded


def _emit_mean(e: _Emitter, op: tflite_reader.Operator) -> None:
  """MEAN over constant axes: the kept and the reduced dimensions as two walks."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  _, suffix = _data_tensors(e, op, [x.index])
  if suffix == "s8" and (not x.quantization or not y.quantization or _scale(x) <= 0 or
                         _scale(y) <= 0):
    raise _op_error(e, op, "has an int8 tensor without quantization or with a scale of 0; "
                    "TFLM's int8 MEAN needs positive scales.")
  rank = len(x.shape)
  if rank > _MAX_DIMS:
    raise _op_error(e, op, f"reduces a tensor of rank {rank}; the compiler supports rank at most "
                    f"{_MAX_DIMS}.")
  axes = _constant_ints(e, op, 1, "axes")
  reduced = []
  for axis in axes:  # as TFLM's ResolveAxis: negative axes count from the end, repeats once
    if not -rank <= axis < rank:
      raise _op_error(e, op, f"has axis {axis} for an input of rank {rank}.")
    if axis % rank not in reduced:
      reduced.append(axis % rank)
  keep_dims = bool(op.options.get("keep_dims", False))
  shape = tuple(1 if d in reduced else n for d, n in enumerate(x.shape)
                if keep_dims or d not in reduced)
  if shape != y.shape:
    raise _op_error(e, op, f"averages shape {list(x.shape)} over axes {axes} (keep_dims "
                    f"{keep_dims}) into shape {list(shape)}, but its output has shape "
                    f"{list(y.shape)}.")
  count = math.prod(x.shape[d] for d in reduced)
  strides, kept = _strides(x.shape), [d for d in range(rank) if d not in reduced]
  kept_walk = _c_walk([x.shape[d] for d in kept], [strides[d] for d in kept])
  # TFLM's Reduce adds the elements in the input's order: the reduced dimensions
  # in increasing order (float32 sums depend on it).
  reduced = sorted(reduced)
  reduced_walk = _c_walk([x.shape[d] for d in reduced], [strides[d] for d in reduced])
  if suffix == "f32":
    e.constants.append(f"static const tflm_rt_walk op{op.index}_kept = {kept_walk};\n"
                       f"static const tflm_rt_walk op{op.index}_reduced = {reduced_walk};\n")
    e.body += [e.comment(op, f" axes {axes} keep_dims {keep_dims}"),
               f"  tflm_rt_mean_f32(&op{op.index}_kept, &op{op.index}_reduced, {count}, "
               f"{_operand(e, x.index, 'float')}, {e.arena(y.index, 'float')});"]
    return
  multiplier, shift = _mean_multiplier(_scale(x) / _scale(y), count)
  e.constants.append(
      f"static const tflm_rt_mean_s8_params op{op.index}_params = {{{_zero_point(x)}, "
      f"{_zero_point(y)}, {multiplier}, {shift}, {count}, {kept_walk}, {reduced_walk}}};\n")
  e.body += [e.comment(op, f" axes {axes} keep_dims {keep_dims}"),
             f"  tflm_rt_mean_s8(&op{op.index}_params, {_operand(e, x.index)}, "
             f"{e.arena(y.index, 'int8_t')});"]


def _emit_leaky_relu(e: _Emitter, op: tflite_reader.Operator) -> None:
  """LEAKY_RELU: for int8, TFLM's identity and alpha multipliers, the ratios taken in double."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  _, suffix = _data_tensors(e, op, [x.index])
  if suffix == "f32":
    alpha = np.float32(op.options.get("alpha", 0.0))
    e.body += [e.comment(op, f" alpha {float(alpha)!r}"),
               f"  tflm_rt_leaky_relu_f32({_operand(e, x.index, 'float')}, "
               f"{e.arena(y.index, 'float')}, {math.prod(y.shape)}, {_c_float(alpha)});"]
    return
  if not x.quantization or not y.quantization or _scale(x) <= 0 or _scale(y) <= 0:
    raise _op_error(e, op, "has an int8 tensor without quantization or with a scale of 0; "
                    "TFLM's int8 LEAKY_RELU needs positive scales.")
  alpha = float(np.float32(op.options.get("alpha", 0.0)))
  scale_in, scale_out = _scale(x), _scale(y)
  identity = quantize_multiplier(scale_in / scale_out)
  # TFLM quantizes a negative alpha's multiplier and negates it in the kernel.
  alpha_multiplier, alpha_shift = quantize_multiplier(scale_in * alpha / scale_out)
  negative = int(alpha_multiplier < 0)
  # TFLM's negation of a multiplier of -2^31 wraps to -2^31 itself.
  magnitude = "(-2147483647 - 1)" if alpha_multiplier == -(1 << 31) else abs(alpha_multiplier)
  e.constants.append(
      f"static const tflm_rt_leaky_relu_s8_params op{op.index}_params = {{{_zero_point(x)}, "
      f"{_zero_point(y)}, {identity[0]}, {identity[1]}, {magnitude}, {alpha_shift}, "
      f"{negative}}};\n")
  e.body += [e.comment(op, f" alpha {alpha!r}"),
             f"  tflm_rt_leaky_relu_s8(&op{op.index}_params, {_operand(e, x.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


def _all_float32(e: _Emitter, op: tflite_reader.Operator) -> bool:
  return all(e.tensors[i].dtype == "float32" for i in op.inputs + op.outputs if i >= 0)


def _emit_elementwise_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 ADD, SUB and MUL (with broadcasting), clamped to the fused activation's range."""
  a, b, y, broadcast = _binary_tensors(e, op, "float32")
  activation, low, high = _activation_f32(e, op)
  e.body += [e.comment(op, " " + activation),
             f"  tflm_rt_{op.opcode.lower()}_f32({broadcast}, {_operand(e, a.index, 'float')}, "
             f"{_operand(e, b.index, 'float')}, {e.arena(y.index, 'float')}, "
             f"{math.prod(y.shape)}, {low}, {high});"]


def _emit_activation_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 LOGISTIC, TANH, RELU and RELU6."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.body += [e.comment(op),
             f"  tflm_rt_{op.opcode.lower()}_f32({_operand(e, x.index, 'float')}, "
             f"{e.arena(y.index, 'float')}, {math.prod(y.shape)});"]


def _activation_f32(e: _Emitter, op: tflite_reader.Operator) -> tuple[str, str, str]:
  """The op's fused activation and the float32 range it clamps to, as C floats."""
  activation = op.options.get("fused_activation_function", "NONE")
  if activation not in ("NONE", "RELU", "RELU6", "RELU_N1_TO_1"):
    raise _op_error(e, op, f"has fused activation {activation}; the compiler supports NONE, RELU, "
                    "RELU6 and RELU_N1_TO_1.")
  return (activation, *_activation_range_f32(activation))


def _emit_conv_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 CONV_2D and DEPTHWISE_CONV_2D: filter and bias as they are, in TFLM's order."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  bias = op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None
  multiplier = _check_conv_shapes(e, op)
  activation, low, high = _activation_f32(e, op)
  n = op.index
  e.constants.append(f"static const tflm_rt_conv_shape op{n}_shape = "
                     f"{_conv_shape(e, op, w.shape[1], w.shape[2])};\n")
  bias_ref = _operand(e, bias, "float") if bias is not None else "NULL"
  args = (f"{_operand(e, x.index, 'float')}, {_operand(e, w.index, 'float')}, {bias_ref}, "
          f"{e.arena(y.index, 'float')}, {low}, {high}")
  e.body.append(e.comment(op, " " + activation))
  if op.opcode == "DEPTHWISE_CONV_2D":
    e.body.append(f"  tflm_rt_depthwise_conv_f32(&op{n}_shape, {multiplier}, {args});")
  else:
    e.body.append(f"  tflm_rt_conv_f32(&op{n}_shape, {args});")


def _emit_pool_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 AVERAGE_POOL_2D and MAX_POOL_2D."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not len(x.shape) == len(y.shape) == 4 or x.shape[3] != y.shape[3]:
    raise _op_error(e, op, f"has input {list(x.shape)} and output {list(y.shape)}; TFLM pools 4D "
                    "(NHWC) tensors with as many output channels as input channels only.")
  activation, low, high = _activation_f32(e, op)
  shape = _conv_shape(e, op, op.options["filter_height"], op.options["filter_width"])
  e.constants.append(f"static const tflm_rt_conv_shape op{op.index}_shape = {shape};\n")
  args = (f"&op{op.index}_shape, {low}, {high}, {_operand(e, x.index, 'float')}, "
          f"{e.arena(y.index, 'float')}")
  e.body.append(e.comment(op, " " + activation))
  if op.opcode == "AVERAGE_POOL_2D":
    e.body.append(f"  if (tflm_rt_average_pool_f32({args}) != 0) return -1;")
  else:
    e.body.append(f"  tflm_rt_max_pool_f32({args});")


def _emit_softmax_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 SOFTMAX over the last dimension, with beta as a float32, as TFLM takes it."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if x.shape != y.shape or not y.shape:
    raise _op_error(e, op, f"has input {list(x.shape)} and output {list(y.shape)}; the compiler "
                    "supports equal shapes of rank 1 or more.")
  beta = np.float32(op.options.get("beta", 1.0))
  depth = y.shape[-1]
  e.body += [e.comment(op, f" beta {float(beta)!r}"),
             f"  tflm_rt_softmax_f32({_operand(e, x.index, 'float')}, {e.arena(y.index, 'float')}, "
             f"{math.prod(y.shape) // depth}, {depth}, {_c_float(beta)});"]


def _emit_sigmoid(e: _Emitter, op: tflite_reader.Operator) -> None:
  """LOGISTIC and TANH; for int8, the parameters TFLM's Prepare computes."""
  if _all_float32(e, op):
    return _emit_activation_f32(e, op)
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  if not x.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
  if not x.quantization or not y.quantization:
    raise common.ToolError(f"{e.label}: int8 {op.opcode} (op {op.index}) has a tensor without "
                           "quantization parameters; both need a scale and a zero point.")
  # TFLM's int8 LOGISTIC checks the output zero point; it (and TANH) writes
  # in scale 1/256 (1/128) and zero point -128 (0) whatever the output says.
  if op.opcode == "LOGISTIC" and y.quantization.zero_points[0] != -128:
    raise common.ToolError(
        f"{e.label}: int8 LOGISTIC (op {op.index}) has output zero point "
        f"{y.quantization.zero_points[0]}; TFLM requires -128 (the TFLite converter writes "
        "scale 1/256 and zero point -128).")
  scale = float(np.float32(x.quantization.scales[0]))
  if not 2.0 ** -28 <= scale < 2.0 ** 35:
    raise common.ToolError(
        f"{e.label}: int8 {op.opcode} (op {op.index}) has input scale {np.float32(scale)!s}; "
        "the compiler supports input scales from 2^-28 to 2^35, where TFLM's Prepare computes "
        "its input range without an out-of-range shift.")
  # The input scale times 2^27 (Q4.27 has 4 integer bits) as a Q31 multiplier
  # and a left shift from 0 to 62: frexp, exact since the scale is a float32.
  # Inputs at least `radius` from the zero point (15 in Q4.27) saturate.
  integer_bits = 4
  fraction, left_shift = math.frexp(scale * (1 << (31 - integer_bits)))
  multiplier = int(math.floor(fraction * (1 << 31) + 0.5))
  radius = math.floor(((1 << integer_bits) - 1) * (1 << (31 - integer_bits)) / (1 << left_shift))
  e.constants.append(
      f"static const tflm_rt_sigmoid_s8_params op{op.index}_params = "
      f"{{{x.quantization.zero_points[0]}, {radius}, {multiplier}, {left_shift}}};\n")
  e.body += [e.comment(op),
             f"  tflm_rt_{op.opcode.lower()}_s8(&op{op.index}_params, {_operand(e, x.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


_EMITTERS = {"ADD": _emit_add, "AVERAGE_POOL_2D": _emit_pool, "CONV_2D": _emit_conv,
             "DEPTHWISE_CONV_2D": _emit_conv, "DEQUANTIZE": _emit_quantize,
             "FULLY_CONNECTED": _emit_fully_connected, "LOGISTIC": _emit_sigmoid,
             "MAX_POOL_2D": _emit_pool,
             "MUL": _emit_mul, "QUANTIZE": _emit_quantize, "RELU": _emit_relu, "RELU6": _emit_relu,
             "RESHAPE": _emit_copy, "SOFTMAX": _emit_softmax, "SQUEEZE": _emit_copy, "SUB": _emit_add,
             "PAD": _emit_pad, "PADV2": _emit_pad, "CONCATENATION": _emit_concatenation,
             "STRIDED_SLICE": _emit_strided_slice, "MEAN": _emit_mean,
             "LEAKY_RELU": _emit_leaky_relu, "TANH": _emit_sigmoid}
SUPPORTED_OPS = tuple(sorted(_EMITTERS))


def _tensor_macros(name: str, t: tflite_reader.Tensor) -> list[str]:
  q = t.quantization
  return [f"#define {name}_SIZE {math.prod(t.shape)}",
          f"#define {name}_BYTES {t.num_bytes}",
          f"#define {name}_SHAPE {{{', '.join(map(str, t.shape))}}}",
          f"#define {name}_SCALE {repr(q.scales[0]) + 'f' if q else '1.0f'}",
          f"#define {name}_ZERO_POINT {q.zero_points[0] if q else 0}"]


def compile_model(model: tflite_reader.Model, prefix: str, label: str, include_path: str,
                  arena_section: str | None = None) -> Generated:
  """The C of the model's main subgraph."""
  graph = model.main
  unsupported = sorted({op.opcode for op in graph.operators if op.opcode not in _EMITTERS})
  if unsupported:
    raise common.ToolError(
        f"{label} uses {', '.join(unsupported)}, which rules_tflm's ahead-of-time compiler does "
        f"not support yet; it supports {', '.join(SUPPORTED_OPS)}.")
  plan = memory_planner.plan(
      graph, margins=aot_overlap.margins(graph, memory_planner.lifetimes(graph)))
  e = _Emitter(graph.tensors, plan, label)
  for op in graph.operators:
    _EMITTERS[op.opcode](e, op)
  upper = prefix.upper()
  guard = common.header_guard(include_path)
  macros = []
  for what, indices in (("INPUT", graph.inputs), ("OUTPUT", graph.outputs)):
    sizes = ", ".join(str(graph.tensors[i].num_bytes) for i in indices)
    macros += [f"#define {upper}_{what}_COUNT {len(indices)}",
               f"#define {upper}_{what}S_BYTES {{{sizes}}}  /* of each {what.lower()} */"]
  declarations, definitions = [], []
  for what, indices in (("input", graph.inputs), ("output", graph.outputs)):
    const = "const " if what == "output" else ""
    for i, index in enumerate(indices):
      t = graph.tensors[index]
      ctype = _C_TYPES[t.dtype]
      # Input and output 0 also go by the short names, for the common one-input model.
      for name in ([f"{what}_{i}", what] if i == 0 else [f"{what}_{i}"]):
        macros += _tensor_macros(f"{upper}_{name.upper()}", t)
        declarations.append(f"{const}{ctype} *{prefix}_{name}(void);")
        definitions.append(f"{const}{ctype} *{prefix}_{name}(void) "
                           f"{{ return {e.arena(index, ctype, bool(const))}; }}")
    cases = "".join(f" case {i}: return {prefix}_{what}_{i}();" for i in range(len(indices)))
    declarations.append(f"{const}void *{prefix}_{what}_at(int index);")
    definitions.append(f"{const}void *{prefix}_{what}_at(int index) {{\n"
                       f"  switch (index) {{{cases} default: return NULL; }}\n}}")
  banner = f"/* Generated by rules_tflm aot_compile from {label}. Do not edit. */\n"
  header = "\n".join([
      banner.rstrip(), f"#ifndef {guard}", f"#define {guard}", "", "#include <stdint.h>", "",
      "#ifdef __cplusplus", 'extern "C" {', "#endif", "", *macros,
      f"#define {upper}_ARENA_BYTES {plan.arena_bytes}", "",
      "/* Runs one inference on what is in the inputs; 0 on success. Activations share",
      "   memory, so it may overwrite the inputs: set them before every call. */",
      f"int {prefix}_invoke(void);",
      "/* The inputs and outputs, in the arena; _at(i) gives input or output i, NULL past the last. */",
      *declarations, "",
      "#ifdef __cplusplus", "}", "#endif", "", f"#endif  /* {guard} */", ""])
  section = f' __attribute__((section("{arena_section}")))' if arena_section else ""
  source = "\n".join([
      banner.rstrip(), f'#include "{include_path}"', "", "#include <stddef.h>", "",
      '#include "runtime/tflm_rt.h"', "",
      f"/* Activations: {plan.arena_bytes} bytes (lower bound {plan.lower_bound}). */",
      f"static uint8_t arena[{max(plan.arena_bytes, 16)}] __attribute__((aligned(16))){section};", "",
      *e.constants,
      f"int {prefix}_invoke(void) {{", *e.body, "  return 0;", "}", "",
      *definitions, ""])
  return Generated(header, source, plan.arena_bytes)




def main(argv: list[str]) -> None:
  del argv  # Unused.
  header, source = pathlib.Path(_HEADER.value), pathlib.Path(_SOURCE.value)
  common.remove_outputs([header, source])
  model = tflite_reader.read_model_file(_MODEL.value)
  generated = compile_model(model, _PREFIX.value, _MODEL_LABEL.value or _MODEL.value,
                            _INCLUDE_PATH.value or header.name, _ARENA_SECTION.value)
  try:
    common.write_atomically(header, generated.header)
    common.write_atomically(source, generated.source)
  except BaseException:
    common.remove_outputs([header, source])
    raise


if __name__ == "__main__":
  app.run(common.run_tool(main, "aot_compile"))
