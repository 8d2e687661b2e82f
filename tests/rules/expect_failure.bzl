"""An analysis test that passes when its target fails analysis with a given message."""

def _expect_failure_test_impl(ctx):
    target = ctx.attr.target_under_test[0]  # a list: the attribute has a transition
    if AnalysisFailureInfo not in target:
        return [AnalysisTestResultInfo(
            success = False,
            message = "%s was expected to fail analysis, but it analyzed cleanly." % target.label,
        )]
    messages = [cause.message for cause in target[AnalysisFailureInfo].causes.to_list()]
    missing = [text for text in ctx.attr.messages if not [m for m in messages if text in m]]
    return [AnalysisTestResultInfo(
        success = not missing,
        message = "" if not missing else "%s failed, but no error contains %s; the errors were:\n%s" % (
            target.label,
            missing,
            "\n".join(messages),
        ),
    )]

expect_failure_test = rule(
    implementation = _expect_failure_test_impl,
    analysis_test = True,
    doc = "Passes when `target_under_test` fails analysis with every one of `messages` in its error.",
    attrs = {
        "target_under_test": attr.label(
            mandatory = True,
            cfg = analysis_test_transition(settings = {"//command_line_option:allow_analysis_failures": True}),
        ),
        "messages": attr.string_list(mandatory = True, doc = "Texts the error must contain."),
    },
)

def refused(*, name, rule, attrs, messages):
    """`rule(name, **attrs)` (manual), and `<name>_test`, which requires it to fail analysis with `messages`."""
    rule(name = name, tags = ["manual"], **attrs)
    expect_failure_test(name = name + "_test", messages = messages, target_under_test = ":" + name)
