"""Repositories that Bazel 4.2 would otherwise download, made locally.

Bazel's own C++, Java and test rules load `@rules_cc`, `@rules_java` and
`@remote_coverage_tools`; with no network those downloads fail. These
repository rules write tiny stand-ins that re-export Bazel's native rules,
so a build needs no network at all. A repository that defines the real ones
first wins (see `rules_tflm_dependencies`).
"""

_RULES_CC_DEFS = '''"""Stand-in for rules_cc written by rules_tflm: re-exports Bazel's native C++ rules."""

cc_binary = native.cc_binary
cc_import = native.cc_import
cc_library = native.cc_library
cc_proto_library = native.cc_proto_library
cc_test = native.cc_test
cc_toolchain = native.cc_toolchain
cc_toolchain_suite = native.cc_toolchain_suite
fdo_prefetch_hints = native.fdo_prefetch_hints
fdo_profile = native.fdo_profile
objc_import = native.objc_import
objc_library = native.objc_library
'''

_RULES_CC_TOOLCHAIN = '''"""Stand-in for rules_cc's find_cc_toolchain.bzl, written by rules_tflm."""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", _find_cpp_toolchain = "find_cpp_toolchain")

find_cc_toolchain = _find_cpp_toolchain
'''

_RULES_JAVA_DEFS = '''"""Stand-in for rules_java written by rules_tflm: re-exports Bazel's native Java rules."""

java_binary = native.java_binary
java_import = native.java_import
java_library = native.java_library
java_lite_proto_library = native.java_lite_proto_library
java_package_configuration = native.java_package_configuration
java_plugin = native.java_plugin
java_proto_library = native.java_proto_library
java_runtime = native.java_runtime
java_test = native.java_test
java_toolchain = native.java_toolchain
'''

_COVERAGE_BUILD = '''# Stand-in for remote_coverage_tools written by rules_tflm. Test rules need
# these targets to exist; coverage reports are not produced offline.
package(default_visibility = ["//visibility:public"])

filegroup(name = "coverage_report_generator", srcs = [])

filegroup(name = "lcov_merger", srcs = [])
'''

def _write(ctx, files):
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    for path, content in files.items():
        ctx.file(path, content)

def _rules_cc_impl(ctx):
    _write(ctx, {
        "BUILD": "",
        "cc/BUILD": "",
        "cc/defs.bzl": _RULES_CC_DEFS,
        "cc/find_cc_toolchain.bzl": _RULES_CC_TOOLCHAIN,
    })

def _rules_java_impl(ctx):
    _write(ctx, {
        "BUILD": "",
        "java/BUILD": "",
        "java/defs.bzl": _RULES_JAVA_DEFS,
    })

def _remote_coverage_tools_impl(ctx):
    _write(ctx, {"BUILD": _COVERAGE_BUILD})

local_rules_cc = repository_rule(
    implementation = _rules_cc_impl,
    doc = "A local `rules_cc` whose `cc/defs.bzl` re-exports Bazel's native C++ rules.",
)

local_rules_java = repository_rule(
    implementation = _rules_java_impl,
    doc = "A local `rules_java` whose `java/defs.bzl` re-exports Bazel's native Java rules.",
)

local_remote_coverage_tools = repository_rule(
    implementation = _remote_coverage_tools_impl,
    doc = "A local `remote_coverage_tools` with the two empty targets test rules need.",
)
