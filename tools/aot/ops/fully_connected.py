"""FULLY_CONNECTED: int8 (weights per tensor or per channel) and float32."""

import math

import numpy as np

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import quantization
from tools.aot import scratch
from tools.aot.registry import register


def bias_index(op: tflite_reader.Operator) -> int | None:
  """The op's optional bias input (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D), or None."""
  return op.inputs[2] if len(op.inputs) > 2 and op.inputs[2] >= 0 else None


def _folded(e: emitter.Emitter, op: tflite_reader.Operator,
            rows: int) -> tuple[np.ndarray, np.ndarray]:
  """The weights as [rows, depth] and the bias with the input offset folded in (int64)."""
  x, w = e.tensors[op.inputs[0]], e.tensors[op.inputs[1]]
  weights = emitter.constant_values(w).reshape(rows, -1).astype(np.int64)
  folded = -quantization.zero_point(x) * weights.sum(axis=1)
  bias = bias_index(op)
  if bias is not None:
    folded = folded + emitter.constant_values(e.tensors[bias]).astype(np.int64)
  return weights, folded


def folded_bias(e: emitter.Emitter, op: tflite_reader.Operator, rows: int) -> str:
  """Defines the bias with the input offset folded in, exact in int32 as TFLM's sums
  are: sum((x + offset) * w) + bias = sum(x * w) + (bias + offset * sum(w))."""
  _, folded = _folded(e, op, rows)
  e.constants.append(f"/* bias of op {op.index} with the input offset folded in */\n"
                     f"static const int32_t op{op.index}_bias[{rows}] = "
                     f"{c_syntax.c_values(folded)};\n")
  return f"op{op.index}_bias"


def narrow(e: emitter.Emitter, op: tflite_reader.Operator, rows: int) -> int:
  """1 when every int32 sum of the op, folded bias plus sum(x * w) over int8 inputs, is
  below 2^19 in magnitude (runtime/fixed_point.h's tflm_rt_multiply_down_narrow), else 0."""
  weights, folded = _folded(e, op, rows)
  bound = np.abs(folded) + 128 * np.abs(weights).sum(axis=1)
  return int(bound.max() < 1 << 19)


def _dims(e: emitter.Emitter, op: tflite_reader.Operator) -> tuple[int, int, int]:
  """batches, depth and units."""
  w = e.tensors[op.inputs[1]]
  units, depth = w.shape[0], w.shape[-1]
  return e.size(op.inputs[0]) // depth, depth, units


@register("FULLY_CONNECTED", types=("int8",))
def emit_s8(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's FullyConnected / FullyConnectedPerChannel, the input offset in the bias."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  e.same_types(op, [x.index, w.index, y.index], "int8")
  batches, depth, units = _dims(e, op)
  activation = e.activation(op)
  bias = folded_bias(e, op, units)
  input_scale, output_scale = np.float32(x.quantization.scales[0]), y.quantization.scales[0]
  # As TFLM: the product of the scales in float, the quotient in double.
  pairs = [quantization.quantize_multiplier(float(np.float32(input_scale * np.float32(s))) /
                                            float(np.float32(output_scale)))
           for s in w.quantization.scales]
  output_offset = quantization.zero_point(y)
  low, high = quantization.activation_range_s8(activation, output_scale, output_offset)
  # The DSP kernel's scratch: the input rows extended, four at a time (runtime/dsp.h); it
  # reads a single batch as it is.
  dsp = {"scratch": e.scratch(scratch.rows_bytes(4, depth))} if batches > 1 else {}
  n = op.index
  if len(pairs) == 1:
    # Every parameter a constant: the inline kernel folds them into its code.
    (multiplier, shift), = pairs
    params = e.struct("tflm_rt_fc_s8_per_tensor_params", f"op{n}_params", {
        "output_offset": output_offset, "multiplier": multiplier, "shift": shift,
        "activation_min": low, "activation_max": high, **dsp,
        "narrow": narrow(e, op, units)})
    kernel = "tflm_rt_fully_connected_s8_per_tensor"
  else:
    e.constants.append(
        f"static const int32_t op{n}_multipliers[{len(pairs)}] = "
        f"{c_syntax.c_values(np.array([p[0] for p in pairs]))};\n"
        f"static const int32_t op{n}_shifts[{len(pairs)}] = "
        f"{c_syntax.c_values(np.array([p[1] for p in pairs]))};\n")
    params = e.struct("tflm_rt_fc_s8_params", f"op{n}_params", {
        "output_offset": output_offset, "multipliers": f"op{n}_multipliers",
        "shifts": f"op{n}_shifts", "activation_min": low, "activation_max": high, **dsp})
    kernel = "tflm_rt_fully_connected_s8"
  e.call(op, " " + activation, kernel, params, str(batches), str(depth), str(units),
         e.arena(x.index), e.constant(w.index), bias, e.arena(y.index))


@register("FULLY_CONNECTED", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's reference_ops::FullyConnected for float."""
  x, w, y = (e.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  bias = bias_index(op)
  e.same_types(op, [x.index, w.index, y.index, bias if bias is not None else -1], "float32")
  batches, depth, units = _dims(e, op)
  activation = e.activation(op)
  low, high = quantization.activation_range_f32(activation)
  e.call(op, " " + activation, "tflm_rt_fully_connected_f32", c_syntax.c_float(low),
         c_syntax.c_float(high), str(batches), str(depth), str(units), e.arena(x.index),
         e.constant(w.index), e.constant(bias) if bias is not None else "NULL", e.arena(y.index))
