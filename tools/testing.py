"""What the tools' tests share: the test models, and one run of a tool's command line.

A tool's library is tested by calling it; its command line (tools/cli/) by
one run in a child process, which shows that the flags reach the library
and that an error is `<tool>: error: <message>` and exit status 1, with no
traceback and no output left behind.
"""

import pathlib
import re
import subprocess
import sys
from typing import Iterable

REPO = pathlib.Path(__file__).absolute().parents[1]
TESTDATA = REPO / "tests" / "testdata"


def run_cli(tool: str, *flags: str) -> subprocess.CompletedProcess:
  """Runs `python -m tools.cli.<tool> flags...` from the checkout, capturing its output."""
  return subprocess.run([sys.executable, "-m", f"tools.cli.{tool}", *flags], cwd=REPO,
                        capture_output=True, text=True)


def assert_clean_failure(result: subprocess.CompletedProcess, tool: str, message: str,
                         outputs: Iterable[pathlib.Path] = ()) -> None:
  """`result` is the failure of `tool` with `message`, and none of `outputs` exists."""
  assert result.returncode == 1, result.stdout + result.stderr
  assert re.search(rf"^{tool}: error: ", result.stderr, re.M), result.stderr
  assert message in result.stderr, result.stderr
  assert "Traceback" not in result.stderr, result.stderr
  for path in outputs:
    assert not pathlib.Path(path).exists(), f"{path} was left behind"
