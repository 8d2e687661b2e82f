"""tflm_model_library: a .tflite as a const C array in a cc_library, checked for TFLM."""

load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":providers.bzl", "TflmInfo")
load(":tflm_build.bzl", "KERNEL_SETS", "KERNEL_SET_ATTRS", "kernel_cc_infos", "resolve_kernel_set")
load(":transitions.bzl", "build_machine_transition")

def _tflm_model_sources_impl(ctx):
    tflite = tflite_file(ctx, "model")
    report = ctx.outputs.report
    label = str(ctx.attr.model[0].label)  # a list: the attribute has a transition
    if ctx.attr.offline_memory_plan:
        planned = ctx.actions.declare_file(ctx.label.name + ".planned.tflite")
        args = ctx.actions.args()
        args.add("--model", tflite)
        args.add("--output", planned)
        ctx.actions.run(
            executable = ctx.executable._offline_plan,
            arguments = [args],
            inputs = [tflite],
            outputs = [planned],
            mnemonic = "TflmOfflinePlan",
            progress_message = "Writing rules_tflm's memory plan into %s" % label,
        )
        tflite = planned

    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", label)
    args.add("--report", report)
    args.add("--require_tflm")
    args.add("--arena_margin_percent", ctx.attr.arena_margin_percent)
    args.add("--max_flash_bytes", ctx.attr.max_flash_bytes)
    args.add("--max_arena_bytes", ctx.attr.max_arena_bytes)
    ctx.actions.run(
        executable = ctx.executable._analyze,
        arguments = [args],
        inputs = [tflite],
        outputs = [report],
        mnemonic = "TflmCheck",
        progress_message = "Checking that TFLM runs %s within its budgets" % label,
    )

    args = ctx.actions.args()
    args.add("--input", tflite)
    args.add("--input_label", label)
    args.add("--header", ctx.outputs.header)
    args.add("--source", ctx.outputs.source)
    args.add("--include_path", repo_relative_path(ctx.outputs.header))
    args.add("--array_name", ctx.attr.array_name)
    args.add("--alignment", ctx.attr.alignment)
    args.add("--arena_report", report)
    if ctx.attr.namespace:
        args.add("--namespace", ctx.attr.namespace)
    if ctx.attr.section:
        args.add("--section", ctx.attr.section)
    ctx.actions.run(
        executable = ctx.executable._c_array,
        arguments = [args],
        inputs = [tflite, report],
        outputs = [ctx.outputs.header, ctx.outputs.source],
        mnemonic = "TfliteCArray",
        progress_message = "Writing %s as a C array" % label,
    )
    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", label)
    args.add("--header", ctx.outputs.op_resolver)
    args.add("--include_path", repo_relative_path(ctx.outputs.op_resolver))
    args.add("--name", ctx.attr.array_name)
    args.add("--custom_ops", ctx.attr.custom_ops)
    if ctx.attr.linked_ops:
        args.add_joined("--linked_ops", ctx.attr.linked_ops, join_with = ",")
        args.add("--linked_by", str(ctx.label.relative(ctx.label.name[:-len("_sources")])))
    if ctx.attr.namespace:
        args.add("--namespace", ctx.attr.namespace)
    ctx.actions.run(
        executable = ctx.executable._op_resolver,
        arguments = [args],
        inputs = [tflite],
        outputs = [ctx.outputs.op_resolver],
        mnemonic = "TflmOpResolver",
        progress_message = "Writing the TFLM op resolver of %s" % label,
    )
    outputs = [ctx.outputs.header, ctx.outputs.source, ctx.outputs.op_resolver, report]
    return [DefaultInfo(files = depset(outputs))]

tflm_model_sources = rule(
    implementation = _tflm_model_sources_impl,
    doc = "Writes the .h/.c(c) of a tflm_model_library. Use tflm_model_library instead.",
    attrs = {
        "model": attr.label(mandatory = True, allow_files = [".tflite"], cfg = build_machine_transition),
        "header": attr.output(mandatory = True),
        "source": attr.output(mandatory = True),
        "report": attr.output(mandatory = True),
        "op_resolver": attr.output(mandatory = True),
        "custom_ops": attr.string(default = "error", values = ["error", "hook"]),
        "linked_ops": attr.string_list(),
        "offline_memory_plan": attr.bool(default = False),
        "array_name": attr.string(mandatory = True),
        "namespace": attr.string(),
        "section": attr.string(),
        "alignment": attr.int(default = 16),
        "arena_margin_percent": attr.int(default = 10),
        "max_flash_bytes": attr.int(default = 0),
        "max_arena_bytes": attr.int(default = 0),
        "_analyze": attr.label(default = "//tools:analyze", executable = True, cfg = "exec"),
        "_c_array": attr.label(default = "//tools:c_array", executable = True, cfg = "exec"),
        "_op_resolver": attr.label(default = "//tools:op_resolver", executable = True, cfg = "exec"),
        "_offline_plan": attr.label(default = "//tools:offline_plan", executable = True, cfg = "exec"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)

def _tflm_kernels_impl(ctx):
    info = ctx.attr.tflm[TflmInfo]
    kernel_set = resolve_kernel_set(ctx, ctx.attr.kernels)
    table = info.kernel_sets[kernel_set]
    unknown = [op for op in ctx.attr.ops if op not in table]
    if unknown:
        fail("%s: ops = %s: %s has no kernel for %s; its kernels register %s." % (
            ctx.label,
            ctx.attr.ops,
            info.label,
            ", ".join(unknown),
            ", ".join(sorted(table.keys())),
        ))
    kernels = [table[op] for op in ctx.attr.ops] if ctx.attr.ops else table.values()

    # Tells the code that includes the model which kernels it runs with (tflm_test prints it).
    kernel_set_define = CcInfo(compilation_context = cc_common.create_compilation_context(
        defines = depset(["RULES_TFLM_KERNELS_" + kernel_set.upper()]),
    ))
    return [cc_common.merge_cc_infos(cc_infos = [kernel_set_define, info.core] + kernel_cc_infos(kernels))]

tflm_kernels = rule(
    implementation = _tflm_kernels_impl,
    doc = "TFLM's interpreter and the kernels of `ops` (all without), from the chosen kernel set.",
    attrs = dict({
        "tflm": attr.label(mandatory = True, providers = [TflmInfo]),
        "ops": attr.string_list(),
        "kernels": attr.string(values = [""] + KERNEL_SETS),
    }, **KERNEL_SET_ATTRS),
    provides = [CcInfo],
)

def tflm_model_library(
        name,
        model,
        array_name = None,
        namespace = None,
        section = None,
        alignment = 16,
        arena_margin_percent = 10,
        max_flash_bytes = 0,
        max_arena_bytes = 0,
        custom_ops = "error",
        offline_memory_plan = False,
        tflm = None,
        ops = None,
        kernels = None,
        **kwargs):
    """A `cc_library` holding a model as a `const`, aligned C array, checked for TFLM.

    The header `<name>.h` declares

        extern const unsigned char <array_name>[];    // the .tflite, 16-byte aligned
        extern const unsigned int <array_name>_len;   // its size in bytes
        #define <ARRAY_NAME>_ARENA_SIZE <bytes>       // TFLM tensor arena to allocate

    with C linkage (usable from C and C++) unless `namespace` is set, and the
    C++ header `<name>_op_resolver.h` with `<Name>OpResolver`, a
    `tflite::MicroMutableOpResolver<N>` for exactly the model's N ops, and
    `Register<Name>Ops(resolver)`, which adds them (names from `array_name`:
    `model_data` gives `ModelDataOpResolver`). The build
    fails, with a message saying why, when the TFLM interpreter cannot run the
    model (an op it lacks; a dynamic-range or float16 model, which TFLM cannot
    run: quantize to `int8`), or when the model breaks a budget.
    `<ARRAY_NAME>_ARENA_SIZE` is the smallest arena the real TFLM interpreter
    accepted for this model on the build machine (64-bit, an upper bound for
    32-bit targets) plus `arena_margin_percent`.

    Also writes `<name>.report.json`, the analysis with the TFLM arena.

    Args:
      name: (str) Name of the `cc_library`; also the header's name, `<name>.h`.
      model: (label) A `tflite_model` target or a `.tflite` file.
      array_name: (str) C identifier of the array; default: `name`.
      namespace: (str) Put the array in this C++ namespace (e.g. `"fw::models"`);
        the source is then C++ and the header C++-only. Default: C linkage.
      section: (str) Linker section for the array, e.g. `".rodata.models"`.
      alignment: (int) Alignment of the array in bytes (TFLM needs 16).
      arena_margin_percent: (int) Added to the measured arena for the constant.
      max_flash_bytes: (int) Fail if the model is larger; 0 = no budget.
      max_arena_bytes: (int) Fail if the arena constant is larger; 0 = no budget.
      offline_memory_plan: (bool) Embed a copy of the model that carries
        rules_tflm's memory plan (OfflineMemoryAllocation metadata), which
        TFLM then follows: elementwise ops overwrite an input that dies with
        them, so the arena can shrink (simple_add: 50176 to 33792 bytes), and
        the arena constant is measured with the plan. Model inputs may be
        overwritten by an inference.
      tflm: (label) `@tflm//:tflm` from `tflm_repositories()`: the library then
        links TFLM's interpreter and the kernels of `ops`, so your firmware
        depends on it alone. Default: no TFLM (bring your own).
      ops: (list of str) With `tflm`: the builtin ops whose kernels to link,
        e.g. `["CONV_2D", "SOFTMAX"]`. The build fails, naming the list to
        write, when the model uses an op outside them. Default: every kernel,
        which compiles all of TFLM (minutes per core).
      kernels: (str) With `tflm`: `reference` or `cmsis_nn` (Arm's optimized
        kernels where CMSIS-NN has one, reference elsewhere). Default: the
        build setting `@rules_tflm//rules/tflm:kernels`, whose default `auto`
        picks CMSIS-NN on Cortex-M4, M7, M33 and M55, reference elsewhere.
      custom_ops: (str) `error` refuses a model with custom ops; `hook` makes the
        resolver header declare `Register<Name>CustomOps(resolver)`, which your
        firmware defines to add their kernels.
      **kwargs: Passed on to the `cc_library` (e.g. `visibility`, `tags`).
    """
    extension = ".cc" if namespace else ".c"
    tflm_model_sources(
        name = name + "_sources",
        model = model,
        header = name + ".h",
        source = name + extension,
        report = name + ".report.json",
        op_resolver = name + "_op_resolver.h",
        custom_ops = custom_ops,
        linked_ops = ops if tflm else None,
        offline_memory_plan = offline_memory_plan,
        array_name = array_name or name,
        namespace = namespace,
        section = section,
        alignment = alignment,
        arena_margin_percent = arena_margin_percent,
        max_flash_bytes = max_flash_bytes,
        max_arena_bytes = max_arena_bytes,
        visibility = ["//visibility:private"],
        tags = kwargs.get("tags", []),
        testonly = kwargs.get("testonly", False),
    )
    deps = kwargs.pop("deps", [])
    if tflm:
        tflm_kernels(
            name = name + "_tflm",
            tflm = tflm,
            ops = ops,
            kernels = kernels,
            visibility = ["//visibility:private"],
            tags = kwargs.get("tags", []),
            testonly = kwargs.get("testonly", False),
        )
        deps = deps + [":" + name + "_tflm"]
    elif ops or kernels:
        fail("%s: ops and kernels choose what of TFLM to link, so they need tflm = \"@tflm//:tflm\" too." % name)
    native.cc_library(
        name = name,
        srcs = [name + extension],
        deps = deps,
        hdrs = [
            name + ".h",
            name + "_op_resolver.h",
        ],
        **kwargs
    )
