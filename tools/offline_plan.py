"""Writes a copy of a .tflite that carries our memory plan for TFLM to use.

TFLM reads an offline memory plan from the model's `OfflineMemoryAllocation`
metadata: int32 values [version 0, subgraph count 1, tensor count, then one
arena offset per tensor of the main subgraph, -1 for the tensors TFLM should
place itself]. tools/memory_planner.py gives the offsets of the activation
tensors; constants and variables stay with TFLM.
"""

import pathlib

import numpy as np

from tools import common
from tools import model_check
from tools import memory_planner
from tools import tflite_reader

METADATA_NAME = b"OfflineMemoryAllocation"


def plan_values(graph: tflite_reader.Subgraph, plan: memory_planner.Plan) -> list[int]:
  """The metadata's int32 values for `plan`."""
  offsets = [plan.offsets.get(t.index, -1) for t in graph.tensors]
  return [0, 1, len(graph.tensors)] + offsets


def with_offline_plan(data: bytes, values: list[int]) -> bytes:
  """`data` (a .tflite) with the OfflineMemoryAllocation metadata set to `values`."""
  import flatbuffers
  schema = common.require_module("tflite_micro.tensorflow.lite.micro.python.schema_py_generated",
                                 "write .tflite files")
  model = schema.ModelT.InitFromObj(schema.Model.GetRootAs(data, 0))
  buffer = schema.BufferT()
  buffer.data = np.array(values, dtype="<i4").view(np.uint8)
  metadata = [m for m in (model.metadata or []) if m.name != METADATA_NAME]
  entry = schema.MetadataT()
  entry.name, entry.buffer = METADATA_NAME, len(model.buffers)
  model.buffers.append(buffer)
  model.metadata = metadata + [entry]
  builder = flatbuffers.Builder(len(data) + 1024)
  builder.Finish(model.Pack(builder), file_identifier=tflite_reader.FILE_IDENTIFIER)
  return bytes(builder.Output())


def write_planned(model: str, output: pathlib.Path, in_place: bool = True) -> str:
  """Writes the planned copy of the model at `model` to `output`; a line that sums the plan up.

  `in_place` lets elementwise ops overwrite an input that dies with them
  (model inputs included); see memory_planner. On any error, no output is
  left behind.
  """
  with common.Outputs(output) as outputs:
    data = common.read_input(model, ".tflite model")
    graph = model_check.read_model(data, model).main
    plan = memory_planner.plan(graph, in_place=in_place)
    outputs.write(output, with_offline_plan(data, plan_values(graph, plan)))
  return (f"{model}: planned {len(plan.offsets)} tensors in {plan.arena_bytes} bytes "
          f"(lower bound {plan.lower_bound})")


if __name__ == "__main__":
  common.exit_as_library("offline_plan")
