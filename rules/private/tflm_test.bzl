"""tflm_test: runs a model in your TFLM library on golden vectors, on the host and emulated cores."""

load(":cortex_m.bzl", "cortex_m_cc_test")
load(":cortex_m_cores.bzl", "CORE_NAMES")
load(":golden.bzl", "GOLDEN_ATTRS", "golden_header")
load(":paths.bzl", "repo_relative_path")
load(":tflm_model_library.bzl", "tflm_model_library")

def _camel_case(snake):
    return "".join([part[:1].upper() + part[1:] for part in snake.split("_") if part])

def _tflm_test_sources_impl(ctx):
    golden = golden_header(ctx)
    main = ctx.actions.declare_file(ctx.label.name + ".cc")
    library = ctx.attr.library_name
    prefix = ctx.label.package + "/" if ctx.label.package else ""
    ctx.actions.expand_template(
        template = ctx.file._template,
        output = main,
        substitutions = {
            "%{model_label}": str(ctx.attr.model[0].label),
            "%{golden_header}": repo_relative_path(golden),
            "%{model_header}": prefix + library + ".h",
            "%{resolver_header}": prefix + library + "_op_resolver.h",
            "%{array_name}": library,
            "%{resolver_type}": _camel_case(library) + "OpResolver",
            "%{register_ops}": "Register" + _camel_case(library) + "Ops",
            "%{arena_size}": library.upper() + "_ARENA_SIZE",
        },
    )
    return [DefaultInfo(files = depset([main, golden]))]

_tflm_test_sources = rule(
    implementation = _tflm_test_sources_impl,
    attrs = dict({
        "library_name": attr.string(mandatory = True),
        "_template": attr.label(default = "//rules/tflm:tflm_test_main.cc.tpl", allow_single_file = True),
    }, **GOLDEN_ATTRS),
)

def tflm_test(name, model, tflm = None, cores = CORE_NAMES, dataset = None, count = 8, **kwargs):
    """Runs a model in your TFLM library and requires the outputs the real TFLM computed.

    Generates a C++ test: the model array, its generated op resolver and
    arena size, and a `tflite::MicroInterpreter` that runs golden vectors
    (`count` random inputs over the input's range, or the first samples of
    `dataset`) whose outputs the TFLM interpreter of the `tflite-micro`
    package computed at build time. It runs on the host (`<name>`) and on each
    of `cores` in QEMU (`<name>_<core>`).

    Without `tflm` the tests are incompatible: `bazel test //...` lists them
    as skipped, never as passed.

    Args:
      name: (str) Name of the host test; also of the generated sources.
      model: (label) A `tflite_model` target or a `.tflite` file.
      tflm: (label) Your TFLM `cc_library` (providing
        tensorflow/lite/micro/micro_interpreter.h and friends), built for the
        host and for the cores; None marks the tests incompatible.
      cores: (list of str) Cortex-M cores to run on.
      dataset: (label) Inputs to use instead of random ones: .npy, or .npz with `x`.
      count: (int) How many golden vectors.
      **kwargs: Passed on to the tests.
    """
    library = name + "_model"
    tflm_model_library(name = library, model = model, testonly = True, tags = ["manual"])
    _tflm_test_sources(
        name = name + "_sources",
        model = model,
        library_name = library,
        dataset = dataset,
        count = count,
        testonly = True,
        tags = ["manual"],
    )
    incompatible = [] if tflm else [Label("//rules/tflm:no_tflm_library_given")]
    cortex_m_cc_test(
        name = name,
        srcs = [":" + name + "_sources"],
        deps = [":" + library] + ([tflm] if tflm else []),
        cores = cores,
        target_compatible_with = kwargs.pop("target_compatible_with", []) + incompatible,
        **kwargs
    )
