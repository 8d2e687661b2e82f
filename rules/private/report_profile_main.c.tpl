/* Written by rules_tflm's tflm_model_report for %{model_label}: one inference of the
   model compiled ahead of time, for QEMU's instruction counter. The inputs stay as the
   arena starts, zeroed. Each layer runs between the layer markers (runtime/profile.h's
   hooks, compiled in with -DTFLM_RT_PROFILE). */
#include "%{model_header}"
#include "rules/cortex_m/bench_markers.h"

void tflm_rt_layer_begin(int op) {
  (void)op;
  rules_tflm_layer_begin();
}

void tflm_rt_layer_end(int op) {
  (void)op;
  rules_tflm_layer_end();
}

int main(void) {
  rules_tflm_bench_start();
  const int status = %{prefix}_invoke();
  rules_tflm_bench_stop();
  return status;
}
