"""Compiling generated C in a rule, so that the rule returns CcInfo and its own provider.

tflm_aot_library and tflm_model_library are rules, not macros around a
cc_library: a cc_library cannot carry a provider, and the facts about the
generated code (header, C names, arena) belong to the target that users
depend on, as in Pigweed's pw_cc_blob_library. The sources are generated once
per model in the build machine's configuration (see transitions.bzl); each
core's configuration only compiles them.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")
load(":providers.bzl", "GeneratedCInfo")

CC_ATTRS = {
    "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
}

CC_RULE_ARGS = {
    "fragments": ["cpp"],
    "toolchains": ["@bazel_tools//tools/cpp:toolchain_type"],
}

def include_root(file, include_path):
    """(str) The folder from which `#include "<include_path>"` finds `file`."""
    root = file.path[:-len(include_path)].rstrip("/")
    return root or "."

def configured_toolchain(ctx):
    """(cc_toolchain, FeatureConfiguration) of the rule's configuration; the rule needs CC_ATTRS and CC_RULE_ARGS."""
    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    return cc_toolchain, features

def compile_c_library(ctx, srcs, public_hdrs, include_roots, deps, copts = []):
    """Compiles `srcs` into a static library; returns its CcInfo merged with the deps'.

    Args:
      ctx: The rule context; the rule needs CC_ATTRS and CC_RULE_ARGS.
      srcs: (list of File) .c or .cc sources.
      public_hdrs: (list of File) Headers that dependents include.
      include_roots: (list of str) Folders from which the headers are included
        (they live in another configuration's output tree).
      deps: (list of CcInfo) What the sources include and link.
      copts: (list of str) Extra compiler flags.
    """
    cc_toolchain, features = configured_toolchain(ctx)
    common = {
        "name": ctx.label.name,
        "actions": ctx.actions,
        "feature_configuration": features,
        "cc_toolchain": cc_toolchain,
    }
    compilation_context, compilation_outputs = cc_common.compile(
        srcs = srcs,
        public_hdrs = public_hdrs,
        quote_includes = include_roots,
        user_compile_flags = copts,
        compilation_contexts = [dep.compilation_context for dep in deps],
        **common
    )
    linking_context, _ = cc_common.create_linking_context_from_compilation_outputs(
        compilation_outputs = compilation_outputs,
        linking_contexts = [dep.linking_context for dep in deps],
        disallow_dynamic_library = True,
        **common
    )
    own = CcInfo(compilation_context = compilation_context, linking_context = linking_context)
    return cc_common.merge_cc_infos(direct_cc_infos = [own], cc_infos = deps)

def _generated_cc_library_impl(ctx):
    generated = ctx.attr.generated[GeneratedCInfo]
    cc_info = compile_c_library(
        ctx,
        srcs = generated.srcs,
        public_hdrs = generated.hdrs,
        include_roots = generated.include_roots,
        deps = [dep[CcInfo] for dep in ctx.attr.deps],
        copts = ctx.attr.copts,
    )
    files = generated.srcs + generated.hdrs + ctx.files.generated
    providers = [DefaultInfo(files = depset(files)), cc_info]
    if generated.info:
        providers.append(generated.info)
    return providers

generated_cc_library = rule(
    implementation = _generated_cc_library_impl,
    doc = "Compiles what a model-level rule generated (GeneratedCInfo) for the current configuration.",
    attrs = dict({
        "generated": attr.label(mandatory = True, providers = [GeneratedCInfo]),
        "deps": attr.label_list(providers = [CcInfo]),
        "copts": attr.string_list(),
    }, **CC_ATTRS),
    provides = [CcInfo],
    **CC_RULE_ARGS
)

def generated_c_info(srcs, headers, info = None):
    """(GeneratedCInfo) for `srcs` and `headers`, a list of (File, how C code includes it)."""
    roots = {include_root(f, path): None for f, path in headers}
    return GeneratedCInfo(srcs = srcs, hdrs = [f for f, _ in headers], include_roots = roots.keys(), info = info)
