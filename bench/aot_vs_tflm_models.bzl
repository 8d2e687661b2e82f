"""What bench/aot_vs_tflm.py measures: its models and cores.

Plain data, valid Starlark and Python alike: bench/aot_vs_tflm.bzl loads it to
declare the TFLM binaries, and bench/aot_vs_tflm.py reads it to run them and
to compile the same models ahead of time, so the two cannot drift apart.

  model       the .tflite, as a Bazel label in this repository: a file, or a
              tflite_model target (the Keras zoo's are built in the run)
  ops         the builtin ops whose TFLM kernels to link (the build fails,
              naming the list, when the model uses others)
  inferences  how many times the fixed input is set and the model invoked
              between the bench markers (few for the large models: QEMU runs
              TFLM's reference kernels at about 25 M instructions a second)
  targets     False for a model measured but not held to the Speed issue's
              targets (those name hello_world, micro_speech, person_detect
              and the four MLPerf Tiny models); default True
"""

BENCH_MODELS = {
    "hello_world_int8": {
        "model": "//tests/testdata:hello_world_int8.tflite",
        "ops": ["FULLY_CONNECTED"],
        "inferences": 10,
    },
    "micro_speech_quantized": {
        "model": "//tests/testdata:micro_speech_quantized.tflite",
        "ops": ["DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"],
        "inferences": 4,
    },
    "person_detect": {
        "model": "//tests/testdata:person_detect.tflite",
        "ops": ["AVERAGE_POOL_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "RESHAPE", "SOFTMAX"],
        "inferences": 1,
    },
    # The four MLPerf Tiny models: keyword spotting, visual wake words, image
    # classification and anomaly detection (tests/testdata/README.md).
    "kws_ref_model": {
        "model": "//tests/testdata:mlperf_tiny/kws_ref_model.tflite",
        "ops": ["AVERAGE_POOL_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"],
        "inferences": 2,
    },
    "vww_96_int8": {
        "model": "//tests/testdata:mlperf_tiny/vww_96_int8.tflite",
        "ops": ["AVERAGE_POOL_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"],
        "inferences": 1,
    },
    "pretrainedResnet_quant": {
        "model": "//tests/testdata:mlperf_tiny/pretrainedResnet_quant.tflite",
        "ops": ["ADD", "AVERAGE_POOL_2D", "CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"],
        "inferences": 1,
    },
    "ad01_int8": {
        "model": "//tests/testdata:mlperf_tiny/ad01_int8.tflite",
        "ops": ["FULLY_CONNECTED"],
        "inferences": 4,
    },
    # The int8 models of the Keras layer zoo (tests/keras) that TFLM runs.
    "zoo_image_int8": {
        "model": "//tests/keras:zoo_image_int8",
        "targets": False,
        "ops": ["ADD", "CONV_2D", "FULLY_CONNECTED", "HARD_SWISH", "LOGISTIC", "MUL", "PAD", "PRELU", "REDUCE_MAX", "RESIZE_BILINEAR", "STRIDED_SLICE", "TRANSPOSE_CONV"],
        "inferences": 10,
    },
    "zoo_merge_int8": {
        "model": "//tests/keras:zoo_merge_int8",
        "targets": False,
        "ops": ["ADD", "CONCATENATION", "CONV_2D", "FULLY_CONNECTED", "MAXIMUM", "MINIMUM", "MUL", "RESHAPE", "SOFTMAX", "SUB", "TRANSPOSE"],
        "inferences": 10,
    },
    "zoo_sequence_int8": {
        "model": "//tests/keras:zoo_sequence_int8",
        "targets": False,
        "ops": ["ADD", "BATCH_MATMUL", "CONV_2D", "FULLY_CONNECTED", "RESHAPE", "SOFTMAX"],
        "inferences": 10,
    },
}

# Every core rules_tflm builds for (rules/private/cortex_m_cores.bzl).
BENCH_CORES = ["cortex-m0", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]

# TFLM's kernel sets, as tflm_model_library's `kernels` names them.
BENCH_KERNEL_SETS = ["reference", "cmsis_nn"]

# tflm_model_library's arena_margin_percent per kernel set: how much arena the
# harness allocates above what the TFLM interpreter of the tflite-micro wheel
# needed on the host. The default 10 % holds for the reference kernels, not
# for CMSIS-NN: its kernels ask for scratch buffers the host's reference
# kernels do not, and on Cortex-M55 (MVE) its fully connected kernel keeps
# precomputed kernel sums in the arena (KERNELS_OPTIMIZED_FOR_SPEED). With
# 10 %, AllocateTensors fails there for kws_ref_model (27348 bytes used, 26704
# allocated), and ad01_int8 uses 9268 bytes, twice the host's 4640 (with 50 %
# TFLM ran out of arena and then locked the core up). The RAM figures are
# the arena used, whatever is allocated.
BENCH_ARENA_MARGIN_PERCENT = {"reference": 10, "cmsis_nn": 150}
