"""tflm_aot_library and tflm_aot_test: models compiled ahead of time to C, tested against TFLM."""

load(":cc.bzl", "generated_c_info", "generated_cc_library")
load(":cortex_m.bzl", "host_and_cores_test")
load(":golden.bzl", "golden_vectors")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":providers.bzl", "GeneratedCInfo", "TflmAotLibraryInfo")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

def _aot_sources_impl(ctx):
    tflite = tflite_file(ctx, "model")
    header = ctx.actions.declare_file(ctx.attr.library + ".h")
    source = ctx.actions.declare_file(ctx.attr.library + ".c")
    include_path = repo_relative_path(header)
    args = ctx.actions.args()
    args.add("--model", tflite)
    args.add("--model_label", str(ctx.attr.model.label))
    args.add("--header", header)
    args.add("--source", source)
    args.add("--prefix", ctx.attr.prefix)
    args.add("--include_path", include_path)
    if ctx.attr.arena_section:
        args.add("--arena_section", ctx.attr.arena_section)
    ctx.actions.run(
        executable = ctx.executable._aot_compile,
        arguments = [args],
        inputs = [tflite],
        outputs = [header, source],
        mnemonic = "TflmAotCompile",
        progress_message = "Compiling %s ahead of time to C" % ctx.attr.model.label,
    )
    info = TflmAotLibraryInfo(
        header = header,
        include_path = include_path,
        prefix = ctx.attr.prefix,
        macro_prefix = ctx.attr.prefix.upper(),
        model = tflite,
        model_label = ctx.attr.model.label,
    )
    return [
        DefaultInfo(files = depset([header, source])),
        generated_c_info(srcs = [source], headers = [(header, include_path)], info = info),
    ]

_aot_sources = rule(
    implementation = _aot_sources_impl,
    cfg = build_machine_transition,
    attrs = dict({
        "model": attr.label(mandatory = True, allow_files = [".tflite"]),
        "library": attr.string(mandatory = True),
        "prefix": attr.string(mandatory = True),
        "arena_section": attr.string(),
        "_aot_compile": attr.label(default = "//tools:aot_compile", executable = True, cfg = "exec"),
    }, **TRANSITION_ATTRS),
)

def tflm_aot_library(*, name, model, prefix = None, arena_section = None, deps = [], **kwargs):
    """A model compiled ahead of time to plain C, as a C library.

    `<name>.h` declares `int <prefix>_invoke(void)`, `<prefix>_input()` and
    `<prefix>_output()` (pointers into a static arena) and macros with the
    input and output shapes, sizes, scales and zero points. A model with
    several inputs or outputs also gets `<prefix>_input_<i>()`,
    `<prefix>_output_<i>()` and `<PREFIX>_INPUT_<i>_SIZE` and so on. Weights are const
    arrays, every quantization parameter is precomputed, and the arena is
    planned statically: no interpreter, no malloc. Outputs equal TFLM's bit
    for bit for int8 (see `tflm_aot_test`). An op the compiler does not
    support is a build error naming it.

    The target gives `CcInfo` (depend on it like on a `cc_library`) and
    `TflmAotLibraryInfo` (the header and C names). The C is generated once
    per model, whatever cores it is compiled for.

    Args:
      name: (str) Name of the library and of its header `<name>.h`.
      model: (label) A `tflite_model` target or a `.tflite` file.
      prefix: (str) C prefix of the generated functions and macros; default `name`.
      arena_section: (str) Linker section for the activation arena.
      deps: (labels) More C libraries to link with it.
      **kwargs: Common attributes (`visibility`, `tags`, `testonly`, ...).
    """
    _aot_sources(
        name = name + "_sources",
        model = model,
        library = name,
        prefix = prefix or name,
        arena_section = arena_section,
        visibility = ["//visibility:private"],
        tags = kwargs.get("tags", []),
        testonly = kwargs.get("testonly", False),
    )
    generated_cc_library(
        name = name,
        generated = ":" + name + "_sources",
        deps = deps + [Label("//runtime")],
        # Float kernels add in TFLM's order; a fused multiply-add would round differently.
        copts = ["-ffp-contract=off"],
        **kwargs
    )

def _aot_test_main_impl(ctx):
    library = ctx.attr.library[TflmAotLibraryInfo]
    golden = ctx.attr.golden[GeneratedCInfo].hdrs[0]
    main = ctx.actions.declare_file(ctx.label.name + ".c")
    ctx.actions.expand_template(
        template = ctx.file._template,
        output = main,
        substitutions = {
            "%{model_label}": str(library.model_label),
            "%{golden_header}": repo_relative_path(golden),
            "%{model_header}": library.include_path,
            "%{prefix}": library.prefix,
            "%{prefix_upper}": library.macro_prefix,
        },
    )
    return [DefaultInfo(files = depset([main]))]

_aot_test_main = rule(
    implementation = _aot_test_main_impl,
    attrs = {
        "library": attr.label(mandatory = True, providers = [TflmAotLibraryInfo]),
        "golden": attr.label(mandatory = True, providers = [GeneratedCInfo]),
        "_template": attr.label(default = "//rules/private:aot_test_main.c.tpl", allow_single_file = True),
    },
)

def tflm_aot_test(*, name, model, cores = None, dataset = None, count = 16, timeout_seconds = 10, **kwargs):
    """Runs the ahead-of-time compiled model on golden vectors from TFLM, on the host and cores.

    Golden vectors: `count` random inputs over the input's range (or the
    first samples of `dataset`), run at build time through the TFLM
    interpreter of the `tflite-micro` package. The test requires the same
    outputs bit for bit (int8), or within 1e-5 relative (float32), on the
    host (`<name>`) and in QEMU on the Cortex-M cores.

    By default `<name>_cores` runs the test on every core whose board can
    hold it (program, model, golden vectors, arena, heap and stack); a board
    too small is left out by the memory check, with the numbers, in the
    build output and the test log. With `cores`, each listed core gets its
    own test `<name>_<core>`, and a core whose board is too small fails the
    build with the numbers. `<name>_all` runs them all.

    Args:
      name: (str) Name of the host test.
      model: (label) A `tflite_model` target or a `.tflite` file.
      cores: (list of str) Cores to run on, each required to fit; default:
        every core whose board can hold the test, in one test `<name>_cores`.
      dataset: (label) Inputs to use instead of random ones: .npy, or .npz with `x`.
      count: (int) How many golden vectors.
      timeout_seconds: (int) Emulated runs longer than this fail.
      **kwargs: Passed on to the tests.
    """
    hidden = {"testonly": True, "tags": ["manual"], "visibility": ["//visibility:private"]}
    tflm_aot_library(name = name + "_aot", model = model, **hidden)
    golden_vectors(name = name + "_golden", model = model, dataset = dataset, count = count, **hidden)
    generated_cc_library(name = name + "_golden_lib", generated = ":" + name + "_golden", **hidden)
    _aot_test_main(name = name + "_main", library = ":" + name + "_aot", golden = ":" + name + "_golden", **hidden)
    host_and_cores_test(
        name = name,
        srcs = [":" + name + "_main"],
        deps = [":" + name + "_aot", ":" + name + "_golden_lib"],
        cores = cores,
        timeout_seconds = timeout_seconds,
        **kwargs
    )
