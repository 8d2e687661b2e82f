"""Tests of tools/overlap.py: margins worked out by hand, and plans that keep them.

The differential test (differential_test.py) runs every kernel with its
output overlapping its input as these margins allow, against TFLM.
"""

import dataclasses
import pathlib

from tools import memory_planner
from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import overlap
from tools.aot import plan

TESTDATA = pathlib.Path(__file__).absolute().parents[2] / "tests" / "testdata"


def _graph(name: str) -> tflite_reader.Subgraph:
  return tflite_reader.read_model_file(str(TESTDATA / f"{name}.tflite")).main


def test_micro_speech_depthwise_margin_by_hand():
  # DEPTHWISE_CONV_2D 10x8, stride 2, SAME: 49x40x1 -> 25x20x8, padding 4 rows and 3 columns
  # before. By the end of output pixel (oy, 19), 160 * oy + 160 bytes are written while the
  # window from input row 2 * oy - 4, column 35 is still read: 80 * oy + 285, largest at oy = 24.
  graph = _graph("micro_speech_quantized")
  margins = overlap.margins(graph, memory_planner.lifetimes(graph))
  (step,) = [op for op in graph.operators if op.opcode == "DEPTHWISE_CONV_2D"]
  assert margins[step.outputs[0], step.inputs[0]] == 80 * 24 + 285


def test_pointwise_margin_counts_two_pixels_a_step():
  # 1x1 CONV_2D, int8, 1x1x4x2 -> 1x1x4x4: pixels p and p + 1 are computed together, so
  # at step k the input from pixel 2k on (byte 4k) is still read while the output up
  # to pixel 2k + 2 (byte 8k + 8) is written: 12 at k = 1 (10 a pixel at a time).
  graph = _graph("person_detect")
  conv = next(op for op in graph.operators if op.opcode == "CONV_2D")
  x = dataclasses.replace(graph.tensors[conv.inputs[0]], shape=(1, 1, 4, 2))
  y = dataclasses.replace(graph.tensors[conv.outputs[0]], shape=(1, 1, 4, 4))
  w = dataclasses.replace(graph.tensors[conv.inputs[1]], shape=(4, 1, 1, 2))
  tensors = list(graph.tensors)
  tensors[conv.inputs[1]] = w
  assert graph.tensors[conv.inputs[1]].shape[1:3] == (1, 1) and x.dtype == "int8"
  assert overlap._windowed(conv, x, y, tensors) == 12


def test_elementwise_margins():
  assert overlap._elementwise(10, 1, 1) == 0  # int8 to int8: the same offset
  assert overlap._elementwise(10, 1, 4) == 27  # int8 to float32 outgrows its input
  assert overlap._elementwise(10, 4, 1) == -3  # float32 to int8 may start 3 bytes later


def test_plans_keep_every_margin_and_shrink_the_arena():
  for name, before, after in (("micro_speech_quantized", 5968, 4176),
                              ("person_detect", 55296, 36896),
                              ("simple_add_model", 49152, 32768)):
    graph = _graph(name)
    life = memory_planner.lifetimes(graph)
    margins = overlap.margins(graph, life)
    plan = memory_planner.plan(graph, margins=margins)
    assert (memory_planner.plan(graph).arena_bytes, plan.arena_bytes) == (before, after)
    sizes = {t: graph.tensors[t].num_bytes for t in life}
    for a in life:
      for b in life:
        if a >= b or not (life[a][0] <= life[b][1] and life[b][0] <= life[a][1]):
          continue
        (oa, ob) = plan.offsets[a], plan.offsets[b]
        if oa + sizes[a] <= ob or ob + sizes[b] <= oa:
          continue  # apart
        pair = (a, b) if (a, b) in margins else (b, a)
        assert pair in margins, (name, a, b)
        output, dying = pair
        assert plan.offsets[dying] - plan.offsets[output] >= margins[pair], (name, pair)


def test_split_and_pack_share_no_bytes_between_their_tensors():
  # SPLIT, SPLIT_V and UNPACK write several outputs from one input, PACK one from several:
  # no margins, so each tensor of the op has bytes of its own, an output nothing reads too.
  for kernel in ("SPLIT", "SPLIT_V", "UNPACK", "PACK"):
    graph = tflite_reader.read_model(case_model.build_model(cases.drawn(kernel)), kernel).main
    graph = dataclasses.replace(graph, outputs=graph.outputs[:1])
    assert not overlap.margins(graph, memory_planner.lifetimes(graph))
    offsets, (op,) = plan.plan(graph).offsets, graph.operators
    activations = {i for i in (*op.inputs, *op.outputs) if graph.tensors[i].buffer is None}
    spans = sorted((offsets[i], offsets[i] + graph.tensors[i].num_bytes) for i in activations)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:]))
