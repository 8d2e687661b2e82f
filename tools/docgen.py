"""Writes the docs generated from rules_tflm's Starlark: the reference and the table of cores.

The reference (docs/rules.md): reads rules/defs.bzl, follows each public
name to the file and symbol it is loaded from, and documents rules (doc and
attrs), macros (docstring) and providers (doc and fields) as Markdown; then,
in a section of their own, the public functions of rules/repositories.bzl
that a WORKSPACE calls. Starlark's syntax is close enough to Python's for
Python's `ast` to read these files; only literal strings and simple
expressions are evaluated.

The table of cores: the lines of docs/cortex_m.md between CORES_BEGIN and
CORES_END, from rules/private/cortex_m_cores.bzl (tools/cores.py).

    bazel run //docs:update          # python -m tools.cli.docgen --output=docs/rules.md --cores_output=docs/cortex_m.md
    bazel test //docs:rules_md_test  # python -m tools.cli.docgen --check=docs/rules.md --cores_check=docs/cortex_m.md
"""

import ast
import dataclasses
import pathlib

from tools import common
from tools import cores

UPDATE_COMMAND = "bazel run //docs:update"
REPOSITORIES_BZL = pathlib.Path("rules/repositories.bzl")
CORES_BEGIN = ("<!-- cores-table: generated from rules/private/cortex_m_cores.bzl by "
               f"tools/docgen.py ({UPDATE_COMMAND}); do not edit -->")
CORES_END = "<!-- end of cores-table -->"


@dataclasses.dataclass(frozen=True)
class Symbol:
  """A documented public name."""
  name: str
  kind: str  # rule, macro or provider
  doc: str
  fields: list[tuple[str, str]]  # (attribute or field, description)


def _text(node: ast.AST, source: str) -> str:
  """The value of a string expression (concatenations included), else its source text."""
  if isinstance(node, ast.Constant) and isinstance(node.value, str):
    return node.value
  if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
    return _text(node.left, source) + _text(node.right, source)
  return ast.get_source_segment(source, node) or ""


def _keywords(call: ast.Call) -> dict[str, ast.AST]:
  return {k.arg: k.value for k in call.keywords if k.arg}


def _attr_line(name: str, call: ast.AST, source: str) -> tuple[str, str]:
  if not isinstance(call, ast.Call):
    return name, ""
  kw = _keywords(call)
  kind = ast.get_source_segment(source, call.func).removeprefix("attr.")
  details = [kind]
  if "mandatory" in kw and _text(kw["mandatory"], source) == "True":
    details.append("mandatory")
  elif "default" in kw:
    details.append("default " + ast.get_source_segment(source, kw["default"]))
  doc = _text(kw["doc"], source) if "doc" in kw else ""
  return name, f"({', '.join(details)}) {doc}".strip()


def _split_args(docstring: str) -> tuple[str, list[tuple[str, str]]]:
  """A macro's docstring without its `Args:` section, and that section as (name, text) pairs."""
  body, _, args = docstring.partition("\nArgs:\n")
  fields: list[tuple[str, str]] = []
  for line in args.splitlines():
    stripped = line.strip()
    if not stripped:
      continue
    if line.startswith("  ") and not line.startswith("    ") and ":" in stripped:
      name, _, text = stripped.partition(":")
      fields.append((name, text.strip()))
    elif fields:
      fields[-1] = (fields[-1][0], fields[-1][1] + " " + stripped)
  return body, fields


def symbols_of(path: pathlib.Path) -> dict[str, Symbol]:
  """Every rule, provider and documented function defined in a .bzl file."""
  source = path.read_text()
  found = {}
  for node in ast.parse(source).body:
    if isinstance(node, ast.FunctionDef) and ast.get_docstring(node):
      body, args = _split_args(ast.get_docstring(node))
      found[node.name] = Symbol(node.name, "macro", body, args)
    elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and
          isinstance(node.value.func, ast.Name) and node.value.func.id in ("rule", "provider")):
      name = node.targets[0].id
      kw = _keywords(node.value)
      doc = _text(kw["doc"], source) if "doc" in kw else ""
      fields = []
      table = kw.get("attrs" if node.value.func.id == "rule" else "fields")
      if (isinstance(table, ast.Call) and isinstance(table.func, ast.Name) and
          table.func.id == "dict" and table.args):
        table = table.args[0]  # dict({...}, **SHARED_ATTRS): the rule's own attributes
      if isinstance(table, ast.Dict):
        for key, value in zip(table.keys, table.values):
          field = _text(key, source)
          if field.startswith("_"):
            continue
          fields.append(_attr_line(field, value, source) if node.value.func.id == "rule"
                        else (field, _text(value, source)))
      kind = "test rule" if "test" in kw and _text(kw["test"], source) == "True" else (
          "rule" if node.value.func.id == "rule" else "provider")
      found[name] = Symbol(name, kind, doc, fields)
  return found


def public_symbols(repo: pathlib.Path) -> list[Symbol]:
  """The names rules/defs.bzl exports, documented from where they are defined."""
  defs = repo / "rules" / "defs.bzl"
  tree = ast.parse(defs.read_text())
  origin = {}  # private alias -> (file, symbol)
  for node in tree.body:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and node.value.func.id == "load":
      label = node.value.args[0].value
      path = repo / label.lstrip("/").replace(":", "/")
      for k in node.value.keywords:
        origin[k.arg] = (path, k.value.value)
  result = []
  for node in tree.body:
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
      path, symbol = origin[node.value.id]
      documented = symbols_of(path).get(symbol)
      if documented is None:
        raise common.ToolError(f"{path}: {symbol}, exported by rules/defs.bzl as "
                               f"{node.targets[0].id}, has no docstring or doc.")
      result.append(dataclasses.replace(documented, name=node.targets[0].id))
  return sorted(result, key=lambda s: (s.kind == "provider", s.name))


@dataclasses.dataclass(frozen=True)
class Workspace:
  """The public functions of rules/repositories.bzl, and that file's docstring."""
  doc: str
  functions: list[Symbol]


def workspace_functions(repo: pathlib.Path) -> Workspace:
  """Every public function of rules/repositories.bzl, documented from its docstring."""
  path = repo / REPOSITORIES_BZL
  tree = ast.parse(common.read_input(path, "Starlark file").decode(), str(path))
  documented = symbols_of(path)
  functions = []
  for node in tree.body:
    if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
      if node.name not in documented:
        raise common.ToolError(f"{path}: the public function {node.name} has no docstring; "
                               "document it (what it defines, its Args:) or make it private (_).")
      functions.append(dataclasses.replace(documented[node.name], kind="WORKSPACE function"))
  return Workspace(ast.get_docstring(tree) or "", functions)


def _section(s: Symbol, level: str) -> list[str]:
  lines = [f"{level} {s.name}", "", f"*{s.kind}*", "", s.doc.strip(), ""]
  if s.fields:
    header = {"provider": "field", "macro": "argument",
              "WORKSPACE function": "argument"}.get(s.kind, "attribute")
    lines += [f"| {header} | description |", "| --- | --- |"]
    lines += [f"| `{name}` | {desc.replace('|', '/').replace(chr(10), ' ')} |" for name, desc in s.fields]
    lines.append("")
  return lines


def reference(symbols: list[Symbol], workspace: Workspace | None = None) -> str:
  """The Markdown reference: the public API, then the WORKSPACE functions."""
  lines = ["# rules_tflm reference", "",
           f"Generated from the docstrings by tools/docgen.py (`{UPDATE_COMMAND}`); do not edit.",
           "Load everything from `@rules_tflm//rules:defs.bzl`"
           + (", and the [WORKSPACE functions](#workspace-functions) from "
              "`@rules_tflm//rules:repositories.bzl`." if workspace else "."), ""]
  for s in symbols:
    lines += _section(s, "##")
  if workspace:
    lines += ["## WORKSPACE functions", "", workspace.doc.strip(), ""]
    for s in workspace.functions:
      lines += _section(s, "###")
  return "\n".join(lines)


def size_text(size: int) -> str:
  """Bytes as the docs write them: 256 KiB, 4 MiB."""
  for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
    if size >= scale and size % scale == 0:
      return f"{size // scale} {unit}"
  return f"{size} bytes"


def cores_table(table: dict[str, cores.Core]) -> str:
  """The table of docs/cortex_m.md: a row per core."""
  lines = ["| core | architecture | QEMU board | flash | RAM | stack / heap | CMSIS-NN SIMD | "
           "compiler flags (besides `-mthumb`) |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
  for core in table.values():
    lines.append(
        f"| `{core.name}` | {core.description} | `{core.machine}` | "
        f"{size_text(core.flash_length)} at {core.flash_origin:#x} | "
        f"{size_text(core.ram_length)} at {core.ram_origin:#x} | "
        f"{size_text(core.stack_size)} / {size_text(core.heap_size)} | {core.simd or 'none'} | "
        f"`{' '.join(core.cpu_flags)}` |")
  return "\n".join(lines) + "\n"


def with_cores_table(markdown: str, table: str, path: pathlib.Path) -> str:
  """`markdown` with the lines between CORES_BEGIN and CORES_END replaced by `table`."""
  begin, end = markdown.find(CORES_BEGIN + "\n"), markdown.find(CORES_END)
  if begin < 0 or end < begin:
    raise common.ToolError(f"{path} has no table of cores to update: put the lines {CORES_BEGIN} "
                           f"and {CORES_END} where it goes.")
  start = begin + len(CORES_BEGIN) + 1
  return markdown[:start] + table + markdown[end:]


def _doc(repo: pathlib.Path) -> str:
  return reference(public_symbols(repo), workspace_functions(repo))


def _cores_doc(repo: pathlib.Path, path: pathlib.Path) -> tuple[str, str]:
  """The text of the Markdown file at `path` now, and with its cores table up to date."""
  current = common.read_input(repo / path, "Markdown file").decode()
  return current, with_cores_table(current, cores_table(cores.read_cores(repo)), path)


def update(repo: pathlib.Path, output: str | None = None, cores_output: str | None = None) -> None:
  """Writes the reference to `output` and the cores table into `cores_output` (paths in `repo`)."""
  if output:
    common.write_atomically(repo / output, _doc(repo))
  if cores_output:
    current, updated = _cores_doc(repo, pathlib.Path(cores_output))
    if updated != current:
      common.write_atomically(repo / cores_output, updated)


def check(repo: pathlib.Path, reference_path: str | None = None,
          cores_path: str | None = None) -> None:
  """Raises a ToolError saying how to update unless the docs at these paths are up to date."""
  if reference_path:
    current = common.read_input(repo / reference_path, "reference").decode()
    if current != _doc(repo):
      raise common.ToolError(f"{reference_path} is out of date with the docstrings in rules/; run "
                             f"`{UPDATE_COMMAND}` and commit the result.")
  if cores_path:
    current, updated = _cores_doc(repo, pathlib.Path(cores_path))
    if current != updated:
      raise common.ToolError(f"the table of cores in {cores_path} is out of date with "
                             f"{cores.CORES_BZL}; run `{UPDATE_COMMAND}` and commit the result.")


if __name__ == "__main__":
  common.exit_as_library("docgen")
