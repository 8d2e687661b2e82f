"""The golden-vector action and attributes that tflm_test and tflm_model_test share."""

load(":paths.bzl", "tflite_file")
load(":transitions.bzl", "build_machine_transition")

GOLDEN_ATTRS = {
    "model": attr.label(mandatory = True, allow_files = [".tflite"], cfg = build_machine_transition),
    "dataset": attr.label(allow_single_file = [".npy", ".npz"]),
    "count": attr.int(default = 16),
    "_golden": attr.label(default = "//tools:golden", executable = True, cfg = "exec"),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

def golden_header(ctx):
    """(File) `<name>_golden.h`: inputs, and the outputs the TFLM oracle computed for them."""
    tflite = tflite_file(ctx, "model")
    golden = ctx.actions.declare_file(ctx.label.name + "_golden.h")
    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", str(ctx.attr.model[0].label))
    args.add("--header", golden)
    args.add("--count", ctx.attr.count)
    inputs = [tflite]
    if ctx.file.dataset:
        args.add("--dataset", ctx.file.dataset)
        inputs.append(ctx.file.dataset)
    ctx.actions.run(
        executable = ctx.executable._golden,
        arguments = [args],
        inputs = inputs,
        outputs = [golden],
        mnemonic = "TflmGolden",
        progress_message = "Computing golden vectors of %s with TFLM" % ctx.attr.model[0].label,
    )
    return golden
