"""Writes the reference of rules_tflm's public Starlark API from the docstrings.

Reads rules/defs.bzl, follows each public name to the file and symbol it is
loaded from, and documents rules (doc and attrs), macros (docstring) and
providers (doc and fields) as Markdown. Starlark's syntax is close enough to
Python's for Python's `ast` to read these files; only literal strings and
simple expressions are evaluated.

    bazel run //docs:update        # python -m tools.docgen --output docs/rules.md
    bazel test //docs:rules_md_test  # python -m tools.docgen --check docs/rules.md
"""

import ast
import dataclasses
import os
import pathlib

from absl import app
from absl import flags

from tools import common

_REPO = flags.DEFINE_string("repo", ".", "Root of the rules_tflm checkout.")
_OUTPUT = flags.DEFINE_string("output", None, "Write the reference here (relative to --repo).")
_CHECK = flags.DEFINE_string("check", None,
                             "Fail unless this file (relative to --repo) equals the reference.")

UPDATE_COMMAND = "bazel run //docs:update"


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


def reference(symbols: list[Symbol]) -> str:
  """The Markdown reference."""
  lines = ["# rules_tflm reference", "",
           f"Generated from the docstrings by tools/docgen.py (`{UPDATE_COMMAND}`); do not edit.",
           "Load everything from `@rules_tflm//rules:defs.bzl`.", ""]
  for s in symbols:
    lines += [f"## {s.name}", "", f"*{s.kind}*", "", s.doc.strip(), ""]
    if s.fields:
      header = {"provider": "field", "macro": "argument"}.get(s.kind, "attribute")
      lines += [f"| {header} | description |", "| --- | --- |"]
      lines += [f"| `{name}` | {desc.replace('|', '/').replace(chr(10), ' ')} |" for name, desc in s.fields]
      lines.append("")
  return "\n".join(lines)


def main(argv: list[str]) -> None:
  del argv  # Unused.
  # Under `bazel run`, paths are relative to the workspace, not the runfiles.
  repo = pathlib.Path(os.environ.get("BUILD_WORKSPACE_DIRECTORY", "")) / _REPO.value
  text = reference(public_symbols(repo))
  if _OUTPUT.value:
    common.write_atomically(repo / _OUTPUT.value, text)
  if _CHECK.value:
    current = common.read_input(repo / _CHECK.value, "reference").decode()
    if current != text:
      raise common.ToolError(f"{_CHECK.value} is out of date with the docstrings in rules/; run "
                             f"`{UPDATE_COMMAND}` and commit the result.")


if __name__ == "__main__":
  app.run(common.run_tool(main, "docgen"))
