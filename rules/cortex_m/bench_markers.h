/* Marks the code whose instructions rules_tflm's QEMU plugin counts:
 *
 *   rules_tflm_bench_start();
 *   ... code to measure ...
 *   rules_tflm_bench_stop();
 *
 * The plugin counts every instruction executed from the first instruction
 * of rules_tflm_bench_start to that of rules_tflm_bench_stop, summed over
 * all such pairs. On the host the calls do nothing.
 */
#ifndef RULES_CORTEX_M_BENCH_MARKERS_H_
#define RULES_CORTEX_M_BENCH_MARKERS_H_

#ifdef __cplusplus
extern "C" {
#endif

void rules_tflm_bench_start(void);
void rules_tflm_bench_stop(void);

#ifdef __cplusplus
}
#endif

#endif /* RULES_CORTEX_M_BENCH_MARKERS_H_ */
