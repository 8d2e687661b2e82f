"""The runtime's limits, as the compiler needs them.

runtime/shapes.h defines the same numbers as macros; limits_test.py checks
that they agree, so this module is their one source on the Python side.
"""

# TFLM_RT_MAX_RANK: the most dimensions a broadcasting ADD, SUB or MUL walks.
MAX_RANK = 6

# TFLM_RT_MAX_DIMS: the most dimensions the data movement and reduction
# kernels walk (shorter shapes are extended with leading 1s).
MAX_DIMS = 5

# The macros of runtime/shapes.h, by name.
MACROS = {"TFLM_RT_MAX_RANK": MAX_RANK, "TFLM_RT_MAX_DIMS": MAX_DIMS}
