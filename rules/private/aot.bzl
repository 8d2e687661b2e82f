"""tflm_aot_library and tflm_model_test: models compiled ahead of time to C, tested against TFLM."""

load(":cortex_m.bzl", "host_and_cores_test")
load(":golden.bzl", "GOLDEN_ATTRS", "golden_header")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":transitions.bzl", "build_machine_transition")

_ALLOWLIST = {"_allowlist_function_transition": GOLDEN_ATTRS["_allowlist_function_transition"]}

def _aot_sources_impl(ctx):
    tflite = tflite_file(ctx, "model")
    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", str(ctx.attr.model[0].label))
    args.add("--header", ctx.outputs.header)
    args.add("--source", ctx.outputs.source)
    args.add("--prefix", ctx.attr.prefix)
    args.add("--include_path", repo_relative_path(ctx.outputs.header))
    if ctx.attr.arena_section:
        args.add("--arena_section", ctx.attr.arena_section)
    ctx.actions.run(
        executable = ctx.executable._aot_compile,
        arguments = [args],
        inputs = [tflite],
        outputs = [ctx.outputs.header, ctx.outputs.source],
        mnemonic = "TflmAotCompile",
        progress_message = "Compiling %s ahead of time to C" % ctx.attr.model[0].label,
    )
    return [DefaultInfo(files = depset([ctx.outputs.header, ctx.outputs.source]))]

_aot_sources = rule(
    implementation = _aot_sources_impl,
    attrs = dict({
        "model": attr.label(mandatory = True, allow_files = [".tflite"], cfg = build_machine_transition),
        "prefix": attr.string(mandatory = True),
        "arena_section": attr.string(),
        "header": attr.output(mandatory = True),
        "source": attr.output(mandatory = True),
        "_aot_compile": attr.label(default = "//tools:aot_compile", executable = True, cfg = "exec"),
    }, **_ALLOWLIST),
)

def tflm_aot_library(name, model, prefix = None, arena_section = None, **kwargs):
    """A model compiled ahead of time to plain C, as a `cc_library`.

    `<name>.h` declares `int <prefix>_invoke(void)`, `<prefix>_input()` and
    `<prefix>_output()` (pointers into a static arena) and macros with the
    input and output shapes, sizes, scales and zero points. A model with
    several inputs or outputs also gets `<prefix>_input_<i>()`,
    `<prefix>_output_<i>()` and `<PREFIX>_INPUT_<i>_SIZE` and so on. Weights are const
    arrays, every quantization parameter is precomputed, and the arena is
    planned statically: no interpreter, no malloc. Outputs equal TFLM's bit
    for bit for int8 (see `tflm_model_test`). An op the compiler does not
    support is a build error naming it.

    Args:
      name: (str) Name of the `cc_library` and of its header `<name>.h`.
      model: (label) A `tflite_model` target or a `.tflite` file.
      prefix: (str) C prefix of the generated functions and macros; default `name`.
      arena_section: (str) Linker section for the activation arena.
      **kwargs: Passed on to the `cc_library`.
    """
    _aot_sources(
        name = name + "_sources",
        model = model,
        prefix = prefix or name,
        arena_section = arena_section,
        header = name + ".h",
        source = name + ".c",
        visibility = ["//visibility:private"],
        tags = kwargs.get("tags", []),
        testonly = kwargs.get("testonly", False),
    )
    native.cc_library(
        name = name,
        srcs = [name + ".c"],
        hdrs = [name + ".h"],
        # Float kernels add in TFLM's order; a fused multiply-add would round differently.
        copts = ["-ffp-contract=off"],
        deps = ["@rules_tflm//runtime"],
        **kwargs
    )

def _aot_test_sources_impl(ctx):
    golden = golden_header(ctx)
    main = ctx.actions.declare_file(ctx.label.name + ".c")
    ctx.actions.expand_template(
        template = ctx.file._template,
        output = main,
        substitutions = {
            "%{model_label}": str(ctx.attr.model[0].label),
            "%{golden_header}": repo_relative_path(golden),
            "%{model_header}": (ctx.label.package + "/" if ctx.label.package else "") + ctx.attr.library + ".h",
            "%{prefix}": ctx.attr.library,
            "%{prefix_upper}": ctx.attr.library.upper(),
        },
    )
    return [DefaultInfo(files = depset([main, golden]))]

_aot_test_sources = rule(
    implementation = _aot_test_sources_impl,
    attrs = dict({
        "library": attr.string(mandatory = True),
        "_template": attr.label(default = "//rules/tflm:aot_model_test_main.c.tpl", allow_single_file = True),
    }, **GOLDEN_ATTRS),
)

def tflm_model_test(name, model, targets = None, dataset = None, count = 16, timeout_seconds = 10, **kwargs):
    """Runs the ahead-of-time compiled model on golden vectors from TFLM, on the host and cores.

    Golden vectors: `count` random inputs over the input's range (or the
    first samples of `dataset`), run at build time through the TFLM
    interpreter of the `tflite-micro` package. The test requires the same
    outputs bit for bit (int8), or within 1e-5 relative (float32), on the
    host (`<name>`) and in QEMU on the Cortex-M cores.

    By default `<name>_cores` runs the test on every core whose board can
    hold it (program, model, golden vectors, arena, heap and stack); a board
    too small is left out by the memory check, with the numbers, in the
    build output and the test log. With `targets`, each listed core gets its
    own test `<name>_<core>`, and a core whose board is too small fails the
    build with the numbers. `<name>_all` runs them all.

    Args:
      name: (str) Name of the host test.
      model: (label) A `tflite_model` target or a `.tflite` file.
      targets: (list of str) Cores to run on, each required to fit; default:
        every core whose board can hold the test, in one test `<name>_cores`.
      dataset: (label) Inputs to use instead of random ones: .npy, or .npz with `x`.
      count: (int) How many golden vectors.
      timeout_seconds: (int) Emulated runs longer than this fail.
      **kwargs: Passed on to the tests.
    """
    library = name + "_aot"
    tflm_aot_library(name = library, model = model, testonly = True, tags = ["manual"])
    _aot_test_sources(
        name = name + "_sources",
        model = model,
        library = library,
        dataset = dataset,
        count = count,
        testonly = True,
        tags = ["manual"],
    )
    host_and_cores_test(
        name = name,
        srcs = [":" + name + "_sources"],
        deps = [":" + library],
        targets = targets,
        timeout_seconds = timeout_seconds,
        **kwargs
    )
