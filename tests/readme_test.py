"""Runs the README's shell examples, so that what users copy works."""

import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).absolute().parents[1]


def readme_block(name: str) -> str:
  """The fenced block that follows `<!-- readme-test: name -->` in README.md."""
  text = (REPO / "README.md").read_text()
  match = re.search(rf"<!-- readme-test: {name} -->\n```sh\n(.*?)```", text, re.S)
  assert match, f"README.md has no block marked readme-test: {name}"
  return match.group(1)


def test_tools_example_runs_end_to_end():
  script = readme_block("tools")
  result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=REPO, text=True,
                          capture_output=True, env={"RULES_TFLM_PYTHON": sys.executable,
                                                    "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
  assert result.returncode == 0, result.stdout + result.stderr
  assert "TFLM: runs; smallest arena" in result.stdout
  assert re.search(r"drop -?\d+\.\d+ \(max_drop 0.05\): ok", result.stdout)
