"""Reads Bazel's --execution_log_json_file for tests/remote_cache/run.sh (standard library only).

    exec_log.py misses FIRST SECOND   # SECOND's executed actions, and what differs from FIRST
    exec_log.py compare FIRST THIRD   # actions whose outputs differ between two full builds

An action is known by its mnemonic and its declared outputs, which are the
same in every checkout (paths under bazel-out/ are relative to the execroot).
"""

import dataclasses
import json
import sys
from typing import Iterator

# Test actions write their logs and timings: those differ on every run.
_NOT_COMPARED = {"TestRunner"}


@dataclasses.dataclass(frozen=True)
class Spawn:
  mnemonic: str
  outputs: tuple[str, ...]
  arguments: tuple[str, ...]
  environment: dict[str, str]
  inputs: dict[str, str]  # path -> digest
  output_digests: dict[str, str]  # path -> digest
  cacheable: bool
  hit: bool

  @property
  def key(self) -> tuple[str, tuple[str, ...]]:
    return self.mnemonic, self.outputs


def _digest(entry: dict) -> str:
  return entry.get("digest", {}).get("hash", "")


def read(path: str) -> Iterator[Spawn]:
  """The spawns of one log: a sequence of JSON objects, one per executed or cached action."""
  text = open(path, encoding="utf-8").read()
  decoder, at = json.JSONDecoder(), 0
  while True:
    while at < len(text) and text[at].isspace():
      at += 1
    if at >= len(text):
      return
    spawn, at = decoder.raw_decode(text, at)
    yield Spawn(
        mnemonic=spawn.get("mnemonic", "?"),
        outputs=tuple(o if isinstance(o, str) else o.get("path", "")
                      for o in spawn.get("listedOutputs", [])),
        arguments=tuple(spawn.get("commandArgs", [])),
        environment={e["name"]: e.get("value", "") for e in spawn.get("environmentVariables", [])},
        inputs={i["path"]: _digest(i) for i in spawn.get("inputs", [])},
        output_digests={o["path"]: _digest(o) for o in spawn.get("actualOutputs", [])},
        cacheable=spawn.get("remoteCacheable", True),
        hit=spawn.get("remoteCacheHit", False),
    )


def _differences(first: Spawn, second: Spawn) -> list[str]:
  """What makes two spawns' cache keys differ: arguments, environment, inputs."""
  found = []
  if first.arguments != second.arguments:
    pairs = [(a, b) for a, b in zip(first.arguments, second.arguments) if a != b]
    found.append(f"arguments: {pairs[:1] or 'a different number'}")
  for name in sorted(set(first.environment) | set(second.environment)):
    if first.environment.get(name) != second.environment.get(name):
      found.append(f"environment {name}: {first.environment.get(name)!r} -> "
                   f"{second.environment.get(name)!r}")
  for path in sorted(set(first.inputs) | set(second.inputs)):
    if first.inputs.get(path) != second.inputs.get(path):
      found.append(f"input {path}")
  return found


def misses(first_log: str, second_log: str) -> int:
  first = {s.key: s for s in read(first_log)}
  count = 0
  for spawn in read(second_log):
    if not spawn.cacheable or spawn.hit:
      continue
    count += 1
    print(f"  {spawn.mnemonic} {spawn.outputs[0] if spawn.outputs else '?'}")
    before = first.get(spawn.key)
    if before is None:
      print("    (the first checkout had no such action)")
      continue
    for difference in _differences(before, spawn)[:5]:
      print(f"    {difference}")
  return count


def compare(first_log: str, third_log: str) -> int:
  first = {s.key: s for s in read(first_log) if s.mnemonic not in _NOT_COMPARED}
  compared = differing = 0
  for spawn in read(third_log):
    before = first.get(spawn.key)
    if spawn.mnemonic in _NOT_COMPARED or before is None:
      continue
    compared += 1
    changed = sorted(p for p in spawn.output_digests
                     if spawn.output_digests[p] != before.output_digests.get(p))
    if changed:
      differing += 1
      print(f"  {spawn.mnemonic}: {', '.join(changed)}")
  print(f"{compared} actions compared, {differing} with different outputs")
  return differing


def main(argv: list[str]) -> int:
  if len(argv) != 4 or argv[1] not in ("misses", "compare"):
    print(__doc__, file=sys.stderr)
    return 2
  return 1 if {"misses": misses, "compare": compare}[argv[1]](argv[2], argv[3]) else 0


if __name__ == "__main__":
  sys.exit(main(sys.argv))
