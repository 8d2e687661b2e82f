"""What every rules_tflm tool shares: its error type, atomic outputs, the CLI wrapper.

A tool is a library module of pure functions (tools/<tool>.py) plus a thin
command line (tools/cli/<tool>.py) whose `main` runs through `run_tool`: a
`ToolError` becomes one clear paragraph on stderr and exit status 1, never a
traceback. Outputs are written through `Outputs` (each atomically, and none
left behind when the run fails). Nothing here imports absl.
"""

import contextlib
import os
import pathlib
import re
import sys
import tempfile
from typing import Callable, Iterator, Sequence

SETUP_HINT = "run ./setup.sh in the rules_tflm checkout (or point RULES_TFLM_PYTHON at an interpreter that has the packages in requirements.txt)"


class ToolError(Exception):
  """An error caused by the user's input, with a message written for them.

  The message names the file, what was wrong with it and what to do.
  """


def write_atomically(path: pathlib.Path | str, data: bytes | str) -> None:
  """Writes `data` to `path` through a temporary file and a rename.

  A reader (or Bazel) never sees a half-written file, and an interrupted
  write leaves no file at `path`.
  """
  path = pathlib.Path(path)
  if isinstance(data, str):
    data = data.encode("utf-8")
  if path.is_dir():
    raise ToolError(f"{path}: cannot write the output there, it is a directory; pass a file path.")
  try:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
  except OSError as e:
    raise ToolError(f"{path}: cannot write the output: {e.strerror} ({e.filename}); pass a path "
                    "in a folder that exists or can be created.") from None
  try:
    with os.fdopen(fd, "wb") as f:
      f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
  except BaseException:
    pathlib.Path(tmp).unlink(missing_ok=True)
    raise


def _remove(paths: Sequence[pathlib.Path | str | None]) -> None:
  """Deletes whatever of `paths` exists (None entries are skipped)."""
  for p in paths:
    if p and pathlib.Path(p).is_dir():
      raise ToolError(f"{p}: the output path is a directory; pass a file path.")
    if p:
      try:
        pathlib.Path(p).unlink(missing_ok=True)
      except NotADirectoryError:
        pass  # a parent is a file: nothing there to remove, and the write says why


class Outputs:
  """The files one run of a tool writes: all of them, or none.

  Entering removes what an earlier run left at these paths, `write` writes
  one of them atomically, and leaving with an exception removes every one,
  so a failed action leaves nothing behind:

      with common.Outputs(header, source) as outputs:
        outputs.write(header, header_text(...))
        outputs.write(source, source_text(...))
  """

  def __init__(self, *paths: pathlib.Path | str | None):
    self.paths = [pathlib.Path(p) for p in paths if p]

  def __enter__(self) -> "Outputs":
    _remove(self.paths)
    return self

  def write(self, path: pathlib.Path | str, data: bytes | str) -> None:
    """Writes `data` to `path`, one of the paths given to the constructor."""
    path = pathlib.Path(path)
    if path not in self.paths:
      raise ValueError(f"{path} is not among the outputs {self.paths}; this is a bug in rules_tflm.")
    write_atomically(path, data)

  def __exit__(self, kind, value, traceback) -> None:
    if kind is not None:
      _remove(self.paths)


def require_module(name: str, purpose: str):
  """Imports module `name`, or raises a ToolError that says to run the set-up."""
  import importlib
  try:
    return importlib.import_module(name)
  except ImportError as e:
    raise ToolError(
        f"the Python package '{name.split('.')[0]}' is needed to {purpose}, but "
        f"{sys.executable} cannot import it ({e}); {SETUP_HINT}.") from None


def header_guard(include_path: str) -> str:
  """The include guard of a header included as `include_path`."""
  return re.sub(r"[^A-Za-z0-9]", "_", include_path).upper().lstrip("_0123456789") + "_"


def read_input(path: pathlib.Path | str, what: str) -> bytes:
  """Reads a whole input file, or raises a ToolError naming it."""
  path = pathlib.Path(path)
  try:
    return path.read_bytes()
  except IsADirectoryError:
    raise ToolError(f"{path}: expected {what} file but this is a directory.") from None
  except OSError as e:
    raise ToolError(f"{path}: cannot read {what}: {e.strerror}.") from None


@contextlib.contextmanager
def captured_output() -> Iterator[Callable[[], str]]:
  """Sends what is written to stdout and stderr, by Python or C code, to a temporary file.

  TensorFlow prints pages of progress at the C level; inside this block they
  are kept aside. Yields a function that returns what was captured so far,
  for an error message that needs it.
  """
  sys.stdout.flush()
  sys.stderr.flush()
  saved = [os.dup(1), os.dup(2)]
  with tempfile.TemporaryFile() as log:
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)

    def text() -> str:
      sys.stdout.flush()
      sys.stderr.flush()
      log.seek(0)
      return log.read().decode("utf-8", "replace")

    try:
      yield text
    finally:
      sys.stdout.flush()
      sys.stderr.flush()
      os.dup2(saved[0], 1)
      os.dup2(saved[1], 2)
      for fd in saved:
        os.close(fd)


def exit_as_library(tool: str) -> None:
  """What `python -m tools.<tool>` does: points to the command line, tools/cli/<tool>.py.

  A library run as a script would otherwise do nothing and exit 0.
  """
  sys.exit(f"{tool}: error: tools/{tool}.py is the library; its command line is "
           f"`python -m tools.cli.{tool}` (--help lists its flags).")


def internal_error(tool: str, about: str | None, error: BaseException) -> str:
  """The message of an unexpected exception: a bug in rules_tflm, with what to report."""
  import traceback  # pylint: disable=import-outside-toplevel
  frames = traceback.extract_tb(error.__traceback__)
  where = f" at {pathlib.Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
  return (f"internal error in rules_tflm, please report it with the input"
          f"{' ' + about if about else ''}: {type(error).__name__}{where}: {error}")


def run_tool(main: Callable[[list[str]], None], tool: str,
             about: Callable[[], str | None] | None = None) -> Callable[[list[str]], None]:
  """Wraps an absl `main` so that ToolError prints `<tool>: error: msg` and exits 1.

  Any other exception is a bug: it prints "internal error in rules_tflm,
  please report" with `about()` (the input's path) instead of a traceback,
  and exits 1 too.
  """

  def wrapped(argv: list[str]) -> None:
    try:
      main(argv)
    except ToolError as e:
      print(f"{tool}: error: {e}", file=sys.stderr)
      sys.exit(1)
    except Exception as e:  # pylint: disable=broad-except
      try:
        subject = about() if about else None
      except Exception:  # pylint: disable=broad-except
        subject = None
      print(f"{tool}: error: {internal_error(tool, subject, e)}", file=sys.stderr)
      sys.exit(1)

  return wrapped
