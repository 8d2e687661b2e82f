// Written by rules_tflm's tflm_model_report for %{model_label}: one inference of the
// model in TFLM (tflite::MicroInterpreter, the kernels tflm_model_library linked), for
// QEMU's instruction counter. The inputs stay as the arena starts, zeroed. A profiler
// puts each op's Invoke between the layer markers.
#include <cstdint>
#include <new>

#include "%{model_header}"
#include "%{resolver_header}"
#include "rules/cortex_m/bench_markers.h"
#include "tensorflow/lite/micro/compatibility.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

alignas(16) uint8_t tensor_arena[%{arena_size}];

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

}  // namespace

int main() {
  const tflite::Model* model = tflite::GetModel(%{array_name});
  %{resolver_type} resolver;
  if (%{register_ops}(resolver) != kTfLiteOk) return 1;
  LayerMarkers profiler;
  tflite::MicroInterpreter interpreter(model, resolver, tensor_arena, sizeof(tensor_arena),
                                       nullptr, &profiler);
  if (interpreter.AllocateTensors() != kTfLiteOk) return 1;
  rules_tflm_bench_start();
  const TfLiteStatus status = interpreter.Invoke();
  rules_tflm_bench_stop();
  return status == kTfLiteOk ? 0 : 1;
}
