/* Out-of-line, so that each marker has an address the plugin can watch. */
#include "rules/cortex_m/bench_markers.h"

__attribute__((noinline)) void rules_tflm_bench_start(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void rules_tflm_bench_stop(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void rules_tflm_layer_begin(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline)) void rules_tflm_layer_end(void) { __asm__ volatile("" ::: "memory"); }
