"""tflm_interpreter_test: runs a model in your TFLM library on golden vectors, on the host and emulated cores."""

load(":cc.bzl", "generated_cc_library")
load(":cortex_m.bzl", "host_and_cores_test")
load(":golden.bzl", "golden_vectors")
load(":paths.bzl", "repo_relative_path")
load(":providers.bzl", "GeneratedCInfo", "TflmModelLibraryInfo")
load(":tflm_build.bzl", "TFLM_COPTS")
load(":tflm_model_library.bzl", "tflm_model_library")

def _interpreter_test_main_impl(ctx):
    library = ctx.attr.library[TflmModelLibraryInfo]
    golden = ctx.attr.golden[GeneratedCInfo].hdrs[0]
    main = ctx.actions.declare_file(ctx.label.name + ".cc")
    ctx.actions.expand_template(
        template = ctx.file._template,
        output = main,
        substitutions = {
            "%{model_label}": str(library.model_label),
            "%{golden_header}": repo_relative_path(golden),
            "%{model_header}": library.include_path,
            "%{resolver_header}": library.op_resolver_include_path,
            "%{array_name}": library.array_name,
            "%{resolver_type}": library.op_resolver_type,
            "%{register_ops}": library.register_ops_function,
            "%{arena_size}": library.arena_size_macro,
        },
    )
    return [DefaultInfo(files = depset([main]))]

_interpreter_test_main = rule(
    implementation = _interpreter_test_main_impl,
    attrs = {
        "library": attr.label(mandatory = True, providers = [TflmModelLibraryInfo]),
        "golden": attr.label(mandatory = True, providers = [GeneratedCInfo]),
        "_template": attr.label(default = "//rules/private:interpreter_test_main.cc.tpl", allow_single_file = True),
    },
)

def tflm_interpreter_test(
        *,
        name,
        model,
        tflm = None,
        ops = None,
        kernels = None,
        cores = None,
        dataset = None,
        count = 8,
        timeout_seconds = 60,
        **kwargs):
    """Runs a model in TFLM built from source and requires the outputs the TFLM interpreter computed.

    Generates a C++ test: the model array, its generated op resolver and
    arena size, and a `tflite::MicroInterpreter` that runs golden vectors
    (`count` random inputs over the input's range, or the first samples of
    `dataset`) whose outputs the TFLM interpreter of the `tflite-micro`
    package computed at build time: byte for byte for integer outputs. It
    runs on the host (`<name>`) and in QEMU on the Cortex-M cores: by
    default `<name>_cores` runs every core whose board can hold the test
    and leaves the others out with the numbers; with `cores`, each listed
    core gets its own test `<name>_<core>`, and a board too small fails the
    build. `<name>_all` runs them all.

    The TFLM is `tflm`, normally `@tflm//:tflm` from `tflm_repositories()`,
    linked with the kernels of `ops` only (see `tflm_model_library`). Without
    `tflm`, or when `tflm_repositories()` found no sources, the tests are
    incompatible: `bazel test //...` lists them as SKIPPED, never as passed.

    Args:
      name: (str) Name of the host test; also of the generated sources.
      model: (label) A `tflite_model` target or a `.tflite` file.
      tflm: (label) `@tflm//:tflm` (or another target with TflmInfo); None
        marks the tests incompatible.
      ops: (list of str) Builtin ops whose kernels to link; the build fails,
        naming the list to write, when the model uses others. Default: all
        of TFLM's kernels (slow to compile).
      kernels: (str) `reference` or `cmsis_nn`; default: the build setting
        `@rules_tflm//rules/tflm:kernels` (`auto`: CMSIS-NN on Cortex-M4, M7,
        M33 and M55, reference kernels elsewhere).
      cores: (list of str) Cores to run on, each required to fit; default:
        every core whose board can hold the test, in one test `<name>_cores`.
      dataset: (label) Inputs to use instead of random ones: .npy, or .npz with `x`.
      count: (int) How many golden vectors.
      timeout_seconds: (int) An emulated run longer than this fails (TFLM's
        reference kernels run person_detect for about 13 s a vector on a
        Cortex-M4 in QEMU). Give `size` too when the whole test may run
        longer than Bazel's default of 300 s.
      **kwargs: Passed on to the tests.
    """
    hidden = {"testonly": True, "tags": ["manual"], "visibility": ["//visibility:private"]}
    tflm_model_library(name = name + "_model", model = model, tflm = tflm, ops = ops, kernels = kernels, **hidden)
    golden_vectors(name = name + "_golden", model = model, dataset = dataset, count = count, **hidden)
    generated_cc_library(name = name + "_golden_lib", generated = ":" + name + "_golden", **hidden)
    _interpreter_test_main(name = name + "_main", library = ":" + name + "_model", golden = ":" + name + "_golden", **hidden)
    incompatible = [] if tflm else [Label("//rules/tflm:no_tflm_library_given")]
    host_and_cores_test(
        name = name,
        srcs = [":" + name + "_main"],
        deps = [":" + name + "_model", ":" + name + "_golden_lib"],
        copts = TFLM_COPTS,
        cores = cores,
        timeout_seconds = timeout_seconds,
        target_compatible_with = kwargs.pop("target_compatible_with", []) + incompatible,
        **kwargs
    )
