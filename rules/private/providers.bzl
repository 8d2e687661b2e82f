"""Providers through which rules_tflm's rules pass facts to each other."""

TfliteModelInfo = provider(
    doc = "A TensorFlow Lite model and what rules_tflm knows about it.",
    fields = {
        "tflite": "(File) The .tflite FlatBuffer.",
        "report": "(File) JSON analysis report written by tools/analyze.py: ops, tensors, MACs, TFLM arena.",
        "quantization": "(str) How the converter quantized it: none, dynamic_range, float16, int8 or int16x8.",
    },
)
