"""The bugs the fuzzer found (and the issue reported), each as a mutant made here from a
test model: every tool that reads it gives one clean error (or, for the
injection, safe C), never a traceback, and leaves nothing behind."""

import pathlib

import numpy as np
import pytest

from tools import testing
from tools.fuzz import mutate
from tools.fuzz import run
from tools.fuzz import sanitize


def _edited(model: str, edit) -> bytes:
  """tests/testdata/<model> with `edit(model_object)` applied."""
  m = mutate.unpack((testing.TESTDATA / model).read_bytes())
  edit(m)
  return mutate.pack(m)


def _tensor(m, index: int):
  return m.subgraphs[0].tensors[index]


def _set(obj, **fields):
  for name, value in fields.items():
    setattr(obj, name, value)


# (name, seed model, edit, {tool: text its error must hold, or None: a clean error or
# success}).
REPRODUCERS = [
    # analyze: IndexError in describe; now model_check names the graph output.
    ("graph_output_out_of_range", "hello_world_int8.tflite",
     lambda m: _set(m.subgraphs[0], outputs=[99]),
     {"analyze": "the graph's output 0 is tensor 99, but the subgraph has tensors 0 to 9",
      "aot_compile": "the graph's output 0 is tensor 99", "op_resolver": "tensor 99"}),
    # The float FULLY_CONNECTED that wrote 255 floats into a 128-byte arena.
    ("fully_connected_weights_inconsistent", "hello_world_float.tflite",
     lambda m: _set(_tensor(m, 5), shape=[16, 255]),
     {"aot_compile": "its buffer holds 1024 bytes, but its shape [16, 255] of float32 needs 16320",
      "analyze": "needs 16320"}),
    # The weights' shape changed with their buffer: still no fit with the input.
    ("fully_connected_depth_mismatch", "hello_world_float.tflite",
     lambda m: (_set(_tensor(m, 5), shape=[8, 32])),
     {"aot_compile": "operator 1 (FULLY_CONNECTED): input [1, 16], weights [8, 32] and output "
                     "[1, 16] do not fit"}),
    # Fuzz seed 1, case 122: an IndexError in overlap.py on a scalar output.
    ("fully_connected_scalar_output", "hello_world_int8.tflite",
     lambda m: _set(_tensor(m, 9), shape=[]),
     {"aot_compile": "operator 2 (FULLY_CONNECTED): input [1, 16], weights [1, 16] and output [] "
                     "do not fit"}),
    # Fuzz seed 1, case 314: a KeyError in overlap.py on pooling without its options.
    ("pool_without_options", "cnn_float.tflite",
     lambda m: _set(m.subgraphs[0].operators[4], builtinOptionsType=0, builtinOptions=None),
     {"aot_compile": "operator 4 (MAX_POOL_2D): its options are not pooling options"}),
    # Fuzz seed 1, case 454: an IndexError in validate.py on a scalar output.
    ("depthwise_scalar_output", "cnn_float.tflite", lambda m: _set(_tensor(m, 16), shape=[]),
     {"aot_compile": "operator 1 (DEPTHWISE_CONV_2D): input [1, 12, 12, 8] and output [] are "
                     "not 4D"}),
    # Fuzz seed 1, case 5437: a KeyError in emitter.py on an int4 bias.
    ("bias_of_another_type", "hello_world_int8.tflite", lambda m: _set(_tensor(m, 3), type=17),
     {"aot_compile": "operator 1 (FULLY_CONNECTED): the bias tensor 3 "}),
    # "shift exponent 112 is too large" in the kernels: an extreme output scale.
    ("extreme_scale", "hello_world_int8.tflite",
     lambda m: _set(_tensor(m, 9).quantization, scale=[1e-38]),
     {"aot_compile": "operator 2 (FULLY_CONNECTED): the scales give a multiplier of"}),
    ("nan_scale", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 6).quantization, scale=[float("nan")]),
     {"aot_compile": "its quantization scale nan is not a finite number above 0",
      "analyze": "is not a finite number above 0", "op_resolver": "is not a finite number"}),
    ("zero_point_outside_int8", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 0).quantization, zeroPoint=[1000]),
     {"aot_compile": "its zero point 1000 lies outside int8's range [-128, 127]"}),
    ("operator_output_absent", "residual_int8.tflite",
     lambda m: _set(m.subgraphs[0].operators[1], outputs=[-1]),
     {"aot_compile": "operator 1 (RESHAPE): output 0 is tensor -1",
      "analyze": "operator 1 (RESHAPE): output 0 is tensor -1"}),
    ("missing_quantization", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 7), quantization=None),
     {"aot_compile": "operator 3 (FULLY_CONNECTED): tensor 7 \"functional_1_1/dense_3_1/MatMul1\" "
                     "is int8 without a quantization scale and zero point"}),
    ("add_does_not_broadcast", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 6), shape=[1, 9]),
     {"aot_compile": "operator 2 (ADD): shapes [1, 8] and [8] do not broadcast to the output's "
                     "[1, 9]"}),
    ("reshape_changes_size", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 5), shape=[16]),
     {"aot_compile": "operator 1 (RESHAPE): input tensor 4"}),
    ("bias_overflows_int32", "hello_world_int8.tflite",
     lambda m: _set(m.buffers[_tensor(m, 3).buffer],
                    data=np.full(16, 0x7fffff00, "<i4").view(np.uint8)),
     {"aot_compile": "operator 1 (FULLY_CONNECTED): its bias and weights can sum to"}),
    # Fuzz seed 2, case 64: "left shift of 1 by 31 places" in the int8 SOFTMAX kernel.
    ("softmax_left_shift_31", "residual_int8.tflite",
     lambda m: _set(_tensor(m, 7).quantization, scale=[100.0]),
     {"aot_compile": "operator 4 (SOFTMAX): beta 1.0 times the input scale 100.0 is 16 or more"}),
    # Fuzz seed 2, case 486: C that no -Wall -Werror build takes (the arena unused).
    ("no_outputs", "hello_world_int8.tflite", lambda m: _set(m.subgraphs[0], outputs=[]),
     {"aot_compile": "the model has no outputs, so nothing to compute"}),
    # Fuzz seed 2, cases 74 and 156: an IndexError writing the ZERO_POINT macro.
    ("scales_without_zero_points", "hello_world_int8.tflite",
     lambda m: _set(_tensor(m, 0).quantization, zeroPoint=[]),
     {"aot_compile": "it has 1 quantization scales but 0 zero points; give one zero point per "
                     "scale", "analyze": "0 zero points", "golden": "0 zero points"}),
    # TFLM often dies by SIGFPE on it (it reads memory it never set), which took golden
    # down with it; now golden says so, or (when TFLM survives) succeeds.
    ("tflm_crashes_in_golden", "hello_world_int8.tflite",
     lambda m: _set(m.operatorCodes[0], builtinCode=3, deprecatedBuiltinCode=3),  # CONV_2D
     {"golden": None}),
    # TFLM has no kernel for it (golden raised TFLM's RuntimeError), and TF Lite, which golden
    # then asks, refuses its tensors.
    ("tflm_cannot_load", "hello_world_int8.tflite",
     lambda m: _set(m.operatorCodes[0], builtinCode=48, deprecatedBuiltinCode=48),  # TOPK_V2
     {"golden": "TF Lite's interpreter cannot load"}),
]


def _write(tmp_path: pathlib.Path, data: bytes) -> pathlib.Path:
  model = tmp_path / "m.tflite"
  model.write_bytes(data)
  return model


@pytest.mark.parametrize("name,seed,edit,errors", REPRODUCERS, ids=[r[0] for r in REPRODUCERS])
def test_reproducer_is_a_clean_error(tmp_path, name, seed, edit, errors):
  del name
  model = _write(tmp_path, _edited(seed, edit))
  run.preload()
  for tool, message in errors.items():
    out = tmp_path / tool
    run.clean(out)
    result = run.run_tool(tool, model, out, timeout=60)
    if message is None:
      assert result.outcome in ("clean error", "success"), (tool, result.stderr)
      assert result.outcome == "success" or "the TFLM interpreter crashed" in result.stderr
      continue
    assert result.outcome == "clean error", (tool, result.stderr)
    assert message in result.stderr, (tool, result.stderr)


def test_an_injected_name_stays_in_its_comment(tmp_path):
  """The issue's tensor name compiles into a comment, escaped, and nothing runs it."""
  injection = b'*/ puts("INJECTED"); /*'
  data = _edited("hello_world_int8.tflite", lambda m: [
      _set(t, name=injection) for t in m.subgraphs[0].tensors])
  model = _write(tmp_path, data)
  out = tmp_path / "out"
  run.clean(out)
  assert run.run_tool("aot_compile", model, out, timeout=60).outcome == "success"
  source = (out / "m.c").read_text()
  assert '/* tensor 4 "* / puts("INJECTED"); / * " int8 [16, 16] */' in source
  assert '*/ puts' not in source
  build = tmp_path / "build"
  run.clean(build)
  for name in ("m.h", "m.c"):
    (build / name).write_bytes((out / name).read_bytes())
  checked = sanitize.check(sanitize.Runtime(tmp_path / "runtime"), data, build, seed=1)
  assert checked.outcome == "ok", checked.detail


@pytest.mark.parametrize("flags,message", [
    (["--prefix=mlp-act"], "aot_compile: error: --prefix 'mlp-act' is not a valid C identifier"),
    (["--prefix=m", "--include_path=a\"b.h"],
     "--include_path 'a\"b.h' cannot stand in an #include"),
    (["--prefix=m", "--arena_section=.a\"b"],
     "--arena_section '.a\"b' is not a valid linker section"),
])
def test_aot_compile_flags_are_checked(tmp_path, flags, message):
  header, source = tmp_path / "m.h", tmp_path / "m.c"
  result = testing.run_cli("aot_compile", f"--model={testing.TESTDATA / 'hello_world_int8.tflite'}",
                           f"--header={header}", f"--source={source}", *flags)
  testing.assert_clean_failure(result, "aot_compile", message, [header, source])


def test_c_names_from_flags_are_checked(tmp_path):
  model = testing.TESTDATA / "hello_world_int8.tflite"
  result = testing.run_cli("c_array", f"--input={model}", f"--header={tmp_path / 'a.h'}",
                           f"--source={tmp_path / 'a.cc'}", "--array_name=mlp-act")
  testing.assert_clean_failure(result, "c_array", "--array_name 'mlp-act' is not a valid C "
                               "identifier", [tmp_path / "a.h", tmp_path / "a.cc"])
  result = testing.run_cli("c_array", f"--input={model}", f"--header={tmp_path / 'a.h'}",
                           f"--source={tmp_path / 'a.cc'}", "--array_name=m", "--namespace=fw::1x")
  testing.assert_clean_failure(result, "c_array", "--namespace 'fw::1x': its part '1x' is not a "
                               "valid C identifier")
  result = testing.run_cli("op_resolver", f"--model={model}", f"--header={tmp_path / 'r.h'}",
                           "--name=m-1")
  testing.assert_clean_failure(result, "op_resolver", "--name 'm-1' is not a valid C identifier",
                               [tmp_path / "r.h"])


def test_an_output_path_that_is_a_folder_is_a_clean_error(tmp_path):
  folder = tmp_path / "m.h"
  folder.mkdir()
  result = testing.run_cli("aot_compile", f"--model={testing.TESTDATA / 'hello_world_int8.tflite'}",
                           f"--header={folder}", f"--source={tmp_path / 'm.c'}", "--prefix=m")
  testing.assert_clean_failure(result, "aot_compile", "the output path is a directory",
                               [tmp_path / "m.c"])
  blocker = tmp_path / "file"
  blocker.write_text("")
  result = testing.run_cli("c_array", f"--input={testing.TESTDATA / 'hello_world_int8.tflite'}",
                           f"--header={blocker / 'a.h'}", f"--source={tmp_path / 'a.c'}",
                           "--array_name=m")
  testing.assert_clean_failure(result, "c_array", "cannot write the output", [tmp_path / "a.c"])


def test_tflm_looping_for_ever_is_a_clean_error(tmp_path):
  """Fuzz seed 1, case 7130 (an operator of keras_layers_float given another's opcode):
  TFLM loops for ever on it, at random; analyze and golden stopped only at the fuzzer's
  timeout. Now they stop TFLM themselves."""
  from tools import analyze, golden  # pylint: disable=import-outside-toplevel
  from tools.fuzz import campaign  # pylint: disable=import-outside-toplevel
  (case,) = run.cases(campaign.seed_models(), 1, 1, start=7130)
  assert case.mutation == "opcode_index"
  model = _write(tmp_path, case.data)
  run.preload()
  saved = analyze.PROBE_TIMEOUT_SECONDS, golden.TIMEOUT_SECONDS
  analyze.PROBE_TIMEOUT_SECONDS = golden.TIMEOUT_SECONDS = 5  # the forked children inherit it
  try:
    for tool in ("golden", "analyze_tflm"):
      out = tmp_path / tool
      run.clean(out)
      result = run.run_tool(tool, model, out, timeout=120)
      assert result.outcome in ("clean error", "success"), (tool, result.stderr)
      assert result.outcome == "success" or "did not finish" in result.stderr or (
          "cannot" in result.stderr), result.stderr
  finally:
    analyze.PROBE_TIMEOUT_SECONDS, golden.TIMEOUT_SECONDS = saved
