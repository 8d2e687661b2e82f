"""Working memory of the runtime's DSP kernels: how many bytes each op asks for.

The kernels that use the Cortex-M DSP extension (runtime/*_dsp.c) extend
their input rows to 16 bits into a scratch buffer (runtime/dsp.h's
TFLM_RT_DSP_*_BYTES give the same sizes). An op's emitter asks for its bytes
with Emitter.scratch; the generated source declares one static buffer, as
large as the largest request, on cores with the DSP extension only
(TFLM_RT_DSP, runtime/arch.h), and a word elsewhere, where the portable
kernels run and ignore it.
"""


def rows_bytes(count: int, depth: int) -> int:
  """`count` (1 or 4) rows of `depth` values, extended: TFLM_RT_DSP_ROWS_BYTES."""
  return 8 * count * ((depth + 3) // 4)


def conv_bytes(window: int) -> int:
  """CONV_2D's four windows of `window` values and one of bytes: TFLM_RT_DSP_CONV_BYTES."""
  return rows_bytes(4, window) + 4 * ((window + 3) // 4)


def depthwise_bytes(channels: int, taps: int) -> int:
  """DEPTHWISE_CONV_2D's folded biases and extended taps: TFLM_RT_DSP_DEPTHWISE_BYTES (the
  requantization constants are in flash)."""
  return channels * (4 + 2 * taps)


def declaration(bytes_: int) -> list[str]:
  """The generated source's scratch buffer, for requests of up to `bytes_` bytes."""
  words = -(-bytes_ // 4)
  return [f"/* Working memory of the kernels that use the DSP extension: {bytes_} bytes where",
          "   they run (runtime/arch.h), a word elsewhere. */",
          f"static int32_t dsp_scratch[TFLM_RT_DSP ? {words} : 1] __attribute__((aligned(8)));"]
