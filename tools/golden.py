"""Computes golden test vectors with the real TFLM interpreter and writes them as a C header.

Inputs are seeded random values over each input type's range (int8/int16:
every representable value; float32: uniform in [-1, 1]), or, for a model
with one input, the first samples of a dataset (.npy, or .npz with `x`),
quantized with the model's input scale and zero point. Each vector goes
through the TFLM interpreter of the `tflite-micro` package; the header holds
inputs and outputs as raw bytes, all inputs (outputs) of a vector one after
the other.

A model with a builtin op that TFLM has no kernel for (the AOT compiler
runs some: TILE, SELECT) gets its vectors from TF Lite's interpreter with
its reference kernels instead, and the header says so in GOLDEN_ORACLE.
"""

import os
import pathlib
import pickle
import re
import select
import signal
import sys
import time

import numpy as np

from tools import c_text
from tools import common
from tools import model_check
from tools import op_resolver
from tools import progress
from tools import datasets

_ARENA = 1 << 24


def random_inputs(details: list[dict], count: int, seed: int) -> list[list[np.ndarray]]:
  """`count` seeded vectors of inputs spanning each input type's range."""
  rng = np.random.default_rng(seed)

  def draw(detail: dict) -> np.ndarray:
    dtype, shape = np.dtype(detail["dtype"]), tuple(detail["shape"])
    if dtype.kind in "iu":
      info = np.iinfo(dtype)
      return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    return rng.uniform(-1, 1, size=shape).astype(dtype)

  return [[draw(detail) for detail in details] for _ in range(count)]


def dataset_inputs(path: pathlib.Path, details: dict, count: int,
                   label: str = "the model") -> list[list[np.ndarray]]:
  """The first `count` samples of a dataset, quantized for the model's input."""
  x = datasets.load_samples(path)
  shape = tuple(details["shape"])
  samples = datasets.batches(x[:count], shape, path, "dataset", label)
  return [[datasets.quantize(sample.reshape(shape).astype(np.float64), details)]
          for sample in samples]


def _tflm_failed(label: str, what: str, error: Exception, log: str) -> common.ToolError:
  said = "; ".join(line.strip() for line in log.splitlines() if line.strip())[:800]
  return common.ToolError(
      f"the TFLM interpreter cannot {what} {label}: {error}"
      f"{' (TFLM said: ' + said + ')' if said else ''}; "
      "golden vectors need a model TFLM runs: check it with tflm_model_library (or "
      "tools.cli.analyze --require_tflm).")


def missing_kernels(graph) -> list[str]:
  """The builtin ops of `graph` that TFLM has no kernel for, sorted."""
  ops = {op.opcode for op in graph.operators if not op.opcode.startswith("CUSTOM:")}
  return sorted(ops - op_resolver.TFLM_BUILTINS)


def _with_version(model: bytes, opcode: str, version: int) -> bytes:
  """`model` with the operator code of builtin `opcode` at `version`."""
  import flatbuffers  # pylint: disable=import-outside-toplevel
  schema = common.require_module("tflite_micro.tensorflow.lite.micro.python.schema_py_generated",
                                 "compute golden vectors of ops TFLM lacks")
  code = getattr(schema.BuiltinOperator, opcode)
  tree = schema.ModelT.InitFromObj(schema.Model.GetRootAs(model, 0))
  for entry in tree.operatorCodes:
    if max(entry.builtinCode, entry.deprecatedBuiltinCode) == code:
      entry.version = version
  builder = flatbuffers.Builder(len(model) + 1024)
  builder.Finish(tree.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


class _TfLite:
  """TF Lite's interpreter with its reference kernels, called as TFLM's interpreter is.

  The reference set registers some ops up to an older version than the converter writes
  (int8 TILE is version 3, the reference TILE takes 1 and 2, with the same kernel code):
  such an op is read as the highest version the set has, and `kernels` says so.
  """

  def __init__(self, model: bytes):
    tf = common.require_module("tensorflow", "compute golden vectors of ops TFLM lacks")
    self.kernels, lowered = "reference kernels", []
    while True:
      try:
        self._interpreter = tf.lite.Interpreter(
            model_content=model, num_threads=1,
            experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
        break
      except ValueError as e:
        found = re.search(r"Didn't find op for builtin opcode '(\w+)' version '(\d+)'", str(e))
        if not found or int(found[2]) <= 1:
          raise
        model = _with_version(model, found[1], int(found[2]) - 1)
        lowered.append(f"{found[1]} read as version {int(found[2]) - 1}")
    if lowered:
      self.kernels += "".join(f", {note}" for note in dict.fromkeys(lowered))
    self._interpreter.allocate_tensors()
    self._inputs = self._interpreter.get_input_details()
    self._outputs = self._interpreter.get_output_details()

  def get_input_details(self, index: int) -> dict:
    return self._inputs[index]

  def set_input(self, value: np.ndarray, index: int) -> None:
    self._interpreter.set_tensor(self._inputs[index]["index"], value)

  def invoke(self) -> None:
    self._interpreter.invoke()

  def get_output(self, index: int) -> np.ndarray:
    return self._interpreter.get_tensor(self._outputs[index]["index"])


def _interpreter(model: bytes, label: str = "the model", tflm: bool = True):
  """TFLM's interpreter of the model, or with tflm False TF Lite's (_TfLite)."""
  from tflite_micro.python.tflite_micro import runtime
  with common.captured_output() as log:
    if not tflm:
      try:
        return _TfLite(model)
      except (ValueError, RuntimeError) as e:
        raise common.ToolError(f"TF Lite's interpreter cannot load {label} ({e}); the golden "
                               "vectors of a model with ops TFLM lacks come from it.") from None
    try:
      return runtime.Interpreter.from_bytes(model, arena_size=_ARENA)
    except Exception as e:  # TFLM reports every failure as a RuntimeError or similar
      raise _tflm_failed(label, "load", e, log()) from None


def golden_vectors(model: bytes, inputs: list[list[np.ndarray]], output_count: int,
                   label: str = "the model", tflm: bool = True) -> list[list[np.ndarray]]:
  """What the TFLM interpreter (or with tflm False, TF Lite's) outputs for each vector."""
  return _outputs(_interpreter(model, label, tflm), inputs, output_count, label)


def _outputs(interpreter, inputs: list[list[np.ndarray]], output_count: int,
             label: str) -> list[list[np.ndarray]]:
  """What `interpreter` outputs for each vector of inputs."""
  outputs = []
  work = progress.Progress(f"golden vectors of {label}", total=len(inputs))
  for values in inputs:
    with common.captured_output() as log:  # TFLM's prints, apart from our progress
      try:
        for index, value in enumerate(values):
          interpreter.set_input(value, index)
        interpreter.invoke()
        outputs.append([np.array(interpreter.get_output(i)) for i in range(output_count)])
      except Exception as e:  # pylint: disable=broad-except
        raise _tflm_failed(label, "run", e, log()) from None
    work.step()
  return outputs


def _array(ctype: str, name: str, values: list) -> str:
  return f"static const {ctype} {name}[{len(values)}] = {{{', '.join(str(v) for v in values)}}};"


def _rows(vectors: list[list[np.ndarray]]) -> str:
  return ",\n".join("  {" + ", ".join(str(b) for b in b"".join(a.tobytes() for a in arrays)) + "}"
                    for arrays in vectors)


def header_text(label: str, inputs: list[list[np.ndarray]], outputs: list[list[np.ndarray]],
                oracle_name: str = "TFLM") -> str:
  """The golden vectors as C constants (raw bytes of each input and output); C99 and C++.

  kGoldenInputs[v] holds vector v's inputs one after the other, kGoldenInputBytes[i]
  bytes for input i; likewise kGoldenOutputs. GOLDEN_ORACLE names who computed the
  outputs (`oracle_name`).
  """
  first_in, first_out = inputs[0], outputs[0]
  in_bytes, out_bytes = sum(a.nbytes for a in first_in), sum(a.nbytes for a in first_out)
  return "\n".join([
      f"/* Generated by rules_tflm golden from {c_text.comment(label)}: inputs and the outputs "
      f"that\n   {c_text.comment(oracle_name)} computed for them. Do not edit. */",
      "#pragma once", "",
      # A comment's escaping is a string literal's too, once no quote is left.
      f'#define GOLDEN_ORACLE "{c_text.comment(oracle_name).replace(chr(34), chr(39))}"',
      f"enum {{ kGoldenCount = {len(inputs)}, kGoldenInputCount = {len(first_in)}, "
      f"kGoldenOutputCount = {len(first_out)} }};",
      _array("unsigned", "kGoldenInputBytes", [a.nbytes for a in first_in]),
      _array("unsigned", "kGoldenOutputBytes", [a.nbytes for a in first_out]),
      _array("unsigned char", "kGoldenOutputIsFloat", [int(a.dtype.kind == "f") for a in first_out]),
      "", f"static const unsigned char kGoldenInputs[{len(inputs)}][{in_bytes}] = {{",
      _rows(inputs), "};", "",
      f"static const unsigned char kGoldenOutputs[{len(outputs)}][{out_bytes}] = {{",
      _rows(outputs), "};", ""])


def write_header(model: str, header: pathlib.Path, count: int = 8, seed: int = 0,
                 dataset: pathlib.Path | None = None, label: str | None = None) -> None:
  """Computes the golden vectors of the model at `model` and writes them to `header`.

  Random inputs (`count` of them, from `seed`), or the first `count` samples
  of `dataset`; on any error, no header is left behind.
  """
  label = label or model
  with common.Outputs(header) as outputs:
    data = common.read_input(model, ".tflite model")
    graph = model_check.read_model(data, model, label).main

    missing = missing_kernels(graph)

    def vectors() -> tuple[list, list, str]:
      interpreter = _interpreter(data, label, not missing)
      oracle = (f"TF Lite's {interpreter.kernels} (TFLM has no kernel for {', '.join(missing)})"
                if missing else "TFLM")
      try:
        details = [interpreter.get_input_details(i) for i in range(len(graph.inputs))]
      except Exception as e:  # pylint: disable=broad-except
        raise _tflm_failed(label, "read the inputs of", e, "") from None
      if dataset and len(details) != 1:
        raise common.ToolError(f"{dataset}: a dataset gives one input per sample, but {model} "
                               f"has {len(details)} inputs; leave out the dataset to test on "
                               "random inputs.")
      inputs = (dataset_inputs(pathlib.Path(dataset), details[0], count, label) if dataset
                else random_inputs(details, count, seed))
      return inputs, _outputs(interpreter, inputs, len(graph.outputs), label), oracle

    inputs, golden, oracle = in_child(vectors, label)
    outputs.write(header, header_text(label, inputs, golden, oracle))


# The longest the TFLM interpreter may take for all the golden vectors.
TIMEOUT_SECONDS = 120


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
  """Everything from pipe `fd` until it closes, and whether `deadline` passed first."""
  chunks = []
  with os.fdopen(fd, "rb", buffering=0) as f:
    while True:
      left = deadline - time.monotonic()
      if left <= 0 or not select.select([f], [], [], left)[0]:
        return b"".join(chunks), True
      chunk = f.read(1 << 16)
      if not chunk:
        return b"".join(chunks), False
      chunks.append(chunk)


def in_child(function, label: str):
  """`function()` run in a forked child process, so that a crash of the TFLM interpreter
  (it dies by SIGSEGV on some models) is an error naming the model, not ours."""
  read, write = os.pipe()
  sys.stdout.flush()
  sys.stderr.flush()
  pid = os.fork()
  if pid == 0:  # the child: the result or the error, pickled, then exit at once
    os.close(read)
    try:
      result = ("ok", function())
    except common.ToolError as e:
      result = ("error", str(e))
    except BaseException as e:  # pylint: disable=broad-except
      result = ("internal", e)
    try:
      with os.fdopen(write, "wb") as f:
        pickle.dump(result, f)
    finally:
      os._exit(0)  # pylint: disable=protected-access
  os.close(write)
  message, hung = _read_until(read, time.monotonic() + TIMEOUT_SECONDS)
  if hung:
    os.kill(pid, signal.SIGKILL)
  _, status = os.waitpid(pid, 0)
  if hung:
    raise common.ToolError(f"the TFLM interpreter did not finish running {label} within "
                           f"{TIMEOUT_SECONDS} s (it loops for ever on some broken models); "
                           "check the model with tflm_model_library (or tools.cli.analyze "
                           "--require_tflm).")
  if not message:
    how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
           else f"exit status {os.waitstatus_to_exitcode(status)}")
    raise common.ToolError(f"the TFLM interpreter crashed ({how}) running {label}; TFLM cannot "
                           "run the model, so it gives no golden vectors: check it with "
                           "tflm_model_library (or tools.cli.analyze --require_tflm).")
  kind, value = pickle.loads(message)
  if kind == "error":
    raise common.ToolError(value)
  if kind == "internal":
    raise value
  return value


if __name__ == "__main__":
  common.exit_as_library("golden")
