"""tflite_model: converts a SavedModel or Keras model to .tflite and analyzes it."""

load(":providers.bzl", "TfliteModelInfo")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

QUANTIZATIONS = ["none", "dynamic_range", "float16", "int8", "int16x8"]

def _model_path(ctx):
    """The path to pass as --model: the one file or directory, or the SavedModel root of a file set."""
    files = ctx.files.src
    if len(files) == 1:
        return files[0].path
    roots = [f.dirname for f in files if f.basename == "saved_model.pb"]
    if len(roots) != 1:
        fail(("%s: src %s gives %d files and %d saved_model.pb; it must be one Keras file " +
              "(.keras, .h5), one SavedModel directory, or the files of one SavedModel " +
              "(e.g. glob([\"my_model/**\"])).") % (ctx.label, ctx.attr.src.label, len(files), len(roots)))
    return roots[0]

def _tflite_model_impl(ctx):
    tflite = ctx.actions.declare_file(ctx.label.name + ".tflite")
    report = ctx.actions.declare_file(ctx.label.name + ".report.json")
    summary = ctx.actions.declare_file(ctx.label.name + ".summary.txt")
    dataset = ctx.file.representative_dataset
    needs_dataset = ctx.attr.quantization in ("int8", "int16x8")
    if needs_dataset and not dataset:
        fail(("%s: quantization = \"%s\" calibrates activation ranges on typical inputs: set " +
              "representative_dataset to a .npy or .npz file of them, shape (N, <input shape>).") % (
            ctx.label,
            ctx.attr.quantization,
        ))
    if dataset and not needs_dataset:
        fail(("%s: representative_dataset is only used by quantization \"int8\" and \"int16x8\", " +
              "not \"%s\"; remove it or change quantization.") % (ctx.label, ctx.attr.quantization))

    run_tool(
        ctx,
        ctx.executable._convert,
        "TfliteConvert",
        "Converting %s to TensorFlow Lite (%s)" % (ctx.label, ctx.attr.quantization),
        inputs = ctx.files.src + ([dataset] if dataset else []),
        outputs = [tflite],
        env = {"TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1", "PYTHONHASHSEED": "0"},
        flags = {
            "model": _model_path(ctx),
            "model_label": str(ctx.attr.src.label),
            "output": tflite,
            "quantization": ctx.attr.quantization,
            "representative_dataset": dataset,
            "max_calibration_samples": ctx.attr.max_calibration_samples if dataset else None,
            "batch_size": ctx.attr.batch_size,
        },
    )
    run_tool(
        ctx,
        ctx.executable._analyze,
        "TfliteAnalyze",
        "Analyzing %s" % ctx.label,
        inputs = [tflite],
        outputs = [report, summary],
        flags = {"model": tflite, "model_label": str(ctx.label), "report": report, "summary": summary},
    )
    return [
        # Runfiles too, so that a test with the target in its `data` reads the model.
        DefaultInfo(files = depset([tflite, report]), runfiles = ctx.runfiles(files = [tflite, report])),
        OutputGroupInfo(summary = depset([summary])),
        TfliteModelInfo(tflite = tflite, report = report, quantization = ctx.attr.quantization),
    ]

tflite_model = rule(
    implementation = _tflite_model_impl,
    # Model-level work: one configuration for every core (see transitions.bzl).
    cfg = build_machine_transition,
    doc = """Converts a TensorFlow model to TensorFlow Lite and analyzes the result.

Outputs `<name>.tflite` and `<name>.report.json` (ops, tensors, MACs per
inference, whether the TFLM interpreter runs it and its smallest arena); the
output group `summary` has the same as short text. Pass the target as `model`
of `tflm_model_library` or `tflite_accuracy_test`.""",
    attrs = dict({
        "src": attr.label(
            doc = "The model: a `.keras` or `.h5` file, a SavedModel directory (or its files), " +
                  "or a target that makes one, such as `trained_model`.",
            allow_files = True,
            mandatory = True,
        ),
        "quantization": attr.string(
            doc = "Post-training quantization: `none` (float32), `dynamic_range` (int8 weights, " +
                  "float activations), `float16` (float16 weights), `int8` (full integer with int8 " +
                  "input and output; what TFLM runs best) or `int16x8` (int16 activations, int8 " +
                  "weights). TFLM cannot run `dynamic_range` or `float16` models.",
            default = "none",
            values = QUANTIZATIONS,
        ),
        "representative_dataset": attr.label(
            doc = "Typical inputs for calibrating `int8` and `int16x8`: a `.npy` array of shape " +
                  "(N, <input shape>) or a `.npz` with such an array under `x`.",
            allow_single_file = [".npy", ".npz"],
        ),
        "max_calibration_samples": attr.int(
            doc = "Calibrate on at most this many samples of `representative_dataset`.",
            default = 500,
        ),
        "batch_size": attr.int(
            doc = "Fixes the model's batch dimension, when it is open (Keras's default), before " +
                  "conversion: 1, one sample per inference as on a microcontroller, makes the " +
                  "shapes of `Flatten` and `Reshape` layers constants that TFLM and " +
                  "`tflm_aot_library` both run. 0 keeps the batch open; the converter then " +
                  "writes `SHAPE`, `STRIDED_SLICE` and `PACK` ops that compute those shapes at " +
                  "every inference (`tflm_aot_library` computes them at compile time).",
            default = 1,
        ),
        "_convert": attr.label(
            default = "//tools:convert",
            executable = True,
            cfg = "exec",
        ),
        "_analyze": attr.label(
            default = "//tools:analyze",
            executable = True,
            cfg = "exec",
        ),
    }, **TRANSITION_ATTRS),
)
