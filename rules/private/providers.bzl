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

TflmAotLibraryInfo = provider(
    doc = "A model compiled ahead of time to C by tflm_aot_library: how C code uses it.",
    fields = {
        "header": "(File) The generated header.",
        "include_path": "(str) How C code includes it: `#include \"<include_path>\"`.",
        "prefix": "(str) Prefix of its functions: `<prefix>_invoke()`, `<prefix>_input_at(i)`, `<prefix>_output_at(i)`.",
        "macro_prefix": "(str) Prefix of its macros: `<MACRO_PREFIX>_INPUT_COUNT`, `<MACRO_PREFIX>_INPUTS_BYTES`, ...",
        "model": "(File) The .tflite it was compiled from.",
        "model_label": "(Label) The model's target, for messages.",
    },
)

TflmModelLibraryInfo = provider(
    doc = "A model as a C array for the TFLM interpreter, made by tflm_model_library: how C++ code uses it.",
    fields = {
        "header": "(File) The header that declares the array.",
        "include_path": "(str) How code includes it.",
        "array_name": "(str) The array's C name (`<array_name>_len` is its size).",
        "namespace": "(str) The C++ namespace of the array and the op resolver, or \"\" for C linkage.",
        "arena_size_macro": "(str) The macro holding the tensor arena to allocate, in bytes.",
        "op_resolver_include_path": "(str) How code includes the op resolver header.",
        "op_resolver_type": "(str) The C++ type of the op resolver, a tflite::MicroMutableOpResolver.",
        "register_ops_function": "(str) The C++ function that adds the model's ops to a resolver.",
        "report": "(File) JSON analysis with TFLM's measured arena.",
        "links_tflm": "(bool) Whether the library links TFLM's interpreter and the kernels of its ops (`tflm`).",
        "model": "(File) The .tflite in the array.",
        "model_label": "(Label) The model's target, for messages.",
    },
)

GeneratedCInfo = provider(
    doc = "C sources and headers that a model-level action wrote, for generated_cc_library to compile.",
    fields = {
        "srcs": "(list of File) Sources to compile.",
        "hdrs": "(list of File) Headers that dependents include.",
        "include_roots": "(list of str) Folders the headers are included from.",
        "info": "(TflmAotLibraryInfo, TflmModelLibraryInfo or None) What the library target also returns.",
    },
)
