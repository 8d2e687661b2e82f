"""The C/C++ toolchain, platform and linker script of each Cortex-M core (rules/cortex_m/BUILD)."""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load("@rules_tflm_arm_gcc//:defs.bzl", "ARM_GCC", "ARM_GCC_INCLUDE_DIRS", "ARM_GCC_PREFIX")
load(":cortex_m_cores.bzl", "CORES", "CORE_NAMES")

MISSING_GCC = ("arm-none-eabi-gcc was not found on PATH: install the Debian packages " +
               "gcc-arm-none-eabi and libnewlib-arm-none-eabi (./setup.sh does), or set " +
               "ARM_NONE_EABI_GCC to its path.")

_COMPILE_ACTIONS = [
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
]

_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

# arm-none-eabi-gcc runs from the host (see arm_gcc_configure.bzl), so the
# toolchain brings no files into the sandbox.
_NO_TOOL_FILES = {
    kind + "_files": ":empty"
    for kind in ["all", "ar", "as", "compiler", "dwp", "linker", "objcopy", "strip"]
}

def _flags(actions, flags):
    return flag_set(actions = actions, flag_groups = [flag_group(flags = flags)])

def _cortex_m_toolchain_config_impl(ctx):
    if not ARM_GCC:
        fail("%s: %s" % (ctx.label, MISSING_GCC))
    core = CORES[ctx.attr.core]
    compile_flags = core.cpu_flags + [
        "-mthumb",
        # Each function and object in its own section, so --gc-sections can
        # drop what the binary does not use.
        "-ffunction-sections",
        "-fdata-sections",
        # Size first, as firmware is built; the figures in bench/ assume it.
        "-Os",
        "-g",
        "-Wall",
        # Keep header paths as written: GCC otherwise rewrites a system
        # header's "../x.h" (gemmlowp's) to an absolute path, and Bazel then
        # reports an undeclared inclusion. Bazel's host toolchain passes it too.
        "-fno-canonical-system-headers",
        # Bazel passes the same sources to every configuration; no timestamps.
        "-Wno-builtin-macro-redefined",
        "-D__DATE__=\"redacted\"",
        "-D__TIMESTAMP__=\"redacted\"",
        "-D__TIME__=\"redacted\"",
    ]
    cxx_flags = ["-fno-exceptions", "-fno-rtti"]
    link_flags = core.cpu_flags + [
        "-mthumb",
        # newlib-nano, and rdimon: stdio and exit() through semihosting.
        "--specs=nano.specs",
        "--specs=rdimon.specs",
        # rules/cortex_m/startup.c replaces crt0.
        "-nostartfiles",
        "-Wl,--gc-sections",
    ]
    # After the objects and libraries: newlib's libm (TFLM calls roundf,
    # expf, floor), which --specs=nano.specs does not add.
    libraries = ["-lm"]
    features = [
        feature(
            name = "cortex_m_flags",
            enabled = True,
            flag_sets = [
                _flags(_COMPILE_ACTIONS, compile_flags),
                _flags([ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing], cxx_flags),
                _flags(_LINK_ACTIONS, link_flags),
            ],
        ),
        feature(
            name = "cortex_m_libraries",
            enabled = True,
            flag_sets = [_flags(_LINK_ACTIONS, libraries)],
        ),
        feature(name = "supports_pic", enabled = False),
    ]
    tools = ["ar", "cpp", "gcc", "gcov", "ld", "nm", "objcopy", "objdump", "strip"]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "arm-none-eabi-" + ctx.attr.core,
        host_system_name = "local",
        target_system_name = "arm-none-eabi",
        target_cpu = ctx.attr.core,
        target_libc = "newlib",
        compiler = "gcc",
        abi_version = "eabi",
        abi_libc_version = "newlib",
        features = features,
        cxx_builtin_include_directories = ARM_GCC_INCLUDE_DIRS,
        tool_paths = [tool_path(name = t, path = ARM_GCC_PREFIX + t) for t in tools],
    )

cortex_m_toolchain_config = rule(
    implementation = _cortex_m_toolchain_config_impl,
    attrs = {"core": attr.string(mandatory = True, values = CORE_NAMES)},
    provides = [CcToolchainConfigInfo],
)

def _cortex_m_linker_script_impl(ctx):
    core = CORES[ctx.attr.core]
    out = ctx.actions.declare_file(ctx.label.name + ".ld")
    ctx.actions.expand_template(
        template = ctx.file.template,
        output = out,
        substitutions = {
            "%{board}": core.machine,
            "%{cpu}": ctx.attr.core,
            "%{flash_origin}": "%d" % core.flash_origin,
            "%{flash_length}": "%d" % core.flash_length,
            "%{ram_origin}": "%d" % core.ram_origin,
            "%{ram_length}": "%d" % core.ram_length,
            "%{stack_size}": "%d" % core.stack_size,
            "%{heap_size}": "%d" % core.heap_size,
        },
    )
    return [DefaultInfo(files = depset([out]))]

cortex_m_linker_script = rule(
    implementation = _cortex_m_linker_script_impl,
    attrs = {
        "core": attr.string(mandatory = True, values = CORE_NAMES),
        "template": attr.label(allow_single_file = True, default = "//rules/cortex_m:cortex_m.ld.tpl"),
    },
)

def cortex_m_cores():
    """Declares, for every core, its constraint, platform, toolchain and linker script."""
    native.constraint_setting(name = "family")
    native.constraint_value(name = "cortex_m", constraint_setting = ":family")
    native.constraint_setting(name = "core")
    scripts = {}
    for name in CORE_NAMES:
        native.constraint_value(name = name, constraint_setting = ":core")
        native.config_setting(name = "is_" + name, constraint_values = [":" + name])
        native.platform(
            name = name + "_platform",
            constraint_values = [
                ":cortex_m",
                ":" + name,
                "@platforms//cpu:arm",
            ],
        )
        cortex_m_toolchain_config(name = name + "_config", core = name)
        native.cc_toolchain(
            name = name + "_cc_toolchain",
            supports_param_files = True,
            toolchain_config = ":" + name + "_config",
            **_NO_TOOL_FILES
        )
        native.toolchain(
            name = name + "_toolchain",
            target_compatible_with = [":" + name],
            toolchain = ":" + name + "_cc_toolchain",
            toolchain_type = "@bazel_tools//tools/cpp:toolchain_type",
        )
        cortex_m_linker_script(name = name + "_linker_script", core = name)
        scripts[":is_" + name] = ":" + name + "_linker_script"
    native.filegroup(name = "empty", srcs = [])

    # The linker script of the core being built for; none on the host.
    scripts["//conditions:default"] = ":empty"
    native.alias(name = "linker_script", actual = select(scripts))
