"""Which ops and tensor types the compiler compiles: derived from the emitters.

Each op family's module (tools/aot/ops/) registers its emitters with
`register`, once per type; the compiler looks an operator's emitter up by its
opcode and type, and the errors, the docs' table (op_table.py) and
SUPPORTED-style lists come from here, never from a list kept by hand.

A type is the op's first input and output type, "int8" or "float32", or
"<input> to <output>" where they differ (QUANTIZE "float32 to int8"); ANY
(RESHAPE, SQUEEZE) takes every type.
"""

import dataclasses
from typing import Callable

ANY = "any"

# The types in the order the table and the errors list them.
_TYPE_ORDER = ("int8", "float32")


@dataclasses.dataclass(frozen=True)
class Emitter:
  """One registered emitter: the opcode and type it compiles, and the function."""
  opcode: str
  type: str
  emit: Callable


_EMITTERS: dict[tuple[str, str], Emitter] = {}


def register(*opcodes: str, types: tuple[str, ...]):
  """Registers the decorated function as the emitter of `opcodes` for `types`."""
  def decorate(emit: Callable) -> Callable:
    for opcode in opcodes:
      for type_ in types:
        key = (opcode, type_)
        if key in _EMITTERS:
          raise ValueError(f"two emitters for {opcode} {type_}")
        _EMITTERS[key] = Emitter(opcode, type_, emit)
    return emit
  return decorate


def _emitters() -> dict[tuple[str, str], Emitter]:
  from tools.aot import ops  # registers every family; pylint: disable=import-outside-toplevel,unused-import
  return _EMITTERS


def op_type(input_type: str, output_type: str) -> str:
  """The type under which an op with these first input and output types is registered."""
  return input_type if input_type == output_type else f"{input_type} to {output_type}"


def lookup(opcode: str, type_: str) -> Emitter | None:
  """The emitter of `opcode` for `type_`, or None."""
  emitters = _emitters()
  return emitters.get((opcode, type_)) or emitters.get((opcode, ANY))


def supported_ops() -> tuple[str, ...]:
  """Every opcode with an emitter, sorted."""
  return tuple(sorted({opcode for opcode, _ in _emitters()}))


def _type_rank(type_: str) -> tuple[int, str]:
  """Types by their input type in _TYPE_ORDER ("int8 to bool" with int8), the rest after."""
  first = type_.split(" to ")[0]
  return (_TYPE_ORDER.index(first) if first in _TYPE_ORDER else len(_TYPE_ORDER), type_)


def types_of(opcode: str) -> tuple[str, ...]:
  """The types `opcode` compiles for, int8 first."""
  return tuple(sorted((t for o, t in _emitters() if o == opcode), key=_type_rank))


def table() -> dict[str, tuple[str, ...]]:
  """{opcode: its types} for every supported op, sorted by opcode."""
  return {opcode: types_of(opcode) for opcode in supported_ops()}
