"""Tests of tools/docgen.py on a small checkout: rules, macros, providers, WORKSPACE functions, cores."""

import pathlib
import textwrap

import pytest

from tools import common
from tools import docgen
from tools import testing

DEFS = '''\
load("//rules/private:thing.bzl", _thing = "thing", _ThingInfo = "ThingInfo", _make = "make")
thing = _thing
ThingInfo = _ThingInfo
make = _make
'''

THING = '''\
ThingInfo = provider(doc = "What a thing gives.", fields = {"out": "(File) The output."})

thing = rule(
    implementation = _impl,
    doc = "Makes a " + "thing.",
    # Shared attributes added by dict(...) are not documented; the rule's own are.
    attrs = dict({
        "src": attr.label(doc = "The input.", mandatory = True),
        "level": attr.int(doc = "How much | how often.", default = 3),
        "_tool": attr.label(default = "//tools:x"),
    }, **SHARED_ATTRS),
)

def make(name, **kwargs):
    """Makes two things.

    Args:
      name: (str) The first thing.
      **kwargs: Passed on to
        both.
    """
'''

REPOSITORIES = '''\
"""Call these from a WORKSPACE."""

def _private():
    pass

def deps(register = True):
    """Defines the repositories.

    Args:
      register: (bool) Register the toolchains.
    """
'''

CORES_BZL = "CORE_TABLE = " + repr({"cortex-m3": {
    "description": "Armv7-M, no FPU", "machine": "mps2-an385", "cpu_flags": ["-mcpu=cortex-m3"],
    "simd": "", "flash_origin": 0x0, "flash_length": 0x400000, "ram_origin": 0x20000000,
    "ram_length": 0x300, "stack_size": 0x4000, "heap_size": 0x1000}})

EXPECTED = """\
# rules_tflm reference

Generated from the docstrings by tools/docgen.py (`bazel run //docs:update`); do not edit.
Load everything from `@rules_tflm//rules:defs.bzl`, and the [WORKSPACE functions](#workspace-functions) from `@rules_tflm//rules:repositories.bzl`.

## make

*macro*

Makes two things.

| argument | description |
| --- | --- |
| `name` | (str) The first thing. |
| `**kwargs` | Passed on to both. |

## thing

*rule*

Makes a thing.

| attribute | description |
| --- | --- |
| `src` | (label, mandatory) The input. |
| `level` | (int, default 3) How much / how often. |

## ThingInfo

*provider*

What a thing gives.

| field | description |
| --- | --- |
| `out` | (File) The output. |

## WORKSPACE functions

Call these from a WORKSPACE.

### deps

*WORKSPACE function*

Defines the repositories.

| argument | description |
| --- | --- |
| `register` | (bool) Register the toolchains. |
"""


@pytest.fixture
def repo(tmp_path) -> pathlib.Path:
  files = {"rules/defs.bzl": DEFS, "rules/private/thing.bzl": THING,
           "rules/repositories.bzl": REPOSITORIES, "rules/private/cortex_m_cores.bzl": CORES_BZL,
           "docs/cores.md": f"# Cores\n\n{docgen.CORES_BEGIN}\nold\n{docgen.CORES_END}\n\nMore.\n"}
  for name, text in files.items():
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
  return tmp_path


def test_reference_of_rules_macros_providers_and_workspace_functions(repo):
  text = docgen.reference(docgen.public_symbols(repo), docgen.workspace_functions(repo))
  assert text == EXPECTED


def test_cores_table_between_the_markers(repo):
  docgen.update(repo, cores_output="docs/cores.md")
  assert (repo / "docs/cores.md").read_text() == textwrap.dedent(f"""\
      # Cores

      {docgen.CORES_BEGIN}
      | core | architecture | QEMU board | flash | RAM | stack / heap | CMSIS-NN SIMD | compiler flags (besides `-mthumb`) |
      | --- | --- | --- | --- | --- | --- | --- | --- |
      | `cortex-m3` | Armv7-M, no FPU | `mps2-an385` | 4 MiB at 0x0 | 768 bytes at 0x20000000 | 16 KiB / 4 KiB | none | `-mcpu=cortex-m3` |
      {docgen.CORES_END}

      More.
      """)
  docgen.check(repo, cores_path="docs/cores.md")


def test_out_of_date_docs_say_how_to_update(repo):
  (repo / "docs/rules.md").write_text("old")
  with pytest.raises(common.ToolError, match="docs/rules.md is out of date .* run `bazel run //docs:update`"):
    docgen.check(repo, "docs/rules.md")
  with pytest.raises(common.ToolError, match="the table of cores in docs/cores.md is out of date"):
    docgen.check(repo, cores_path="docs/cores.md")
  docgen.update(repo, "docs/rules.md")
  assert (repo / "docs/rules.md").read_text() == EXPECTED


def test_a_public_workspace_function_needs_a_docstring(repo):
  (repo / "rules/repositories.bzl").write_text(REPOSITORIES + "\ndef more():\n    pass\n")
  with pytest.raises(common.ToolError, match="the public function more has no docstring"):
    docgen.workspace_functions(repo)


def test_a_doc_without_the_markers(repo):
  (repo / "docs/cores.md").write_text("# Cores\n")
  with pytest.raises(common.ToolError, match="has no table of cores to update"):
    docgen.update(repo, cores_output="docs/cores.md")


def test_cli_check_of_a_stale_reference(repo):
  (repo / "docs/rules.md").write_text("old")
  result = testing.run_cli("docgen", f"--repo={repo}", "--check=docs/rules.md",
                           "--cores_check=docs/cores.md")
  testing.assert_clean_failure(result, "docgen", "docs/rules.md is out of date")
