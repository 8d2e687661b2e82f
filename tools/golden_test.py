"""Tests of tools/golden.py: the vectors are what TFLM computes, in a header C++ compiles."""

import subprocess

import numpy as np
import pytest

from tools import common
from tools import golden
from tools import testing

INT8 = testing.TESTDATA / "hello_world_int8.tflite"
SIMPLE_ADD = testing.TESTDATA / "simple_add_model.tflite"


def test_random_int8_inputs_span_the_range():
  inputs = golden.random_inputs([{"dtype": np.int8, "shape": np.array([1, 1])}], 200, seed=0)
  values = np.concatenate([i.ravel() for (i,) in inputs])
  assert values.dtype == np.int8 and values.min() < -100 and values.max() > 100


def test_golden_outputs_follow_sin_x(tmp_path):
  x = np.linspace(0.5, 5.5, 6, dtype=np.float32).reshape(-1, 1)
  np.save(tmp_path / "x.npy", x)
  golden.write_header(str(INT8), tmp_path / "g.h", dataset=tmp_path / "x.npy")
  text = (tmp_path / "g.h").read_text()
  assert "kGoldenCount = 6," in text
  outputs = text.split("kGoldenOutputs[6][1] = {")[1].split("};")[0]
  q = np.array([int(v) for v in outputs.replace("{", " ").replace("}", " ").replace(",", " ").split()],
               dtype=np.uint8).view(np.int8)
  # Output scale and zero point of hello_world_int8.
  assert np.abs((q.astype(float) - 5) * 0.00829096 - np.sin(x.ravel())).max() < 0.1
  for compiler, suffix in (("gcc", "c"), ("g++", "cc")):
    main = tmp_path / f"main.{suffix}"
    main.write_text('#include "g.h"\nint main(void) { return kGoldenInputs[0][0] == kGoldenInputs[0][0] ? 0 : 1; }\n')
    subprocess.run([compiler, "-Wall", "-Werror", "-I", str(tmp_path), str(main), "-o",
                    str(tmp_path / "m")], check=True)


def _bytes(text: str, array: str) -> bytes:
  """The bytes of the C array `array` (its declaration up to "= {") in header `text`."""
  body = text.split(array + " = {")[1].split("};")[0]
  return bytes(int(v) for v in body.replace("{", " ").replace("}", " ").replace(",", " ").split())


def test_a_model_with_an_op_tflm_lacks_gets_tflite_reference_outputs(tmp_path):
  # TOPK_V2: TFLM has no kernel; TF Lite's reference kernels give the outputs, and say so.
  model = testing.TESTDATA / "top_k.tflite"
  golden.write_header(str(model), tmp_path / "g.h", count=2)
  text = (tmp_path / "g.h").read_text()
  assert ("#define GOLDEN_ORACLE \"TF Lite's reference kernels (TFLM has no kernel for "
          "TOPK_V2)\"") in text
  import tensorflow as tf  # pylint: disable=import-outside-toplevel
  interpreter = tf.lite.Interpreter(model_path=str(model))
  interpreter.allocate_tensors()
  (detail,) = interpreter.get_input_details()
  inputs = _bytes(text, "kGoldenInputs[2][%d]" % (np.prod(detail["shape"]) * 4))
  size = len(inputs) // 2
  expected = b""
  for vector in (inputs[:size], inputs[size:]):
    interpreter.set_tensor(detail["index"], np.frombuffer(vector, detail["dtype"]).reshape(
        detail["shape"]))
    interpreter.invoke()
    expected += b"".join(interpreter.get_tensor(d["index"]).tobytes()
                         for d in interpreter.get_output_details())
  assert _bytes(text, "kGoldenOutputs[2][%d]" % (len(expected) // 2)) == expected


def test_a_model_tflm_runs_gets_tflm_outputs(tmp_path):
  golden.write_header(str(INT8), tmp_path / "g.h", count=1)
  assert '#define GOLDEN_ORACLE "TFLM"' in (tmp_path / "g.h").read_text()


def test_dataset_inputs_are_quantized_with_the_input_scale(tmp_path):
  np.save(tmp_path / "x.npy", np.array([[0.0], [0.0244801], [100.0]], np.float32))
  details = {"dtype": np.int8, "shape": np.array([1, 1]),
             "quantization_parameters": {"scales": np.array([0.0244801], np.float32),
                                         "zero_points": np.array([-128])}}
  inputs = golden.dataset_inputs(tmp_path / "x.npy", details, 8)
  assert [v.tolist() for (v,) in inputs] == [[[-128]], [[-127]], [[127]]]


def test_a_model_with_two_inputs_gets_both_in_each_vector(tmp_path):
  golden.write_header(str(SIMPLE_ADD), tmp_path / "g.h", count=2)
  text = (tmp_path / "g.h").read_text()
  assert "kGoldenInputCount = 2, kGoldenOutputCount = 1" in text
  assert "kGoldenInputBytes[2] = {16384, 16384};" in text
  assert "kGoldenInputs[2][32768]" in text and "kGoldenOutputs[2][16384]" in text


def test_a_dataset_of_the_wrong_shape_names_both(tmp_path):
  np.save(tmp_path / "x.npy", np.zeros((2, 3), np.float32))
  with pytest.raises(common.ToolError, match=r"dataset has shape \(2, 3\), but //m takes inputs"):
    golden.write_header(str(INT8), tmp_path / "g.h", dataset=tmp_path / "x.npy", label="//m")
  assert not (tmp_path / "g.h").exists()


def test_cli_a_dataset_for_a_model_with_two_inputs(tmp_path):
  np.save(tmp_path / "x.npy", np.zeros((2, 128, 128, 1), np.float32))
  result = testing.run_cli("golden", f"--model={SIMPLE_ADD}", f"--header={tmp_path / 'g.h'}",
                           f"--dataset={tmp_path / 'x.npy'}", "--count=2", "--seed=1",
                           "--model_label=//m:add")
  testing.assert_clean_failure(result, "golden", "has 2 inputs; leave out the dataset",
                               [tmp_path / "g.h"])
