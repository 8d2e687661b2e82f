"""Runs the pytest files given as arguments; the main of the tools' py_test targets.

Under Bazel's test sharding (shard_count), each shard runs every
TEST_TOTAL_SHARDS-th test, starting at its TEST_SHARD_INDEX.
"""

import os
import pathlib
import sys

import pytest


class _Shard:
  """Keeps this shard's share of the collected tests."""

  def __init__(self, index: int, total: int):
    self.index, self.total = index, total

  def pytest_collection_modifyitems(self, config, items):
    mine = [item for number, item in enumerate(items) if number % self.total == self.index]
    config.hook.pytest_deselected(items=[item for item in items if item not in mine])
    items[:] = mine


if __name__ == "__main__":
  plugins = []
  if "TEST_TOTAL_SHARDS" in os.environ:
    pathlib.Path(os.environ["TEST_SHARD_STATUS_FILE"]).touch()  # tells Bazel we shard
    plugins.append(_Shard(int(os.environ["TEST_SHARD_INDEX"]), int(os.environ["TEST_TOTAL_SHARDS"])))
  # No cache directory: the runfiles tree is read-only under Bazel.
  sys.exit(pytest.main(sys.argv[1:] + ["-q", "-p", "no:cacheprovider"], plugins=plugins))
