"""Macros of the BUILD files in tools/: pytest files as py_tests, a tool as a library and a binary."""

_RUNNER = Label("//tools:pytest_runner.py")

def pytest_test(name, size, data = [], deps = [], **kwargs):
    """The pytest file `name + ".py"` as a py_test run by tools/pytest_runner.py.

    Args:
      name: the test's name; its file is `name + ".py"`.
      size: the test's size.
      data: the files and command lines the test runs or reads.
      deps: the libraries the test imports.
      **kwargs: passed on to py_test (e.g. shard_count, which the runner honours).
    """
    native.py_test(
        name = name,
        size = size,
        srcs = [
            name + ".py",
            _RUNNER,
        ],
        args = ["$(location %s.py)" % name],
        data = data,
        main = _RUNNER,
        deps = deps,
        **kwargs
    )

def pytest_tests(tests):
    """One pytest_test per (name, size, data, deps) of the list `tests`."""
    for name, size, data, deps in tests:
        pytest_test(
            name = name,
            size = size,
            data = data,
            deps = deps,
        )

def py_tool(name, deps, data = []):
    """A tool of tools/: its library `name + "_lib"` (`name + ".py"`) and its command line `name`.

    The py_binary `name` (main `cli/<name>.py`, which also imports `:cli`) is
    what the rules run.

    Args:
      name: the tool's name, that of its module in tools/ and in tools/cli/.
      deps: the libraries the tool's library imports.
      data: the files the library reads or starts at run time.
    """
    native.py_library(
        name = name + "_lib",
        srcs = [name + ".py"],
        data = data,
        deps = deps,
    )
    native.py_binary(
        name = name,
        srcs = ["cli/%s.py" % name],
        main = "cli/%s.py" % name,
        deps = [
            ":cli",
            ":%s_lib" % name,
        ],
    )
