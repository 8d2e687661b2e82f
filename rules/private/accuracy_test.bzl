"""tflite_accuracy_test: compares a quantized model with its float original."""

load(":launcher.bzl", "write_test_script")
load(":paths.bzl", "tflite_file")

def _tflite_accuracy_test_impl(ctx):
    if ctx.attr.max_drop:
        # Validated here so a typo fails at analysis, naming the target.
        if not ctx.attr.max_drop.replace(".", "", 1).isdigit():
            fail("%s: max_drop = \"%s\" is not a non-negative number, e.g. \"0.05\"." % (ctx.label, ctx.attr.max_drop))
    reference = tflite_file(ctx, "reference")
    candidate = tflite_file(ctx, "candidate")
    tool = ctx.executable._accuracy
    command = [
        tool.short_path,
        "--reference=" + reference.short_path,
        "--candidate=" + candidate.short_path,
        "--dataset=" + ctx.file.dataset.short_path,
        "--task=" + ctx.attr.task,
        "--max_drop=" + ctx.attr.max_drop,
    ]
    script = write_test_script(ctx, command)
    runfiles = ctx.runfiles(files = [reference, candidate, ctx.file.dataset])
    runfiles = runfiles.merge(ctx.attr._accuracy[DefaultInfo].default_runfiles)
    return [DefaultInfo(executable = script, runfiles = runfiles)]

tflite_accuracy_test = rule(
    implementation = _tflite_accuracy_test_impl,
    test = True,
    doc = """Checks that quantization did not cost too much accuracy.

Runs `reference` (usually the float model) and `candidate` (usually its
quantized version) on every sample of `dataset` with the real TFLM
interpreter (TF Lite's for models TFLM cannot run), prints both metrics and
the drop, and fails when the drop exceeds `max_drop`.""",
    attrs = {
        "reference": attr.label(
            doc = "The model to compare against: a `tflite_model` target or a `.tflite` file.",
            mandatory = True,
            allow_files = [".tflite"],
        ),
        "candidate": attr.label(
            doc = "The model under test, usually quantized: a `tflite_model` target or a `.tflite` file.",
            mandatory = True,
            allow_files = [".tflite"],
        ),
        "dataset": attr.label(
            doc = "A `.npz` with inputs `x` (shape (N, <input shape>)) and expected outputs `y`.",
            mandatory = True,
            allow_single_file = [".npz"],
        ),
        "task": attr.string(
            doc = "`regression` (metrics MAE and RMSE) or `classification` (top-1 accuracy).",
            default = "regression",
            values = ["regression", "classification"],
        ),
        "max_drop": attr.string(
            doc = "Largest allowed loss, as a decimal string: for regression the increase of MAE " +
                  "in the units of `y`; for classification the drop of top-1 accuracy in " +
                  "percentage points.",
            mandatory = True,
        ),
        "_accuracy": attr.label(
            default = "//tools:accuracy",
            executable = True,
            cfg = "target",
        ),
    },
)
