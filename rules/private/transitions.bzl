"""The configuration that model-level work runs in."""

def _build_machine_transition_impl(settings, attr):
    return {"//command_line_option:platforms": str(Label("//rules/private:build_machine"))}

# Training, converting, analyzing, compiling a model to C and computing its
# golden vectors do not depend on the core the C code is built for. The rules
# that do that work take this transition as their own (`rule(cfg = ...)`), so
# that every path to them (a top-level build, a host test, each core's
# binary) meets in one configuration and each action runs once per model.
# Only compiling and linking the generated C happens per core.
#
# The platform is the build machine under a name of its own: were it the host
# platform itself, a top-level build (already on the host platform) would
# stay in its configuration while a core's would move, and Bazel would run
# the same actions once in each.
build_machine_transition = transition(
    implementation = _build_machine_transition_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)

# Rules that use a transition must say so with this attribute.
TRANSITION_ATTRS = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

def model_sources_rule(implementation, doc, attrs):
    """A rule that writes C for the library `library` from `model`, in the build machine's configuration."""
    return rule(
        implementation = implementation,
        doc = doc,
        cfg = build_machine_transition,
        attrs = dict({
            "model": attr.label(mandatory = True, allow_files = [".tflite"]),
            "library": attr.string(mandatory = True),
        }, **dict(attrs, **TRANSITION_ATTRS)),
    )
