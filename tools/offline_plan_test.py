"""tools/offline_plan.py with the real TFLM: it follows our plan, in a smaller arena, with the same outputs."""

import pathlib

import numpy as np
import pytest

from tools import analyze
from tools import memory_planner
from tools import offline_plan
from tools import testing
from tools import tflite_reader

TESTDATA = testing.TESTDATA


def _measure(path: pathlib.Path) -> dict:
  """TFLM's smallest arena for a model (analyze's search), and its outputs for seeded random inputs."""
  from tflite_micro.python.tflite_micro import runtime
  result = analyze.check_tflm(str(path), 1 << 20, 0)
  interpreter = runtime.Interpreter.from_bytes(path.read_bytes(), arena_size=1 << 20)
  rng = np.random.default_rng(0)
  inputs = len(tflite_reader.read_model_file(str(path)).main.inputs)
  outputs = []
  for _ in range(3):
    for index in range(inputs):
      details = interpreter.get_input_details(index)
      interpreter.set_input(rng.integers(-128, 128, size=details["shape"]).astype(details["dtype"]),
                            index)
    interpreter.invoke()
    outputs.append(interpreter.get_output(0).tolist())
  return {"arena": result.min_arena_bytes, "outputs": outputs}


@pytest.mark.parametrize("name,shrinks", [
    ("simple_add_model", True),  # the ADD writes over an input
    ("hello_world_int8", False),  # TFLM's own plan already reaches the lower bound
    ("micro_speech_quantized", False),
])
def test_tflm_runs_our_plan_in_no_more_arena_with_identical_outputs(tmp_path, name, shrinks):
  model = TESTDATA / f"{name}.tflite"
  summary = offline_plan.write_planned(str(model), tmp_path / "planned.tflite")
  before, after = _measure(model), _measure(tmp_path / "planned.tflite")
  print(f"{name}: TFLM's smallest arena {before['arena']} bytes, with our plan {after['arena']} "
        f"bytes; {summary}")
  assert after["outputs"] == before["outputs"]
  assert after["arena"] < before["arena"] if shrinks else after["arena"] == before["arena"]


def test_tflm_follows_the_plan_even_a_wasteful_one(tmp_path):
  # Every tensor in memory of its own: TFLM then needs more arena than with
  # its own plan, so the metadata, not chance, sets the figures above.
  model = TESTDATA / "micro_speech_quantized.tflite"
  data = model.read_bytes()
  graph = tflite_reader.read_model(data, str(model)).main
  offsets, end = {}, 0
  for tensor in sorted(memory_planner.lifetimes(graph)):
    offsets[tensor], end = end, end + graph.tensors[tensor].num_bytes
  wasteful = memory_planner.Plan(offsets=offsets, arena_bytes=end, lower_bound=0)
  (tmp_path / "wasteful.tflite").write_bytes(
      offline_plan.with_offline_plan(data, offline_plan.plan_values(graph, wasteful)))
  # The reshaped input (1960 bytes) no longer shares memory with later tensors.
  assert _measure(tmp_path / "wasteful.tflite")["arena"] >= _measure(model)["arena"] + 1960


def test_cli_on_a_file_that_is_not_a_model(tmp_path):
  (tmp_path / "m.tflite").write_bytes(b"not a model at all")
  result = testing.run_cli("offline_plan", f"--model={tmp_path / 'm.tflite'}",
                           f"--output={tmp_path / 'planned.tflite'}", "--noin_place")
  testing.assert_clean_failure(result, "offline_plan", "is not a TensorFlow Lite FlatBuffer",
                               [tmp_path / "planned.tflite"])
