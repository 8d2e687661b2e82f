"""tflm_model_library: a .tflite as a const C array in a C library, checked for TFLM."""

load(":c_names.bzl", "check_c_identifier", "check_cc_namespace")
load(":cc.bzl", "generated_c_info", "generated_cc_library")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":providers.bzl", "TfliteModelInfo", "TflmInfo", "TflmModelLibraryInfo")
load(":tflm_build.bzl", "KERNEL_SETS", "KERNEL_SET_ATTRS", "kernel_cc_infos", "resolve_kernel_set")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "model_sources_rule")

# Quantizations the TFLM interpreter has no kernels for (float16 weights,
# int8 weights with float activations).
_NOT_FOR_TFLM = ["dynamic_range", "float16"]

def _camel_case(snake):
    return "".join([part[:1].upper() + part[1:] for part in snake.split("_") if part])

def _tflm_model_sources_impl(ctx):
    model = ctx.attr.model
    if TfliteModelInfo in model and model[TfliteModelInfo].quantization in _NOT_FOR_TFLM:
        fail(("%s: model %s is quantized \"%s\", which the TFLM interpreter cannot run (it has " +
              "no kernels for float16 or dynamic-range weights); set quantization = \"int8\" (with " +
              "a representative_dataset) or \"none\" in the tflite_model.") % (
            ctx.label,
            model.label,
            model[TfliteModelInfo].quantization,
        ))
    array_name = ctx.attr.array_name or ctx.attr.library
    check_c_identifier(ctx, "array_name", array_name, defaulted_to_name = not ctx.attr.array_name)
    check_cc_namespace(ctx, "namespace", ctx.attr.namespace)
    tflite = tflite_file(ctx, "model")
    name = ctx.attr.library
    extension = ".cc" if ctx.attr.namespace else ".c"
    header = ctx.actions.declare_file(name + ".h")
    source = ctx.actions.declare_file(name + extension)
    report = ctx.actions.declare_file(name + ".report.json")
    op_resolver = ctx.actions.declare_file(name + "_op_resolver.h")
    label = str(model.label)
    if ctx.attr.offline_memory_plan:
        planned = ctx.actions.declare_file(ctx.label.name + ".planned.tflite")
        run_tool(
            ctx,
            ctx.executable._offline_plan,
            "TflmOfflinePlan",
            "Writing rules_tflm's memory plan into %s" % label,
            inputs = [tflite],
            outputs = [planned],
            flags = {"model": tflite, "output": planned},
        )
        tflite = planned

    # tflite_model measured TFLM's arena already; only the margin and budgets are new.
    earlier = model[TfliteModelInfo].report if TfliteModelInfo in model and not ctx.attr.offline_memory_plan else None
    run_tool(
        ctx,
        ctx.executable._analyze,
        "TflmCheck",
        "Checking that TFLM runs %s within its budgets" % label,
        inputs = [tflite] + ([earlier] if earlier else []),
        outputs = [report],
        flags = {
            "model": tflite,
            "model_label": label,
            "report": report,
            "require_tflm": True,
            "arena_margin_percent": ctx.attr.arena_margin_percent,
            "max_flash_bytes": ctx.attr.max_flash_bytes,
            "max_arena_bytes": ctx.attr.max_arena_bytes,
            "earlier_report": earlier,
        },
    )
    run_tool(
        ctx,
        ctx.executable._c_array,
        "TfliteCArray",
        "Writing %s as a C array" % label,
        inputs = [tflite, report],
        outputs = [header, source],
        flags = {
            "input": tflite,
            "input_label": label,
            "header": header,
            "source": source,
            "include_path": repo_relative_path(header),
            "array_name": array_name,
            "alignment": ctx.attr.alignment,
            "arena_report": report,
            "namespace": ctx.attr.namespace,
            "section": ctx.attr.section,
        },
    )
    run_tool(
        ctx,
        ctx.executable._op_resolver,
        "TflmOpResolver",
        "Writing the TFLM op resolver of %s" % label,
        inputs = [tflite],
        outputs = [op_resolver],
        flags = {
            "model": tflite,
            "model_label": label,
            "header": op_resolver,
            "include_path": repo_relative_path(op_resolver),
            "name": array_name,
            "custom_ops": ctx.attr.custom_ops,
            "linked_ops": ctx.attr.linked_ops,
            "linked_by": str(ctx.label.relative(name)) if ctx.attr.linked_ops else None,
            "namespace": ctx.attr.namespace,
        },
    )
    info = TflmModelLibraryInfo(
        header = header,
        include_path = repo_relative_path(header),
        array_name = array_name,
        namespace = ctx.attr.namespace,
        arena_size_macro = array_name.upper() + "_ARENA_SIZE",
        op_resolver_include_path = repo_relative_path(op_resolver),
        op_resolver_type = _camel_case(array_name) + "OpResolver",
        register_ops_function = "Register" + _camel_case(array_name) + "Ops",
        report = report,
        links_tflm = ctx.attr.links_tflm,
        model = tflite,
        model_label = model.label,
    )
    headers = [(header, info.include_path), (op_resolver, info.op_resolver_include_path)]
    return [
        DefaultInfo(files = depset([header, source, op_resolver, report])),
        generated_c_info(srcs = [source], headers = headers, info = info),
    ]

_tflm_model_sources = model_sources_rule(
    implementation = _tflm_model_sources_impl,
    doc = "Writes the C array, op resolver header and report of `<library>`, a tflm_model_library.",
    attrs = {
        "links_tflm": attr.bool(mandatory = True),
        "custom_ops": attr.string(mandatory = True, values = ["error", "hook"]),
        "linked_ops": attr.string_list(),
        "offline_memory_plan": attr.bool(mandatory = True),
        "array_name": attr.string(),
        "namespace": attr.string(),
        "section": attr.string(),
        "alignment": attr.int(mandatory = True),
        "arena_margin_percent": attr.int(mandatory = True),
        "max_flash_bytes": attr.int(mandatory = True),
        "max_arena_bytes": attr.int(mandatory = True),
        "_analyze": attr.label(default = "//tools:analyze", executable = True, cfg = "exec"),
        "_c_array": attr.label(default = "//tools:c_array", executable = True, cfg = "exec"),
        "_op_resolver": attr.label(default = "//tools:op_resolver", executable = True, cfg = "exec"),
        "_offline_plan": attr.label(default = "//tools:offline_plan", executable = True, cfg = "exec"),
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

    # Tells the code that includes the model which kernels it runs with (tflm_interpreter_test prints it).
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
        *,
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
        deps = [],
        **kwargs):
    """A C library holding a model as a `const`, aligned C array, checked for TFLM.

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
    32-bit targets) plus `arena_margin_percent`; for a `tflite_model`, the
    measurement it made is reused.

    Also writes `<name>.report.json`, the analysis with the TFLM arena. The
    target gives `CcInfo` (depend on it like on a `cc_library`) and
    `TflmModelLibraryInfo` (the header, C names and report). The model is
    checked and written once, whatever cores the library is compiled for.
    A `tflite_model` quantized `dynamic_range` or `float16` is refused at
    analysis: TFLM has no kernels for it.

    Args:
      name: (str) Name of the library; also the header's name, `<name>.h`.
      model: (label) A `tflite_model` target or a `.tflite` file.
      array_name: (str) C identifier of the array (checked at analysis); default: `name`.
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
      deps: (labels) More C/C++ libraries to link with it.
      **kwargs: Common attributes (`visibility`, `tags`, `testonly`, ...).
    """
    hidden = {"visibility": ["//visibility:private"], "tags": kwargs.get("tags", []), "testonly": kwargs.get("testonly", False)}
    _tflm_model_sources(
        name = name + "_sources",
        model = model,
        library = name,
        links_tflm = tflm != None,
        custom_ops = custom_ops,
        linked_ops = ops if tflm else None,
        offline_memory_plan = offline_memory_plan,
        array_name = array_name,
        namespace = namespace,
        section = section,
        alignment = alignment,
        arena_margin_percent = arena_margin_percent,
        max_flash_bytes = max_flash_bytes,
        max_arena_bytes = max_arena_bytes,
        **hidden
    )
    if tflm:
        tflm_kernels(name = name + "_tflm", tflm = tflm, ops = ops, kernels = kernels, **hidden)
        deps = deps + [":" + name + "_tflm"]
    elif ops or kernels:
        fail("%s: ops and kernels choose what of TFLM to link, so they need tflm = \"@tflm//:tflm\" too." % name)
    generated_cc_library(name = name, generated = ":" + name + "_sources", deps = deps, **kwargs)
