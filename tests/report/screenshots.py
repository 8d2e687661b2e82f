"""The report pages whose screenshots docs/ keeps, and how tall each screenshot is."""

# (page, relative to the runfiles root, which is the working directory of Bazel's
# tests and `bazel run`; its JSON, the screenshot in docs/, height in pixels)
PAGES = [
    ("examples/hello_world/model_report.html", "examples/hello_world/model_report.json",
     "docs/report_hello_world.png", 1300),
    ("tests/report/person_detect_report.html", "tests/report/person_detect_report.json",
     "docs/report_person_detect.png", 1500),
]
