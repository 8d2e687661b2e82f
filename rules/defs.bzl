"""Public API of rules_tflm: Bazel rules that take a TensorFlow model to a C library for TFLM.

    load("@rules_tflm//rules:defs.bzl", "tflite_model", "tflm_model_library")

    tflite_model(
        name = "model_int8",
        src = "my_model.keras",
        quantization = "int8",
        representative_dataset = "calibration.npy",
    )

    tflm_model_library(
        name = "model_data",
        model = ":model_int8",
        max_arena_bytes = 16 * 1024,
    )
"""

load("//rules/private:accuracy_test.bzl", _tflite_accuracy_test = "tflite_accuracy_test")
load("//rules/private:aot.bzl", _tflm_aot_library = "tflm_aot_library", _tflm_aot_test = "tflm_aot_test")
load(
    "//rules/private:cortex_m.bzl",
    _CortexMBinaryInfo = "CortexMBinaryInfo",
    _cortex_m_binary = "cortex_m_binary",
    _cortex_m_cc_test = "cortex_m_cc_test",
    _cortex_m_test = "cortex_m_test",
)
load("//rules/private:interpreter_test.bzl", _tflm_interpreter_test = "tflm_interpreter_test")
load("//rules/private:model_report.bzl", _tflm_model_report = "tflm_model_report")
load(
    "//rules/private:providers.bzl",
    _TfliteModelInfo = "TfliteModelInfo",
    _TflmAotLibraryInfo = "TflmAotLibraryInfo",
    _TflmModelLibraryInfo = "TflmModelLibraryInfo",
)
load("//rules/private:tflite_model.bzl", _tflite_model = "tflite_model")
load("//rules/private:tflm_model_library.bzl", _tflm_model_library = "tflm_model_library")
load("//rules/private:trained_model.bzl", _trained_model = "trained_model")

CortexMBinaryInfo = _CortexMBinaryInfo
TfliteModelInfo = _TfliteModelInfo
TflmAotLibraryInfo = _TflmAotLibraryInfo
TflmModelLibraryInfo = _TflmModelLibraryInfo
cortex_m_binary = _cortex_m_binary
cortex_m_cc_test = _cortex_m_cc_test
cortex_m_test = _cortex_m_test
tflite_accuracy_test = _tflite_accuracy_test
tflite_model = _tflite_model
tflm_aot_library = _tflm_aot_library
tflm_aot_test = _tflm_aot_test
tflm_interpreter_test = _tflm_interpreter_test
tflm_model_library = _tflm_model_library
tflm_model_report = _tflm_model_report
trained_model = _trained_model
