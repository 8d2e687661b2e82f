"""Plans where each activation tensor of a model lives in one static arena.

Lifetimes come from the operator order: a tensor is live from the operator
that writes it (or the start, for a model input) to the last operator that
reads it (or the end, for a model output). Tensors whose lifetimes overlap
must not overlap in memory. The plan tries a few greedy orders (largest
first, earliest first, longest-lived first, latest first), places each
tensor at the lowest aligned offset that fits, and keeps the smallest arena.

The lower bound of any plan is the largest sum of sizes of tensors live at
the same time; `Plan.lower_bound` reports it, to judge the plan against.

With `in_place=True`, the output of an elementwise op (or a reshape) shares
the memory of an input of the same size that no later op reads: the kernels
of these ops (TFLM's and ours) write element i after reading element i, so
the input may be overwritten as the output is written. A model input can be
overwritten this way, so after an inference it no longer holds the input.

`margins` generalizes this for kernels that write their output in order while
reading an input in the same order (tools/aot/overlap.py computes them for
rules_tflm's own kernels): for an op's output y and an input x that dies with
the op, margins[(y, x)] = m lets the two overlap as long as
offset(x) - offset(y) >= m, so the output never overtakes the input still to
be read.

`shared` and `sizes` serve fused ops (tools/aot/fusion.py): `shared[t] = u`
puts tensor t in u's memory (a kernel that writes t over u as it reads it),
and `sizes[t]` plans t with fewer bytes than its shape holds (an output the
fused kernel keeps only a slice of at a time). Margins then apply between
the groups of tensors sharing memory.
"""

import dataclasses

from tools import tflite_reader

ALIGNMENT = 16

# Ops whose output element i depends only on input element i (with equal
# shapes), so the output may overwrite an input that dies with the op.
IN_PLACE_OPS = frozenset({"ADD", "SUB", "MUL", "RELU", "RELU6", "LEAKY_RELU", "LOGISTIC", "TANH",
                          "RESHAPE", "SQUEEZE"})


@dataclasses.dataclass(frozen=True)
class Plan:
  """Arena offsets of the planned tensors, the arena's size and the lower bound; the
  bytes planned for the tensors given fewer than they hold (`sizes` of plan)."""
  offsets: dict[int, int]
  arena_bytes: int
  lower_bound: int
  sizes: dict[int, int] = dataclasses.field(default_factory=dict)


def _align(n: int) -> int:
  return -(-n // ALIGNMENT) * ALIGNMENT


def lifetimes(graph: tflite_reader.Subgraph) -> dict[int, tuple[int, int]]:
  """(first, last) operator step of each non-constant, non-variable tensor the graph uses."""
  end = len(graph.operators)
  life: dict[int, list[int]] = {}

  def touch(index: int, step: int) -> None:
    tensor = graph.tensors[index]
    if tensor.buffer is not None or tensor.is_variable:
      return
    span = life.setdefault(index, [step, step])
    span[0], span[1] = min(span[0], step), max(span[1], step)

  for index in graph.inputs:
    touch(index, 0)
  for step, op in enumerate(graph.operators):
    for index in op.inputs + op.outputs:
      if index >= 0:
        touch(index, step)
  for index in graph.outputs:
    touch(index, end)
  return {index: (first, last) for index, (first, last) in life.items()}


def lower_bound(sizes: dict[int, int], life: dict[int, tuple[int, int]]) -> int:
  """The largest total size of the tensors live at one step."""
  steps = {step for span in life.values() for step in span}
  return max((sum(sizes[t] for t, (first, last) in life.items() if first <= step <= last)
              for step in steps), default=0)


def _forbidden(tensor: int, offset_of: int, other: int, sizes: dict[int, int],
               margins: dict[tuple[int, int], int]) -> tuple[int, int]:
  """The open interval of offsets of `tensor` that clash with `other` placed at `offset_of`."""
  size, other_size = sizes[tensor], sizes[other]
  if (tensor, other) in margins:  # tensor is the output, other a dying input
    return offset_of - min(margins[tensor, other], size), offset_of + other_size
  if (other, tensor) in margins:  # tensor is the dying input, other the output
    return offset_of - size, offset_of + min(margins[other, tensor], other_size)
  return offset_of - size, offset_of + other_size


def _place(order: list[int], sizes: dict[int, int], life: dict[int, tuple[int, int]],
           margins: dict[tuple[int, int], int]) -> dict[int, int]:
  offsets: dict[int, int] = {}
  for tensor in order:
    first, last = life[tensor]
    forbidden = sorted(_forbidden(tensor, offsets[other], other, sizes, margins)
                       for other in offsets if life[other][0] <= last and first <= life[other][1])
    offset = 0
    moved = True
    while moved:  # the lowest aligned offset in no forbidden interval
      moved = False
      for low, high in forbidden:
        if low < offset < high:
          offset, moved = _align(high), True
    offsets[tensor] = offset
  return offsets


def in_place_groups(graph: tflite_reader.Subgraph,
                    life: dict[int, tuple[int, int]]) -> dict[int, int]:
  """For each tensor, the tensor whose memory it shares (itself if none)."""
  owner = {t: t for t in life}
  for step, op in enumerate(graph.operators):
    if op.opcode not in IN_PLACE_OPS or len(op.outputs) != 1 or op.outputs[0] not in life:
      continue
    out = graph.tensors[op.outputs[0]]
    shapes = {graph.tensors[i].shape for i in op.inputs if i >= 0 and i in life}
    if op.opcode not in ("RESHAPE", "SQUEEZE") and shapes != {out.shape}:
      continue  # broadcasting: output elements read several input elements
    for index in op.inputs[:1] if op.opcode in ("RESHAPE", "SQUEEZE") else op.inputs:
      if (index in life and life[index][1] == step and index not in graph.outputs and
          graph.tensors[index].num_bytes == out.num_bytes):
        owner[out.index] = owner[index]
        break
  return owner


def plan(graph: tflite_reader.Subgraph, in_place: bool = False,
         margins: dict[tuple[int, int], int] | None = None,
         shared: dict[int, int] | None = None, sizes: dict[int, int] | None = None) -> Plan:
  """The smallest of the greedy plans for the graph's activation tensors.

  `in_place` shares whole tensors (see in_place_groups); `margins` lets an
  output overlap a dying input (see the module's docstring). Use one or the other.
  `shared` and `sizes` are the fused ops' (see the module's docstring).
  """
  tensor_life = lifetimes(graph)
  owner = in_place_groups(graph, tensor_life) if in_place else {t: t for t in tensor_life}
  for tensor, other in (shared or {}).items():
    while other in (shared or {}):  # a chain: a fused sum over the sum of another
      other = shared[other]
    owner[tensor] = owner[other]
  # A group (a tensor and those sharing its memory) lives from its first
  # member's birth to its last member's death.
  life: dict[int, tuple[int, int]] = {}
  for tensor, group in owner.items():
    first, last = life.get(group, tensor_life[tensor])
    life[group] = (min(first, tensor_life[tensor][0]), max(last, tensor_life[tensor][1]))
  group_sizes: dict[int, int] = {}
  for tensor, group in owner.items():
    size = _align((sizes or {}).get(tensor, graph.tensors[tensor].num_bytes))
    group_sizes[group] = max(group_sizes.get(group, 0), size)
  group_margins = {(owner[y], owner[x]): m for (y, x), m in (margins or {}).items()
                   if owner[y] != owner[x]}
  orders = [
      sorted(life, key=lambda t: (-group_sizes[t], life[t][0], t)),
      sorted(life, key=lambda t: (life[t][0], -group_sizes[t], t)),
      sorted(life, key=lambda t: (-(life[t][1] - life[t][0]), -group_sizes[t], t)),
      # Latest first: with margins, each output then sits below the input it overlaps.
      sorted(life, key=lambda t: (-life[t][0], -group_sizes[t], t)),
  ]
  best = None
  for order in orders:
    offsets = _place(order, group_sizes, life, group_margins)
    arena = max((offsets[t] + group_sizes[t] for t in offsets), default=0)
    if best is None or arena < best.arena_bytes:
      best = Plan(offsets={t: offsets[owner[t]] for t in owner}, arena_bytes=arena,
                  lower_bound=lower_bound(group_sizes, life), sizes=dict(sizes or {}))
  return best


def largest_first(graph: tflite_reader.Subgraph) -> Plan:
  """The plan of the largest-first order alone, no tensor sharing memory: how TFLM's
  GreedyMemoryPlanner places the activations when the model has no offline plan."""
  life = lifetimes(graph)
  sizes = {t: _align(graph.tensors[t].num_bytes) for t in life}
  offsets = _place(sorted(life, key=lambda t: (-sizes[t], life[t][0], t)), sizes, life, {})
  return Plan(offsets=offsets, arena_bytes=max((offsets[t] + sizes[t] for t in offsets), default=0),
              lower_bound=lower_bound(sizes, life))
