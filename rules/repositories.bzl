"""Repositories rules_tflm needs. Call from a WORKSPACE:

    load("@rules_tflm//rules:repositories.bzl", "rules_tflm_dependencies", "tflm_repositories")

    rules_tflm_dependencies()
    tflm_repositories(path = "third_party")  # if you build TFLM from source

Every repository is defined with `maybe`, so a definition that comes earlier
in your WORKSPACE wins.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load(
    "//rules/private:offline_repositories.bzl",
    "local_remote_coverage_tools",
    "local_rules_cc",
    "local_rules_java",
)
load("//rules/private:arm_gcc_configure.bzl", "arm_gcc_configure")
load("//rules/private:python_configure.bzl", "tflm_python_configure")
load("//rules/private:tflm_repository.bzl", "tflm_sources")

def rules_tflm_dependencies(*, register_python_toolchain = True, register_cortex_m_toolchains = True):
    """Defines the repositories rules_tflm needs and registers its toolchains.

    Args:
      register_python_toolchain: (bool) Register the Python toolchain that runs
        the rules' tools with the interpreter `./setup.sh` made. Set to False
        if your repository registers its own Python; it must then have the
        packages in rules_tflm's requirements.txt.
      register_cortex_m_toolchains: (bool) Register the arm-none-eabi-gcc
        toolchains of the Cortex-M cores, which the `cortex_m_*` rules and the
        tests on cores use. Set to False if your repository registers its own
        for rules_tflm's platforms.
    """
    maybe(local_rules_cc, name = "rules_cc")
    maybe(local_rules_java, name = "rules_java")
    maybe(local_remote_coverage_tools, name = "remote_coverage_tools")
    maybe(tflm_python_configure, name = "rules_tflm_python")
    maybe(arm_gcc_configure, name = "rules_tflm_arm_gcc")
    if register_python_toolchain:
        native.register_toolchains("@rules_tflm_python//:python_toolchain")
    if register_cortex_m_toolchains:
        native.register_toolchains(str(Label("//rules/cortex_m:all")))

def tflm_repositories(
        name = "tflm",
        path = None,
        tflite_micro = None,
        flatbuffers = None,
        gemmlowp = None,
        ruy = None,
        cmsis_nn = None,
        cmsis = None,
        urls = {},
        sha256 = {},
        strip_prefix = {}):
    """Makes TFLM, CMSIS-NN and their dependencies the repository `@<name>`, with rules_tflm's BUILD file.

    From a local checkout (how firmware repositories hold TFLM: git
    submodules or copies), without modifying it:

        tflm_repositories(path = "third_party")

    where `third_party/` holds `tflite-micro/`, `flatbuffers/`, `gemmlowp/`,
    `ruy/`, `cmsis-nn/` and `cmsis/` (CMSIS_6). Any one tree can live
    elsewhere (`flatbuffers = "external/flatbuffers"`) or be downloaded:

        urls = {"cmsis_nn": ["https://.../CMSIS-NN-4ab83cc.zip"]},
        sha256 = {"cmsis_nn": "..."},
        strip_prefix = {"cmsis_nn": "CMSIS-NN-4ab83cc..."},

    With no `path`, the folder in the environment variable
    `RULES_TFLM_THIRD_PARTY` is used; with neither, `@<name>` still exists
    but its targets are incompatible, so tests that need TFLM are SKIPPED
    (and a message says how to configure it).

    Targets: `@tflm//:tflm` (pass it as `tflm` to `tflm_interpreter_test` and
    `tflm_model_library`, or depend on it for the interpreter with every
    kernel), `@tflm//:micro` (the interpreter without kernels),
    `@tflm//:cmsis_nn`. The BUILD file is rules/tflm/tflm.BUILD.

    Args:
      name: (str) Name of the repository.
      path: (str) Folder with the six trees, relative to your workspace root or absolute.
      tflite_micro: (str) Path of the tflite-micro checkout, if not `path`/tflite-micro.
      flatbuffers: (str) Path of flatbuffers (v25.9.23, the version TFLM pins).
      gemmlowp: (str) Path of gemmlowp.
      ruy: (str) Path of ruy.
      cmsis_nn: (str) Path of CMSIS-NN.
      cmsis: (str) Path of CMSIS_6.
      urls: (dict) Tree (`tflite_micro`, `flatbuffers`, `gemmlowp`, `ruy`,
        `cmsis_nn`, `cmsis`) -> archive URLs to download it from instead.
      sha256: (dict) Tree -> SHA-256 of its archive.
      strip_prefix: (dict) Tree -> folder inside its archive to use.
    """
    maybe(
        tflm_sources,
        name = name,
        path = path,
        tflite_micro = tflite_micro,
        flatbuffers = flatbuffers,
        gemmlowp = gemmlowp,
        ruy = ruy,
        cmsis_nn = cmsis_nn,
        cmsis = cmsis,
        urls = urls,
        sha256 = sha256,
        strip_prefix = strip_prefix,
    )
