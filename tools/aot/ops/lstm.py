"""UNIDIRECTIONAL_SEQUENCE_LSTM: float32, as TFLM's EvalLstm<float>.

The op's 24 inputs are TFLM's (lstm_shared.h): the input, the input and
recurrent weights of the input, forget, cell and output gates, the peepholes,
the gates' biases, the projection, the hidden and cell states (variable
tensors: the generated code keeps them in static storage, Emitter.variable)
and the layer norm coefficients. TFLM's kernel computes neither peepholes,
projection nor layer normalization, and needs every gate's weights.
"""

from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot.registry import register

INPUT_WEIGHTS = (1, 2, 3, 4)       # input to input, forget, cell and output gates
RECURRENT_WEIGHTS = (5, 6, 7, 8)   # hidden state to the same gates
PEEPHOLES = (9, 10, 11)
BIASES = (12, 13, 14, 15)
PROJECTION = (16, 17)
HIDDEN_STATE, CELL_STATE = 18, 19
LAYER_NORMS = (20, 21, 22, 23)
INPUTS = 24
_CELL_ACTIVATIONS = {"TANH": 1, "SIGMOID": 0}


def _present(op: tflite_reader.Operator, positions) -> list[int]:
  return [p for p in positions if op.inputs[p] >= 0]


@register("UNIDIRECTIONAL_SEQUENCE_LSTM", types=("float32",))
def emit_f32(e: emitter.Emitter, op: tflite_reader.Operator) -> None:
  """As TFLM's UnidirectionalSequenceLstmEval for a float32 input."""
  extras = _present(op, PEEPHOLES + PROJECTION + LAYER_NORMS)
  if extras:
    raise e.error(op, f"it has inputs {extras} (peepholes, projection or layer norm)",
                  "TFLM's kernel computes none of them, so neither does the compiler: "
                  "convert the LSTM without them")
  missing = [p for p in INPUT_WEIGHTS + RECURRENT_WEIGHTS if op.inputs[p] < 0]
  if missing:
    raise e.error(op, f"gate weights {missing} are left out (-1)",
                  "TFLM's kernel needs every gate's weights (no CIFG): convert the LSTM "
                  "with an input gate")
  x, y = e.tensors[op.inputs[0]], e.tensors[op.outputs[0]]
  used = [i for i in op.inputs if i >= 0] + [y.index]
  e.same_types(op, used, "float32")
  e.static_shapes(op, used)
  activation = op.options.get("fused_activation_function", "TANH")
  if activation not in _CELL_ACTIVATIONS:
    raise e.error(op, f"its cell activation is {activation}",
                  "TFLM's kernel supports TANH and SIGMOID there")
  time_major = bool(op.options.get("time_major", False))
  if len(x.shape) != 3:
    raise e.error(op, f"its input has shape {list(x.shape)}",
                  "TFLM's kernel takes a 3-D input: [batch, time, features] or time-major")
  steps, batches = (x.shape[0], x.shape[1]) if time_major else (x.shape[1], x.shape[0])
  features = x.shape[2]
  state = e.tensors[op.inputs[HIDDEN_STATE]]
  cell = e.tensors[op.inputs[CELL_STATE]]
  units = state.shape[-1]
  expect = {op.inputs[p]: (units, features) for p in INPUT_WEIGHTS}
  expect |= {op.inputs[p]: (units, units) for p in RECURRENT_WEIGHTS}
  expect |= {op.inputs[p]: (units,) for p in _present(op, BIASES)}
  expect |= {state.index: (batches, units), cell.index: (batches, units), y.index: (
      (steps, batches, units) if time_major else (batches, steps, units))}
  for index, shape in expect.items():
    if tuple(e.tensors[index].shape) != shape:
      raise e.error(op, f"tensor {index} has shape {list(e.tensors[index].shape)}, not "
                    f"{list(shape)}", "TFLM's kernel would refuse it too: convert the model again")
  clip = float(op.options.get("cell_clip", 0.0))
  weights = lambda positions: "{" + ", ".join(e.constant(op.inputs[p]) for p in positions) + "}"
  biases = "{" + ", ".join(e.constant(op.inputs[p]) if op.inputs[p] >= 0 else "NULL"
                           for p in BIASES) + "}"
  params = e.struct("tflm_rt_lstm_f32_params", f"op{op.index}_params", {
      "batches": batches, "time_steps": steps, "input_size": features, "state_size": units,
      "time_major": int(time_major), "cell_tanh": _CELL_ACTIVATIONS[activation],
      "cell_clip": c_syntax.c_float(clip), "input_weights": weights(INPUT_WEIGHTS),
      "recurrent_weights": weights(RECURRENT_WEIGHTS), "biases": biases})
  gates = e.buffer(f"op{op.index}_gates", "float", 4 * units)
  e.call(op, f" {steps} steps", "tflm_rt_lstm_f32", params, e.arena(x.index),
         e.variable(state.index), e.variable(cell.index), gates, e.arena(y.index))
