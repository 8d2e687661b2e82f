"""tflm_aot_library and tflm_aot_test: models compiled ahead of time to C, tested against TFLM."""

load(":c_names.bzl", "check_c_identifier")
load(":cc.bzl", "generated_c_info", "generated_cc_library")
load(":cortex_m.bzl", "TEST_PART")
load(":golden.bzl", "golden_test")
load(":paths.bzl", "repo_relative_path", "tflite_file")
load(":providers.bzl", "TflmAotLibraryInfo")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "model_sources_rule")

def _aot_sources_impl(ctx):
    prefix = ctx.attr.prefix or ctx.attr.library
    check_c_identifier(ctx, "prefix", prefix, defaulted_to_name = not ctx.attr.prefix)
    tflite = tflite_file(ctx, "model")
    header = ctx.actions.declare_file(ctx.attr.library + ".h")
    source = ctx.actions.declare_file(ctx.attr.library + ".c")
    include_path = repo_relative_path(header)
    run_tool(
        ctx,
        ctx.executable._aot_compile,
        "TflmAotCompile",
        "Compiling %s ahead of time to C" % ctx.attr.model.label,
        inputs = [tflite],
        outputs = [header, source],
        flags = {
            "model": tflite,
            "model_label": str(ctx.attr.model.label),
            "header": header,
            "source": source,
            "prefix": prefix,
            "include_path": include_path,
            "arena_section": ctx.attr.arena_section,
        },
    )
    info = TflmAotLibraryInfo(
        header = header,
        include_path = include_path,
        prefix = prefix,
        macro_prefix = prefix.upper(),
        model = tflite,
        model_label = ctx.attr.model.label,
    )
    return [
        DefaultInfo(files = depset([header, source])),
        generated_c_info(srcs = [source], headers = [(header, include_path)], info = info),
    ]

_aot_sources = model_sources_rule(
    implementation = _aot_sources_impl,
    doc = "Writes `<library>.h` and `<library>.c`: `model` compiled ahead of time.",
    attrs = {
        "prefix": attr.string(),
        "arena_section": attr.string(),
        "_aot_compile": attr.label(default = "//tools:aot_compile", executable = True, cfg = "exec"),
    },
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
      prefix: (str) C prefix of the generated functions and macros, a C identifier
        (checked at analysis); default `name`.
      arena_section: (str) Linker section for the activation arena.
      deps: (labels) More C libraries to link with it.
      **kwargs: Common attributes (`visibility`, `tags`, `testonly`, ...).
    """
    _aot_library(name, model, prefix, arena_section, deps, [], **kwargs)

def aot_profile_library(*, name, model, **kwargs):
    """tflm_aot_library compiled with -DTFLM_RT_PROFILE: its `<name>_invoke` calls
    `tflm_rt_layer_begin(op)` and `tflm_rt_layer_end(op)`, which the program defines,
    around each layer (runtime/profile.h)."""
    _aot_library(name, model, None, None, [], ["-DTFLM_RT_PROFILE"], **kwargs)

def _aot_library(name, model, prefix, arena_section, deps, copts, **kwargs):
    _aot_sources(
        name = name + "_sources",
        model = model,
        library = name,
        prefix = prefix,
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
        copts = ["-ffp-contract=off"] + copts,
        **kwargs
    )

def tflm_aot_test(*, name, model, cores = None, dataset = None, count = 16, timeout_seconds = 10, **kwargs):
    """Runs the ahead-of-time compiled model on golden vectors from TFLM, on the host and cores.

    Golden vectors: `count` random inputs over the input's range (or the
    first samples of `dataset`), run at build time through the TFLM
    interpreter of the `tflite-micro` package; a model with an op TFLM has
    no kernel for (TILE, SELECT) runs through TF Lite's reference kernels
    instead, and the test log says so. The test requires the same
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
    library = name + "_aot"
    tflm_aot_library(name = library, model = model, **TEST_PART)
    golden_test(
        name = name,
        library = ":" + library,
        model = model,
        dataset = dataset,
        count = count,
        template = Label("//rules/private:aot_test_main.c.tpl"),
        cores = cores,
        timeout_seconds = timeout_seconds,
        **kwargs
    )
