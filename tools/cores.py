"""The table of Cortex-M cores, read for Python from rules/private/cortex_m_cores.bzl.

The .bzl holds the table as a literal (CORE_TABLE), so Python reads it with
`ast.literal_eval` and the rules, bench/ and docs/cortex_m.md share one
description of every core.

    from tools import cores
    table = cores.read_cores(repo)        # {"cortex-m0": Core(...), ...}
    table["cortex-m4"].machine            # "mps2-an386"
"""

import ast
import dataclasses
import pathlib

from tools import common

CORES_BZL = pathlib.Path("rules/private/cortex_m_cores.bzl")
TABLE_NAME = "CORE_TABLE"


@dataclasses.dataclass(frozen=True)
class Core:
  """One core and its board, with the fields the Starlark structs have (see the .bzl)."""
  name: str
  description: str
  machine: str
  cpu_flags: list[str]
  simd: str
  flash_origin: int
  flash_length: int
  ram_origin: int
  ram_length: int
  stack_size: int
  heap_size: int


def parse_cores(source: str, path: str = str(CORES_BZL)) -> dict[str, Core]:
  """The cores of the .bzl text `source`, in the table's order; `path` names it in errors."""
  fields = {f.name for f in dataclasses.fields(Core)} - {"name"}
  for node in ast.parse(source, path).body:
    if (isinstance(node, ast.Assign) and len(node.targets) == 1 and
        isinstance(node.targets[0], ast.Name) and node.targets[0].id == TABLE_NAME):
      try:
        table = ast.literal_eval(node.value)
      except ValueError:
        raise common.ToolError(f"{path}: {TABLE_NAME} is not a plain literal (line {node.lineno}); "
                               "write numbers and strings, no names, calls or arithmetic.") from None
      result = {}
      for name, core in table.items():
        if not isinstance(core, dict) or set(core) != fields:
          given = sorted(core) if isinstance(core, dict) else type(core).__name__
          raise common.ToolError(f"{path}: core {name} has fields {given}; each core needs "
                                 f"exactly {sorted(fields)}.")
        result[name] = Core(name=name, **core)
      return result
  raise common.ToolError(f"{path}: no {TABLE_NAME} = {{...}} found; the table of cores must be "
                         "a top-level assignment.")


def read_cores(repo: pathlib.Path) -> dict[str, Core]:
  """The cores of the checkout at `repo`."""
  path = pathlib.Path(repo) / CORES_BZL
  return parse_cores(common.read_input(path, "table of cores").decode(), str(path))
