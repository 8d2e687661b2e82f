// The TFLM side of bench/aot_vs_tflm.py: one model in TFLM's interpreter on
// an emulated Cortex-M core, counted by rules_tflm's QEMU plugin.
//
// bench/aot_vs_tflm.bzl compiles it once per model, kernel set and core, with
// the model's tflm_model_library headers included ahead of this file
// (-include <library>.h -include <library>_op_resolver.h: model_data,
// MODEL_DATA_ARENA_SIZE, ModelDataOpResolver, RegisterModelDataOps) and
// -DBENCH_INFERENCES=N. It sets up the interpreter, then between the bench
// markers N times sets the fixed input (byte i = ((i * 37 + 11) % 256) - 128,
// as the ahead-of-time side does) and invokes, and prints what the script
// reads: the kernel set, the arena TFLM used, and the int8 output. Built with
// -DBENCH_PROFILE (the _profile binaries, for bench/layer_profile.py), a TFLM
// profiler marks each op's Invoke for the plugin's per-layer counts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>

#include "rules/cortex_m/bench_markers.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/compatibility.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/schema/schema_generated.h"

#ifndef BENCH_INFERENCES
#error "compile with -DBENCH_INFERENCES=N and the model's headers (see bench/aot_vs_tflm.bzl)"
#endif

namespace {

#if defined(RULES_TFLM_KERNELS_CMSIS_NN)
constexpr char kKernels[] = "cmsis_nn";
#elif defined(RULES_TFLM_KERNELS_REFERENCE)
constexpr char kKernels[] = "reference";
#else
constexpr char kKernels[] = "unknown";
#endif

alignas(16) uint8_t bench_tensor_arena[MODEL_DATA_ARENA_SIZE];

// The resolver and the interpreter live in static storage, as in firmware
// that keeps them for the program's life, so the size report counts them
// with the statics. Placement new: no destructors to register at exit.
alignas(ModelDataOpResolver) unsigned char resolver_storage[sizeof(ModelDataOpResolver)];
alignas(tflite::MicroInterpreter) unsigned char interpreter_storage[sizeof(tflite::MicroInterpreter)];

#if defined(BENCH_PROFILE)
// The interpreter calls BeginEvent before each op's Invoke and EndEvent after it.
class LayerMarkers : public tflite::MicroProfilerInterface {
 public:
  uint32_t BeginEvent(const char*) override {
    rules_tflm_layer_begin();
    return 0;
  }
  void EndEvent(uint32_t) override { rules_tflm_layer_end(); }
  // No heap: as TFLM's own classes, no deleting destructor that needs operator delete.
  TF_LITE_REMOVE_VIRTUAL_DELETE
};
// Constructed in place in main, as the interpreter: no destructor registered at exit.
alignas(LayerMarkers) unsigned char profiler_storage[sizeof(LayerMarkers)];
#endif

void set_input(TfLiteTensor* input) {
  for (size_t i = 0; i < input->bytes; ++i) {
    input->data.int8[i] = static_cast<int8_t>(((i * 37 + 11) % 256) - 128);
  }
}

}  // namespace

int main() {
  const tflite::Model* model = tflite::GetModel(model_data);
  if (model->version() != TFLITE_SCHEMA_VERSION) {
    std::printf("FAILED: model schema version %u, TFLM expects %d\n",
                static_cast<unsigned>(model->version()), TFLITE_SCHEMA_VERSION);
    return 1;
  }
  auto* resolver = new (resolver_storage) ModelDataOpResolver();
  if (RegisterModelDataOps(*resolver) != kTfLiteOk) {
    std::printf("FAILED: could not register the model's ops\n");
    return 1;
  }
#if defined(BENCH_PROFILE)
  tflite::MicroProfilerInterface* profiler = new (profiler_storage) LayerMarkers();
#else
  tflite::MicroProfilerInterface* profiler = nullptr;
#endif
  auto* interpreter = new (interpreter_storage)
      tflite::MicroInterpreter(model, *resolver, bench_tensor_arena, sizeof(bench_tensor_arena),
                               /*resource_variables=*/nullptr, profiler);
  if (interpreter->AllocateTensors() != kTfLiteOk) {
    std::printf("FAILED: AllocateTensors with a %u-byte arena\n",
                static_cast<unsigned>(sizeof(bench_tensor_arena)));
    return 1;
  }
  if (interpreter->inputs_size() != 1 || interpreter->outputs_size() != 1 ||
      interpreter->input(0)->type != kTfLiteInt8 || interpreter->output(0)->type != kTfLiteInt8) {
    std::printf("FAILED: the benchmark runs models with one int8 input and one int8 output\n");
    return 1;
  }
  TfLiteTensor* input = interpreter->input(0);
  rules_tflm_bench_start();
  for (int n = 0; n < BENCH_INFERENCES; ++n) {
    set_input(input);
    if (interpreter->Invoke() != kTfLiteOk) {
      rules_tflm_bench_stop();
      std::printf("FAILED: Invoke\n");
      return 1;
    }
  }
  rules_tflm_bench_stop();
  std::printf("kernels: %s\n", kKernels);
  std::printf("inferences: %d\n", BENCH_INFERENCES);
  std::printf("arena_used_bytes: %u of %u\n", static_cast<unsigned>(interpreter->arena_used_bytes()),
              static_cast<unsigned>(sizeof(bench_tensor_arena)));
  const TfLiteTensor* output = interpreter->output(0);
  std::printf("output:");
  for (size_t i = 0; i < output->bytes; ++i) std::printf(" %d", output->data.int8[i]);
  std::printf("\n");
  return 0;
}
