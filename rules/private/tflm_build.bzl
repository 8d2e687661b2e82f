"""What rules/tflm/tflm.BUILD builds TFLM with: a library per kernel, and the TflmInfo that collects them.

Each kernel source is its own `cc_library`, once with TFLM's reference code
and, where TFLM has one, once with its CMSIS-NN variant
(`kernels/cmsis_nn/<stem>.cc`, as TFLM's `OPTIMIZED_KERNEL_DIR=cmsis_nn`
build substitutes them). A test or firmware then links the interpreter and
only the kernels of its model's ops, so only those are ever compiled, once
per compiler configuration.

Which kernel set a target uses, in this order:
  1. its own `kernels` attribute (`tflm_interpreter_test`, `tflm_model_library`);
  2. the build setting `--@rules_tflm//rules/tflm:kernels=reference|cmsis_nn`;
  3. `auto` (the default): CMSIS-NN on the cores with DSP or MVE
     instructions that CMSIS-NN is written for (Cortex-M4, M7, M33, M55),
     the reference kernels on the host, Cortex-M0 and Cortex-M3.
"""

load(":cortex_m_cores.bzl", "CORES")
load(":providers.bzl", "TflmInfo")

# TFLM's headers need C++17 (Bazel 4.2's host toolchain passes -std=c++0x);
# its classes hide operator delete, which compiles only without exceptions;
# the rest as TFLM's make build compiles it (its default OPTIMIZE_KERNELS_FOR
# lets CMSIS-NN's fully connected and SVDF precompute kernel sums).
TFLM_COPTS = [
    "-std=c++17",
    "-fno-exceptions",
    "-fno-rtti",
    "-fno-threadsafe-statics",
    "-DKERNELS_OPTIMIZED_FOR_SPEED",
]

KERNEL_SETS = ["reference", "cmsis_nn"]

# Where `auto` picks CMSIS-NN.
_SIMD_CORES = sorted([name for name, core in CORES.items() if core.simd])

# The attributes that resolve_kernel_set reads.
KERNEL_SET_ATTRS = {
    "_kernels_flag": attr.label(default = "//rules/tflm:kernels"),
    "_simd_cores": attr.label_list(default = ["//rules/cortex_m:" + core for core in _SIMD_CORES]),
}

KernelSetInfo = provider(
    doc = "The value of the build setting //rules/tflm:kernels.",
    fields = {"value": "(str) auto, reference or cmsis_nn."},
)

def _kernel_set_flag_impl(ctx):
    if ctx.build_setting_value not in ["auto"] + KERNEL_SETS:
        fail("--%s=%s: use auto, reference or cmsis_nn." % (ctx.label, ctx.build_setting_value))
    return [KernelSetInfo(value = ctx.build_setting_value)]

kernel_set_flag = rule(
    implementation = _kernel_set_flag_impl,
    build_setting = config.string(flag = True),
    doc = "The TFLM kernel set of targets that do not choose one: auto, reference or cmsis_nn.",
)

def resolve_kernel_set(ctx, requested):
    """(str) `reference` or `cmsis_nn`: `requested`, else the build setting, with `auto` resolved for the platform."""
    choice = requested or ctx.attr._kernels_flag[KernelSetInfo].value
    if choice != "auto":
        return choice
    for core in ctx.attr._simd_cores:
        if ctx.target_platform_has_constraint(core[platform_common.ConstraintValueInfo]):
            return "cmsis_nn"
    return "reference"

def _ops_table(kernels):
    """Dict op -> kernel library target, from a label_keyed_string_dict of target -> space-separated ops."""
    table = {}
    for target, ops in kernels.items():
        for op in ops.split(" "):
            table[op] = target
    return table

def kernel_cc_infos(kernels):
    """(list of CcInfo) Of the distinct kernel library targets in `kernels`, in order."""
    by_label = {}
    for target in kernels:
        by_label[str(target.label)] = target[CcInfo]
    return by_label.values()

def _tflm_library_impl(ctx):
    reference = _ops_table(ctx.attr.reference_kernels)
    kernel_sets = {
        "reference": reference,
        # Ops without a CMSIS-NN kernel keep the reference one, as in TFLM's make build.
        "cmsis_nn": dict(reference, **_ops_table(ctx.attr.cmsis_nn_kernels)),
    }
    core = ctx.attr.core[CcInfo]
    chosen = kernel_sets[resolve_kernel_set(ctx, "")]
    return [
        TflmInfo(core = core, kernel_sets = kernel_sets, label = str(ctx.label)),
        cc_common.merge_cc_infos(cc_infos = [core] + kernel_cc_infos(chosen.values())),
    ]

tflm_library = rule(
    implementation = _tflm_library_impl,
    doc = "TFLM's interpreter with its kernels, by op and kernel set (TflmInfo); as a dependency, every kernel.",
    attrs = dict({
        "core": attr.label(mandatory = True, providers = [CcInfo]),
        "reference_kernels": attr.label_keyed_string_dict(providers = [CcInfo]),
        "cmsis_nn_kernels": attr.label_keyed_string_dict(providers = [CcInfo]),
    }, **KERNEL_SET_ATTRS),
    provides = [TflmInfo, CcInfo],
)

def _common_deps(commons, shared_code, stem):
    """The `_common` libraries of kernel `stem`: its own and those of the kernels it calls."""
    return [commons[s] for s in [stem] + shared_code.get(stem, []) if s in commons]

def tflm_kernel_libraries(name, core, cmsis_nn, kernel_dir, reference_kernels, cmsis_nn_kernels, shared_code = {}):
    """Declares a cc_library per kernel source and kernel set, and the tflm_library `name` over them.

    A kernel's `<stem>_common.cc`, the code its reference and CMSIS-NN
    variants share, is a library of its own (`:kernel_<stem>_common`), so a
    model whose kernels share it links it once.

    Args:
      name: (str) Name of the tflm_library.
      core: (label) The interpreter library every kernel depends on.
      cmsis_nn: (label) The CMSIS-NN library.
      kernel_dir: (str) Folder of TFLM's kernels, with a trailing slash.
      reference_kernels: (dict) Source stem -> ops, of the reference kernels.
      cmsis_nn_kernels: (dict) Source stem -> ops, of the kernels in `kernel_dir`cmsis_nn/.
      shared_code: (dict) Source stem -> stems of other kernels whose
        `_common.cc` it calls too (e.g. depthwise_conv -> conv).
    """
    commons = {}
    for source in native.glob([kernel_dir + "*_common.cc"]):
        stem = source[len(kernel_dir):-len("_common.cc")]
        native.cc_library(
            name = "kernel_%s_common" % stem,
            srcs = [source],
            copts = TFLM_COPTS,
            linkstatic = True,
            deps = [core],
        )
        commons[stem] = ":kernel_%s_common" % stem

    reference, optimized = {}, {}
    for stem, ops in reference_kernels.items():
        native.cc_library(
            name = "kernel_%s_reference" % stem,
            srcs = [kernel_dir + stem + ".cc"],
            copts = TFLM_COPTS,
            linkstatic = True,
            deps = [core] + _common_deps(commons, shared_code, stem),
        )
        reference[":kernel_%s_reference" % stem] = " ".join(ops)
    for stem, ops in cmsis_nn_kernels.items():
        native.cc_library(
            name = "kernel_%s_cmsis_nn" % stem,
            srcs = [kernel_dir + "cmsis_nn/" + stem + ".cc"],
            # TFLM's kernel headers declare the CMSIS-NN kernels' extra registrations with it.
            copts = TFLM_COPTS + ["-DCMSIS_NN"],
            linkstatic = True,
            deps = [core, cmsis_nn] + _common_deps(commons, shared_code, stem),
        )
        optimized[":kernel_%s_cmsis_nn" % stem] = " ".join(ops)
    tflm_library(name = name, core = core, reference_kernels = reference, cmsis_nn_kernels = optimized)

def tflm_unconfigured():
    """The targets of tflm.BUILD, incompatible everywhere: no TFLM sources are configured."""
    never = [Label("//rules/tflm:no_tflm_library_given")]
    for library in ["micro", "cmsis_nn"]:
        native.cc_library(name = library, target_compatible_with = never, visibility = ["//visibility:public"])
    tflm_library(name = "tflm", core = ":micro", target_compatible_with = never, visibility = ["//visibility:public"])
    native.filegroup(name = "models", target_compatible_with = never, visibility = ["//visibility:public"])
