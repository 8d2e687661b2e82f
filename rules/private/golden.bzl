"""Golden vectors: inputs, and the outputs the TFLM interpreter computes for them."""

load(":cc.bzl", "generated_c_info")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

def _golden_vectors_impl(ctx):
    tflite = tflite_file(ctx, "model")
    golden = ctx.actions.declare_file(ctx.label.name + ".h")
    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", str(ctx.attr.model.label))
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
        progress_message = "Computing golden vectors of %s with TFLM" % ctx.attr.model.label,
    )
    return [
        DefaultInfo(files = depset([golden])),
        generated_c_info(srcs = [], headers = [(golden, repo_relative_path(golden))]),
    ]

golden_vectors = rule(
    implementation = _golden_vectors_impl,
    doc = "`<name>.h`: `count` inputs (random, or the first of `dataset`) and TFLM's outputs for them.",
    cfg = build_machine_transition,
    attrs = dict({
        "model": attr.label(mandatory = True, allow_files = [".tflite"]),
        "dataset": attr.label(allow_single_file = [".npy", ".npz"]),
        "count": attr.int(mandatory = True),
        "_golden": attr.label(default = "//tools:golden", executable = True, cfg = "exec"),
    }, **TRANSITION_ATTRS),
)
