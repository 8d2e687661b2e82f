"""An analysis test of a rule's contract: the actions it registers and the model it provides."""

load("//rules:defs.bzl", "TfliteModelInfo")

def _contract_test_impl(ctx):
    target = ctx.attr.target_under_test
    errors = []
    mnemonics = [action.mnemonic for action in target.actions]
    for mnemonic in ctx.attr.mnemonics:
        if mnemonic not in mnemonics:
            errors.append("no %s action among %s" % (mnemonic, mnemonics))
    if ctx.attr.quantization:
        if TfliteModelInfo not in target:
            errors.append("no TfliteModelInfo provider")
        elif target[TfliteModelInfo].quantization != ctx.attr.quantization:
            errors.append("TfliteModelInfo.quantization is %s, expected %s" % (
                target[TfliteModelInfo].quantization,
                ctx.attr.quantization,
            ))
    outputs = sorted([f.basename for f in target[DefaultInfo].files.to_list()])
    if ctx.attr.outputs and outputs != sorted(ctx.attr.outputs):
        errors.append("outputs are %s, expected %s" % (outputs, sorted(ctx.attr.outputs)))
    return [AnalysisTestResultInfo(
        success = not errors,
        message = "%s: %s" % (target.label, "; ".join(errors)),
    )]

contract_test = rule(
    implementation = _contract_test_impl,
    analysis_test = True,
    doc = "Checks the mnemonics of `target_under_test`'s actions, its outputs and its TfliteModelInfo.",
    attrs = {
        "target_under_test": attr.label(mandatory = True),
        "mnemonics": attr.string_list(doc = "Mnemonics of actions the target must register."),
        "outputs": attr.string_list(doc = "Base names of the target's default outputs, if checked."),
        "quantization": attr.string(doc = "Expected TfliteModelInfo.quantization, if checked."),
    },
)
