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

/* The few hot inner loops that GCC's -Os spills on Cortex-M3 and up are compiled
   at -O2; on Cortex-M0, with eight low registers, -O2's unrolling spills more and
   costs instructions (micro_speech's depthwise layer: 3.25 M at -Os, 3.98 M at -O2). */
#if defined(__ARM_ARCH_6M__)
#define TFLM_RT_HOT
#else
#define TFLM_RT_HOT __attribute__((optimize("O2")))
#endif

#endif /* RUNTIME_ARCH_H_ */
