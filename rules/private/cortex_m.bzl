"""cortex_m_binary, cortex_m_test and cortex_m_cc_test: C/C++ on emulated Cortex-M cores."""

load("@rules_tflm_arm_gcc//:defs.bzl", "ARM_GCC_PREFIX", "QEMU_SYSTEM_ARM")
load(":cortex_m_cores.bzl", "CORES", "CORE_NAMES")
load(":cortex_m_toolchain.bzl", "MISSING_GCC")
load(":launcher.bzl", "write_test_script")
load(":tool_action.bzl", "run_tool")

CortexMBinaryInfo = provider(
    doc = "A firmware ELF built for one Cortex-M core.",
    fields = {
        "elf": "(File) The linked ELF.",
        "cpu": "(str) The core, e.g. cortex-m3.",
        "machine": "(str) The QEMU board that emulates the core, e.g. mps2-an385.",
        "size_report": "(File) JSON: flash_bytes, ram_bytes and the sizes of the sections.",
    },
)

def _platform_label(cpu):
    return str(Label("//rules/cortex_m:%s_platform" % cpu))

def _core_transition_impl(settings, attr):
    return {"//command_line_option:platforms": _platform_label(attr.cpu)}

# Builds an attribute for the core in `attr.cpu` (also used by tests/rules).
core_transition = transition(
    implementation = _core_transition_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)

def _cortex_m_binary_impl(ctx):
    if not ARM_GCC_PREFIX:
        fail("%s: %s" % (ctx.label, MISSING_GCC))
    built = ctx.attr.binary[0][DefaultInfo].files_to_run.executable
    elf = ctx.actions.declare_file(ctx.label.name + ".elf")
    ctx.actions.run_shell(
        command = "cp \"$1\" \"$2\"",
        arguments = [built.path, elf.path],
        inputs = [built],
        outputs = [elf],
        mnemonic = "CopyElf",
        progress_message = "Copying the ELF of %s" % ctx.label,
    )
    report = ctx.actions.declare_file(ctx.label.name + ".size.json")
    core = CORES[ctx.attr.cpu]
    run_tool(
        ctx,
        ctx.executable._firmware_size,
        "FirmwareSize",
        "Measuring flash and RAM of %s" % ctx.label,
        inputs = [elf],
        outputs = [report],
        flags = {
            "elf": elf,
            "size_tool": ARM_GCC_PREFIX + "size",
            "report": report,
            "label": str(ctx.label),
            "max_flash_bytes": ctx.attr.max_flash_bytes,
            "max_ram_bytes": ctx.attr.max_ram_bytes,
            "board": "the %s board (%s)" % (core.machine, ctx.attr.cpu),
            "board_flash_bytes": core.flash_length,
            "board_ram_bytes": core.ram_length,
            "stack_bytes": ctx.attr.stack_size or core.stack_size,
            "board_check": ctx.attr.board_check,
        },
    )
    return [
        DefaultInfo(files = depset([elf, report]), runfiles = ctx.runfiles(files = [elf, report])),
        CortexMBinaryInfo(elf = elf, cpu = ctx.attr.cpu, machine = core.machine, size_report = report),
    ]

_cortex_m_binary = rule(
    implementation = _cortex_m_binary_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = core_transition, executable = True),
        "cpu": attr.string(mandatory = True, values = CORE_NAMES),
        # The defaults are cortex_m_binary's.
        "max_flash_bytes": attr.int(mandatory = True),
        "max_ram_bytes": attr.int(mandatory = True),
        "stack_size": attr.int(mandatory = True),
        "board_check": attr.string(mandatory = True, values = ["fail", "report"]),
        "_firmware_size": attr.label(default = "//tools:firmware_size", executable = True, cfg = "exec"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

def cortex_m_binary(
        *,
        name,
        cpu,
        srcs = [],
        deps = [],
        copts = [],
        stack_size = None,
        heap_size = None,
        max_flash_bytes = 0,
        max_ram_bytes = 0,
        board_check = "fail",
        **kwargs):
    """A C/C++ program built for one Cortex-M core: `<name>.elf` and `<name>.size.json`.

    It links rules_tflm's start-up code (vector table, reset and fault
    handlers, semihosting) and the core's board linker script, so `main`
    runs under QEMU and its return value is the exit status.
    The size report gives flash (text + rodata + data) and RAM (data + bss);
    the build fails, with the numbers, when a budget is exceeded or the
    program does not fit the board (flash, and RAM with heap and stack).

    Args:
      name: (str) Target name; outputs `<name>.elf` and `<name>.size.json`.
      cpu: (str) One of cortex-m0, cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55.
      srcs: (labels) C/C++ sources with `main`.
      deps: (labels) cc_library dependencies.
      copts: (list of str) Extra compiler flags.
      stack_size: (int) Stack bytes; default 16 KiB (4 KiB on cortex-m0).
      heap_size: (int) Heap bytes for malloc; default 16 KiB (4 KiB on cortex-m0).
      max_flash_bytes: (int) Fail above this much flash; 0 = no budget.
      max_ram_bytes: (int) Fail above this much static RAM; 0 = no budget.
      board_check: (str) A program too big for the board: "fail" the build, or
        "report" it in the size report (for tests that leave such cores out).
      **kwargs: Passed on to the rule (e.g. `visibility`, `tags`).
    """
    if cpu not in CORES:
        fail("%s: cpu = \"%s\" is not a core rules_tflm knows; use one of %s." % (name, cpu, ", ".join(CORE_NAMES)))
    linker_script = str(Label("//rules/cortex_m:linker_script"))
    linkopts = ["-T$(location %s)" % linker_script]
    if stack_size:
        linkopts.append("-Wl,--defsym=__stack_size__=%d" % stack_size)
    if heap_size:
        linkopts.append("-Wl,--defsym=__heap_size__=%d" % heap_size)
    native.cc_binary(
        name = name + "_cc",
        srcs = srcs,
        deps = deps + [Label("//rules/cortex_m:startup")],
        copts = copts,
        linkopts = linkopts,
        additional_linker_inputs = [linker_script],
        target_compatible_with = [Label("//rules/cortex_m:cortex_m")],
        tags = ["manual"],
        visibility = ["//visibility:private"],
        testonly = kwargs.get("testonly", False),
    )
    _cortex_m_binary(
        name = name,
        binary = ":" + name + "_cc",
        cpu = cpu,
        max_flash_bytes = max_flash_bytes,
        max_ram_bytes = max_ram_bytes,
        stack_size = stack_size or 0,
        board_check = board_check,
        **kwargs
    )

def require_qemu(ctx):
    """Fails the analysis of `ctx`'s target, with the fix, when qemu-system-arm is missing."""
    if not QEMU_SYSTEM_ARM:
        fail("%s: qemu-system-arm was not found on PATH: install the Debian package qemu-system-arm (./setup.sh does)." % ctx.label)

def _cortex_m_test_impl(ctx):
    require_qemu(ctx)
    info = ctx.attr.binary[CortexMBinaryInfo]
    runner = ctx.executable._qemu_run
    command = [
        runner.short_path,
        "--elf=" + info.elf.short_path,
        "--machine=" + info.machine,
        "--qemu=" + QEMU_SYSTEM_ARM,
        "--timeout_seconds=%d" % ctx.attr.timeout_seconds,
        "--label=" + str(ctx.attr.binary.label),
    ]
    script = write_test_script(ctx, command)
    # The size report in the runfiles makes its check (budgets, the board's size) part of the build.
    runfiles = ctx.runfiles(files = [info.elf, info.size_report]).merge(ctx.attr._qemu_run[DefaultInfo].default_runfiles)
    return [DefaultInfo(executable = script, runfiles = runfiles)]

cortex_m_test = rule(
    implementation = _cortex_m_test_impl,
    test = True,
    doc = """Runs a `cortex_m_binary` in qemu-system-arm, on the board of its core, as a test.

The firmware's output (semihosting) goes to the test log, and its exit status
(`main`'s return value) is the test's. A fault stops it with a report of
where it happened; a binary still running after `timeout_seconds` is killed
and the test fails, so QEMU is never left running.""",
    attrs = {
        "binary": attr.label(
            doc = "The `cortex_m_binary` to run.",
            mandatory = True,
            providers = [CortexMBinaryInfo],
        ),
        "timeout_seconds": attr.int(
            doc = "Fail the test if the binary runs longer than this.",
            default = 10,
        ),
        "_qemu_run": attr.label(default = "//tools:qemu_run", executable = True, cfg = "target"),
    },
)

# The attributes of a target that only a test builds: `bazel build //...` skips it.
TEST_PART = {"testonly": True, "tags": ["manual"], "visibility": ["//visibility:private"]}

def _test_binary(name, core, srcs, deps, copts, board_check):
    """The `cortex_m_binary` `<name>_<core>_bin` that a test of `name` runs on `core`."""
    cortex_m_binary(
        name = "%s_%s_bin" % (name, core),
        cpu = core,
        srcs = srcs,
        deps = deps,
        copts = copts,
        board_check = board_check,
        **TEST_PART
    )

def cortex_m_cc_test(*, name, srcs, deps = [], cores = CORE_NAMES, copts = [], timeout_seconds = 10, **kwargs):
    """One C/C++ test source as a host `cc_test` and an emulated test per Cortex-M core.

    Makes `<name>` (the host cc_test), `<name>_<core>` for each core (e.g.
    `<name>_cortex-m3`, a `cortex_m_test` of the `cortex_m_binary`
    `<name>_<core>_bin`) and the test_suite `<name>_all`.

    Args:
      name: (str) Name of the host test.
      srcs: (labels) Test sources; `main` returns 0 on success.
      deps: (labels) cc_library dependencies.
      cores: (list of str) Cores to run on; default all six.
      copts: (list of str) Extra compiler flags, for host and cores.
      timeout_seconds: (int) Emulated runs longer than this fail.
      **kwargs: Passed on to every target (e.g. `size`, `tags`, `visibility`).
    """
    native.cc_test(name = name, srcs = srcs, deps = deps, copts = copts, **kwargs)
    tests = [":" + name]
    for core in cores:
        _test_binary(name, core, srcs, deps, copts, board_check = "fail")
        cortex_m_test(
            name = "%s_%s" % (name, core),
            binary = ":%s_%s_bin" % (name, core),
            timeout_seconds = timeout_seconds,
            **kwargs
        )
        tests.append(":%s_%s" % (name, core))
    native.test_suite(name = name + "_all", tests = tests, tags = kwargs.get("tags", []))

def _cortex_m_cores_test_impl(ctx):
    require_qemu(ctx)
    command = [
        ctx.executable._cores_run.short_path,
        "--qemu_run=" + ctx.executable._qemu_run.short_path,
        "--qemu=" + QEMU_SYSTEM_ARM,
        "--timeout_seconds=%d" % ctx.attr.timeout_seconds,
        "--label=" + str(ctx.label),
    ]
    files = []
    for binary in ctx.attr.binaries:
        info = binary[CortexMBinaryInfo]
        command.append("--core=%s,%s,%s,%s" % (info.cpu, info.machine, info.elf.short_path, info.size_report.short_path))
        files += [info.elf, info.size_report]
    script = write_test_script(ctx, command)
    runfiles = ctx.runfiles(files = files)
    for tool in (ctx.attr._cores_run, ctx.attr._qemu_run):
        runfiles = runfiles.merge(tool[DefaultInfo].default_runfiles)
    return [DefaultInfo(executable = script, runfiles = runfiles)]

cortex_m_cores_test = rule(
    implementation = _cortex_m_cores_test_impl,
    test = True,
    doc = """Runs a program on each core whose board can hold it; the others are left out, with the numbers.

The binaries are `cortex_m_binary` targets built with `board_check = "report"`.""",
    attrs = {
        "binaries": attr.label_list(mandatory = True, providers = [CortexMBinaryInfo]),
        "timeout_seconds": attr.int(mandatory = True),
        "_cores_run": attr.label(default = "//tools:cores_run", executable = True, cfg = "target"),
        "_qemu_run": attr.label(default = "//tools:qemu_run", executable = True, cfg = "target"),
    },
)

def host_and_cores_test(*, name, srcs, deps, cores, timeout_seconds, copts = [], **kwargs):
    """A host test `<name>`, and the same source on the cores: the ones that fit, or exactly `cores`.

    Without `cores`, `<name>_cores` runs on every core whose board can
    hold the program and leaves the others out with the numbers. With
    `cores`, each listed core gets its own test `<name>_<core>`, and one
    whose board is too small fails the build. `<name>_all` runs them all.
    """
    if cores != None:
        cortex_m_cc_test(name = name, srcs = srcs, deps = deps, cores = cores, copts = copts, timeout_seconds = timeout_seconds, **kwargs)
        return
    native.cc_test(name = name, srcs = srcs, deps = deps, copts = copts, **kwargs)
    for core in CORE_NAMES:
        _test_binary(name, core, srcs, deps, copts, board_check = "report")
    cortex_m_cores_test(
        name = name + "_cores",
        binaries = [":%s_%s_bin" % (name, core) for core in CORE_NAMES],
        timeout_seconds = timeout_seconds,
        **kwargs
    )
    native.test_suite(name = name + "_all", tests = [":" + name, ":" + name + "_cores"], tags = kwargs.get("tags", []))
