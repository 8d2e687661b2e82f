"""Tests of tools/analyze.py: reports of real models, the TFLM arena search, refusals, budgets."""

import json
import subprocess
import sys

import pytest

from tools import analyze
from tools import common
from tools import testing
from tools import tflite_reader

TESTDATA = testing.TESTDATA


def _model(name: str) -> tflite_reader.Model:
  return tflite_reader.read_model_file(str(TESTDATA / name))


def test_describe_hello_world_int8():
  report = analyze.describe(_model("hello_world_int8.tflite"), "//m:hello")
  assert report["model"] == "//m:hello"
  assert report["model_bytes"] == 2704
  assert report["quantization"] == "int8"
  assert report["ops"] == {"FULLY_CONNECTED": 3}
  # Dense 1→16, 16→16, 16→1: 16 + 256 + 16 multiply-accumulates.
  assert [op["macs"] for op in report["operators"]] == [16, 256, 16]
  assert report["macs"] == 288
  assert report["inputs"] == [{"name": "serving_default_dense_input:0", "dtype": "int8",
                               "shape": [1, 1], "scale": pytest.approx(0.0244801, rel=1e-5),
                               "zero_point": -128}]
  # Weights 16 + 256 + 16 bytes int8, biases 33 int32.
  assert report["constant_bytes"] == 16 + 256 + 16 + 4 * 33


def test_describe_micro_speech_macs():
  report = analyze.describe(_model("micro_speech_quantized.tflite"), "ms")
  # Depthwise 10x8 filter over a 25x20x8 output; dense 4000 → 4.
  assert [op["macs"] for op in report["operators"]] == [0, 25 * 20 * 8 * 10 * 8, 4 * 4000, 0]


@pytest.mark.parametrize("name,kind", [
    ("hello_world_int8.tflite", "int8"),
    ("hello_world_float.tflite", "float32"),
    ("dense_dynamic_range.tflite", "dynamic_range"),
    ("dense_float16.tflite", "float16"),
])
def test_quantization_kind(name, kind):
  assert analyze.quantization_kind(_model(name).main) == kind


def _probe_ok(arena: int) -> bool:
  result = subprocess.run([sys.executable, str(analyze._PROBE),
                           str(TESTDATA / "hello_world_int8.tflite"), "0", str(arena)],
                          capture_output=True, text=True, check=True)
  return json.loads(result.stdout.splitlines()[1])["ok"]


def test_smallest_arena_is_the_smallest_tflm_accepts():
  result = analyze.check_tflm(str(TESTDATA / "hello_world_int8.tflite"), 2704, margin_percent=10)
  assert result.runnable
  assert 1000 < result.min_arena_bytes < 4096
  assert result.min_arena_bytes % 16 == 0
  assert _probe_ok(result.min_arena_bytes)
  assert not _probe_ok(result.min_arena_bytes - 16)
  assert result.recommended_arena_bytes == -(-result.min_arena_bytes * 110 // 100 // 16) * 16


def test_a_crash_of_tflm_counts_as_too_small(tmp_path, monkeypatch):
  # A stand-in probe that segfaults below 4000 bytes and works from there.
  fake = tmp_path / "probe.py"
  fake.write_text("""
import json, os, signal, sys
low, high = int(sys.argv[2]), int(sys.argv[3])
def attempt(arena):
  print(json.dumps({"trying": arena}), flush=True)
  if arena < 4000:
    os.kill(os.getpid(), signal.SIGSEGV)
  print(json.dumps({"arena": arena, "ok": True, "used": None}), flush=True)
  return True
attempt(high)
while high - low > 16:
  middle = (low + high) // 2 // 16 * 16
  if attempt(middle): high = middle
""")
  monkeypatch.setattr(analyze, "_PROBE", fake)
  result = analyze.check_tflm("unused.tflite", 100, margin_percent=0)
  assert result.min_arena_bytes == 4000  # a multiple of 16: 3984 crashed, 4000 worked


def test_write_report_and_summary(tmp_path):
  analyze.write_report(str(TESTDATA / "micro_speech_quantized.tflite"), tmp_path / "r.json",
                       tmp_path / "s.txt", "//a:ms", require_tflm=True)
  report = json.loads((tmp_path / "r.json").read_text())
  assert report["tflm"]["runnable"] is True
  assert report["tflm"]["min_arena_bytes"] <= report["tflm"]["recommended_arena_bytes"]
  summary = (tmp_path / "s.txt").read_text()
  assert summary.startswith("//a:ms: 18800 bytes, int8\n")
  assert "DEPTHWISE_CONV_2D x1" in summary and "TFLM: runs; smallest arena" in summary


def test_an_earlier_report_saves_the_measurement(tmp_path, monkeypatch):
  model = str(TESTDATA / "hello_world_int8.tflite")
  earlier = analyze.write_report(model, tmp_path / "earlier.json", margin_percent=0)

  def no_bisection(*args):
    raise AssertionError("measured again")

  monkeypatch.setattr(analyze, "check_tflm", no_bisection)
  report = analyze.write_report(model, tmp_path / "r.json", require_tflm=True, margin_percent=50,
                                earlier_report=str(tmp_path / "earlier.json"))
  smallest = earlier["tflm"]["min_arena_bytes"]
  assert report["tflm"]["min_arena_bytes"] == smallest
  assert report["tflm"]["recommended_arena_bytes"] == -(-(smallest * 150 // 100) // 16) * 16


def test_an_earlier_report_of_another_model_is_not_reused(tmp_path):
  analyze.write_report(str(TESTDATA / "top_k.tflite"), tmp_path / "earlier.json")
  report = analyze.write_report(str(TESTDATA / "hello_world_int8.tflite"), tmp_path / "r.json",
                                require_tflm=True, earlier_report=str(tmp_path / "earlier.json"))
  assert report["tflm"]["runnable"] is True


def test_a_bad_earlier_report_is_one_clear_error(tmp_path):
  (tmp_path / "earlier.json").write_text("{not json")
  with pytest.raises(common.ToolError, match="earlier.json: not an analysis report"):
    analyze.write_report(str(TESTDATA / "hello_world_int8.tflite"), tmp_path / "r.json",
                         earlier_report=str(tmp_path / "earlier.json"))
  assert not (tmp_path / "r.json").exists()


def test_without_require_tflm_an_unrunnable_model_is_reported_not_refused(tmp_path):
  report = analyze.write_report(str(TESTDATA / "top_k.tflite"), tmp_path / "r.json")
  assert json.loads((tmp_path / "r.json").read_text()) == report
  assert report["tflm"]["runnable"] is False and "TOPK_V2" in report["tflm"]["error"]


@pytest.mark.parametrize("model,options,messages", [
    ("top_k.tflite", {"require_tflm": True},
     ["uses TOPK_V2, which the TFLM interpreter has no kernel for"]),
    ("dense_dynamic_range.tflite", {"require_tflm": True},
     ["is a dynamic-range (hybrid) model", 'quantization = "int8"']),
    ("dense_float16.tflite", {"require_tflm": True}, ["is a float16 model", 'quantization = "int8"']),
    ("hello_world_int8.tflite", {"max_arena_bytes": 1024},
     ["tensor arena", "over the budget max_arena_bytes = 1024"]),
    ("hello_world_int8.tflite", {"max_arena_bytes": 1024, "tflm_check": False},
     ["max_arena_bytes needs the TFLM arena measurement"]),
])
def test_refusals_are_one_clear_error_and_leave_no_output(tmp_path, model, options, messages):
  with pytest.raises(common.ToolError) as error:
    analyze.write_report(str(TESTDATA / model), tmp_path / "r.json", tmp_path / "s.txt", **options)
  for message in messages:
    assert message in str(error.value)
  assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"not a flatbuffer at all", "is not a TensorFlow Lite FlatBuffer"),
    ((TESTDATA / "hello_world_int8.tflite").read_bytes()[:300], "is corrupt"),
])
def test_bad_files_are_one_clear_error(tmp_path, content, message):
  (tmp_path / "m.tflite").write_bytes(content)
  with pytest.raises(common.ToolError, match=message):
    analyze.write_report(str(tmp_path / "m.tflite"), tmp_path / "r.json")
  assert not (tmp_path / "r.json").exists()


def test_budgets_pass_when_met():
  report = {"model": "m", "model_bytes": 100,
            "tflm": {"recommended_arena_bytes": 64, "min_arena_bytes": 48,
                     "arena_margin_percent": 10}}
  analyze.check_budgets(report, max_flash=100, max_arena=64)
  with pytest.raises(common.ToolError, match="by 1 bytes"):
    analyze.check_budgets(report, max_flash=99, max_arena=0)


def test_cli_over_the_flash_budget(tmp_path):
  outputs = [tmp_path / "r.json", tmp_path / "s.txt"]
  result = testing.run_cli("analyze", f"--model={TESTDATA / 'hello_world_int8.tflite'}",
                           f"--report={outputs[0]}", f"--summary={outputs[1]}",
                           "--model_label=//m:hello", "--notflm_check", "--norequire_tflm",
                           "--arena_margin_percent=20", "--max_flash_bytes=2048",
                           "--max_arena_bytes=0")
  testing.assert_clean_failure(
      result, "analyze", "//m:hello: the model is 2704 bytes of flash, over the budget "
      "max_flash_bytes = 2048 by 656 bytes", outputs)
