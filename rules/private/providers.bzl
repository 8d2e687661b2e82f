"""Providers through which rules_tflm's rules pass facts to each other."""

TfliteModelInfo = provider(
    doc = "A TensorFlow Lite model and what rules_tflm knows about it.",
    fields = {
        "tflite": "(File) The .tflite FlatBuffer.",
        "report": "(File) JSON analysis report written by tools/analyze.py: ops, tensors, MACs, TFLM arena.",
        "quantization": "(str) How the converter quantized it: none, dynamic_range, float16, int8 or int16x8.",
    },
)

TflmInfo = provider(
    doc = "A TFLM built from source by rules_tflm's BUILD file (tflm_repositories), kernel by kernel.",
    fields = {
        "core": "(CcInfo) The interpreter without kernels.",
        "kernel_sets": "(dict) Kernel set (`reference`, `cmsis_nn`) -> dict of builtin op -> the kernel's cc_library target.",
        "label": "(str) The tflm_library target, for messages.",
    },
)
