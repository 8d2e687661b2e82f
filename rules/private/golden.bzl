"""Golden vectors (inputs, and the outputs the TFLM interpreter computes for them) and the tests that run them."""

load(":cc.bzl", "generated_c_info", "generated_cc_library")
load(":cortex_m.bzl", "TEST_PART", "host_and_cores_test")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":providers.bzl", "GeneratedCInfo", "TflmAotLibraryInfo", "TflmModelLibraryInfo")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

def _golden_vectors_impl(ctx):
    tflite = tflite_file(ctx, "model")
    golden = ctx.actions.declare_file(ctx.label.name + ".h")
    dataset = ctx.file.dataset
    run_tool(
        ctx,
        ctx.executable._golden,
        "TflmGolden",
        "Computing golden vectors of %s" % ctx.attr.model.label,
        inputs = [tflite] + ([dataset] if dataset else []),
        outputs = [golden],
        flags = {
            "model": tflite,
            "model_label": str(ctx.attr.model.label),
            "header": golden,
            "count": ctx.attr.count,
            "dataset": dataset,
        },
    )
    return [
        DefaultInfo(files = depset([golden])),
        generated_c_info(srcs = [], headers = [(golden, repo_relative_path(golden))]),
    ]

golden_vectors = rule(
    implementation = _golden_vectors_impl,
    doc = "`<name>.h`: `count` inputs (random, or the first of `dataset`) and TFLM's outputs for them.",
    cfg = build_machine_transition,
    attrs = dict({
        "model": attr.label(mandatory = True, allow_files = [".tflite"]),
        "dataset": attr.label(allow_single_file = [".npy", ".npz"]),
        "count": attr.int(mandatory = True),
        "_golden": attr.label(default = "//tools:golden", executable = True, cfg = "exec"),
    }, **TRANSITION_ATTRS),
)

def library_substitutions(library):
    """The template's names for the C of `library`, a tflm_aot_library or a tflm_model_library."""
    if TflmAotLibraryInfo in library:
        info = library[TflmAotLibraryInfo]
        return info, {"%{prefix}": info.prefix, "%{prefix_upper}": info.macro_prefix}
    info = library[TflmModelLibraryInfo]
    return info, {
        "%{resolver_header}": info.op_resolver_include_path,
        "%{array_name}": info.array_name,
        "%{resolver_type}": info.op_resolver_type,
        "%{register_ops}": info.register_ops_function,
        "%{arena_size}": info.arena_size_macro,
    }

def _golden_test_main_impl(ctx):
    info, substitutions = library_substitutions(ctx.attr.library)
    golden = ctx.attr.golden[GeneratedCInfo].hdrs[0]
    substitutions.update({
        "%{model_label}": str(info.model_label),
        "%{golden_header}": repo_relative_path(golden),
        "%{model_header}": info.include_path,
    })

    return [DefaultInfo(files = depset([expand_main(ctx, substitutions)]))]

def expand_main(ctx, substitutions):
    """(File) `ctx.file.template` expanded: `<name>.c` from a `.c.tpl`, `<name>.cc` from a `.cc.tpl`."""
    main = ctx.actions.declare_file(ctx.label.name + "." + ctx.file.template.basename.split(".")[-2])
    ctx.actions.expand_template(template = ctx.file.template, output = main, substitutions = substitutions)
    return main

_golden_test_main = rule(
    implementation = _golden_test_main_impl,
    attrs = {
        "library": attr.label(mandatory = True, providers = [[TflmAotLibraryInfo], [TflmModelLibraryInfo]]),
        "golden": attr.label(mandatory = True, providers = [GeneratedCInfo]),
        "template": attr.label(mandatory = True, allow_single_file = [".tpl"]),
    },
)

def golden_test(*, name, library, model, dataset, count, template, cores, timeout_seconds, copts = [], **kwargs):
    """The tests `<name>` (host), and on cores, of `template` running `library` on golden vectors of `model`."""
    golden_vectors(name = name + "_golden", model = model, dataset = dataset, count = count, **TEST_PART)
    generated_cc_library(name = name + "_golden_lib", generated = ":" + name + "_golden", **TEST_PART)
    _golden_test_main(name = name + "_main", library = library, golden = ":" + name + "_golden", template = template, **TEST_PART)
    host_and_cores_test(
        name = name,
        srcs = [":" + name + "_main"],
        deps = [library, ":" + name + "_golden_lib"],
        copts = copts,
        cores = cores,
        timeout_seconds = timeout_seconds,
        **kwargs
    )
