"""A test that a library's model-level work is shared by the host and the cores.

Not an analysis test: those may only use analysis_test_transition, and the
point is the transition that cortex_m_binary really uses. The check runs at
analysis; the test script reports its result.
"""

load("//rules:defs.bzl", "TflmAotLibraryInfo", "TflmModelLibraryInfo")
load("//rules/private:cortex_m.bzl", "core_transition")

def _info(target):
    for provider in (TflmAotLibraryInfo, TflmModelLibraryInfo):
        if provider in target:
            return target[provider]
    return None

def _model_level_test_impl(ctx):
    host = ctx.attr.library
    core = ctx.attr.library_on_core[0]
    errors = []
    if CcInfo not in host:
        errors.append("no CcInfo: other C code cannot depend on it")
    host_info, core_info = _info(host), _info(core)
    if not host_info or not core_info:
        errors.append("neither TflmAotLibraryInfo nor TflmModelLibraryInfo")
    elif host_info.header.path != core_info.header.path:
        errors.append("the host and %s get headers generated twice: %s and %s" % (
            ctx.attr.cpu,
            host_info.header.path,
            core_info.header.path,
        ))
    elif host_info.include_path != ctx.attr.include_path:
        errors.append("include_path is %s, expected %s" % (host_info.include_path, ctx.attr.include_path))
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(script, "#!/bin/sh\n%s\n" % (
        "echo 'FAILED: %s: %s'; exit 1" % (host.label, "; ".join(errors)) if errors else "echo PASSED",
    ), is_executable = True)
    return [DefaultInfo(executable = script)]

model_level_test = rule(
    implementation = _model_level_test_impl,
    test = True,
    doc = "Checks that `library` gives CcInfo and its info provider, with one header for the host and `cpu`.",
    attrs = {
        "library": attr.label(mandatory = True),
        "library_on_core": attr.label(mandatory = True, cfg = core_transition),
        "cpu": attr.string(mandatory = True),
        "include_path": attr.string(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
