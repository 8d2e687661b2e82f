"""tflm_model_report: one self-contained HTML page (and its JSON) of what a model costs."""

load(":paths.bzl", "tflite_file")
load(":providers.bzl", "TfliteModelInfo")
load(":tool_action.bzl", "run_tool")
load(":transitions.bzl", "TRANSITION_ATTRS", "build_machine_transition")

def _tflm_model_report_impl(ctx):
    tflite = tflite_file(ctx, "model")
    label = str(ctx.attr.model.label)
    if TfliteModelInfo in ctx.attr.model:
        analysis = ctx.attr.model[TfliteModelInfo].report
    else:
        analysis = ctx.actions.declare_file(ctx.label.name + ".analysis.json")
        run_tool(
            ctx,
            ctx.executable._analyze,
            "TfliteAnalyze",
            "Analyzing %s and measuring its TFLM arena" % label,
            inputs = [tflite],
            outputs = [analysis],
            flags = {"model": tflite, "report": analysis, "model_label": label},
        )
    page = ctx.actions.declare_file(ctx.label.name + ".html")
    numbers = ctx.actions.declare_file(ctx.label.name + ".json")
    run_tool(
        ctx,
        ctx.executable._model_report,
        "TflmModelReport",
        "Writing the report page of %s" % label,
        inputs = [tflite, analysis],
        outputs = [page, numbers],
        flags = {
            "model": tflite,
            "analysis": analysis,
            "html": page,
            "json": numbers,
            "model_label": label,
        },
    )
    return [DefaultInfo(
        files = depset([page, numbers]),
        runfiles = ctx.runfiles(files = [page, numbers]),
    )]

tflm_model_report = rule(
    implementation = _tflm_model_report_impl,
    doc = """A model's report: `<name>.html`, one page with inline CSS and SVG (no script, nothing
fetched, readable offline and in a code review), and `<name>.json` with the same numbers.

The page shows the model's inputs and outputs (type, shape, scale, zero point), its ops,
MACs and weights; whether TFLM runs it and the smallest arena TFLM takes; whether the
ahead-of-time compiler (`tflm_aot_library`) compiles it and the arena it plans; a table of
the layers (op, shapes, MACs, weight bytes, arena offsets) with the five largest marked;
and two memory plots, each tensor a bar from the op that writes it to the last op that
reads it at its offset in the arena: the ahead-of-time plan and TFLM's own greedy plan.

    tflm_model_report(
        name = "model_report",
        model = ":model_int8",
    )
""",
    cfg = build_machine_transition,
    attrs = dict({
        "model": attr.label(
            mandatory = True,
            allow_files = [".tflite"],
            doc = "A `tflite_model` target (its report is reused) or a .tflite file.",
        ),
        "_analyze": attr.label(default = "//tools:analyze", executable = True, cfg = "exec"),
        "_model_report": attr.label(default = "//tools:model_report", executable = True, cfg = "exec"),
    }, **TRANSITION_ATTRS),
)
