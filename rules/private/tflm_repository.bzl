"""tflm_sources: TFLM and its dependencies as one Bazel repository, built with rules_tflm's BUILD file.

A firmware repository keeps TFLM's source trees in its `third_party/`: a
git submodule or a copy of each. TFLM's own BUILD and .bzl files target a
newer Bazel; left in place they would split the trees into packages that one
BUILD file cannot glob across. So this rule makes a fresh repository whose
folders are trees of symlinks to the sources, without any BUILD or .bzl
file, and writes rules_tflm's BUILD file at its root. The checkout itself is
never modified.

    <repository>/
      tensorflow/, signal/          from tflite-micro (and python/, for its models)
      third_party/flatbuffers/      from flatbuffers (include/)
      third_party/gemmlowp/         from gemmlowp
      third_party/ruy/              from ruy
      third_party/cmsis_nn/         from CMSIS-NN
      third_party/cmsis/            from CMSIS_6 (CMSIS/Core/Include)
      kernels.bzl                   which file registers which builtin op

With no sources configured, the repository still exists, and its targets
are incompatible with every platform: tests that need them are SKIPPED.
"""

# Each tree: its folder in the third_party layout, where it goes in the
# repository, and the parts of it that TFLM builds with (and tflite-micro's
# python/, for the example models it holds).
_TREES = {
    "tflite_micro": struct(folder = "tflite-micro", into = "", parts = ["tensorflow", "signal", "python", "LICENSE"]),
    "flatbuffers": struct(folder = "flatbuffers", into = "third_party/flatbuffers/", parts = ["include", "LICENSE"]),
    "gemmlowp": struct(folder = "gemmlowp", into = "third_party/gemmlowp/", parts = ["fixedpoint", "internal", "LICENSE"]),
    "ruy": struct(folder = "ruy", into = "third_party/ruy/", parts = ["ruy", "LICENSE"]),
    "cmsis_nn": struct(folder = "cmsis-nn", into = "third_party/cmsis_nn/", parts = ["Include", "Source", "LICENSE"]),
    "cmsis": struct(folder = "cmsis", into = "third_party/cmsis/", parts = ["CMSIS/Core/Include", "LICENSE"]),
}

# Parts a checkout may lack: nothing is built from them.
_OPTIONAL_PARTS = ["LICENSE", "python"]

ENVIRONMENT_VARIABLE = "RULES_TFLM_THIRD_PARTY"

NOT_CONFIGURED = ("rules_tflm: no TFLM sources are configured, so targets that build TFLM " +
                  "(tflm_interpreter_test, tflm_model_library with tflm) are SKIPPED. To run them, call " +
                  "tflm_repositories(path = \"third_party\") in your WORKSPACE with the folder that holds " +
                  "tflite-micro/, flatbuffers/, gemmlowp/, ruy/, cmsis-nn/ and cmsis/, or set " +
                  ENVIRONMENT_VARIABLE + " to that folder (see docs/firmware_repo.md).")

_UNCONFIGURED_BUILD = """# Written by rules_tflm's tflm_repositories: no TFLM sources are configured.
# {message}
load("{rules_tflm}//rules/private:tflm_build.bzl", "tflm_unconfigured")

tflm_unconfigured()
"""

# rules_tflm's repository as the BUILD files written here must name it: the
# consuming WORKSPACE may call it anything ("@" alone when it is the main one).
_RULES_TFLM = "@" + Label("//:WORKSPACE").workspace_name

def _fail(ctx, message):
    fail("tflm_repositories (@%s): %s" % (ctx.name, message))

def _resolve(ctx, path):
    """The absolute path of `path`, read relative to the main workspace's root."""
    if path.startswith("/"):
        return ctx.path(path)
    return ctx.path(Label("@//:WORKSPACE")).dirname.get_child(path)

def _source_roots(ctx):
    """Dict tree -> absolute path of the checkout; or a string saying why nothing is configured."""
    setting = ctx.attr.path or ctx.os.environ.get(ENVIRONMENT_VARIABLE, "")
    base = _resolve(ctx, setting) if setting else None
    if base and not base.exists:
        # A clone whose submodules are not checked out yet: skip, and say so.
        return "%s does not exist. %s" % (base, NOT_CONFIGURED)
    roots = {}
    for key, tree in _TREES.items():
        override = getattr(ctx.attr, key)
        if key in ctx.attr.urls:
            ctx.download_and_extract(
                url = ctx.attr.urls[key],
                output = "_archives/" + tree.folder,
                sha256 = ctx.attr.sha256.get(key, ""),
                stripPrefix = ctx.attr.strip_prefix.get(key, ""),
            )
            roots[key] = ctx.path("_archives/" + tree.folder)
        elif override:
            roots[key] = _resolve(ctx, override)
        elif base:
            roots[key] = base.get_child(tree.folder)
        else:
            return NOT_CONFIGURED
    return roots

def _link_tree(ctx, source, destination):
    """Makes `destination` a tree of symlinks to the files under `source`, leaving out Bazel files."""
    if not source.exists:
        return False
    script = """set -e
src="$1"; dst="$2"
mkdir -p "$(dirname "$dst")"
if [ -d "$src" ]; then
  cp -rs "$src" "$dst"
  find "$dst" \\( -name BUILD -o -name BUILD.bazel -o -name WORKSPACE -o -name '*.bzl' \\) -type l -delete
else
  ln -s "$src" "$dst"
fi
"""
    result = ctx.execute(["sh", "-c", script, "link", str(source), destination])
    if result.return_code != 0:
        _fail(ctx, "could not link %s into the repository: %s" % (source, result.stderr))
    return True

def _registrations(content):
    """The ops a kernel source defines `Register_<OP>()` for, e.g. ["CONV_2D", "CONV_2D_INT8"]."""
    ops = []
    for piece in content.split("TFLMRegistration Register_")[1:]:
        name = piece.split("(", 1)[0]
        if name and name.replace("_", "").isalnum() and name.upper() == name:
            ops.append(name)
    return ops

def _kernel_table(ctx, directory):
    """Dict source stem -> builtin ops its file registers, for the kernels in `directory`."""
    table = {}
    for child in ctx.path(directory).readdir():
        stem = child.basename[:-len(".cc")]
        if not child.basename.endswith(".cc") or stem.endswith("_test") or stem.endswith("_common"):
            continue
        ops = _registrations(ctx.read(child))
        if ops:
            table[stem] = sorted(ops)
    return table

def _tflm_sources_impl(ctx):
    roots = _source_roots(ctx)
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    if type(roots) == "string":
        print(roots)
        ctx.file("BUILD", _UNCONFIGURED_BUILD.format(message = roots, rules_tflm = _RULES_TFLM))
        ctx.file("kernels.bzl", "REFERENCE_KERNELS = {}\nCMSIS_NN_KERNELS = {}\n")
        return
    for key, tree in _TREES.items():
        root = roots[key]
        if not root.exists:
            _fail(ctx, "the %s sources are not at %s: point `%s` (or `path`) at a checkout of %s." % (
                tree.folder,
                root,
                key,
                tree.folder,
            ))
        for part in tree.parts:
            if not _link_tree(ctx, ctx.path(str(root) + "/" + part), tree.into + part) and part not in _OPTIONAL_PARTS:
                _fail(ctx, "%s has no %s: is it a checkout of %s?" % (root, part, tree.folder))
    kernels = "tensorflow/lite/micro/kernels"
    ctx.file("kernels.bzl", "\n".join([
        '"""Written by rules_tflm\'s tflm_repositories: kernel source stem -> the builtin ops it registers."""',
        "",
        "REFERENCE_KERNELS = %r" % _kernel_table(ctx, kernels),
        "",
        "CMSIS_NN_KERNELS = %r" % _kernel_table(ctx, kernels + "/cmsis_nn"),
        "",
    ]))
    ctx.template("BUILD", ctx.attr.build_file, {"@rules_tflm//": _RULES_TFLM + "//"}, executable = False)

tflm_sources = repository_rule(
    implementation = _tflm_sources_impl,
    environ = [ENVIRONMENT_VARIABLE],
    local = True,
    attrs = {
        "path": attr.string(doc = "Folder holding tflite-micro/, flatbuffers/, gemmlowp/, ruy/, cmsis-nn/ and cmsis/."),
        "tflite_micro": attr.string(),
        "flatbuffers": attr.string(),
        "gemmlowp": attr.string(),
        "ruy": attr.string(),
        "cmsis_nn": attr.string(),
        "cmsis": attr.string(),
        "urls": attr.string_list_dict(),
        "sha256": attr.string_dict(),
        "strip_prefix": attr.string_dict(),
        "build_file": attr.label(default = "//rules/tflm:tflm.BUILD", allow_single_file = True),
    },
    doc = "TFLM, CMSIS-NN and their dependencies as one repository with rules_tflm's BUILD file.",
)
