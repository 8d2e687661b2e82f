"""The TFLM binaries of bench/aot_vs_tflm.py: each model with each kernel set, on each core.

For every model of aot_vs_tflm_models.bzl and kernel set, a
`tflm_model_library` (the model array, its op resolver and arena size, TFLM's
interpreter and only the kernels of the model's ops), and for every core a
`cortex_m_binary` of bench/tflm_bench.cc with it, and a `_profile` twin
that marks each op for bench/layer_profile.py. All are tagged "manual":
`bazel test //...` and CI never build them; bench/aot_vs_tflm.py does.
"""

load("//rules:defs.bzl", "cortex_m_binary", "tflm_model_library")
load("//rules/private:tflm_build.bzl", "TFLM_COPTS")
load(":aot_vs_tflm_models.bzl", "BENCH_ARENA_MARGIN_PERCENT", "BENCH_CORES", "BENCH_KERNEL_SETS", "BENCH_MODELS")

def tflm_bench_library(model, kernels):
    """(str) Name of the tflm_model_library of `model` with the kernel set `kernels`."""
    return "tflm_%s_%s_model" % (model, kernels)

def tflm_bench_binary(model, kernels, core):
    """(str) Name of the cortex_m_binary of `model` with `kernels` on `core`; its ELF is `<name>.elf`."""
    return "tflm_%s_%s_%s" % (model, kernels, core)

def aot_vs_tflm_binaries(name):
    """Declares every TFLM library and binary of the benchmark, and the filegroup `name` of all binaries.

    Args:
      name: (str) Name of the filegroup that builds them all.
    """
    package = native.package_name()
    binaries = []
    for model, spec in BENCH_MODELS.items():
        for kernels in BENCH_KERNEL_SETS:
            library = tflm_bench_library(model, kernels)

            # One array name for every model, so the one harness source fits all:
            # model_data, MODEL_DATA_ARENA_SIZE, ModelDataOpResolver, RegisterModelDataOps.
            tflm_model_library(
                name = library,
                model = spec["model"],
                array_name = "model_data",
                arena_margin_percent = BENCH_ARENA_MARGIN_PERCENT[kernels],
                tflm = "@tflm//:tflm",
                ops = spec["ops"],
                kernels = kernels,
                tags = ["manual"],
            )
            for core in BENCH_CORES:
                binary = tflm_bench_binary(model, kernels, core)
                for suffix, defines in (("", []), ("_profile", ["-DBENCH_PROFILE"])):
                    cortex_m_binary(
                        name = binary + suffix,
                        cpu = core,
                        srcs = ["tflm_bench.cc"],
                        deps = [
                            ":" + library,
                            "//rules/cortex_m:bench_markers",
                        ],
                        # The model's headers are included ahead of the harness source.
                        # TFLM's flags, which its headers need, as tflm_interpreter_test compiles its harness.
                        copts = TFLM_COPTS + defines + [
                            "-DBENCH_INFERENCES=%d" % spec["inferences"],
                            "-include",
                            "%s/%s.h" % (package, library),
                            "-include",
                            "%s/%s_op_resolver.h" % (package, library),
                        ],
                        # A model too big for the board (the microbit's 256 KiB of
                        # flash and 16 KiB of RAM) still builds; the script reports it.
                        board_check = "report",
                        tags = ["manual"],
                    )
                binaries.append(":" + binary)
    native.filegroup(
        name = name,
        srcs = binaries,
        tags = ["manual"],
    )
