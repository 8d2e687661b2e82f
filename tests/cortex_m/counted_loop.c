/* Counts 1000 additions between the bench markers, as two layers of 900 and
   100 (a third layer, outside the markers, is not counted), and checks some
   integer and floating-point arithmetic on the way. */
#include <stdio.h>

#include "rules/cortex_m/bench_markers.h"

int main(void) {
  volatile int sum = 0;
  rules_tflm_layer_begin();
  sum = 0;
  rules_tflm_layer_end();
  rules_tflm_bench_start();
  rules_tflm_layer_begin();
  for (int i = 0; i < 900; i++) {
    sum += i;
  }
  rules_tflm_layer_end();
  rules_tflm_layer_begin();
  for (int i = 900; i < 1000; i++) {
    sum += i;
  }
  rules_tflm_layer_end();
  rules_tflm_bench_stop();
  volatile float half = 0.5f;
  volatile double third = 1.0 / 3.0;
  int ok = sum == 499500 && half * 4.0f == 2.0f && third * 3.0 > 0.999999;
  printf("sum %d: %s\n", sum, ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
