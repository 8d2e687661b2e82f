"""Text that reaches generated C from outside: names from a model, and names from flags.

A model is untrusted input: its tensor names, custom op names and
description go into comments of the generated C and C++, so `comment` makes
any string safe there (no `*/` or `/*`, no newline, no backslash or `??`
that could splice a line, nothing but printable ASCII). Names given on the
command line (--prefix, --array_name, --namespace) become identifiers:
`check_identifier` refuses, naming the flag, what is not one.
"""

import re

from tools import common

# Words that cannot name a C or C++ object.
RESERVED = frozenset("""
    alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not
    not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
    restrict return short signed sizeof static static_assert static_cast struct switch template
    this thread_local throw true try typedef typeid typename union unsigned using virtual void
    volatile wchar_t while xor xor_eq _Alignas _Alignof _Atomic _Bool _Complex _Generic
    _Imaginary _Noreturn _Static_assert _Thread_local main
""".split())

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# What a comment keeps as it is: printable ASCII but the backslash and '?'
# (trigraphs: -std=c99 reads ??/ as a backslash).
_KEPT = re.compile(r"[ -~]")


def _escaped(c: str) -> str:
  if _KEPT.match(c) and c not in "\\?":
    return c
  code = ord(c)
  if code < 0x100:
    return f"\\x{code:02x}"
  return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def comment(text: str, longest: int | None = None) -> str:
  """`text` as it may stand inside a /* */ or // comment: escaped, and cut at `longest`
  characters (with "...") if given."""
  safe = "".join(_escaped(c) for c in text)
  while "*/" in safe or "/*" in safe:
    safe = safe.replace("*/", "* /").replace("/*", "/ *")
  if safe.endswith("/") or safe.endswith("*"):
    safe += " "  # never joins the comment's own "*/" or a following "/"
  return safe if longest is None or len(safe) <= longest else safe[:longest - 3] + "..."


def identifier_problem(name: str, whole: bool = True) -> str | None:
  """Why `name` cannot name a C and C++ object (or, not `whole`, begin the names of
  some), or None if it can."""
  if not _IDENTIFIER.match(name):
    return ("is not a valid C identifier: use letters, digits and underscores, not starting with "
            "a digit (e.g. 'model_data')")
  if whole and name in RESERVED:
    return "is a reserved word in C or C++; choose another name"
  return None


def check_identifier(name: str, what: str, whole: bool = True) -> None:
  """Raises a ToolError naming `what` (e.g. "--array_name") unless `name` is a C identifier;
  with `whole` False, a prefix of identifiers (a reserved word will do)."""
  problem = identifier_problem(name, whole)
  if problem:
    raise common.ToolError(f"{what} '{name}' {problem}.")


def check_namespace(namespace: str, what: str) -> None:
  """Raises a ToolError naming `what` unless `namespace` is C++ identifiers joined by ::."""
  for part in namespace.split("::"):
    problem = identifier_problem(part)
    if problem:
      raise common.ToolError(f"{what} '{namespace}': its part '{part}' {problem}.")


_SECTION_NAME = re.compile(r"[A-Za-z0-9_.$]+\Z")
_INCLUDE_PATH = re.compile(r"[A-Za-z0-9_.+/-]+\Z")


def check_section(section: str, what: str) -> None:
  """Raises a ToolError naming `what` unless `section` is a plain linker section name."""
  if not _SECTION_NAME.match(section):
    raise common.ToolError(f"{what} '{section}' is not a valid linker section name: use letters, "
                           "digits, '.', '_' and '$' (e.g. '.rodata.models').")


def check_include_path(path: str, what: str) -> None:
  """Raises a ToolError naming `what` unless `path` can stand in #include "path"."""
  if not _INCLUDE_PATH.match(path):
    raise common.ToolError(f"{what} '{path}' cannot stand in an #include: use letters, digits and "
                           "'_', '.', '+', '-', '/' (e.g. 'models/kws.h').")
