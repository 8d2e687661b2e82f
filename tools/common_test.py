"""Tests of tools/common.py: outputs all or none, atomic writes, the CLI wrapper."""

import pytest

from tools import common


def test_outputs_writes_every_file_and_removes_stale_ones(tmp_path):
  a, b = tmp_path / "a.txt", tmp_path / "sub" / "b.bin"
  a.write_text("stale")
  with common.Outputs(a, b, None) as outputs:
    assert not a.exists()
    outputs.write(a, "text")
    outputs.write(b, b"\x00\x01")
  assert a.read_text() == "text" and b.read_bytes() == b"\x00\x01"
  assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.bin", "sub"]


def test_outputs_leaves_nothing_behind_on_failure(tmp_path):
  a, b = tmp_path / "a.txt", tmp_path / "b.txt"
  with pytest.raises(common.ToolError, match="bad"):
    with common.Outputs(a, b) as outputs:
      outputs.write(a, "first")
      raise common.ToolError("bad")
  assert list(tmp_path.iterdir()) == []


def test_outputs_refuses_a_path_it_was_not_given(tmp_path):
  with pytest.raises(ValueError, match="bug in rules_tflm"):
    with common.Outputs(tmp_path / "a") as outputs:
      outputs.write(tmp_path / "b", "x")


def test_run_tool_turns_a_tool_error_into_one_line_and_status_1(capsys):
  def main(argv):
    raise common.ToolError("m.tflite is empty; check the step that wrote it.")

  with pytest.raises(SystemExit) as exit_info:
    common.run_tool(main, "thing")(["thing"])
  assert exit_info.value.code == 1
  assert capsys.readouterr().err == "thing: error: m.tflite is empty; check the step that wrote it.\n"


def test_read_input_names_the_file(tmp_path):
  with pytest.raises(common.ToolError, match="cannot read model"):
    common.read_input(tmp_path / "missing", "model")
  with pytest.raises(common.ToolError, match="expected model file but this is a directory"):
    common.read_input(tmp_path, "model")


def test_header_guard_from_include_path():
  assert common.header_guard("examples/hello_world/model-data.h") == "EXAMPLES_HELLO_WORLD_MODEL_DATA_H_"


def test_a_library_run_as_a_command_points_to_its_command_line(capsys):
  with pytest.raises(SystemExit, match=r"analyze: error: tools/analyze.py is the library; its "
                     r"command line is `python -m tools.cli.analyze`"):
    common.exit_as_library("analyze")
