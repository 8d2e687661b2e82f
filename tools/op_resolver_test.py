"""Tests of tools/op_resolver.py, with the real TFLM interpreter as the judge of every builtin op."""

import json
import subprocess
import sys

import pytest

from tools import common
from tools import op_resolver
from tools import testing

# Child process: for each builtin code, a one-operator model goes to TFLM.
# TFLM prints "Didn't find op for builtin opcode" when it has no kernel; with
# a kernel, that kernel then fails on the meaningless tensors, or crashes the
# process, which also shows that TFLM found it.
_PROBE = r"""
import json, os, sys, tempfile
import flatbuffers
from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as s

def model(code):
  m = s.ModelT()
  m.version = 3
  opcode = s.OperatorCodeT()
  opcode.builtinCode, opcode.deprecatedBuiltinCode, opcode.version = code, min(code, 127), 1
  m.operatorCodes = [opcode]
  tensors = []
  for name in (b"in", b"out"):
    t = s.TensorT()
    t.shape, t.type, t.buffer, t.name = [1], s.TensorType.FLOAT32, 0, name
    tensors.append(t)
  op = s.OperatorT()
  op.opcodeIndex, op.inputs, op.outputs = 0, [0], [1]
  graph = s.SubGraphT()
  graph.tensors, graph.inputs, graph.outputs, graph.operators = tensors, [0], [1], [op]
  m.subgraphs, m.buffers = [graph], [s.BufferT()]
  builder = flatbuffers.Builder(1024)
  builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())

for code in map(int, sys.argv[1:]):
  print(json.dumps({"trying": code}), flush=True)
  saved = os.dup(2)
  with tempfile.TemporaryFile() as log:
    os.dup2(log.fileno(), 2)
    try:
      runtime.Interpreter.from_bytes(model(code), arena_size=1 << 16)
    except Exception:
      pass
    os.dup2(saved, 2)
    log.seek(0)
    missing = "Didn't find op for builtin opcode" in log.read().decode("utf-8", "replace")
  print(json.dumps({"code": code, "found": not missing}), flush=True)
"""


@pytest.fixture(scope="module")
def builtin_names() -> dict[int, str]:
  from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema
  return {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}


@pytest.fixture(scope="module")
def tflm_builtins(builtin_names) -> set[str]:
  """The builtin ops the real TFLM interpreter has kernels for."""
  pending = [c for c, name in sorted(builtin_names.items()) if name not in ("CUSTOM", "DELEGATE")]
  found = {}
  while pending:
    done = subprocess.run([sys.executable, "-c", _PROBE, *map(str, pending)], capture_output=True,
                          text=True)
    trying = None
    for line in done.stdout.splitlines():
      record = json.loads(line)
      if "trying" in record:
        trying = record["trying"]
      else:
        found[record["code"]], trying = record["found"], None
    if trying is not None:  # The kernel crashed the process: TFLM has it.
      found[trying] = True
    pending = [c for c in pending if c not in found]
  return {builtin_names[c] for c, has in found.items() if has}


def test_every_builtin_tflm_has_gets_an_add_call_and_no_other(builtin_names, tflm_builtins):
  assert op_resolver.TFLM_BUILTINS == tflm_builtins
  for name in builtin_names.values():
    if name in tflm_builtins:
      assert op_resolver.add_method(name).startswith("Add")
    else:
      with pytest.raises(common.ToolError, match="TFLM has no kernel"):
        op_resolver.add_method(name)


@pytest.mark.parametrize("op,method", [
    ("FULLY_CONNECTED", "AddFullyConnected"), ("CONV_2D", "AddConv2D"),
    ("DEPTHWISE_CONV_2D", "AddDepthwiseConv2D"), ("L2_POOL_2D", "AddL2Pool2D"),
    ("BATCH_MATMUL", "AddBatchMatMul"), ("BATCH_TO_SPACE_ND", "AddBatchToSpaceNd"),
    ("UNIDIRECTIONAL_SEQUENCE_LSTM", "AddUnidirectionalSequenceLSTM"), ("CUMSUM", "AddCumSum"),
    ("PADV2", "AddPadV2"), ("ADD_N", "AddAddN"), ("RELU6", "AddRelu6"), ("SVDF", "AddSvdf"),
    ("REVERSE_V2", "AddReverseV2"), ("LOG_SOFTMAX", "AddLogSoftmax"), ("PRELU", "AddPrelu"),
])
def test_method_names(op, method):
  assert op_resolver.add_method(op) == method


def test_header_for_person_detect():
  text = op_resolver.header_text(
      ["SOFTMAX", "CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "RESHAPE"],
      "person_detect", "//m:person_detect", "m/person_detect_op_resolver.h")
  assert "using PersonDetectOpResolver = tflite::MicroMutableOpResolver<5>;" in text
  calls = [line.split("resolver.")[1].split("(")[0] for line in text.splitlines() if "resolver.Add" in line]
  assert calls == ["AddAveragePool2D", "AddConv2D", "AddDepthwiseConv2D", "AddReshape", "AddSoftmax"]
  assert "#ifndef M_PERSON_DETECT_OP_RESOLVER_H_" in text
  assert '#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"' in text


def test_custom_ops_are_an_error_or_a_hook():
  with pytest.raises(common.ToolError, match="custom op\\(s\\) MyOp"):
    op_resolver.header_text(["ADD", "CUSTOM:MyOp"], "m", "//m", "m.h")
  text = op_resolver.header_text(["ADD", "CUSTOM:MyOp"], "m", "//m", "m.h", "fw", "hook")
  assert "using MOpResolver = tflite::MicroMutableOpResolver<2>;" in text
  assert "TfLiteStatus RegisterMCustomOps(MOpResolver& resolver);" in text
  assert "namespace fw {" in text


def test_write_header_of_a_model(tmp_path):
  op_resolver.write_header(str(testing.TESTDATA / "hello_world_int8.tflite"), tmp_path / "r.h",
                           "hello", "fw", "m/r.h", "//m:hello", ["FULLY_CONNECTED"], "//t:lib")
  text = (tmp_path / "r.h").read_text()
  assert text.startswith("// Generated by rules_tflm op_resolver from //m:hello. Do not edit.\n")
  assert "#ifndef M_R_H_" in text and "namespace fw {" in text
  assert "status = resolver.AddFullyConnected();  // FULLY_CONNECTED" in text


def test_a_model_with_an_op_tflm_lacks_leaves_no_header(tmp_path):
  with pytest.raises(common.ToolError, match="uses TOPK_V2, which TFLM has no kernel for"):
    op_resolver.write_header(str(testing.TESTDATA / "top_k.tflite"), tmp_path / "r.h", "top_k")
  assert not (tmp_path / "r.h").exists()


def test_cli_linked_kernels_that_miss_an_op(tmp_path):
  result = testing.run_cli(
      "op_resolver", f"--model={testing.TESTDATA / 'hello_world_int8.tflite'}",
      f"--header={tmp_path / 'r.h'}", "--name=hello", "--namespace=fw", "--include_path=m/r.h",
      "--model_label=//m:hello", "--linked_ops=SOFTMAX,RESHAPE", "--linked_by=//t:lib",
      "--custom_ops=hook")
  testing.assert_clean_failure(
      result, "op_resolver", "//m:hello uses FULLY_CONNECTED, but //t:lib links only the TFLM "
      'kernels of ops = ["SOFTMAX", "RESHAPE"]', [tmp_path / "r.h"])


def test_linked_kernels_must_cover_the_models_ops():
  op_resolver.check_linked(["CONV_2D", "CUSTOM:MyOp"], ["CONV_2D", "SOFTMAX"], "//m", "//t:lib")
  with pytest.raises(common.ToolError) as error:
    op_resolver.check_linked(["CONV_2D", "RESHAPE", "SOFTMAX"], ["SOFTMAX"], "//m", "//t:lib")
  assert str(error.value) == (
      '//m uses CONV_2D, RESHAPE, but //t:lib links only the TFLM kernels of ops = ["SOFTMAX"]; '
      'set ops = ["CONV_2D", "RESHAPE", "SOFTMAX"].')
