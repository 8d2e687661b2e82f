"""Tests of tools/model_report.py: the report's numbers, TFLM's modelled plan, the page."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tools import accuracy
from tools import analyze
from tools import common
from tools import model_report
from tools import testing
from tools import tflite_reader
from tools.aot import compiler

TESTDATA = testing.TESTDATA


def _report(name: str, profiles: list[dict] = (), **options) -> tuple[dict, str]:
  path = str(TESTDATA / name)
  model = tflite_reader.read_model_file(path)
  analysis = analyze.analyze(path, name, tflm_check=False, require_tflm=False, margin=10)
  try:
    compiled, error = compiler.compile_model(model, "m", name, "m.h"), None
  except common.ToolError as e:
    compiled, error = None, str(e)
  report = model_report.build(model, analysis, compiled, error, profiles, **options)
  return report, model_report.page(report)


# What tools/profile_run.py writes for hello_world's three layers on a core, and for a
# core whose board cannot hold the program.
_M4 = {"system": "aot", "core": "cortex-m4", "machine": "mps2-an386", "flash_bytes": 5000, "ram_bytes": 400,
       "board_flash_bytes": 4 << 20, "board_ram_bytes": 4 << 20, "instructions": 3600,
       "layers": [1000, 2500, 40]}
_M0 = {"system": "aot", "core": "cortex-m0", "machine": "microbit", "flash_bytes": 300000, "ram_bytes": 400,
       "board_flash_bytes": 256 << 10, "board_ram_bytes": 16 << 10,
       "does_not_fit": "needs 300000 bytes of flash, the board has 262144 (37856 over)"}


def _tflm_head_bytes(name: str) -> int:
  """The non-persistent arena ("head") TFLM's recording allocator prints for the model."""
  script = ("import sys\nfrom tflite_micro.python.tflite_micro import runtime\n"
            "runtime.Interpreter.from_file(sys.argv[1], arena_size=300000).print_allocations()\n")
  out = subprocess.run([sys.executable, "-c", script, str(TESTDATA / name)],
                       capture_output=True, text=True, check=True)
  return int(re.search(r"Arena allocation head (\d+) bytes", out.stdout + out.stderr).group(1))


@pytest.mark.parametrize("name", ["hello_world_int8.tflite", "person_detect.tflite",
                                  "mlperf_tiny/kws_ref_model.tflite"])
def test_tflm_plan_is_the_size_tflm_records(name):
  report, _ = _report(name)
  assert report["memory"]["tflm"]["arena_bytes"] == _tflm_head_bytes(name)


def test_person_detect_layers():
  report, _ = _report("person_detect.tflite")
  rows = report["layers"]
  assert len(rows) == 31
  assert rows[0]["op"] == "DEPTHWISE_CONV_2D"
  assert rows[0]["input_shapes"] == [[1, 96, 96, 1]]
  assert rows[0]["output_shapes"] == [[1, 48, 48, 8]]
  assert rows[0]["macs"] == 48 * 48 * 8 * 9
  assert sum(r["macs"] for r in rows) == report["macs"] == 7_157_888
  # Without instructions, the five layers of the most MACs are marked, the earliest on ties.
  assert report["top_by"] == "MACs"
  assert [r["index"] for r in rows if r["top"]] == [6, 10, 14, 16, 18]
  # Each op's tensors at the AOT plan's offsets, all inside the arena.
  arena = report["aot"]["arena_bytes"]
  for r in rows:
    for offset in r["input_offsets"] + r["output_offsets"]:
      assert 0 <= offset < arena


def test_memory_bars_keep_the_plans_offsets_and_peak():
  report, page = _report("person_detect.tflite")
  for key in ("aot", "tflm"):
    memory = report["memory"][key]
    assert max(b["offset"] + b["bytes"] for b in memory["bars"]) <= memory["arena_bytes"]
    assert memory["peak_bytes"] == max(b["offset"] + b["bytes"] for b in memory["bars"])
    peak = [b for b in memory["bars"] if b["first"] <= memory["peak_step"] <= b["last"]]
    assert max(b["offset"] + b["bytes"] for b in peak) == memory["peak_bytes"]
  assert report["memory"]["aot"]["arena_bytes"] < report["memory"]["tflm"]["arena_bytes"]
  svgs = re.findall(r'<svg class="plan".*?</svg>', page, re.S)
  assert [len(re.findall(r'<rect class="bar"', s)) for s in svgs] == [
      len(report["memory"]["aot"]["bars"]), len(report["memory"]["tflm"]["bars"])]


def test_a_fused_convolutions_slice_buffer_has_its_own_bytes():
  # ResNet-8's op 2 writes its output t24 a 256-byte slice at a time (tools/aot/fusion.py).
  report, _ = _report("mlperf_tiny/pretrainedResnet_quant.tflite")
  memory = report["memory"]["aot"]
  assert max(b["offset"] + b["bytes"] for b in memory["bars"]) == memory["arena_bytes"] == 33024
  assert [b["bytes"] for b in memory["bars"] if b["tensor"] == 24] == [256]


def test_every_number_on_the_page_is_the_json_s():
  report, page = _report("hello_world_int8.tflite", [_M4, _M0], clock_mhz=64,
                         inferences_per_second=10)
  shown = model_report.shown_numbers(page)
  assert len(shown) > 20
  for path, text in shown:
    assert model_report.matches(text, model_report.lookup(report, path)), (path, text)
  # The JSON round-trips, and the shown paths cover the headline numbers.
  assert json.loads(json.dumps(report)) == report
  paths = {path for path, _ in shown}
  assert {"macs", "weights_bytes", "aot.arena_bytes", "memory.tflm.arena_bytes",
          "layers.1.instructions.cortex-m4", "cores.cortex-m4.instructions",
          "cores.cortex-m0.flash_bytes", "cores.cortex-m0.board_flash_bytes",
          "workload.cores.cortex-m4.duty_cycle_percent"} <= paths


def test_profiles_rank_the_layers_and_give_the_duty_cycle():
  report, page = _report("hello_world_int8.tflite", [_M0, _M4], clock_mhz=64,
                         inferences_per_second=10)
  # The first core that ran ranks the layers; the one that does not fit says why.
  assert report["top_by"] == "AOT instructions on cortex-m4"
  assert [r["instructions"] for r in report["layers"]] == [
      {"cortex-m4": 1000}, {"cortex-m4": 2500}, {"cortex-m4": 40}]
  assert list(report["cores"]) == ["cortex-m0", "cortex-m4"]
  assert "needs 300000 bytes of flash" in page
  # 3600 instructions x 10 per second over 64 M cycles per second.
  assert report["workload"]["cores"] == {
      "cortex-m4": {"instructions_per_inference": 3600, "duty_cycle_percent": 0.06}}
  # The usage bars: flash over the board's is drawn full and red.
  bars = re.findall(r'<rect class="used" data-json="cores\.cortex-m0\.flash_bytes" width="(\d+)"'
                    r' height="12" fill="([^"]+)"', page)
  assert bars == [(str(model_report._BAR_WIDTH), "#b42318")]  # pylint: disable=protected-access


def test_tflm_profiles_give_per_op_columns_beside_ours():
  tflm = {"system": "tflm_cmsis_nn", "core": "cortex-m4", "machine": "mps2-an386",
          "flash_bytes": 90000, "ram_bytes": 9000, "board_flash_bytes": 4 << 20,
          "board_ram_bytes": 4 << 20, "instructions": 4100, "layers": [1200, 2700, 90]}
  report, page = _report("hello_world_int8.tflite", [_M4, tflm])
  assert [r["tflm_instructions"] for r in report["layers"]] == [
      {"cortex-m4": {"tflm_cmsis_nn": n}} for n in (1200, 2700, 90)]
  assert report["cores"]["cortex-m4"]["tflm"] == {"tflm_cmsis_nn": {"instructions": 4100}}
  assert "<th>TFLM + CMSIS-NN, cortex-m4</th>" in page
  for path, text in model_report.shown_numbers(page):
    assert model_report.matches(text, model_report.lookup(report, path)), (path, text)
  assert {"layers.1.tflm_instructions.cortex-m4.tflm_cmsis_nn",
          "cores.cortex-m4.tflm.tflm_cmsis_nn.instructions"} <= {
              path for path, _ in model_report.shown_numbers(page)}
  with pytest.raises(common.ToolError, match="ran 2 layers on cortex-m4, the model has 3 ops"):
    _report("hello_world_int8.tflite", [_M4, dict(tflm, layers=[1, 2])])


def test_budgets_are_ticks_on_the_bars_and_red_when_exceeded():
  report, page = _report("hello_world_int8.tflite", [_M4], max_flash_bytes=4096,
                         max_ram_bytes=1 << 20)
  assert report["budgets"] == {"flash_bytes": 4096, "ram_bytes": 1 << 20}
  fills = dict(re.findall(r'<rect class="used" data-json="cores\.cortex-m4\.(\w+)_bytes" '
                          r'width="\d+" height="12" fill="([^"]+)"', page))
  assert fills == {"flash": "#b42318", "ram": "#3b82c4"}  # 5000 > 4096; 400 < 1 MiB
  assert len(re.findall(r'<rect class="budget"', page)) == 2
  for path, text in model_report.shown_numbers(page):
    assert model_report.matches(text, model_report.lookup(report, path)), (path, text)


def test_accuracy_compares_float_and_quantized_and_bins_the_error(tmp_path):
  x = np.linspace(0, 2 * np.pi, 200, dtype=np.float32).reshape(-1, 1)
  np.savez(tmp_path / "sine.npz", x=x, y=np.sin(x))
  numbers = model_report.accuracy_section(TESTDATA / "hello_world_float.tflite",
                                          TESTDATA / "hello_world_int8.tflite",
                                          tmp_path / "sine.npz", "regression")
  expected = accuracy.compare(TESTDATA / "hello_world_float.tflite",
                              TESTDATA / "hello_world_int8.tflite", tmp_path / "sine.npz")
  for key in ("reference", "quantized"):
    assert f"{numbers[key]['metrics']['MAE']:12.6f}" in expected.table
  assert numbers["samples"] == 200
  assert numbers["quantized"]["interpreter"] == "TFLM"
  histogram = numbers["error_histogram"]
  assert sum(histogram["counts"]) == 200 and len(histogram["edges"]) == model_report.ERROR_BINS + 1
  assert max(abs(histogram["edges"][0]), abs(histogram["edges"][-1])) == pytest.approx(
      numbers["max_abs_error"])
  assert 0 < numbers["max_abs_error"] < 0.2
  report, page = _report("hello_world_int8.tflite", accuracy_numbers=numbers)
  assert len(re.findall(r'<rect class="bin"', page)) == model_report.ERROR_BINS
  for path, text in model_report.shown_numbers(page):
    assert model_report.matches(text, model_report.lookup(report, path)), (path, text)
  assert "accuracy.quantized.metrics.MAE" in {path for path, _ in model_report.shown_numbers(page)}


def test_a_model_the_compiler_refuses_gets_a_page_without_the_aot_plan():
  report, page = _report("dense_dynamic_range.tflite")
  assert report["aot"]["compiles_model"] is False
  assert report["aot"]["error"]
  assert "aot" not in report["memory"]
  assert "does not compile it" in page
  assert len(re.findall(r'<svg class="plan"', page)) == 1


def test_model_strings_are_escaped():
  report, _ = _report("hello_world_int8.tflite")
  evil = '<script>alert("x")</script>'
  report["model"] = evil
  report["inputs"][0]["name"] = evil
  report["memory"]["tflm"]["bars"][0]["name"] = evil
  page = model_report.page(report)
  assert "<script" not in page
  assert "&lt;script&gt;" in page


def test_the_page_fetches_nothing():
  _, page = _report("person_detect.tflite")
  assert not re.search(r"<script|<link|<img|@import|url\(|https?://", page)


def test_cli_writes_both_files(tmp_path):
  analysis = tmp_path / "analysis.json"
  analysis.write_text(json.dumps(analyze.analyze(str(TESTDATA / "hello_world_int8.tflite"), "h",
                                                 False, False, 10)))
  out_html, out_json = tmp_path / "r.html", tmp_path / "r.json"
  result = testing.run_cli("model_report", f"--model={TESTDATA / 'hello_world_int8.tflite'}",
                           f"--analysis={analysis}", f"--html={out_html}", f"--json={out_json}",
                           "--model_label=//m:hello")
  assert result.returncode == 0, result.stderr
  assert json.loads(out_json.read_text())["model"] == "h"
  assert "<title>h: model report</title>" in out_html.read_text()


def test_cli_refuses_a_missing_analysis_and_leaves_nothing(tmp_path):
  out_html, out_json = tmp_path / "r.html", tmp_path / "r.json"
  result = testing.run_cli("model_report", f"--model={TESTDATA / 'hello_world_int8.tflite'}",
                           f"--analysis={tmp_path / 'missing.json'}", f"--html={out_html}",
                           f"--json={out_json}", "--model_label=//m:hello")
  testing.assert_clean_failure(result, "model_report", "cannot read the analysis report",
                               [out_html, out_json])
