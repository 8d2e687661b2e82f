"""CONV_2D and DEPTHWISE_CONV_2D: int8 (per-channel weights) and float32."""

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import fusion
from tools.aot import overlap
from tools.aot import quantization
from tools.aot import scratch
from tools.aot.ops import binary
from tools.aot.ops import fully_connected
from tools.aot.registry import register

_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D")


def window(e: emitter.Emitter, op: tflite_reader.Operator, filter_h: int,
           filter_w: int) -> dict[str, int]:
  """The fields of tflm_rt_conv_shape for a convolution or pooling op."""
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  o = op.options
  stride_h, stride_w = o.get("stride_h", 1), o.get("stride_w", 1)
  dil_h, dil_w = o.get("dilation_h_factor", 1), o.get("dilation_w_factor", 1)
  return {
      "batches": x.shape[0], "input_height": x.shape[1], "input_width": x.shape[2],
      "input_channels": x.shape[3], "output_height": y.shape[1], "output_width": y.shape[2],
      "output_channels": y.shape[3], "filter_height": filter_h, "filter_width": filter_w,
      "stride_height": stride_h, "stride_width": stride_w,
      "dilation_height": dil_h, "dilation_width": dil_w,
      "pad_height": overlap.padding_before(o.get("padding"), stride_h, dil_h, x.shape[1],
                                           filter_h, y.shape[1]),
      "pad_width": overlap.padding_before(o.get("padding"), stride_w, dil_w, x.shape[2],
                                          filter_w, y.shape[2])}


def _shape(e: emitter.Emitter, op: tflite_reader.Operator) -> str:
  w = e.tensors[op.inputs[1]]
  return e.struct("tflm_rt_conv_shape", f"op{op.index}_shape", window(e, op, w.shape[1], w.shape[2]))


def _check_shapes(e: emitter.Emitter, op: tflite_reader.Operator) -> int:
  """Raises unless the shapes are ones the kernels take; the depth multiplier."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  shapes = f"input {list(x.shape)}, filter {list(w.shape)} and output {list(y.shape)}"
  if not len(x.shape) == len(w.shape) == len(y.shape) == 4:
    raise e.error(op, f"{shapes} are not all 4D", "TFLM convolves 4D (NHWC) tensors only")
  if op.opcode == "CONV_2D":
    if not (w.shape[3] == x.shape[3] and w.shape[0] == y.shape[3]):
      raise e.error(op, f"{shapes} do not fit one another",
                    "the compiler supports a filter [output channels, height, width, input "
                    "channels] (no grouped convolution)")
    return 1
  multiplier = op.options.get("depth_multiplier", 1)
  if not (w.shape[0] == 1 and w.shape[3] == y.shape[3] == x.shape[3] * multiplier):
    raise e.error(op, f"{shapes} do not fit depth multiplier {multiplier}",
                  "the compiler supports a filter [1, height, width, input channels * depth "
                  "multiplier] and an output of that many channels")
  if fully_connected.bias_index(op) is None:
    raise e.error(op, "it has no bias",
                  "the TFLM interpreter crashes on a DEPTHWISE_CONV_2D without one, so the "
                  "compiler, bit-exact with TFLM, requires a bias (zeros will do)")
  return multiplier


def _dsp_depthwise(e: emitter.Emitter, op: tflite_reader.Operator, x: tflite_reader.Tensor,
                   y: tflite_reader.Tensor, pairs: list[tuple[int, int]], low: int,
                   high: int) -> dict[str, str]:
  """The flash constants of runtime/depthwise_dsp.c's fast requantization, where every
  channel takes it (a right shift of 1 to 23, a multiplier >= 0, the activation all of
  int8; dsp.h's tflm_rt_dsp_fast): per channel tflm_rt_dsp_channel's four words (the
  int64 tflm_rt_multiply_down_rounding, low word first, the multiplier, the right
  shift - 1), and a row of the input zero point; {} elsewhere."""
  if not (low == -128 and high == 127 and all(m >= 0 and -23 <= s <= -1 for m, s in pairs)):
    return {}
  offset = quantization.zero_point(y)
  words = []
  for m, s in pairs:
    rounding = (1 << 30) + (1 << (30 - s)) + offset * (1 << (31 - s))
    words += [rounding, rounding >> 32, m, -s - 1]
  n = op.index
  values = np.array([v & 0xffffffff for v in words], dtype=np.uint32).view(np.int32)
  e.constants.append(
      f"/* op {op.index}'s channels for the DSP kernel: rounding (2 words), multiplier, shift */\n"
      f"static const int32_t op{n}_dsp_channels[{values.size}] __attribute__((aligned(8))) = "
      f"{c_syntax.c_values(values)};\n"
      f"static const int8_t op{n}_zeros[{y.shape[3]}] __attribute__((aligned(4))) = "
      f"{c_syntax.c_values(np.full(y.shape[3], quantization.zero_point(x), dtype=np.int8))};\n")
  return {"dsp_channels": f"op{n}_dsp_channels", "dsp_zeros": f"op{n}_zeros"}


def s8_params(e: emitter.Emitter, op: tflite_reader.Operator, x: tflite_reader.Tensor,
              w: tflite_reader.Tensor, y: tflite_reader.Tensor, activation: str, *,
              scratch_bytes: int = 0, dsp_depthwise: bool = False,
              folded_bias: str | None = None) -> str:
  """Defines the op's tflm_rt_conv_s8_params, as TFLM's PopulateConvolutionQuantizationParams:
  a multiplier and shift per output channel (one weight scale serves all), the
  scratch of the DSP kernels if they ask for any, with `dsp_depthwise` the
  constants of the DSP depthwise kernel, and the bias with the input offset folded
  in if given; returns &params."""
  channels = y.shape[3]
  scales = list(w.quantization.scales)
  if len(scales) == 1:
    scales *= channels
  # In double, as TFLM.
  input_scale, output_scale = quantization.scale(x), quantization.scale(y)
  pairs = [quantization.quantize_multiplier(input_scale * float(np.float32(s)) / output_scale)
           for s in scales]
  low, high = quantization.activation_range_s8(activation, output_scale,
                                               quantization.zero_point(y))
  n = op.index
  e.constants.append(
      f"static const int32_t op{n}_multipliers[{channels}] = "
      f"{c_syntax.c_values(np.array([p[0] for p in pairs]))};\n"
      f"static const int32_t op{n}_shifts[{channels}] = "
      f"{c_syntax.c_values(np.array([p[1] for p in pairs]))};\n")
  return e.struct("tflm_rt_conv_s8_params", f"op{n}_params", {
      "input_offset": -quantization.zero_point(x), "output_offset": quantization.zero_point(y),
      "multipliers": f"op{n}_multipliers", "shifts": f"op{n}_shifts",
      "activation_min": low, "activation_max": high,
      **({"scratch": e.scratch(scratch_bytes)} if scratch_bytes else {}),
      **(_dsp_depthwise(e, op, x, y, pairs, low, high) if dsp_depthwise else {}),
      **({"folded_bias": folded_bias} if folded_bias else {})})


def _conv_filter(e: emitter.Emitter, op: tflite_reader.Operator, w: tflite_reader.Tensor) -> str:
  """Defines a depthwise filter [1][height][width][channels] transposed to CONV_2D's
  [channels][height][width][1] (the same bytes in another order); returns its name."""
  values = emitter.constant_values(w).reshape(w.shape).transpose(3, 1, 2, 0)
  name = f"op{op.index}_filter"
  e.constants.append(f"/* filter of op {op.index} as a CONV_2D's, {list(values.shape)} */\n"
                     f"static const int8_t {name}[{values.size}] __attribute__((aligned(16))) = "
                     f"{c_syntax.c_values(values.reshape(-1))};\n")
  return name


@register(*_OPS, types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's PopulateConvolutionQuantizationParams and its per-channel kernels."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [x.index, w.index, y.index], "int8")
  multiplier = _check_shapes(e, op)
  bias = fully_connected.bias_index(op)
  channels = y.shape[3]
  activation = e.activation(op)
  # A 1x1 filter never reads padding (SAME pads (out - 1) * stride + 1 - in <= 0),
  # so every input counts and the input offset folds into the bias.
  pointwise = op.opcode == "CONV_2D" and w.shape[1] == w.shape[2] == 1
  as_conv = op.opcode == "DEPTHWISE_CONV_2D" and x.shape[3] == 1 and w.shape[2] >= 4
  # The DSP kernels' scratch: four input rows extended (runtime/dsp.h).
  if pointwise:
    scratch_bytes = scratch.rows_bytes(4, x.shape[3])
  elif op.opcode == "CONV_2D" or as_conv:
    scratch_bytes = scratch.conv_bytes(w.shape[1] * w.shape[2] * x.shape[3])
  elif multiplier % 4 == 0 or (multiplier == 1 and channels % 4 == 0):
    scratch_bytes = scratch.depthwise_bytes(channels, w.shape[1] * w.shape[2])
  else:
    scratch_bytes = 0
  # The DSP depthwise kernel's requantization constants in flash (runtime/dsp.h).
  dsp_depthwise = op.opcode == "DEPTHWISE_CONV_2D" and scratch_bytes > 0 and not as_conv
  params = s8_params(e, op, x, w, y, activation, scratch_bytes=scratch_bytes,
                     dsp_depthwise=dsp_depthwise)
  shape = _shape(e, op)
  if pointwise:
    bias_ref = fully_connected.folded_bias(e, op, channels)
  else:
    bias_ref = e.constant(bias) if bias is not None else "NULL"
  weights = _conv_filter(e, op, w) if as_conv else e.constant(w.index)
  tensors = (e.arena(x.index), weights, bias_ref, e.arena(y.index))
  if as_conv:
    # Of one input channel, output channel m sums input * filter[..., m] over the
    # taps, as CONV_2D does with the filter [m][height][width][1]. CONV_2D's kernel
    # reads each filter row as one run of bytes: faster once rows are 4 taps or
    # more (micro_speech's 10x8 on a Cortex-M3: 2.44 M -> 1.95 M instructions; a
    # 3x3 filter, person_detect's first layer: 2.69 M -> 2.86 M).
    e.call(op, f" {activation}, one input channel: as CONV_2D", "tflm_rt_conv_s8", params,
           shape, *tensors)
  elif pointwise:
    e.call(op, " " + activation, "tflm_rt_conv_1x1_s8", params, shape, *tensors)
  elif op.opcode == "DEPTHWISE_CONV_2D":
    e.call(op, " " + activation, "tflm_rt_depthwise_conv_s8", params, shape, str(multiplier),
           *tensors)
  else:
    e.call(op, " " + activation, "tflm_rt_conv_s8", params, shape, *tensors)


def emit_fused_add_s8(e: emitter.Emitter, f: fusion.Fusion) -> None:
  """An int8 CONV_2D and the ADD after it, in slices (tools/aot/fusion.py): each slice of
  the convolution's output into its buffer, then added to the same pixels of the skip,
  the sum written over them. The calls are emit_s8's and binary.emit_add_s8's."""
  op = f.conv
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [x.index, w.index, y.index], "int8")
  _check_shapes(e, op)
  activation = e.activation(op)
  # Folded once here, not by the MVE kernel on every slice (2.6 k instructions each on
  # a Cortex-M55 for ResNet-8's 3x3x16 filters).
  params = s8_params(e, op, x, w, y, activation,
                     scratch_bytes=scratch.conv_bytes(w.shape[1] * w.shape[2] * x.shape[3]),
                     folded_bias=fully_connected.folded_bias(e, op, y.shape[3]))
  whole = window(e, op, w.shape[1], w.shape[2])
  shape = e.struct("tflm_rt_conv_shape", f"op{op.index}_shape",
                   dict(whole, output_height=f.rows, output_width=f.columns))
  bias = fully_connected.bias_index(op)
  add_params, add_activation = binary.add_s8_params(e, f.add)
  _, height, width, channels = y.shape
  at = f"(oy * {width} + ox) * {channels}"
  skip = f"{e.arena(f.skip)} + {at}"
  buffer = e.arena(y.index)
  add_inputs = [buffer if i == y.index else skip for i in f.add.inputs]
  slices = height * width // (f.rows * f.columns)
  e.body += [
      e.comment(op, f" {activation}, then op {f.add.index}: ADD {add_activation}, in {slices} "
                f"slices of {f.rows} x {f.columns} pixels, each added over the skip t{f.skip}"),
      f"  for (int oy = 0; oy < {height}; oy += {f.rows}) {{",
      f"    for (int ox = 0; ox < {width}; ox += {f.columns}) {{",
      "      /* The padding before the slice: negative once past the input's own. */",
      f"      tflm_rt_conv_shape slice = {shape.lstrip('&')};",
      f"      slice.pad_height = {whole['pad_height']} - oy * {whole['stride_height']};",
      f"      slice.pad_width = {whole['pad_width']} - ox * {whole['stride_width']};",
      f"      tflm_rt_conv_s8({params}, &slice, {e.arena(x.index)}, {e.constant(w.index)}, "
      f"{e.constant(bias) if bias is not None else 'NULL'}, {buffer});",
      f"      tflm_rt_add_s8({add_params}, NULL, {f.slice_bytes}, {', '.join(add_inputs)}, {skip});",
      "    }", "  }"]


@register(*_OPS, types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::Conv and DepthwiseConv for float: filter and bias as they are."""
  bias = fully_connected.bias_index(op)
  e.same_types(op, [op.inputs[0], op.inputs[1], op.outputs[0], -1 if bias is None else bias],
               "float32")
  multiplier = _check_shapes(e, op)
  activation = e.activation(op)
  low, high = (c_syntax.c_float(v) for v in quantization.activation_range_f32(activation))
  shape = _shape(e, op)
  tensors = (e.operand(op.inputs[0]), e.operand(op.inputs[1]),
             e.operand(bias) if bias is not None else "NULL", e.arena(op.outputs[0]))
  if op.opcode == "DEPTHWISE_CONV_2D":
    e.call(op, " " + activation, "tflm_rt_depthwise_conv_f32", low, high, shape, str(multiplier),
           *tensors)
  else:
    e.call(op, " " + activation, "tflm_rt_conv_f32", low, high, shape, *tensors)
