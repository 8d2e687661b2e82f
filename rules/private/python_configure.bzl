"""Finds the Python interpreter that `./setup.sh` made and registers it as a toolchain.

The interpreter is `$RULES_TFLM_PYTHON` when that is set, otherwise
`${XDG_CACHE_HOME:-$HOME/.cache}/rules_tflm/venv/bin/python3`, where
`./setup.sh` creates the virtualenv. Users never activate it or edit PATH.

The toolchain's interpreter is a small launcher that looks for the real
interpreter each time it runs, so running `./setup.sh` after a first build
needs no `bazel clean`; when the interpreter is missing the launcher prints
one line saying to run the set-up and fails the action. It also checks that
the set-up finished for the current requirements.txt (setup.sh leaves a copy
of it in the virtualenv), so a missing package is the same one line.

The launcher is an input of every Python action, so its text is part of
their cache keys: it holds requirements.txt's content (new packages, new
keys) but not the checkout's path, so that clones at other paths share a
remote cache. The interpreter's path stays in it: machines share hits when
their virtualenvs are at the same path.
"""

_LAUNCHER = """#!/bin/sh
# Written by rules_tflm's tflm_python_configure: runs the project's Python.
if [ ! -x "{interpreter}" ]; then
  echo "rules_tflm: no Python interpreter at {interpreter}: {hint}" >&2
  exit 1
fi
# ./setup.sh copies requirements.txt next to the virtualenv once every package
# is installed; a missing or different copy means the set-up is not done.
if [ -n "{stamp}" ] && [ "$(cat "{stamp}" 2>/dev/null)" != "$(cat <<'RULES_TFLM_REQUIREMENTS_END'
{requirements}RULES_TFLM_REQUIREMENTS_END
)" ]; then
  echo "rules_tflm: the Python packages in {venv} do not match rules_tflm's requirements.txt: {hint}" >&2
  exit 1
fi
exec "{interpreter}" "$@"
"""

_BUILD = """# Written by rules_tflm's tflm_python_configure.
load("@bazel_tools//tools/python:toolchain.bzl", "py_runtime_pair")

package(default_visibility = ["//visibility:public"])

exports_files(["python3"])

py_runtime(
    name = "python3_runtime",
    interpreter = ":python3",
    python_version = "PY3",
    # Bazel's launcher script runs first, before the interpreter above; Debian
    # has no `python`, only `python3` (./setup.sh installs it).
    stub_shebang = "#!/usr/bin/env python3",
)

py_runtime_pair(
    name = "runtime_pair",
    py3_runtime = ":python3_runtime",
)

toolchain(
    name = "python_toolchain",
    toolchain = ":runtime_pair",
    toolchain_type = "@bazel_tools//tools/python:toolchain_type",
)
"""

_SETUP_HINT = "run ./setup.sh in the rules_tflm checkout, or set RULES_TFLM_PYTHON to a Python 3.11 that has the packages of rules_tflm's requirements.txt"

def _venv_path(ctx):
    """The virtualenv ./setup.sh makes, or None when RULES_TFLM_PYTHON names the interpreter."""
    if ctx.os.environ.get("RULES_TFLM_PYTHON", ""):
        return None
    cache = ctx.os.environ.get("XDG_CACHE_HOME", "")
    if not cache:
        home = ctx.os.environ.get("HOME", "")
        if not home:
            fail("rules_tflm: neither RULES_TFLM_PYTHON nor HOME is set, so the Python " +
                 "environment cannot be found; " + _SETUP_HINT + ".")
        cache = home + "/.cache"
    return cache + "/rules_tflm/venv"

def _with_final_newline(text):
    return text if text.endswith("\n") else text + "\n"

def _tflm_python_configure_impl(ctx):
    venv = _venv_path(ctx)
    launcher = _LAUNCHER.format(
        interpreter = venv + "/bin/python3" if venv else ctx.os.environ["RULES_TFLM_PYTHON"],
        venv = venv or "",
        stamp = venv + "/.rules_tflm-requirements" if venv else "",
        # The content, not the path: see the module docstring.
        requirements = _with_final_newline(ctx.read(Label("//:requirements.txt"))),
        hint = _SETUP_HINT,
    )
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    ctx.file("python3", launcher, executable = True)
    ctx.file("BUILD", _BUILD)

tflm_python_configure = repository_rule(
    implementation = _tflm_python_configure_impl,
    environ = ["RULES_TFLM_PYTHON", "XDG_CACHE_HOME", "HOME"],
    local = True,
    doc = "Registers the Python interpreter rules_tflm's tools run with (see module docstring).",
)
