"""Configuration transitions the rules share."""

def _build_machine_transition_impl(settings, attr):
    # Unset means Bazel's default host platform.
    host = settings["//command_line_option:host_platform"] or "@local_config_platform//:host"
    return {"//command_line_option:platforms": str(host)}

# A model is data, the same for every core: building it for the build machine,
# whatever the C code around it is compiled for, lets code built for several
# cores share one trained, converted and checked model.
build_machine_transition = transition(
    implementation = _build_machine_transition_impl,
    inputs = ["//command_line_option:host_platform"],
    outputs = ["//command_line_option:platforms"],
)
