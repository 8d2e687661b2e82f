"""Writes the report screenshots that docs/ keeps (`bazel run //tests/report:update_screenshots`)."""

import os
import pathlib
import shutil
import tempfile

from tests.report import browser
from tests.report import screenshots


def main() -> None:
  workspace = pathlib.Path(os.environ["BUILD_WORKSPACE_DIRECTORY"])
  for page, _, shot, height in screenshots.PAGES:
    with tempfile.TemporaryDirectory() as tmp:
      png = pathlib.Path(tmp) / "page.png"
      browser.screenshot(pathlib.Path(page), png, height)
      shutil.copyfile(png, workspace / shot)
    print(f"wrote {shot}")


if __name__ == "__main__":
  main()
