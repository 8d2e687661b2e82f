"""The graph walk and memory plan of a compiled model.

Lifetimes come from the operator order (tools/memory_planner.py); the
margins by which each kernel's output may overlap a dying input come from
overlap.py; memory_planner places the tensors in one arena that keeps them.
"""

from tools import memory_planner
from tools import tflite_reader
from tools.aot import overlap


def plan(graph: tflite_reader.Subgraph) -> memory_planner.Plan:
  """The arena offsets of the graph's activations, outputs overlapping dying inputs."""
  return memory_planner.plan(
      graph, margins=overlap.margins(graph, memory_planner.lifetimes(graph)))
