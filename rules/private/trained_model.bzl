"""trained_model: runs a training script as a build step."""

load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

_EXTENSIONS = {
    "h5": ".h5",
    "keras": ".keras",
    "saved_model": "",
}

# Environment that makes TensorFlow training repeatable on the CPU: one thread,
# deterministic kernels, fixed hashing, quiet logs.
_DETERMINISTIC_ENV = {
    "CUDA_VISIBLE_DEVICES": "-1",
    "OMP_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_DETERMINISTIC_OPS": "1",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}

def _trained_model_impl(ctx):
    if ctx.attr.format == "saved_model":
        out = ctx.actions.declare_directory(ctx.label.name)
    else:
        out = ctx.actions.declare_file(ctx.label.name + _EXTENSIONS[ctx.attr.format])

    args = ctx.actions.args()
    args.add("--output", out.path)
    args.add("--seed", ctx.attr.seed)
    args.add_all([ctx.expand_location(a, ctx.attr.data) for a in ctx.attr.args])

    ctx.actions.run(
        executable = ctx.executable.trainer,
        arguments = [args],
        inputs = ctx.files.data,
        outputs = [out],
        env = _DETERMINISTIC_ENV,
        mnemonic = "TrainModel",
        progress_message = "Training %s" % ctx.label,
    )
    return [DefaultInfo(files = depset([out]))]

trained_model = rule(
    implementation = _trained_model_impl,
    # Model-level work: one configuration for every core (see transitions.bzl).
    cfg = build_machine_transition,
    doc = """Trains a model during the build by running a training script.

The script (a `py_binary`) is called as
`trainer --output <path> --seed <seed> <args...>` and must write the model to
`<path>`: a Keras file for `format = "keras"` or `"h5"`, a SavedModel
directory for `"saved_model"`. It runs single-threaded with deterministic
TensorFlow kernels; call `training.make_deterministic(seed)` and save with
`training.save_model(model, path)` from `@rules_tflm//tools:training` so that
a clean rebuild gives a byte-identical model (and remote caches work).

The output is `<name>.keras`, `<name>.h5` or the directory `<name>`; pass the
target as `src` of a `tflite_model`.""",
    attrs = dict({
        "trainer": attr.label(
            doc = "The `py_binary` that trains and saves the model.",
            executable = True,
            cfg = "exec",
            mandatory = True,
        ),
        "format": attr.string(
            doc = "What the script writes: `keras` (a .keras file), `h5` or `saved_model` (a directory).",
            default = "keras",
            values = ["keras", "h5", "saved_model"],
        ),
        "seed": attr.int(
            doc = "Random seed passed to the script as `--seed`.",
            default = 0,
        ),
        "args": attr.string_list(
            doc = "More arguments for the script; `$(location ...)` of `data` is expanded.",
        ),
        "data": attr.label_list(
            doc = "Files the script reads, such as training data.",
            allow_files = True,
        ),
    }, **TRANSITION_ATTRS),
)
