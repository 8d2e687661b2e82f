"""Runs the pytest files given as arguments; the main of the tools' py_test targets."""

import sys

import pytest

if __name__ == "__main__":
  # No cache directory: the runfiles tree is read-only under Bazel.
  sys.exit(pytest.main(sys.argv[1:] + ["-q", "-p", "no:cacheprovider"]))
