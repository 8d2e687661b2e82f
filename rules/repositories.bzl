"""Repositories rules_tflm needs. Call from a WORKSPACE:

    load("@rules_tflm//rules:repositories.bzl", "rules_tflm_dependencies")

    rules_tflm_dependencies()

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

def rules_tflm_dependencies(register_toolchains = True):
    """Defines the repositories rules_tflm needs and registers its Python toolchain.

    Args:
      register_toolchains: (bool) Register the Python toolchain that runs the
        rules' tools with the interpreter `./setup.sh` made, and the
        arm-none-eabi-gcc toolchains of the Cortex-M cores. Set to False if
        your repository registers its own; a Python interpreter must then
        have the packages in rules_tflm's requirements.txt.
    """
    maybe(local_rules_cc, name = "rules_cc")
    maybe(local_rules_java, name = "rules_java")
    maybe(local_remote_coverage_tools, name = "remote_coverage_tools")
    maybe(tflm_python_configure, name = "rules_tflm_python")
    maybe(arm_gcc_configure, name = "rules_tflm_arm_gcc")
    if register_toolchains:
        native.register_toolchains(
            "@rules_tflm_python//:python_toolchain",
            "@rules_tflm//rules/cortex_m:all",
        )
