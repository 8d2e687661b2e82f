/* Which instruction-set extensions the runtime's kernels use, read from the
   ACLE feature macros of the core the code is compiled for (-mcpu): the same
   generated model source builds for every core, and each build takes the
   fastest kernels its core has. Define TFLM_RT_PORTABLE to keep the portable
   C kernels everywhere (every path gives the same bytes). Internal to
   runtime/. */
#ifndef RUNTIME_ARCH_H_
#define RUNTIME_ARCH_H_

#if !defined(TFLM_RT_PORTABLE) && defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#define TFLM_RT_MVE 1 /* Helium integer vectors: Cortex-M55 */
#else
#define TFLM_RT_MVE 0
#endif

#if !defined(TFLM_RT_PORTABLE) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#define TFLM_RT_DSP 1 /* SIMD within a register (SMLAD, SXTB16): Cortex-M4, M7, M33, M55 */
#else
#define TFLM_RT_DSP 0
#endif

#endif /* RUNTIME_ARCH_H_ */
