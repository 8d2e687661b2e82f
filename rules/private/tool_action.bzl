"""Running one of rules_tflm's tools (tools/cli/) as an action."""

def run_tool(ctx, tool, mnemonic, progress_message, inputs, outputs, flags, env = None):
    """Registers an action that runs `tool` with `--<flag> <value>` for each entry of `flags`.

    A File gives its path, a list its items joined by commas, True the bare
    flag; None, "", False and [] leave the flag out (0 does not).
    """
    args = ctx.actions.args()
    for flag, value in flags.items():
        if value == None or value == "" or value == False or value == []:
            continue
        if value == True:
            args.add("--" + flag)
        elif type(value) == "list":
            args.add_joined("--" + flag, value, join_with = ",")
        else:
            args.add("--" + flag, value)
    ctx.actions.run(
        executable = tool,
        arguments = [args],
        inputs = inputs,
        outputs = outputs,
        env = env,
        mnemonic = mnemonic,
        progress_message = progress_message,
    )
