"""tflm_interpreter_test: runs a model in your TFLM library on golden vectors, on the host and emulated cores."""

load(":cortex_m.bzl", "TEST_PART")
load(":golden.bzl", "golden_test")
load(":tflm_build.bzl", "TFLM_COPTS")
load(":tflm_model_library.bzl", "tflm_model_library")

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
    library = name + "_model"
    tflm_model_library(
        name = library,
        model = model,
        tflm = tflm,
        ops = ops,
        kernels = kernels,
        **TEST_PART
    )
    incompatible = [] if tflm else [Label("//rules/tflm:no_tflm_library_given")]
    golden_test(
        name = name,
        library = ":" + library,
        model = model,
        dataset = dataset,
        count = count,
        template = Label("//rules/private:interpreter_test_main.cc.tpl"),
        copts = TFLM_COPTS,
        cores = cores,
        timeout_seconds = timeout_seconds,
        target_compatible_with = kwargs.pop("target_compatible_with", []) + incompatible,
        **kwargs
    )
