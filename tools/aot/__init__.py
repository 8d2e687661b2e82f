"""rules_tflm's ahead-of-time compiler: a .tflite model to plain C calling runtime/.

A pipeline over the graph that tools/tflite_reader.py reads:

  registry.py       which ops and tensor types compile, derived from the emitters
  plan.py           the graph walk: lifetimes, overlap margins, the arena plan
  overlap.py        how far each kernel's output may overlap a dying input
  ops/              one module per op family: its int8 and float32 emitters
  emitter.py        what emitting one graph accumulates: constants, calls, checks
  quantization.py   TFLM's quantization arithmetic (multipliers, ranges)
  c_syntax.py       C literals and designated initializers
  limits.py         the runtime's limits (TFLM_RT_MAX_RANK, ...)
  errors.py         the one error format for an operator's problem
  compiler.py       compile_model: the pipeline, and the .h and .c it writes
  op_table.py       the op x type table of docs/aot.md

tools/cli/aot_compile.py is the command line (//tools:aot_compile).
"""
