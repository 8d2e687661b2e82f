"""Differential test of constant folding: each evaluator of folding.py against the real TFLM.

For each folded op, random one-op models (cases_folding.py) run in the TFLM
interpreter on random inputs; folding.evaluate gets the same inputs as
constants, and every output byte must match (a float32 NaN matches any NaN,
as in differential_test.py). TFLM has no REDUCE_PROD, SELECT or TILE kernel,
so TF Lite's interpreter is their oracle. RULES_TFLM_DIFFERENTIAL_CASES sets the number of
models per op (default 200).
"""

import dataclasses
import random

import numpy as np
import pytest

from tools import golden
from tools import tflite_reader
from tools.aot import case_model
from tools.aot import cases
from tools.aot import cases_folding
from tools.aot import folding

# Ops TFLM has no kernel for, run in TF Lite's reference kernels instead.
_TFLITE_ONLY = {"REDUCE_PROD", "SELECT", "TILE"}


def _same(ours: np.ndarray, theirs: np.ndarray) -> bool:
  if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
    return False
  if ours.dtype == np.float32:
    both_nan = np.isnan(ours) & np.isnan(theirs)
    return bool(np.all((ours.view(np.int32) == theirs.view(np.int32)) | both_nan))
  return ours.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("opcode", sorted(cases_folding.FOLDED))
def test_folding_equals_tflm(opcode):
  assert opcode in folding.EVALUATORS
  for number in range(cases.CASES):
    rng = random.Random(f"fold-{opcode}-{number}")
    case = cases_folding.FOLDED[opcode](rng)
    model = case_model.build_model(case)
    graph = tflite_reader.read_model(model, "case").main
    nrng = np.random.default_rng(number)
    inputs = [cases_folding.draw(nrng, graph.tensors[i].shape, graph.tensors[i].dtype)
              for i in graph.inputs]
    tensors = list(graph.tensors)
    for index, value in zip(graph.inputs, inputs):
      tensors[index] = dataclasses.replace(tensors[index], buffer=value.tobytes())
    ours = folding.evaluate(graph.operators[0], tensors)
    reproducer = f"{opcode} case {number}: {case.drawn}"
    assert ours is not None, f"not folded: {reproducer}"
    expected = golden.golden_vectors(model, [inputs], len(graph.outputs), reproducer,
                                     tflm=opcode not in _TFLITE_ONLY)[0]
    ours = [folding.shaped(np.asarray(o, dtype=folding.NUMPY_TYPES[graph.tensors[i].dtype]),
                           graph.tensors[i]) for o, i in zip(ours, graph.operators[0].outputs)]
    assert all(o is not None for o in ours), f"a folded output does not fit its tensor: {reproducer}"
    assert len(ours) == len(expected) and all(map(_same, ours, expected)), (
        f"{reproducer}\ninputs {[v.tolist() for v in inputs]}\nours {[o.tolist() for o in ours]}"
        f"\noracle {[e.tolist() for e in expected]}")


def test_an_output_larger_than_its_tensor_is_not_computed():
  # FILL asked for 2^40 values into a tensor of one: refused before numpy allocates anything.
  s = case_model.schema()
  dims = np.array([1 << 20, 1 << 20], np.int32)
  case = case_model.Case("FILL", {}, [((2,), "int32", [], [], 0, dims),
                                      ((), "int32", [], [], 0, np.array(7, np.int32)),
                                      ((1,), "int32", [], [], 0, None)],
                         [0, 1], [2], s.FillOptionsT(), "FillOptions")
  graph = tflite_reader.read_model(case_model.build_model(case), "case").main
  assert folding.evaluate(graph.operators[0], list(graph.tensors)) is None


def test_types_folding_does_not_compute_in_are_left_alone():
  # The fuzzer's case 339 of seed 11: a SHAPE whose output became float16.
  case = cases_folding.shape_case(random.Random(0))
  case_model.replace(case, 1, dtype="float16")
  graph = tflite_reader.read_model(case_model.build_model(case), "case").main
  assert folding.evaluate(graph.operators[0], list(graph.tensors)) is None
