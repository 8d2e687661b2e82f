/* Marks the code whose instructions rules_tflm's QEMU plugin counts:
 *
 *   rules_tflm_bench_start();
 *   ... code to measure ...
 *   rules_tflm_bench_stop();
 *
 * The plugin counts every instruction executed from the first instruction
 * of rules_tflm_bench_start to that of rules_tflm_bench_stop, summed over
 * all such pairs. On the host the calls do nothing.
 *
 * Between them, rules_tflm_layer_begin() and rules_tflm_layer_end() around
 * each layer let the plugin count every layer on its own (its layer_start
 * and layer_stop arguments): bench/aot_vs_tflm.py --profile calls them from
 * the AOT code's tflm_rt_layer_begin/end hooks (runtime/profile.h) and from
 * a TFLM profiler.
 */
#ifndef RULES_CORTEX_M_BENCH_MARKERS_H_
#define RULES_CORTEX_M_BENCH_MARKERS_H_

#ifdef __cplusplus
extern "C" {
#endif

void rules_tflm_bench_start(void);
void rules_tflm_bench_stop(void);
void rules_tflm_layer_begin(void);
void rules_tflm_layer_end(void);

#ifdef __cplusplus
}
#endif

#endif /* RULES_CORTEX_M_BENCH_MARKERS_H_ */
