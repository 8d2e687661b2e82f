"""Tests of tools/memory_planner.py: lifetimes, the lower bound, and plans that never clash."""

import pathlib

import pytest

from tools import memory_planner
from tools import tflite_reader

TESTDATA = pathlib.Path(__file__).absolute().parents[1] / "tests" / "testdata"
MODELS = ["hello_world_int8", "micro_speech_quantized", "simple_add_model"]


def _graph(name: str) -> tflite_reader.Subgraph:
  return tflite_reader.read_model_file(str(TESTDATA / f"{name}.tflite")).main


def test_lifetimes_of_hello_world():
  graph = _graph("hello_world_int8")
  life = memory_planner.lifetimes(graph)
  # Input (step 0), two hidden activations, output (until the end, step 3).
  assert sorted(life.values()) == [(0, 0), (0, 1), (1, 2), (2, 3)]


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("in_place", [False, True])
def test_plans_never_overlap_live_tensors_and_reach_the_lower_bound(name, in_place):
  graph = _graph(name)
  plan = memory_planner.plan(graph, in_place=in_place)
  life = memory_planner.lifetimes(graph)
  owner = memory_planner.in_place_groups(graph, life) if in_place else {t: t for t in life}
  for a in plan.offsets:
    for b in plan.offsets:
      if a < b and owner[a] != owner[b] and life[a][0] <= life[b][1] and life[b][0] <= life[a][1]:
        a_end = plan.offsets[a] + graph.tensors[a].num_bytes
        b_end = plan.offsets[b] + graph.tensors[b].num_bytes
        assert a_end <= plan.offsets[b] or b_end <= plan.offsets[a], (a, b)
    assert plan.offsets[a] % memory_planner.ALIGNMENT == 0
  assert plan.arena_bytes == plan.lower_bound


def test_in_place_add_shares_an_input():
  graph = _graph("simple_add_model")
  assert memory_planner.plan(graph).arena_bytes == 3 * 128 * 128
  plan = memory_planner.plan(graph, in_place=True)
  assert plan.arena_bytes == 2 * 128 * 128
  (output,) = graph.outputs
  assert plan.offsets[output] in (plan.offsets[i] for i in graph.inputs)


def test_shared_and_smaller_tensors():
  # simple_add_model's ADD with its output over its first input, as a fused op declares it,
  # and the second input planned with 16 bytes: 128 * 128 + 16 in all.
  graph = _graph("simple_add_model")
  (op,) = graph.operators
  (output,) = op.outputs
  plan = memory_planner.plan(graph, shared={output: op.inputs[0]}, sizes={op.inputs[1]: 16})
  assert plan.offsets[output] == plan.offsets[op.inputs[0]]
  assert (plan.arena_bytes, plan.lower_bound, plan.sizes) == (128 * 128 + 16, 128 * 128 + 16,
                                                              {op.inputs[1]: 16})
