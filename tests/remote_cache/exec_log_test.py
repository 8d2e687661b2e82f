"""exec_log.py on small execution logs written by hand, in Bazel 4.2's JSON form."""

import json
import pathlib
import sys

# exec_log.py is a script beside this file, not a package module.
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import exec_log  # pylint: disable=wrong-import-position


def _spawn(mnemonic: str, output: str, *, hit: bool = False, path: str = "/usr/bin",
           tool: str = "aaaa", written: str = "1111") -> dict:
  return {
      "commandArgs": ["tool", "--output", output],
      "environmentVariables": [{"name": "PATH", "value": path}],
      "inputs": [{"path": "external/rules_tflm_python/python3", "digest": {"hash": tool}}],
      "listedOutputs": [output],
      "actualOutputs": [{"path": output, "digest": {"hash": written}}],
      "mnemonic": mnemonic,
      "remoteCacheable": True,
      "remoteCacheHit": hit,
  }


def _log(tmp_path: pathlib.Path, name: str, spawns: list[dict]) -> str:
  path = tmp_path / name
  path.write_text("\n".join(json.dumps(s, indent=2) for s in spawns))
  return str(path)


def test_reads_every_object_of_the_log(tmp_path):
  log = _log(tmp_path, "a.json", [_spawn("TfliteConvert", "m.tflite"), _spawn("CppCompile", "m.o")])
  assert [(s.mnemonic, s.outputs) for s in exec_log.read(log)] == [
      ("TfliteConvert", ("m.tflite",)), ("CppCompile", ("m.o",))]


def test_misses_names_each_executed_action_and_what_differs(tmp_path, capsys):
  first = _log(tmp_path, "1.json", [_spawn("TfliteConvert", "m.tflite"), _spawn("CppCompile", "m.o")])
  second = _log(tmp_path, "2.json", [
      _spawn("TfliteConvert", "m.tflite", tool="bbbb"),
      _spawn("CppCompile", "m.o", hit=True),
  ])
  assert exec_log.misses(first, second) == 1
  assert capsys.readouterr().out == (
      "  TfliteConvert m.tflite\n"
      "    input external/rules_tflm_python/python3\n")


def test_misses_shows_an_environment_difference(tmp_path, capsys):
  first = _log(tmp_path, "1.json", [_spawn("Genrule", "data.npy")])
  second = _log(tmp_path, "2.json", [_spawn("Genrule", "data.npy", path="/opt/bin:/usr/bin")])
  assert exec_log.misses(first, second) == 1
  assert "environment PATH: '/usr/bin' -> '/opt/bin:/usr/bin'" in capsys.readouterr().out


def test_compare_finds_different_outputs_but_not_test_logs(tmp_path, capsys):
  first = _log(tmp_path, "1.json", [
      _spawn("TrainModel", "sine.keras"), _spawn("CppLink", "a.out"), _spawn("TestRunner", "test.log")])
  third = _log(tmp_path, "3.json", [
      _spawn("TrainModel", "sine.keras", written="2222"), _spawn("CppLink", "a.out"),
      _spawn("TestRunner", "test.log", written="3333")])
  assert exec_log.compare(first, third) == 1
  assert capsys.readouterr().out == (
      "  TrainModel: sine.keras\n"
      "2 actions compared, 1 with different outputs\n")
