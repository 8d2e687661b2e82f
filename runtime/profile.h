/* Per-layer profiling hooks of the generated code.
 *
 * Compiled with -DTFLM_RT_PROFILE, <prefix>_invoke calls
 * tflm_rt_layer_begin(op) before each op's kernel and tflm_rt_layer_end(op)
 * after it, where op is the op's index in the model (ops that compile to no
 * code, such as a RESHAPE in place, have no layer). The firmware defines both
 * functions: for example reading the DWT cycle counter, or, as
 * bench/aot_vs_tflm.py --profile does, calling the markers QEMU's instruction
 * counter watches. Without TFLM_RT_PROFILE the hooks compile to nothing.
 */
#ifndef RUNTIME_PROFILE_H_
#define RUNTIME_PROFILE_H_

#ifdef __cplusplus
extern "C" {
#endif

#ifdef TFLM_RT_PROFILE
void tflm_rt_layer_begin(int op);
void tflm_rt_layer_end(int op);
#define TFLM_RT_LAYER_BEGIN(op) tflm_rt_layer_begin(op)
#define TFLM_RT_LAYER_END(op) tflm_rt_layer_end(op)
#else
#define TFLM_RT_LAYER_BEGIN(op) ((void)0)
#define TFLM_RT_LAYER_END(op) ((void)0)
#endif

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_PROFILE_H_ */
