"""Python tools that rules_tflm's Bazel actions call (importable without Bazel)."""
