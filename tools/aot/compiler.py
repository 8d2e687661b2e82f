"""compile_model: a model's main subgraph to one .h and one .c calling runtime/.

The pipeline: ops whose inputs are known at compile time are evaluated
(folding.py), every other operator is looked up in the registry (all problems
reported at once), the activations are planned into one arena (plan.py),
each op's emitter (ops/) appends its constants and kernel call, and the
header and source are assembled around them:

    int  <prefix>_invoke(void);          /* 0 on success, else the failed op's index + 1 */
    <type> *<prefix>_input(void);        /* the input tensor, in the arena */
    const <type> *<prefix>_output(void); /* the output tensor */

plus the input and output shapes, sizes, scales and zero points as macros.
Models may have several inputs and outputs: <prefix>_input_<i>() and
<prefix>_output_<i>(), <prefix>_input_at(i), and macros per tensor. The
ops and types compiled are registry.table() (docs/aot.md lists them).
"""

import dataclasses
import math

from tools import c_text
from tools import common
from tools import memory_planner
from tools import model_check
from tools import op_resolver
from tools import tflite_reader
from tools.aot import c_syntax
from tools.aot import emitter
from tools.aot import errors
from tools.aot import folding
from tools.aot import plan
from tools.aot import quantization
from tools.aot import registry
from tools.aot import scratch
from tools.aot import validate
from tools.aot.ops import conv


@dataclasses.dataclass(frozen=True)
class Generated:
  """The generated header and source, the arena's size in bytes, the ops that
  run code, in order (each is a layer of the profile, runtime/profile.h), and the
  memory plan (arena offsets by tensor index)."""
  header: str
  source: str
  arena_bytes: int
  layers: tuple[int, ...] = ()
  plan: memory_planner.Plan | None = None


# Ops whose first input is not their data: SPLIT's is the axis, TRANSPOSE_CONV's the output
# shape.
_DATA_INPUT = {"SPLIT": 1, "TRANSPOSE_CONV": 2}


def op_type(op: tflite_reader.Operator, tensors) -> str:
  """The type under which the operator's emitter is registered (registry.op_type): from its
  first data input that is not a bool (SELECT's condition), and its first output."""
  present = [i for i in op.inputs[_DATA_INPUT.get(op.opcode, 0):] if i >= 0]
  first = ([i for i in present if tensors[i].dtype != "bool"] or present)[:1] or op.outputs[:1]
  last = op.outputs[:1] or first
  return registry.op_type(tensors[first[0]].dtype, tensors[last[0]].dtype) if first else ""


def emitters(graph: tflite_reader.Subgraph, label: str) -> list[registry.Emitter]:
  """The emitter of each operator; raises OpErrors naming every operator without one."""
  found, problems = [], []
  supported = ", ".join(registry.supported_ops())
  for op in graph.operators:
    entry = registry.lookup(op.opcode, op_type(op, graph.tensors))
    if entry is None and op.opcode in folding.EVALUATORS and not registry.types_of(op.opcode):
      problems.append(errors.OpError(
          label, op.index, op.opcode, "the compiler computes this op only at compile time, and "
          "an input it reads is not known then (an activation, or a shape left dynamic)",
          f"make its inputs constants, for example with tflite_model(batch_size = 1), "
          f"{emitter.INTERPRETER_HINT}", errors.output_name(op, graph.tensors)))
    elif entry is None and not registry.types_of(op.opcode):
      elsewhere = (f", {emitter.INTERPRETER_HINT}" if op.opcode in op_resolver.TFLM_BUILTINS else
                   ": TFLM has no kernel for it either, so tflm_model_library cannot run it")
      problems.append(errors.OpError(
          label, op.index, op.opcode, "the op is not supported by rules_tflm's ahead-of-time "
          "compiler", f"it supports {supported}; replace the op{elsewhere}",
          errors.output_name(op, graph.tensors)))
    elif entry is None:
      problems.append(emitter.unsupported_types(label, op, graph.tensors))
    found.append(entry)
  if problems:
    raise errors.OpErrors(problems)
  return found


def _tensor_macros(name: str, t: tflite_reader.Tensor) -> list[str]:
  q = t.quantization
  return [f"#define {name}_SIZE {math.prod(t.shape)}",
          f"#define {name}_BYTES {t.num_bytes}",
          f"#define {name}_SHAPE {{{', '.join(map(str, t.shape))}}}",
          f"#define {name}_SCALE {repr(q.scales[0]) + 'f' if q else '1.0f'}",
          f"#define {name}_ZERO_POINT {q.zero_points[0] if q and q.zero_points else 0}"]


def _arena(arena_bytes: int, lower_bound: int, section: str | None) -> list[str]:
  """The arena: one member per element type, so each tensor is read through its own type."""
  size = max(arena_bytes, 16)
  members = [f"  {ctype} {member}[{size // emitter.ELEMENT_BYTES[ctype]}];"
             for ctype, member in emitter.ARENA_MEMBERS.items()]
  attributes = "__attribute__((aligned(16)))" + (
      f' __attribute__((section("{section}")))' if section else "")
  return [f"/* Activations: {arena_bytes} bytes (lower bound {lower_bound}), read through the",
          "   member of each tensor's type. */", "static union {", *members,
          f"}} arena {attributes};"]


def compile_model(model: tflite_reader.Model, prefix: str, label: str, include_path: str,
                  arena_section: str | None = None) -> Generated:
  """The C of the model's main subgraph; raises a common.ToolError for what it cannot compile."""
  c_text.check_identifier(prefix, "prefix", whole=False)
  c_text.check_include_path(include_path, "include path")
  if arena_section is not None:
    c_text.check_section(arena_section, "arena section")
  model_check.check_model(model, label)
  graph = folding.fold(model.main, label)
  found = emitters(graph, label)
  validate.check_graph(graph, label)
  arena_plan, fusions = plan.fused_plan(graph)
  validate.check_plan(graph, arena_plan, label)
  e = emitter.Emitter(graph.tensors, arena_plan, label)
  fused_convs = {f.conv.index: f for f in fusions}
  fused_adds = {f.add.index: f.conv.index for f in fusions}
  layers = []
  for op, entry in zip(graph.operators, found):
    start = len(e.body)
    if op.index in fused_adds:
      e.body.append(f"  /* op {op.index}: ADD, run by op {fused_adds[op.index]}'s slices */")
      continue
    try:
      if op.index in fused_convs:
        conv.emit_fused_add_s8(e, fused_convs[op.index])
      else:
        entry.emit(e, op)
    except quantization.OutOfRange as error:
      raise e.error(op, str(error), "requantize the model: TFLM's kernels would shift out of "
                    "range too") from None
    if any(not line.lstrip().startswith("/*") for line in e.body[start:]):  # code, not a comment
      # After the op's comment, if it begins with one.
      at = start + 1 if e.body[start].lstrip().startswith("/*") else start
      e.body.insert(at, f"  TFLM_RT_LAYER_BEGIN({op.index});")
      e.body.append(f"  TFLM_RT_LAYER_END({op.index});")
      layers.append(op.index)
  upper = prefix.upper()
  guard = common.header_guard(include_path)
  macros = []
  for what, indices in (("INPUT", graph.inputs), ("OUTPUT", graph.outputs)):
    sizes = ", ".join(str(graph.tensors[i].num_bytes) for i in indices)
    macros += [f"#define {upper}_{what}_COUNT {len(indices)}",
               f"#define {upper}_{what}S_BYTES {{{sizes}}}  /* of each {what.lower()} */"]
  declarations, definitions = [], []
  for what, indices in (("input", graph.inputs), ("output", graph.outputs)):
    const = "const " if what == "output" else ""
    for i, index in enumerate(indices):
      t = graph.tensors[index]
      ctype = c_syntax.C_TYPES[t.dtype]
      # Input and output 0 also go by the short names, for the common one-input model.
      for name in ([f"{what}_{i}", what] if i == 0 else [f"{what}_{i}"]):
        macros += _tensor_macros(f"{upper}_{name.upper()}", t)
        declarations.append(f"{const}{ctype} *{prefix}_{name}(void);")
        definitions.append(f"{const}{ctype} *{prefix}_{name}(void) {{ return {e.arena(index)}; }}")
    cases = "".join(f" case {i}: return {prefix}_{what}_{i}();" for i in range(len(indices)))
    declarations.append(f"{const}void *{prefix}_{what}_at(int index);")
    definitions.append(f"{const}void *{prefix}_{what}_at(int index) {{\n"
                       f"  switch (index) {{{cases} default: return NULL; }}\n}}")
  resets = [f"  for (size_t i = 0; i < sizeof {name} / sizeof {name}[0]; ++i) {name}[i] = "
            f"{emitter.reset_value(graph.tensors[index])};" for index, name in e.variables.items()]
  banner = f"/* Generated by rules_tflm aot_compile from {c_text.comment(label)}. Do not edit. */"
  header = "\n".join([
      banner, f"#ifndef {guard}", f"#define {guard}", "", "#include <stdint.h>", "",
      "#ifdef __cplusplus", 'extern "C" {', "#endif", "", *macros,
      f"#define {upper}_ARENA_BYTES {arena_plan.arena_bytes}", "",
      "/* Runs one inference on what is in the inputs; 0 on success, else the index + 1 of",
      "   the op that failed (a GATHER index out of range). Activations share memory, so",
      "   it may overwrite the inputs: set them before every call. */",
      f"int {prefix}_invoke(void);",
      "/* Sets the model's state (its variable tensors, which an LSTM keeps from one call",
      "   to the next) back to where it starts, as TFLM's MicroInterpreter::Reset. */",
      f"void {prefix}_reset(void);",
      "/* The inputs and outputs, in the arena; _at(i) gives input or output i, NULL past the last. */",
      *declarations, "",
      "#ifdef __cplusplus", "}", "#endif", "", f"#endif  /* {guard} */", ""])
  source = "\n".join([
      banner, f'#include "{include_path}"', "", "#include <stddef.h>", "",
      '#include "runtime/tflm_rt.h"', "",
      *_arena(arena_plan.arena_bytes, arena_plan.lower_bound, arena_section), "",
      *(scratch.declaration(e.scratch_bytes) + [""] if e.scratch_bytes else []),
      *e.constants, *e.statics,
      f"int {prefix}_invoke(void) {{", *e.body, "  return 0;", "}", "",
      f"void {prefix}_reset(void) {{", *resets, "}", "",
      *definitions, ""])
  return Generated(header, source, arena_plan.arena_bytes, tuple(layers), arena_plan)
