"""Paths the rules share: the .tflite a model attribute names, and how C includes a file."""

load(":providers.bzl", "TfliteModelInfo")

def repo_relative_path(file):
    """(str) The path of `file` from its repository's root, as C #includes see it."""
    path = file.short_path
    if path.startswith("../"):
        # A file of an external repository: short_path is ../<repo>/<path>.
        path = path.split("/", 2)[2]
    return path

def tflite_file(ctx, attr_name):
    """(File) The .tflite a model attribute points at: a tflite_model target or a .tflite file."""
    target = getattr(ctx.attr, attr_name)
    if TfliteModelInfo in target:
        return target[TfliteModelInfo].tflite
    files = [f for f in target.files.to_list() if f.extension == "tflite"]
    if len(files) != 1:
        fail("%s: attribute '%s' must name a tflite_model target or one .tflite file, but %s gives %d .tflite files." % (
            ctx.label,
            attr_name,
            target.label,
            len(files),
        ))
    return files[0]
