"""Compiles a .tflite model ahead of time to plain C that calls the kernels in runtime/.

The output is one .c and one .h per model: weights as const arrays (flash),
every quantization parameter precomputed, the activations at fixed offsets of
one static arena (tools/memory_planner.py), and straight-line calls in
operator order. No interpreter, no FlatBuffer parsing, no malloc.

    int  <prefix>_invoke(void);          /* 0 on success */
    <type> *<prefix>_input(void);        /* the input tensor, in the arena */
    const <type> *<prefix>_output(void); /* the output tensor */

plus the input and output shapes, sizes, scales and zero points as macros.
Supported: FULLY_CONNECTED (int8 with per-tensor or per-channel weights, and
float32); int8 CONV_2D and DEPTHWISE_CONV_2D (per-channel), AVERAGE_POOL_2D,
MAX_POOL_2D, ADD, SUB and MUL (same shapes), RELU, RELU6 and SOFTMAX; QUANTIZE (float32 or int8 to
int8), DEQUANTIZE (int8 to float32); RESHAPE and SQUEEZE; LOGISTIC and TANH
(int8 and float32); float32 ADD, SUB and MUL (same shapes), RELU and RELU6.
Any other op is an error that names it and lists these.
"""

import dataclasses
import math
import pathlib

from absl import app
from absl import flags
import numpy as np

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
_FLOAT_OPS = ("ADD", "FULLY_CONNECTED", "LOGISTIC", "MUL", "RELU", "RELU6", "SUB", "TANH")

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
    e.constants.append(
        f"static const int32_t op{op.index}_multipliers[{len(pairs)}] = "
        f"{_c_values(np.array([p[0] for p in pairs]))};\n"
        f"static const int32_t op{op.index}_shifts[{len(pairs)}] = "
        f"{_c_values(np.array([p[1] for p in pairs]))};\n"
        f"static const tflm_rt_fc_s8_params op{op.index}_params = {{\n"
        f"  {y.quantization.zero_points[0]}, "
        f"op{op.index}_multipliers, op{op.index}_shifts, {1 if len(pairs) > 1 else 0}, {low}, {high}\n}};\n")
    e.body.append(
        f"  tflm_rt_fully_connected_s8(&op{op.index}_params, {e.arena(x.index, 'int8_t', True)}, "
        f"{e.constant(w.index)}, {bias_name}, {e.arena(y.index, 'int8_t')}, {batches}, {depth}, {units});")
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


def _elementwise_tensors(e: _Emitter, op: tflite_reader.Operator, dtype: str = "int8"):
  a, b, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  if not a.dtype == b.dtype == y.dtype == dtype:
    raise e.unsupported_types(op)

  def core(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape without leading 1s: those do not change the order of elements."""
    while shape and shape[0] == 1:
      shape = shape[1:]
    return shape

  if not core(a.shape) == core(b.shape) == core(y.shape):
    raise common.ToolError(f"{e.label}: {op.opcode} of shapes {list(a.shape)} and {list(b.shape)} "
                           "needs broadcasting, which the compiler does not support yet.")
  return a, b, y


def _emit_add(e: _Emitter, op: tflite_reader.Operator) -> None:
  """ADD and SUB: TFLM's int8 scaling to twice the larger input scale, in double."""
  if _all_float32(e, op):
    return _emit_elementwise_f32(e, op)
  a, b, y = _elementwise_tensors(e, op)
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
             f"  tflm_rt_add_s8(&op{op.index}_params, {_operand(e, a.index)}, {_operand(e, b.index)}, "
             f"{e.arena(y.index, 'int8_t')}, {math.prod(y.shape)});"]


def _emit_mul(e: _Emitter, op: tflite_reader.Operator) -> None:
  if _all_float32(e, op):
    return _emit_elementwise_f32(e, op)
  a, b, y = _elementwise_tensors(e, op)
  s1, s2, so = (float(np.float32(t.quantization.scales[0])) for t in (a, b, y))
  multiplier, shift = quantize_multiplier(s1 * s2 / so)
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_s8(activation, so, y.quantization.zero_points[0])
  e.constants.append(
      f"static const tflm_rt_mul_s8_params op{op.index}_params = {{"
      f"{-a.quantization.zero_points[0]}, {-b.quantization.zero_points[0]}, "
      f"{y.quantization.zero_points[0]}, {multiplier}, {shift}, {low}, {high}}};\n")
  e.body += [e.comment(op, " " + activation),
             f"  tflm_rt_mul_s8(&op{op.index}_params, {_operand(e, a.index)}, {_operand(e, b.index)}, "
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


def _padding(padding: str, stride: int, dilation: int, in_size: int, filter_size: int,
             out_size: int) -> int:
  """Padding before the first row or column, as TFLM's ComputePaddingWithOffset."""
  if padding != "SAME":
    return 0
  effective = (filter_size - 1) * dilation + 1
  return max((out_size - 1) * stride + effective - in_size, 0) // 2


def _conv_shape(e: _Emitter, op: tflite_reader.Operator, filter_h: int, filter_w: int) -> str:
  """A C initializer of tflm_rt_conv_shape for a convolution or pooling op."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  o = op.options
  stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
  dil_h, dil_w = o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)
  pad_h = _padding(o.get("padding"), stride_h, dil_h, x.shape[1], filter_h, y.shape[1])
  pad_w = _padding(o.get("padding"), stride_w, dil_w, x.shape[2], filter_w, y.shape[2])
  values = [x.shape[0], x.shape[1], x.shape[2], x.shape[3], y.shape[1], y.shape[2], y.shape[3],
            filter_h, filter_w, stride_h, stride_w, dil_h, dil_w, pad_h, pad_w]
  return "{" + ", ".join(map(str, values)) + "}"


def _emit_conv(e: _Emitter, op: tflite_reader.Operator) -> None:
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  if not x.dtype == w.dtype == y.dtype == "int8":
    raise e.unsupported_types(op)
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


def _all_float32(e: _Emitter, op: tflite_reader.Operator) -> bool:
  return all(e.tensors[i].dtype == "float32" for i in op.inputs + op.outputs if i >= 0)


def _emit_elementwise_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 ADD, SUB and MUL of the same shapes, clamped to the fused activation's range."""
  a, b, y = _elementwise_tensors(e, op, "float32")
  activation = op.options.get("fused_activation_function", "NONE")
  low, high = _activation_range_f32(activation)
  e.body += [e.comment(op, " " + activation),
             f"  tflm_rt_{op.opcode.lower()}_f32({_operand(e, a.index, 'float')}, "
             f"{_operand(e, b.index, 'float')}, {e.arena(y.index, 'float')}, "
             f"{math.prod(y.shape)}, {low}, {high});"]


def _emit_activation_f32(e: _Emitter, op: tflite_reader.Operator) -> None:
  """float32 LOGISTIC, TANH, RELU and RELU6."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  e.body += [e.comment(op),
             f"  tflm_rt_{op.opcode.lower()}_f32({_operand(e, x.index, 'float')}, "
             f"{e.arena(y.index, 'float')}, {math.prod(y.shape)});"]


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
             "TANH": _emit_sigmoid}
SUPPORTED_OPS = tuple(sorted(_EMITTERS))


def compile_model(model: tflite_reader.Model, prefix: str, label: str, include_path: str,
                  arena_section: str | None = None) -> Generated:
  """The C of the model's main subgraph."""
  graph = model.main
  unsupported = sorted({op.opcode for op in graph.operators if op.opcode not in _EMITTERS})
  if unsupported:
    raise common.ToolError(
        f"{label} uses {', '.join(unsupported)}, which rules_tflm's ahead-of-time compiler does "
        f"not support yet; it supports {', '.join(SUPPORTED_OPS)}.")
  if len(graph.inputs) != 1 or len(graph.outputs) != 1:
    raise common.ToolError(f"{label} has {len(graph.inputs)} inputs and {len(graph.outputs)} "
                           "outputs; the compiler takes models with one of each.")
  plan = memory_planner.plan(graph)
  e = _Emitter(graph.tensors, plan, label)
  for op in graph.operators:
    _EMITTERS[op.opcode](e, op)
  tensors = graph.tensors

  (inp,), (out,) = graph.inputs, graph.outputs
  upper = prefix.upper()
  guard = common.header_guard(include_path)
  macros = []
  for what, index in (("INPUT", inp), ("OUTPUT", out)):
    t = tensors[index]
    q = t.quantization
    macros += [f"#define {upper}_{what}_SIZE {math.prod(t.shape)}",
               f"#define {upper}_{what}_BYTES {t.num_bytes}",
               f"#define {upper}_{what}_SHAPE {{{', '.join(map(str, t.shape))}}}",
               f"#define {upper}_{what}_SCALE {repr(q.scales[0]) + 'f' if q else '1.0f'}",
               f"#define {upper}_{what}_ZERO_POINT {q.zero_points[0] if q else 0}"]
  in_type, out_type = _C_TYPES[tensors[inp].dtype], _C_TYPES[tensors[out].dtype]
  banner = f"/* Generated by rules_tflm aot_compile from {label}. Do not edit. */\n"
  header = "\n".join([
      banner.rstrip(), f"#ifndef {guard}", f"#define {guard}", "", "#include <stdint.h>", "",
      "#ifdef __cplusplus", 'extern "C" {', "#endif", "", *macros,
      f"#define {upper}_ARENA_BYTES {plan.arena_bytes}", "",
      "/* Runs one inference on what is in the input; 0 on success. */",
      f"int {prefix}_invoke(void);", f"{in_type} *{prefix}_input(void);",
      f"const {out_type} *{prefix}_output(void);", "",
      "#ifdef __cplusplus", "}", "#endif", "", f"#endif  /* {guard} */", ""])
  section = f' __attribute__((section("{arena_section}")))' if arena_section else ""
  source = "\n".join([
      banner.rstrip(), f'#include "{include_path}"', "", "#include <stddef.h>", "",
      '#include "runtime/tflm_rt.h"', "",
      f"/* Activations: {plan.arena_bytes} bytes (lower bound {plan.lower_bound}). */",
      f"static uint8_t arena[{max(plan.arena_bytes, 16)}] __attribute__((aligned(16))){section};", "",
      *e.constants,
      f"int {prefix}_invoke(void) {{", *e.body, "  return 0;", "}", "",
      f"{in_type} *{prefix}_input(void) {{ return {e.arena(inp, in_type)}; }}",
      f"const {out_type} *{prefix}_output(void) {{ return {e.arena(out, out_type, True)}; }}", ""])
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
