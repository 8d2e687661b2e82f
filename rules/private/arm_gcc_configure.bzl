"""Finds the Arm GNU toolchain (arm-none-eabi-gcc) and QEMU for Cortex-M builds and tests.

Writes `@<name>//:defs.bzl` with the paths it found. Nothing fails here when
they are missing, so host-only builds work without them; the Cortex-M rules
fail instead, naming the Debian package to install.
"""

_DEFS = '''"""Written by rules_tflm's arm_gcc_configure: what it found on this machine."""

ARM_GCC = {gcc}
ARM_GCC_PREFIX = {prefix}
ARM_GCC_INCLUDE_DIRS = {includes}
QEMU_SYSTEM_ARM = {qemu}
'''

def _include_dirs(ctx, gcc):
    """The directories gcc searches for system headers, and their parents (for other multilibs)."""
    result = ctx.execute([gcc, "-xc++", "-E", "-v", "/dev/null"])
    dirs = []
    inside = False
    for line in result.stderr.splitlines():
        if line.startswith("#include <...> search starts here:"):
            inside = True
        elif line.startswith("End of search list."):
            inside = False
        elif inside:
            # As gcc reports it, normalized, and with symlinks resolved (the
            # form of the paths in gcc's dependency files).
            path = str(ctx.path(line.strip()))
            real = ctx.execute(["realpath", path]).stdout.strip()
            dirs += [path, path.rsplit("/", 1)[0]] + ([real] if real else [])
    return sorted({d: True for d in dirs}.keys())

def _arm_gcc_configure_impl(ctx):
    override = ctx.os.environ.get("ARM_NONE_EABI_GCC", "")
    gcc = ctx.path(override) if override else ctx.which("arm-none-eabi-gcc")
    qemu = ctx.which("qemu-system-arm")
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    ctx.file("BUILD", "exports_files([\"defs.bzl\"])\n")
    ctx.file("defs.bzl", _DEFS.format(
        gcc = repr(str(gcc)) if gcc and gcc.exists else "None",
        prefix = repr(str(gcc)[:-len("gcc")]) if gcc and gcc.exists else "None",
        includes = repr(_include_dirs(ctx, gcc) if gcc and gcc.exists else []),
        qemu = repr(str(qemu)) if qemu else "None",
    ))

arm_gcc_configure = repository_rule(
    implementation = _arm_gcc_configure_impl,
    environ = ["ARM_NONE_EABI_GCC", "PATH"],
    local = True,
    doc = "Finds arm-none-eabi-gcc (or $ARM_NONE_EABI_GCC) and qemu-system-arm.",
)
