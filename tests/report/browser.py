"""Headless Chromium (Debian's `chromium`, installed by setup.sh) for the report tests:
a page's DOM after loading, its console messages, and a screenshot as pixels."""

import os
import pathlib
import shutil
import subprocess
import tempfile

import numpy as np

WIDTH = 1440  # of the window, in pixels


def chromium() -> str:
  path = shutil.which("chromium") or "/usr/bin/chromium"
  if not os.access(path, os.X_OK):
    raise RuntimeError("no chromium: the report tests render the page in Debian's chromium; "
                       "run ./setup.sh, which installs it")
  return path


def _run(page: pathlib.Path, *flags: str, height: int = 1400) -> subprocess.CompletedProcess:
  if not page.is_file():
    raise FileNotFoundError(f"no page {page}")
  with tempfile.TemporaryDirectory() as profile:
    return subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},{height}",
         "--enable-logging=stderr", "--v=0", *flags, page.absolute().as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
        env={"HOME": profile, "PATH": "/usr/bin:/bin"})


def console_messages(stderr: str) -> list[str]:
  """The page's console messages in Chromium's log (lines with CONSOLE)."""
  return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def dom(page: pathlib.Path) -> tuple[str, list[str]]:
  """The page's DOM after loading, and its console messages."""
  result = _run(page, "--dump-dom")
  return result.stdout, console_messages(result.stderr)


def screenshot(page: pathlib.Path, png: pathlib.Path, height: int) -> list[str]:
  """Writes a screenshot of the page's top `height` pixels to `png`; returns the console
  messages."""
  result = _run(page, f"--screenshot={png.absolute()}", height=height)
  if not png.is_file():
    raise RuntimeError(f"chromium wrote no screenshot of {page}: {result.stderr[-2000:]}")
  return console_messages(result.stderr)


def pixels(png: bytes) -> np.ndarray:
  """The pixels of a PNG, height x width x channels (TensorFlow's decoder)."""
  import tensorflow as tf  # pylint: disable=import-outside-toplevel
  return tf.io.decode_png(png).numpy()
