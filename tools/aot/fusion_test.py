"""Tests of tools/aot/fusion.py and plan.fused_plan: which CONV_2D and ADD pairs fuse, the
slices, and plans that keep the fused pair's tensors apart.

The differential test's CONV_2D_ADD cases (cases_int8.residual_case) run the fused pairs
against TFLM, bit for bit, on the host and on the cores.
"""

import dataclasses
import pathlib
import random

import pytest

from tools import memory_planner
from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases_int8
from tools.aot import fusion
from tools.aot import plan

TESTDATA = pathlib.Path(__file__).absolute().parents[2] / "tests" / "testdata"


def _resnet() -> tflite_reader.Subgraph:
  return tflite_reader.read_model_file(
      str(TESTDATA / "mlperf_tiny" / "pretrainedResnet_quant.tflite")).main


@pytest.mark.parametrize("output, expected", [
    ((32, 32, 16), (1, 16)),  # ResNet-8's first block: half a row of 512 bytes
    ((8, 8, 64), (1, 4)),
    ((4, 5, 13), (2, 5)),  # 65-byte rows: two of the four (three would not divide them)
    ((3, 7, 300), (1, 1)),  # a pixel larger than a slice: one pixel
    ((2, 2, 3), (2, 2)),  # all of it
])
def test_slices_divide_the_output(output, expected):
  assert fusion.slice_of(*output) == expected


def test_resnet_fuses_its_first_block():
  # x (t22) -> CONV_2D -> h (t23) -> CONV_2D (op 2) -> o (t24), ADD (op 3) of o and x:
  # x, h and a slice live together, 2 * 16384 + 256 bytes, where o and h overlapped
  # by a row and a pixel (544 bytes) unfused. The other ADDs follow 1x1 convolutions.
  graph = _resnet()
  unfused = plan.plan(graph)
  fused, fusions = plan.fused_plan(graph)
  assert [(f.conv.index, f.add.index, f.skip, f.rows, f.columns) for f in fusions] == [
      (2, 3, 22, 1, 16)]
  assert (unfused.arena_bytes, fused.arena_bytes) == (33312, 2 * 16384 + 256)
  assert fused.sizes == {24: 256}
  assert fused.offsets[25] == fused.offsets[22]  # the sum over the skip


def test_fused_plans_keep_live_tensors_apart():
  graph = _resnet()
  fused, fusions = plan.fused_plan(graph)
  life = memory_planner.lifetimes(graph)
  shared = {f.add.outputs[0]: f.skip for f in fusions}
  margins = fusion.planning(fusions, plan.overlap.margins(graph, life))[2]
  # Margins in bytes between an output and the input it may overlap.
  allowed = {(min(a, b), max(a, b)) for a, b in margins}

  def span(t):
    return fused.offsets[t], fused.offsets[t] + fused.sizes.get(t, graph.tensors[t].num_bytes)

  for a in fused.offsets:
    for b in fused.offsets:
      together = life[a][0] <= life[b][1] and life[b][0] <= life[a][1]
      if a < b and together and (a, b) not in allowed and shared.get(b) != a:
        (a0, a1), (b0, b1) = span(a), span(b)
        assert a1 <= b0 or b1 <= a0, (a, b)


def _residual(rng: random.Random, **changes) -> tflite_reader.Subgraph:
  """A CONV_2D_ADD case of the differential test, its ADD's inputs changed."""
  case = cases_int8.residual_case(rng)
  if changes:
    name, inputs, outputs, options, options_type = case.more_ops[0]
    case = dataclasses.replace(case, more_ops=[(name, changes.get("inputs", inputs), outputs,
                                                options, options_type)])
  return tflite_reader.read_model(case_model.build_model(case), "m").main


def test_a_residual_case_fuses():
  graph = _residual(random.Random("CONV_2D_ADD-0"))
  (candidate,) = fusion.candidates(graph, memory_planner.lifetimes(graph))
  assert (candidate.conv.index, candidate.add.index, candidate.skip) == (0, 1, 4)


def test_no_fusion_where_the_skip_is_the_convolution_input():
  # ADD(conv(x), x): the slices' sums would overwrite rows the convolution still reads.
  graph = _residual(random.Random("CONV_2D_ADD-0"), inputs=[3, 0])
  assert not fusion.candidates(graph, memory_planner.lifetimes(graph))


def test_no_fusion_of_a_pointwise_convolution():
  rng = random.Random(0)
  for _ in range(50):
    graph = _residual(rng)
    w = graph.tensors[graph.operators[0].inputs[1]]
    if w.shape[1] == w.shape[2] == 1:
      assert not fusion.candidates(graph, memory_planner.lifetimes(graph))
      return
  pytest.fail("no 1x1 filter drawn")

