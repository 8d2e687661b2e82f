"""The shell script that a test rule runs: one command of runfiles paths and flags."""

def _shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"

def write_test_script(ctx, command):
    """(File) An executable `<name>.sh` that runs `command` (a list of runfiles paths and flags)."""
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(
        output = script,
        content = "#!/bin/sh\n# Written by rules_tflm for %s.\nexec %s \"$@\"\n" % (
            ctx.label,
            " ".join([_shell_quote(c) for c in command]),
        ),
        is_executable = True,
    )
    return script
