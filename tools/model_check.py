"""The checks every tool runs on a model before it uses it: does the graph add up?

A .tflite file that parses as a FlatBuffer may still describe a graph that
does not hold together: an operator naming a tensor that does not exist, a
constant whose buffer is shorter than its shape, a scale of 0 or NaN, a zero
point outside its type. `check_model` finds these (every one, not just the
first) and raises one ToolError listing them, each in the format of
tools/aot/errors.py where an operator is at fault:

    m.tflite: operator 3 (CONV_2D): input 1 is tensor 99, but the subgraph has 40; ...
    m.tflite: tensor 7 "conv/weights": its buffer holds 96 bytes, its shape [8, 3, 3, 3] ...

`read_model_file` reads and checks, for the tools to call instead of
tflite_reader's. What one kernel of the AOT compiler needs on top
(input counts, ranks, broadcasting) is tools/aot/validate.py's job.
"""

import math

from tools import c_text
from tools import common
from tools import tflite_reader
from tools.aot import errors

# The most dimensions a tensor may have, and the most bytes (int32 sizes in C).
MAX_RANK = 16
MAX_TENSOR_BYTES = (1 << 31) - 1

# The range of a zero point of each quantized type.
ZERO_POINT_RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767),
                     "int4": (-8, 7)}

# Types whose constant buffers are not shape x element size.
_UNSIZED = frozenset({"string", "resource", "variant", "int4"})
_MAX_PROBLEMS = 20


def _tensor_problems(t: tflite_reader.Tensor) -> list[str]:
  """What is wrong with one tensor on its own, each as 'problem; fix'."""
  rank = len(t.shape)
  if rank > MAX_RANK:
    return [f"it has {rank} dimensions; rules_tflm reads tensors of at most {MAX_RANK}"]
  if any(d < -1 for d in t.shape):
    return [f"its shape {list(t.shape)} has a negative dimension; a dimension is a size, "
            "or -1 for unknown: write the model again with the TFLite converter"]
  elements = math.prod(max(d, 1) for d in t.shape)
  if elements * max(t.element_size, 1) > MAX_TENSOR_BYTES:
    return [f"its shape {list(t.shape)} holds {elements} elements, more than 2 GiB; "
            "check the shape (the file is inconsistent)"]
  problems = []
  if t.buffer is not None and t.dtype not in _UNSIZED and t.element_size:
    if any(d < 0 for d in t.shape):
      problems.append(f"it is a constant of unknown shape {list(t.shape)}; a constant needs a "
                      "static shape: write the model again with the TFLite converter")
    elif len(t.buffer) != elements * t.element_size:
      problems.append(f"its buffer holds {len(t.buffer)} bytes, but its shape {list(t.shape)} of "
                      f"{t.dtype} needs {elements * t.element_size}; the file is inconsistent: "
                      "write it again with the TFLite converter")
  q = t.quantization
  if q is None:
    return problems
  bad = [s for s in q.scales if not math.isfinite(s) or s <= 0]
  if bad:
    problems.append(f"its quantization scale {bad[0]!r} is not a finite number above 0; "
                    "requantize the model (the TFLite converter writes positive scales)")
  if len(q.zero_points) != len(q.scales):
    problems.append(f"it has {len(q.scales)} quantization scales but {len(q.zero_points)} zero "
                    "points; give one zero point per scale")
  if len(q.scales) > 1 and q.quantized_dimension < 0 or (
      len(q.scales) > 1 and q.quantized_dimension < rank and
      t.shape[q.quantized_dimension] != len(q.scales)):
    problems.append(f"it has {len(q.scales)} per-channel scales along dimension "
                    f"{q.quantized_dimension} of shape {list(t.shape)}; give one scale per "
                    "channel of that dimension")
  low, high = ZERO_POINT_RANGES.get(t.dtype, (-(1 << 31), (1 << 31) - 1))
  outside = [z for z in q.zero_points if not low <= z <= high]
  if outside:
    problems.append(f"its zero point {outside[0]} lies outside {t.dtype}'s range [{low}, {high}]; "
                    "requantize the model")
  return problems


def subgraph_problems(graph: tflite_reader.Subgraph, label: str) -> list[str]:
  """Every problem of one subgraph, one message each."""
  count = len(graph.tensors)
  problems = [f"{label}: {errors.tensor_name(t)}: {p}" for t in graph.tensors for p in _tensor_problems(t)]
  for what, indices in (("input", graph.inputs), ("output", graph.outputs)):
    for position, index in enumerate(indices):
      if not 0 <= index < count:
        problems.append(f"{label}: the graph's {what} {position} is tensor {index}, but the "
                        f"subgraph has tensors 0 to {count - 1}; the file is inconsistent: write "
                        "it again with the TFLite converter")
  for op in graph.operators:
    for what, indices, lowest in (("input", op.inputs, -1), ("output", op.outputs, 0)):
      for position, index in enumerate(indices):
        if not lowest <= index < count:
          problems.append(str(errors.OpError(
              label, op.index, c_text.comment(op.opcode, 60),
              f"{what} {position} is tensor {index}, but the subgraph has tensors 0 to {count - 1}",
              "the file is inconsistent: write it again with the TFLite converter")))
  return problems


def check_model(model: tflite_reader.Model, label: str) -> None:
  """Raises one ToolError listing every problem of the model (`label` names it)."""
  problems = []
  for s, graph in enumerate(model.subgraphs):
    problems += subgraph_problems(graph, label if s == 0 else f"{label} (subgraph {s})")
  if problems:
    more = len(problems) - _MAX_PROBLEMS
    raise common.ToolError("\n".join(problems[:_MAX_PROBLEMS] +
                                     ([f"... and {more} more"] if more > 0 else [])))


def read_model(data: bytes, path: str, label: str | None = None) -> tflite_reader.Model:
  """Parses and checks a .tflite file's bytes; a ToolError names `label` (or the path)."""
  model = tflite_reader.read_model(data, path)
  check_model(model, label or path)
  return model


def read_model_file(path: str, label: str | None = None) -> tflite_reader.Model:
  """Reads the .tflite file at `path` and checks it; a ToolError names `label` (or the path)."""
  return read_model(common.read_input(path, ".tflite model"), path, label)


if __name__ == "__main__":
  common.exit_as_library("model_check")
