"""Command line of tools/docgen.py: writes or checks docs/rules.md and the cores table of docs/cortex_m.md.

Paths are relative to --repo; under `bazel run`, to the workspace.
"""

import os
import pathlib

from absl import app
from absl import flags

from tools import common
from tools import docgen

_REPO = flags.DEFINE_string("repo", ".", "Root of the rules_tflm checkout.")
_OUTPUT = flags.DEFINE_string("output", None, "Write the reference here (relative to --repo).")
_CHECK = flags.DEFINE_string("check", None,
                             "Fail unless this file (relative to --repo) equals the reference.")
_CORES_OUTPUT = flags.DEFINE_string(
    "cores_output", None, "Rewrite the table of cores in this Markdown file (relative to --repo).")
_CORES_CHECK = flags.DEFINE_string(
    "cores_check", None, "Fail unless the table of cores in this file (relative to --repo) is "
    "up to date.")


def main(argv: list[str]) -> None:
  del argv  # Unused.
  # Under `bazel run`, paths are relative to the workspace, not the runfiles.
  repo = pathlib.Path(os.environ.get("BUILD_WORKSPACE_DIRECTORY", "")) / _REPO.value
  docgen.update(repo, _OUTPUT.value, _CORES_OUTPUT.value)
  docgen.check(repo, _CHECK.value, _CORES_CHECK.value)


if __name__ == "__main__":
  app.run(common.run_tool(main, "docgen"))
