"""tflm_model_report: one self-contained HTML page (and its JSON) of what a model costs."""

load("@rules_tflm_arm_gcc//:defs.bzl", "ARM_GCC_PREFIX", "QEMU_SYSTEM_ARM")
load(":aot.bzl", "aot_profile_library")
load(":cortex_m.bzl", "CortexMBinaryInfo", "cortex_m_binary", "require_qemu")
load(":cortex_m_cores.bzl", "CORES")
load(":golden.bzl", "expand_main", "library_substitutions")
load(":paths.bzl", "tflite_file")
load(":providers.bzl", "TfliteModelInfo", "TflmAotLibraryInfo", "TflmModelLibraryInfo")
load(":tflm_build.bzl", "TFLM_COPTS")
load(":tflm_model_library.bzl", "tflm_model_library")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

def _profile_main_impl(ctx):
    info, substitutions = library_substitutions(ctx.attr.library)
    substitutions.update({"%{model_label}": str(info.model_label), "%{model_header}": info.include_path})
    return [DefaultInfo(files = depset([expand_main(ctx, substitutions)]))]

# The main of a profiling program: the AOT library's (report_profile_main.c.tpl) or a
# TFLM one's (report_tflm_profile_main.cc.tpl).
_profile_main = rule(
    implementation = _profile_main_impl,
    attrs = {
        "library": attr.label(mandatory = True, providers = [[TflmAotLibraryInfo], [TflmModelLibraryInfo]]),
        "template": attr.label(mandatory = True, allow_single_file = [".tpl"]),
    },
)

def _analysis(ctx, tflite, label):
    """The model's analysis report: tflite_model's, or one made here for a bare .tflite."""
    if TfliteModelInfo in ctx.attr.model:
        return ctx.attr.model[TfliteModelInfo].report
    analysis = ctx.actions.declare_file(ctx.label.name + ".analysis.json")
    run_tool(
        ctx,
        ctx.executable._analyze,
        "TfliteAnalyze",
        "Analyzing %s and measuring its TFLM arena" % label,
        inputs = [tflite],
        outputs = [analysis],
        flags = {"model": tflite, "report": analysis, "model_label": label},
    )
    return analysis

def _profile(ctx, binary, system):
    """The JSON of one profiling run (tools/profile_run.py) of `system` on a core."""
    info = binary[CortexMBinaryInfo]
    core = CORES[info.cpu]
    output = ctx.actions.declare_file("%s.%s.%s.profile.json" % (ctx.label.name, system, info.cpu))
    plugin = ctx.file._plugin
    run_tool(
        ctx,
        ctx.executable._profile_run,
        "TflmLayerProfile",
        "Counting the instructions of each layer of %s (%s) on %s in QEMU" % (ctx.attr.model.label, system, info.cpu),
        inputs = [info.elf, info.size_report, plugin],
        outputs = [output],
        flags = {
            "output": output,
            "system": system,
            "core": info.cpu,
            "elf": info.elf,
            "machine": info.machine,
            "size_report": info.size_report,
            "board_flash_bytes": core.flash_length,
            "board_ram_bytes": core.ram_length,
            "plugin": plugin,
            "label": str(binary.label),
            "qemu": QEMU_SYSTEM_ARM,
            "nm": ARM_GCC_PREFIX + "nm",
            "aot_prefix": ctx.attr.aot_prefix if system == "aot" else None,
        },
    )
    return output

def _model_report_impl(ctx):
    tflite = tflite_file(ctx, "model")
    label = str(ctx.attr.model.label)
    analysis = _analysis(ctx, tflite, label)
    if ctx.attr.binaries or ctx.attr.tflm_binaries:
        require_qemu(ctx)
    profiles = [_profile(ctx, binary, "aot") for binary in ctx.attr.binaries] + [
        _profile(ctx, binary, "tflm_" + kernels)
        for binary, kernels in zip(ctx.attr.tflm_binaries, ctx.attr.tflm_kernels)
    ]
    page = ctx.actions.declare_file(ctx.label.name + ".html")
    numbers = ctx.actions.declare_file(ctx.label.name + ".json")
    run_tool(
        ctx,
        ctx.executable._model_report,
        "TflmModelReport",
        "Writing the report page of %s" % label,
        inputs = [tflite, analysis] + profiles + ctx.files.reference + ctx.files.dataset,
        outputs = [page, numbers],
        flags = {
            "model": tflite,
            "analysis": analysis,
            "html": page,
            "json": numbers,
            "model_label": label,
            "profiles": [p.path for p in profiles],
            "clock_mhz": ctx.attr.clock_mhz,
            "inferences_per_second": ctx.attr.inferences_per_second,
            "reference": tflite_file(ctx, "reference") if ctx.attr.reference else None,
            "dataset": ctx.file.dataset,
            "task": ctx.attr.task,
            "max_flash_bytes": ctx.attr.max_flash_bytes,
            "max_ram_bytes": ctx.attr.max_ram_bytes,
        },
    )
    return [DefaultInfo(
        files = depset([page, numbers]),
        runfiles = ctx.runfiles(files = [page, numbers]),
    )]

_model_report = rule(
    implementation = _model_report_impl,
    cfg = build_machine_transition,
    attrs = dict({
        "model": attr.label(mandatory = True, allow_files = [".tflite"]),
        "binaries": attr.label_list(providers = [CortexMBinaryInfo]),
        # TFLM's programs, each with its kernel set in tflm_kernels.
        "tflm_binaries": attr.label_list(providers = [CortexMBinaryInfo]),
        "tflm_kernels": attr.string_list(),
        # The C prefix of the AOT library in `binaries`.
        "aot_prefix": attr.string(),
        "reference": attr.label(allow_files = [".tflite"]),
        "dataset": attr.label(allow_single_file = [".npz"]),
        "task": attr.string(values = ["regression", "classification"]),
        "max_flash_bytes": attr.int(),
        "max_ram_bytes": attr.int(),
        "clock_mhz": attr.string(),
        "inferences_per_second": attr.string(),
        "_analyze": attr.label(default = "//tools:analyze", executable = True, cfg = "exec"),
        "_model_report": attr.label(default = "//tools:model_report", executable = True, cfg = "exec"),
        "_profile_run": attr.label(default = "//tools:profile_run", executable = True, cfg = "exec"),
        "_plugin": attr.label(default = "//rules/cortex_m:libinsn_count.so", allow_single_file = True, cfg = "exec"),
    }, **TRANSITION_ATTRS),
)

def tflm_model_report(
        *,
        name,
        model,
        cores = [],
        clock_mhz = 0,
        inferences_per_second = 0,
        reference = None,
        dataset = None,
        task = "regression",
        max_flash_bytes = 0,
        max_ram_bytes = 0,
        tflm = None,
        ops = None,
        kernels = ["reference", "cmsis_nn"],
        **kwargs):
    """A model's report: `<name>.html`, one page, and `<name>.json`, the same numbers.

    The page has inline CSS and SVG, no script, and fetches nothing: it reads
    offline and in a code review. It shows the model's inputs and outputs
    (type, shape, scale, zero point), ops, MACs and weights; whether TFLM runs
    it and the smallest arena TFLM takes; whether the ahead-of-time compiler
    (`tflm_aot_library`) compiles it and its arena; a table of the layers
    (op, shapes, MACs, weight bytes, arena offsets, and instructions on each
    core), the five most expensive marked; and two memory plots, each tensor
    a bar from the op that writes it to the last op that reads it, at its
    offset: the ahead-of-time plan and TFLM's own greedy plan.

    For each of `cores`, a program of the compiled model is built for the core
    and run once in QEMU (an action of the build): the page gives its
    instructions in all and per layer, and its flash and RAM against the
    board's; a board that cannot hold the program is shown with the numbers.
    QEMU counts instructions, not cycles, so the workload (with `clock_mhz` and
    `inferences_per_second`) is an estimate.

    With `tflm` (`@tflm//:tflm`), TFLM runs the model on each core too, with
    each of `kernels`, and the page gives its instructions per op beside ours.

    With `dataset` and the float `reference`, the page compares the two models on
    it as `tflite_accuracy_test` does (MAE and RMSE, or top-1) and plots the
    histogram of the quantized model's error on every output.

        tflm_model_report(
            name = "model_report",
            model = ":model_int8",
            cores = ["cortex-m4", "cortex-m55"],
            clock_mhz = 64,
            inferences_per_second = 10,
        )

    Args:
      name: (str) Target name; outputs `<name>.html` and `<name>.json`.
      model: (label) A `tflite_model` target (its report is reused) or a `.tflite` file.
      cores: (list of str) Cores to run the model on, from cortex-m0, cortex-m3,
        cortex-m4, cortex-m7, cortex-m33, cortex-m55; none by default.
      clock_mhz: (number) The device's clock in MHz, for the duty cycle.
      inferences_per_second: (number) How often the device runs the model.
      reference: (label) The float model (`tflite_model` or `.tflite`), with `dataset`.
      dataset: (label) A `.npz` with `x` (inputs) and `y` (expected outputs).
      task: (str) "regression" (MAE, RMSE) or "classification" (top-1), for `dataset`.
      max_flash_bytes: (int) The firmware's flash budget, drawn on each core's bar; 0 = none.
      max_ram_bytes: (int) Its RAM budget (data and bss), likewise.
      tflm: (label) `@tflm//:tflm` from `tflm_repositories()`, to profile TFLM too
        (the report is then incompatible where no TFLM sources are configured).
      ops: (list of str) With `tflm`: the builtin ops whose kernels to link (see
        `tflm_model_library`); default every kernel, which compiles all of TFLM.
      kernels: (list of str) With `tflm`: the kernel sets to profile, `reference`
        and `cmsis_nn`.
      **kwargs: Common attributes (`visibility`, `tags`, ...).
    """
    for core in cores:
        if core not in CORES:
            fail("%s: cores has \"%s\", which is not a core rules_tflm knows; use some of %s." % (
                name,
                core,
                ", ".join(sorted(CORES.keys())),
            ))
    if (clock_mhz or inferences_per_second) and not (clock_mhz and inferences_per_second and cores):
        fail("%s: the workload needs clock_mhz, inferences_per_second and at least one core; set all three or none." % name)
    if bool(reference) != bool(dataset):
        fail("%s: the accuracy section needs both dataset and reference (the float model); set both or neither." % name)
    hidden = dict(tags = ["manual"], visibility = ["//visibility:private"])
    aot_library = name + "_profiled_model"  # also its C prefix
    binaries = []
    if cores:
        aot_profile_library(name = aot_library, model = model, **hidden)
        binaries = _profiling_programs(name + "_profile", aot_library, Label("//rules/private:report_profile_main.c.tpl"), cores, [], hidden)
    tflm_binaries, tflm_kernels = [], []
    if tflm and cores:
        for kernel_set in kernels:
            library = "%s_tflm_%s_model" % (name, kernel_set)
            # CMSIS-NN's kernels with MVE keep more in the arena than the host measures.
            tflm_model_library(name = library, model = model, tflm = tflm, ops = ops, kernels = kernel_set, arena_margin_percent = 150, **hidden)
            tflm_binaries += _profiling_programs(
                "%s_profile_tflm_%s" % (name, kernel_set),
                library,
                Label("//rules/private:report_tflm_profile_main.cc.tpl"),
                cores,
                TFLM_COPTS,
                hidden,
            )
            tflm_kernels += [kernel_set] * len(cores)
    elif tflm or ops:
        fail("%s: tflm and ops profile TFLM on the cores, so they need cores too." % name)
    _model_report(
        name = name,
        model = model,
        binaries = binaries,
        tflm_binaries = tflm_binaries,
        tflm_kernels = tflm_kernels,
        aot_prefix = aot_library,
        clock_mhz = str(clock_mhz) if clock_mhz else "",
        inferences_per_second = str(inferences_per_second) if inferences_per_second else "",
        reference = reference,
        dataset = dataset,
        task = task,
        max_flash_bytes = max_flash_bytes,
        max_ram_bytes = max_ram_bytes,
        **kwargs
    )

def _profiling_programs(prefix, library, template, cores, copts, hidden):
    """A program per core running `library` once between the markers: their labels."""
    _profile_main(name = prefix + "_main", library = ":" + library, template = template, **hidden)
    programs = []
    for core in cores:
        cortex_m_binary(
            name = "%s_%s" % (prefix, core),
            cpu = core,
            srcs = [":" + prefix + "_main"],
            deps = [":" + library, Label("//rules/cortex_m:bench_markers")],
            copts = copts,
            board_check = "report",
            **hidden
        )
        programs.append(":%s_%s" % (prefix, core))
    return programs
