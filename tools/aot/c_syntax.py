"""C syntax for the generated code: literals, arrays and designated initializers.

Every struct the generated code passes to runtime/ is written with designated
initializers (`.output_offset = 3`), so an emitter names each field and does
not depend on the field order of the runtime's headers.
"""

from typing import Mapping, Union

import numpy as np

# The C type of each tensor type (a bool is a byte, 0 or 1, as C++'s bool in TFLM).
C_TYPES = {"int8": "int8_t", "int16": "int16_t", "int32": "int32_t", "float32": "float",
           "uint8": "uint8_t", "bool": "uint8_t"}

# A field's value: C text as it is, an int, a list (an array), or a mapping (a struct).
Value = Union[str, int, list, tuple, Mapping]


def c_float(value) -> str:
  """A C float expression of exactly these bits: infinities and NaNs (sign and
  payload) through GCC's builtins."""
  value = np.float32(value)
  if np.isfinite(value):
    return f"{float(value)!r}f"
  bits = int(np.array(value, dtype=np.float32).view(np.uint32))
  sign = "-" if bits >> 31 else ""
  if np.isinf(value):
    return f"{sign}__builtin_inff()"
  quiet = bits & (1 << 22)
  return f'{sign}__builtin_{"nanf" if quiet else "nansf"}("{hex(bits & ((1 << 22) - 1))}")'


def c_values(values: np.ndarray) -> str:
  """The initializer of a constant array, 16 values a line."""
  if values.dtype.kind == "f":
    text = [c_float(v) for v in values.astype(np.float32).ravel()]
  else:
    text = [str(int(v)) for v in values.ravel()]
  lines = [", ".join(text[i:i + 16]) for i in range(0, len(text), 16)]
  return "{\n  " + ",\n  ".join(lines) + "\n}"


def c_ints(values) -> str:
  """A one-line initializer of an int array: {1, 2, 3}."""
  return "{" + ", ".join(str(int(v)) for v in values) + "}"


def _value(value: Value) -> str:
  if isinstance(value, str):
    return value
  if isinstance(value, Mapping):
    return "{" + ", ".join(f".{name} = {_value(v)}" for name, v in value.items()) + "}"
  if isinstance(value, (list, tuple)):
    return c_ints(value)
  return str(int(value))


def initializer(fields: Mapping[str, Value]) -> str:
  """A designated initializer, one field a line: {\\n  .a = 1,\\n  .b = {1, 2},\\n}."""
  return "{\n" + "".join(f"  .{name} = {_value(value)},\n" for name, value in fields.items()) + "}"


def const_struct(ctype: str, name: str, fields: Mapping[str, Value]) -> str:
  """The definition of a static const struct: `static const ctype name = {...};`."""
  return f"static const {ctype} {name} = {initializer(fields)};\n"
