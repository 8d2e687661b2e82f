"""CONV_2D fused with the ADD after it: a residual block's convolution run in slices.

In a residual block x -> ... -> h -> CONV_2D -> o, ADD(o, x) -> y, the skip x
lives until the ADD, so at the convolution h, x and o are all live (o less
the margin by which overlap.py lets it overlap h: about an output row). When
the ADD comes right after the convolution, is o's only reader and x's last,
the compiler computes o a slice of output pixels at a time into a buffer of
a slice's bytes, and adds each slice to the same pixels of x, the sum written
over them: those pixels of x are read by that slice's ADD alone, and the
convolution never reads x. So o never exists whole, and y takes x's memory:
the pair needs h + x + one slice.

Each slice is an ordinary call of the convolution (then of the ADD) with the
same parameters, so the bytes are those of the two ops unfused, bit for bit.
A slice is whole output rows, or part of one row, of at most SLICE_BYTES
(MLPerf Tiny's ResNet-8: half a row of 32 x 16, 256 bytes, which brings its
peak from 33312 to 33024 bytes), so that the calls' overhead stays small.
The kernels locate a slice by the padding before it: pad_height and
pad_width less the slice's first row and column times the stride, negative
once past the padding. runtime/'s convolutions (portable, DSP and MVE) take
the taps inside the input from pad_* and the input's extent alone, which is
that of the whole input, so they read the same bytes as for the whole op.

plan.py fuses a pair only where that shrinks the arena.
"""

import dataclasses

from tools import tflite_reader

SLICE_BYTES = 256


@dataclasses.dataclass(frozen=True)
class Fusion:
  """A CONV_2D and the ADD after it; the ADD's other input (the skip, which the sum
  overwrites) and the output pixels of one slice: whole rows, or columns of one row."""
  conv: tflite_reader.Operator
  add: tflite_reader.Operator
  skip: int
  rows: int
  columns: int
  channels: int

  @property
  def output(self) -> int:
    """The convolution's output: planned as the buffer of one slice."""
    return self.conv.outputs[0]

  @property
  def slice_bytes(self) -> int:
    return self.rows * self.columns * self.channels


def slice_of(height: int, width: int, channels: int) -> tuple[int, int]:
  """(rows, columns) of the largest slice of at most SLICE_BYTES (one pixel at least)
  that divides the output evenly: whole rows if one row fits, else part of a row."""
  row = width * channels
  if row <= SLICE_BYTES:
    return max(r for r in range(1, height + 1) if height % r == 0 and r * row <= SLICE_BYTES), width
  return 1, max(c for c in range(1, width + 1) if width % c == 0 and (c * channels <= SLICE_BYTES or c == 1))


def _convolution(graph: tflite_reader.Subgraph, op: tflite_reader.Operator) -> bool:
  """An int8 CONV_2D of one batch that tflm_rt_conv_s8 runs (a 1x1 filter goes to the
  pointwise kernel, which takes no padding)."""
  if op.opcode != "CONV_2D" or len(op.inputs) < 2 or len(op.outputs) != 1:
    return False
  x, w, y = (graph.tensors[i] for i in (op.inputs[0], op.inputs[1], op.outputs[0]))
  return (x.dtype == w.dtype == y.dtype == "int8" and len(x.shape) == len(w.shape) == 4 and
          len(y.shape) == 4 and y.shape[0] == 1 and w.shape[1] * w.shape[2] > 1)


def _skip(graph: tflite_reader.Subgraph, conv: tflite_reader.Operator, add: tflite_reader.Operator,
          life: dict[int, tuple[int, int]], step: int) -> int | None:
  """The ADD's other input, if the pair fuses: the ADD reads the convolution's output,
  its only reader, and a skip of the same shape that dies with it, no output of the graph."""
  o = conv.outputs[0]
  if add.opcode != "ADD" or len(add.inputs) != 2 or o not in add.inputs or len(add.outputs) != 1:
    return None
  (skip,) = [i for i in add.inputs if i != o] or [None]
  y = graph.tensors[add.outputs[0]]
  if skip is None or skip not in life or skip in conv.inputs:
    return None
  shapes = {graph.tensors[i].shape for i in (o, skip, y.index)}
  dtypes = {graph.tensors[i].dtype for i in (o, skip, y.index)}
  if shapes != {y.shape} or dtypes != {"int8"}:
    return None
  outputs = set(graph.outputs)
  if life.get(o) != (step, step + 1) or life[skip][1] != step + 1 or outputs & {o, skip}:
    return None
  return skip


def candidates(graph: tflite_reader.Subgraph, life: dict[int, tuple[int, int]]) -> list[Fusion]:
  """Every CONV_2D and ADD right after it that fuse."""
  found = []
  for step, (conv, add) in enumerate(zip(graph.operators, graph.operators[1:])):
    if not _convolution(graph, conv):
      continue
    skip = _skip(graph, conv, add, life, step)
    if skip is not None:
      _, height, width, channels = graph.tensors[conv.outputs[0]].shape
      found.append(Fusion(conv, add, skip, *slice_of(height, width, channels), channels))
  return found


def planning(fusions, margins: dict[tuple[int, int], int]
             ) -> tuple[dict[int, int], dict[int, int], dict[tuple[int, int], int]]:
  """What memory_planner.plan takes for the fusions: the sums in their skips' memory, the
  slices' bytes, and the margins less those of the fused ops (the slice buffer overlaps
  nothing; the sum overwrites its skip exactly)."""
  shared = {f.add.outputs[0]: f.skip for f in fusions}
  sizes = {f.output: f.slice_bytes for f in fusions}
  dropped = {(f.output, f.conv.inputs[0]) for f in fusions}
  dropped |= {(f.add.outputs[0], i) for f in fusions for i in f.add.inputs}
  kept = {pair: m for pair, m in margins.items() if pair not in dropped}
  return shared, sizes, kept
