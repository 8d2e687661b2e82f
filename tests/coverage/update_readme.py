"""Rewrites README.md's models table (`bazel run //tests/coverage:update_readme`)."""

import os
import pathlib

from tests.coverage import coverage
from tools.aot import harness


def main() -> None:
  tflm = coverage.tflm_root(harness.REPO)
  if not tflm:
    raise SystemExit("update_readme: TFLM's repository (@tflm) is not configured: set "
                     "RULES_TFLM_THIRD_PARTY to the folder holding tflite-micro/ (docs/firmware_repo.md)")
  readme = pathlib.Path(os.environ["BUILD_WORKSPACE_DIRECTORY"]) / "README.md"
  text = readme.read_text()
  readme.write_text(coverage.with_table(text, coverage.table(coverage.rows(tflm, harness.REPO))))
  print(f"wrote the models table of {readme}")


if __name__ == "__main__":
  main()
