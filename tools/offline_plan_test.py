"""tools/offline_plan.py with the real TFLM: it follows our plan, in a smaller arena, with the same outputs."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).absolute().parents[1]
TESTDATA = REPO / "tests" / "testdata"

# Child process: TFLM's smallest arena for a model (analyze's search), and
# its outputs for seeded random inputs.
_MEASURE = r"""
import json, sys
import numpy as np
from tools import analyze
from tflite_micro.python.tflite_micro import runtime
path = sys.argv[1]
result = analyze.check_tflm(path, 1 << 20, 0)
interpreter = runtime.Interpreter.from_bytes(open(path, "rb").read(), arena_size=1 << 20)
rng = np.random.default_rng(0)
outputs = []
for _ in range(3):
  index = 0
  while True:
    try:
      details = interpreter.get_input_details(index)
    except Exception:
      break
    interpreter.set_input(rng.integers(-128, 128, size=details["shape"]).astype(details["dtype"]), index)
    index += 1
  interpreter.invoke()
  outputs.append(interpreter.get_output(0).tolist())
print(json.dumps({"arena": result.min_arena_bytes, "outputs": outputs}))
"""


def _measure(path: pathlib.Path) -> dict:
  result = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], cwd=REPO,
                          capture_output=True, text=True, check=True)
  return json.loads(result.stdout.splitlines()[-1])


def _plan(model: pathlib.Path, out: pathlib.Path, *flags: str) -> str:
  result = subprocess.run([sys.executable, "-m", "tools.offline_plan", f"--model={model}",
                           f"--output={out}", *flags], cwd=REPO, capture_output=True, text=True)
  assert result.returncode == 0, result.stderr
  return result.stdout


@pytest.mark.parametrize("name,shrinks", [
    ("simple_add_model", True),  # the ADD writes over an input
    ("hello_world_int8", False),  # TFLM's own plan already reaches the lower bound
    ("micro_speech_quantized", False),
])
def test_tflm_runs_our_plan_in_no_more_arena_with_identical_outputs(tmp_path, name, shrinks):
  model = TESTDATA / f"{name}.tflite"
  summary = _plan(model, tmp_path / "planned.tflite")
  before, after = _measure(model), _measure(tmp_path / "planned.tflite")
  print(f"{name}: TFLM's smallest arena {before['arena']} bytes, with our plan {after['arena']} "
        f"bytes; {summary.strip()}")
  assert after["outputs"] == before["outputs"]
  assert after["arena"] < before["arena"] if shrinks else after["arena"] == before["arena"]


def test_tflm_follows_the_plan_even_a_wasteful_one(tmp_path):
  # Every tensor in memory of its own: TFLM then needs more arena than with
  # its own plan, so the metadata, not chance, sets the figures above.
  from tools import memory_planner, offline_plan, tflite_reader
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
