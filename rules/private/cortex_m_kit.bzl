"""cortex_m_kit: what a test needs to build firmware for one core itself, as Bazel would.

Some tests make their C at run time (tools/aot/differential_cores_test.py
compiles hundreds of random models per core), too many sources to declare
as targets. The kit hands such a test the pieces that `cortex_m_binary`
links around its sources, built by Bazel for the core and cached like any
other output, and the exact command lines of the core's toolchain
(rules/private/cortex_m_toolchain.bzl), so that what the test compiles
itself gets the flags every other Cortex-M target gets.

`<name>.json` (in the runfiles with the files it names; paths are runfiles
paths):

    core, machine    the core and its QEMU board
    gcc, size, qemu  the compiler driver, arm-none-eabi-size, qemu-system-arm
    compile_flags    the toolchain's flags for compiling C (no -c, -o or sources)
    link_flags       the toolchain's flags for linking an executable
    linker_script    the board's linker script (rules/cortex_m/cortex_m.ld.tpl)
    libraries        [{path, alwayslink}]: `deps` and the start-up code, in
                     link order; alwayslink ones go in whole (-Wl,--whole-archive)
    link_options     what the libraries add after themselves (e.g. -lm)
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load("@rules_tflm_arm_gcc//:defs.bzl", "ARM_GCC_PREFIX", "QEMU_SYSTEM_ARM")
load(":cc.bzl", "CC_ATTRS", "CC_RULE_ARGS", "configured_toolchain")
load(":cortex_m.bzl", "core_transition", "require_qemu")
load(":cortex_m_cores.bzl", "CORES", "CORE_NAMES")
load(":cortex_m_toolchain.bzl", "MISSING_GCC")
load(":transitions.bzl", "TRANSITION_ATTRS")

def _cortex_m_kit_impl(ctx):
    if not ARM_GCC_PREFIX:
        fail("%s: %s" % (ctx.label, MISSING_GCC))
    require_qemu(ctx)
    cc_toolchain, features = configured_toolchain(ctx)
    compile_flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = features,
        action_name = ACTION_NAMES.c_compile,
        variables = cc_common.create_compile_variables(cc_toolchain = cc_toolchain, feature_configuration = features),
    )
    link_flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = features,
        action_name = ACTION_NAMES.cpp_link_executable,
        variables = cc_common.create_link_variables(cc_toolchain = cc_toolchain, feature_configuration = features),
    )
    cc_info = cc_common.merge_cc_infos(cc_infos = [dep[CcInfo] for dep in ctx.attr.deps + [ctx.attr._startup]])
    libraries, files, link_options = [], [ctx.file._linker_script], []
    for linker_input in cc_info.linking_context.linker_inputs.to_list():
        for library in linker_input.libraries:
            archive = library.static_library or library.pic_static_library
            if archive:
                # Under a name of the kit's: every core's runtime/libruntime.a has the same
                # runfiles path, and a test's runfiles keep only one of them.
                link = ctx.actions.declare_file("%s/%d_%s" % (ctx.label.name, len(libraries), archive.basename))
                ctx.actions.symlink(output = link, target_file = archive)
                libraries.append({"path": link.short_path, "alwayslink": library.alwayslink})
                files.append(link)
        link_options += linker_input.user_link_flags
    kit = ctx.actions.declare_file(ctx.label.name + ".json")
    ctx.actions.write(kit, json.encode_indent(struct(
        core = ctx.attr.cpu,
        machine = CORES[ctx.attr.cpu].machine,
        gcc = cc_common.get_tool_for_action(feature_configuration = features, action_name = ACTION_NAMES.c_compile),
        size = ARM_GCC_PREFIX + "size",
        qemu = QEMU_SYSTEM_ARM,
        compile_flags = compile_flags,
        link_flags = link_flags,
        linker_script = ctx.file._linker_script.short_path,
        libraries = libraries,
        link_options = link_options,
    )) + "\n")
    return [DefaultInfo(files = depset([kit]), runfiles = ctx.runfiles(files = [kit] + files))]

cortex_m_kit = rule(
    implementation = _cortex_m_kit_impl,
    doc = "`<name>.json`: the toolchain's command lines, `deps` and the start-up code built for `cpu`, and the board's linker script.",
    cfg = core_transition,
    attrs = dict({
        "cpu": attr.string(mandatory = True, values = CORE_NAMES),
        "deps": attr.label_list(providers = [CcInfo]),
        "_startup": attr.label(default = "//rules/cortex_m:startup"),
        "_linker_script": attr.label(default = "//rules/cortex_m:linker_script", allow_single_file = True),
    }, **dict(CC_ATTRS, **TRANSITION_ATTRS)),
    **CC_RULE_ARGS
)
