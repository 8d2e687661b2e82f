"""The graph walk and memory plan of a compiled model.

Lifetimes come from the operator order (tools/memory_planner.py); the
margins by which each kernel's output may overlap a dying input come from
overlap.py; the CONV_2D and ADD pairs run in slices come from fusion.py;
memory_planner places the tensors in one arena that keeps them.
"""

from tools import memory_planner
from tools import tflite_reader
from tools.aot import fusion
from tools.aot import overlap


def plan(graph: tflite_reader.Subgraph, fusions=()) -> memory_planner.Plan:
  """The arena offsets of the graph's activations, outputs overlapping dying inputs, and
  the `fusions` (fusion.Fusion) run in slices."""
  margins = overlap.margins(graph, memory_planner.lifetimes(graph))
  shared, sizes, margins = fusion.planning(fusions, margins)
  return memory_planner.plan(graph, margins=margins, shared=shared, sizes=sizes)


def fused_plan(graph: tflite_reader.Subgraph
               ) -> tuple[memory_planner.Plan, tuple[fusion.Fusion, ...]]:
  """The plan, and the fusions it runs: each candidate in op order that shrinks the arena
  (a slice costs calls, so one that saves nothing is left unfused)."""
  best, kept = plan(graph), ()
  for candidate in fusion.candidates(graph, memory_planner.lifetimes(graph)):
    trial = plan(graph, kept + (candidate,))
    if trial.arena_bytes < best.arena_bytes:
      best, kept = trial, kept + (candidate,)
  return best, kept
