"""Turns a binary file (a .tflite model, or anything) into a const C array.

Writes a header that declares

    extern const unsigned char NAME[];
    extern const unsigned int NAME_len;

and a C or C++ source (chosen by the extension of --source) that defines them,
aligned (16 bytes by default, what TFLM requires of a model) and optionally
placed in a linker section or a C++ namespace.

The array is initialized from a string literal of `\\xNN` escapes rather
than a brace list of numbers as `xxd -i` writes. C and C++ both allow an
`unsigned char` array to be initialized from a string literal, and a compiler
reads one long literal per line far faster than one token per byte (see
bench/c_array_bench.py for the figures). A hex escape swallows every hex digit
that follows it, which is harmless here: every byte is escaped, so an escape is
always followed by a backslash or the closing quote. The literal's terminating
NUL makes the array one byte longer than the data; `NAME_len` is the exact
size.
"""

import dataclasses
import json
import pathlib
import re

from absl import app
from absl import flags

from tools import common

_INPUT = flags.DEFINE_string("input", None, "Path to the binary file to embed.", required=True)
_HEADER = flags.DEFINE_string("header", None, "Path of the .h to write.", required=True)
_SOURCE = flags.DEFINE_string(
    "source", None, "Path of the source to write; .c gives C, .cc or .cpp gives C++.", required=True)
_ARRAY_NAME = flags.DEFINE_string("array_name", None, "C identifier of the array.", required=True)
_NAMESPACE = flags.DEFINE_string("namespace", None, "C++ namespace for the array, e.g. fw::models.")
_SECTION = flags.DEFINE_string("section", None, "Linker section for the array, e.g. .rodata.models.")
_ALIGNMENT = flags.DEFINE_integer("alignment", 16, "Alignment of the array in bytes.")
_INCLUDE_PATH = flags.DEFINE_string(
    "include_path", None, "How the source #includes the header; default: the header's file name.")
_INPUT_LABEL = flags.DEFINE_string("input_label", None, "Name of the input for the banner.")
_ARENA_REPORT = flags.DEFINE_string(
    "arena_report", None, "Report of tools/analyze.py; adds NAME_ARENA_SIZE to the header.")

BYTES_PER_LINE = 32

# Words that cannot name a C or C++ object.
_RESERVED = frozenset("""
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
_SECTION_NAME = re.compile(r"[A-Za-z0-9_.$]+\Z")



@dataclasses.dataclass(frozen=True)
class ArrayOptions:
  """What to generate, checked by `check_options`."""
  array_name: str
  include_path: str
  cplusplus: bool
  namespace: str | None = None
  section: str | None = None
  alignment: int = 16
  banner_source: str = ""
  arena_size: int | None = None
  arena_comment: str = ""


def check_identifier(name: str, what: str) -> None:
  """Raises ToolError unless `name` can name a C and C++ object."""
  if not _IDENTIFIER.match(name):
    raise common.ToolError(
        f"{what} '{name}' is not a valid C identifier: use letters, digits and underscores, "
        "not starting with a digit (e.g. 'model_data').")
  if name in _RESERVED:
    raise common.ToolError(f"{what} '{name}' is a reserved word in C or C++; choose another name.")


def check_options(options: ArrayOptions) -> None:
  """Raises ToolError naming the first option that cannot give valid C."""
  check_identifier(options.array_name, "array name")
  if options.namespace is not None:
    if not options.cplusplus:
      raise common.ToolError(
          f"namespace '{options.namespace}' needs a C++ source (.cc), but the source is C; "
          "drop the namespace or write a .cc file.")
    for part in options.namespace.split("::"):
      check_identifier(part, f"namespace part of '{options.namespace}'")
  if options.section is not None and not _SECTION_NAME.match(options.section):
    raise common.ToolError(
        f"section '{options.section}' is not a valid linker section name: use letters, digits, "
        "'.', '_' and '$' (e.g. '.rodata.models').")
  if options.alignment < 1 or options.alignment & (options.alignment - 1):
    raise common.ToolError(f"alignment {options.alignment} is not a power of two (TFLM needs 16).")


def _banner(options: ArrayOptions) -> str:
  return f"/* Generated by rules_tflm c_array from {options.banner_source}. Do not edit. */\n"


def header_text(options: ArrayOptions, size: int) -> str:
  """The header declaring the array, its length and (if known) the arena size."""
  guard = common.header_guard(options.include_path)
  name = options.array_name
  lines = [_banner(options), f"#ifndef {guard}", f"#define {guard}", ""]
  if options.arena_size is not None:
    lines += [f"/* {options.arena_comment} */",
              f"#define {name.upper()}_ARENA_SIZE {options.arena_size}", ""]
  declarations = [
      f"/* {size} bytes, aligned to {options.alignment}. */",
      f"extern const unsigned char {name}[];",
      f"extern const unsigned int {name}_len;",
  ]
  if options.namespace:
    lines += ["#ifndef __cplusplus",
              f'#error "{options.include_path} declares C++ names (namespace {options.namespace}); '
              'include it from C++."',
              "#endif", "",
              f"namespace {options.namespace} {{", ""] + declarations + [
                  "", f"}}  // namespace {options.namespace}"]
  else:
    lines += ["#ifdef __cplusplus", 'extern "C" {', "#endif", ""] + declarations + [
        "", "#ifdef __cplusplus", '}  /* extern "C" */', "#endif"]
  lines += ["", f"#endif  /* {guard} */", ""]
  return "\n".join(lines)


def literal_lines(data: bytes) -> str:
  """`data` as lines of a C string literal, `  "\\x01\\xff..."`, joined by newlines."""
  # bytes.hex puts the separator between bytes; each becomes the escape's "\\x".
  escaped = "\\x" + data.hex("\\").replace("\\", "\\x")
  width = 4 * BYTES_PER_LINE
  return "\n".join(f'  "{escaped[i:i + width]}"' for i in range(0, len(escaped), width))


def source_text(options: ArrayOptions, data: bytes) -> str:
  """The source defining the array and its length."""
  name = options.array_name
  align = "RULES_TFLM_ALIGNED"
  attributes = f' __attribute__((section("{options.section}")))' if options.section else ""
  head = [
      _banner(options).rstrip("\n"),
      f'#include "{options.include_path}"',
      "",
      "/* alignas is C++11 and C11; GCC's attribute serves older C. */",
      "#if defined(__cplusplus)",
      f"#define {align} alignas({options.alignment})",
      "#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L",
      f"#define {align} _Alignas({options.alignment})",
      "#else",
      f"#define {align} __attribute__((aligned({options.alignment})))",
      "#endif",
      "",
      "/* GCC and Clang take string literals of any length; -pedantic warns past",
      "   the 4095 characters ISO C requires every compiler to accept. */",
      "#if defined(__GNUC__)",
      '#pragma GCC diagnostic ignored "-Woverlength-strings"',
      "#endif",
      "",
  ]
  if options.namespace:
    head += [f"namespace {options.namespace} {{", ""]
  head += [f"{align} const unsigned char {name}[]{attributes} =", ""]
  tail = [";", "", f"const unsigned int {name}_len = {len(data)};", ""]
  if options.namespace:
    tail += [f"}}  // namespace {options.namespace}", ""]
  tail += [f"#undef {align}", ""]
  return "\n".join(head) + literal_lines(data) + "\n".join(tail)


def arena_from_report(path: pathlib.Path) -> tuple[int, str]:
  """The arena size and its explanation from an analyze.py report."""
  text = common.read_input(path, "analysis report")
  try:
    tflm = json.loads(text)["tflm"]
    size, minimum, margin = (int(tflm["recommended_arena_bytes"]), int(tflm["min_arena_bytes"]),
                             int(tflm["arena_margin_percent"]))
  except (ValueError, KeyError, TypeError):
    raise common.ToolError(
        f"{path}: the analysis report has no TFLM arena size (tflm.recommended_arena_bytes); "
        "write it with tools/analyze.py and its TFLM check enabled.") from None
  comment = (f"Tensor arena for TFLM: the smallest it accepted on the build machine, "
             f"{minimum} bytes, plus {margin} %, rounded up to 16.")
  return size, comment


def main(argv: list[str]) -> None:
  del argv  # Unused.
  header, source = pathlib.Path(_HEADER.value), pathlib.Path(_SOURCE.value)
  if source.suffix not in (".c", ".cc", ".cpp"):
    raise common.ToolError(f"{source}: the source must end in .c (C) or .cc/.cpp (C++).")
  options = ArrayOptions(
      array_name=_ARRAY_NAME.value,
      include_path=_INCLUDE_PATH.value or header.name,
      cplusplus=source.suffix != ".c",
      namespace=_NAMESPACE.value,
      section=_SECTION.value,
      alignment=_ALIGNMENT.value,
      banner_source=_INPUT_LABEL.value or _INPUT.value,
  )
  check_options(options)
  data = common.read_input(_INPUT.value, "input")
  if not data:
    raise common.ToolError(f"{_INPUT.value} is empty; there is nothing to embed. Check the "
                           "step that wrote it.")
  if _ARENA_REPORT.value:
    size, comment = arena_from_report(pathlib.Path(_ARENA_REPORT.value))
    options = dataclasses.replace(options, arena_size=size, arena_comment=comment)
  try:
    common.write_atomically(header, header_text(options, len(data)))
    common.write_atomically(source, source_text(options, data))
  except BaseException:
    common.remove_outputs([header, source])
    raise


if __name__ == "__main__":
  app.run(common.run_tool(main, "c_array"))
