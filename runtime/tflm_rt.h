/* rules_tflm's runtime: the kernels that ahead-of-time compiled models call.
 *
 * C99, no malloc, no libc beyond the freestanding headers (and libm's float
 * functions, for the float32 kernels TFLM computes with them: LOGISTIC,
 * SOFTMAX, TANH, SQRT, RSQRT, EXP, LOG, SIN, COS and ELU). Each kernel is a
 * function of plain arguments with every quantization parameter precomputed
 * by the compiler (tools/aot/), and matches TFLM's reference kernel
 * arithmetic and rounding exactly, as the kernel's comment says.
 *
 * One calling convention for every kernel, its arguments in this order:
 *   1. parameters: a `const tflm_rt_<kernel>_params *` holding the
 *      quantization and the activation range; or, for a kernel whose only
 *      parameters are one or two scalars (a float32 activation range, an
 *      int8 one of a pooling, beta, alpha, a scale and offset), those scalars;
 *      none for a kernel without parameters;
 *   2. shape: a `const` shape struct pointer (shapes.h), then int counts
 *      and sizes (elements, or bytes where the kernel moves bytes);
 *   3. inputs: input (input1, input2), then filter or weights, then bias;
 *   4. output, last.
 * Zero points travel as offsets added to the value: input_offset is minus
 * the input's zero point, output_offset is plus the output's. Kernels return
 * nothing: the compiler refuses at build time what they could not compute.
 * The one exception is GATHER of indices known only at run time: it returns
 * 0, or -1 for an index out of range, and the generated <prefix>_invoke
 * then returns at once with the op's index + 1.
 *
 * One header per op family; this one includes them all, for generated code
 * and for firmware, with the per-layer profiling hooks (profile.h).
 */
#ifndef RUNTIME_TFLM_RT_H_
#define RUNTIME_TFLM_RT_H_

#include "runtime/activations.h"
#include "runtime/arch.h"
#include "runtime/arg_min_max.h"
#include "runtime/batch_matmul.h"
#include "runtime/comparisons.h"
#include "runtime/conv.h"
#include "runtime/data_movement.h"
#include "runtime/elementwise.h"
#include "runtime/fixed_point.h"
#include "runtime/fully_connected.h"
#include "runtime/lstm.h"
#include "runtime/pooling.h"
#include "runtime/profile.h"
#include "runtime/quantize.h"
#include "runtime/reduce.h"
#include "runtime/resize.h"
#include "runtime/shapes.h"
#include "runtime/softmax.h"
#include "runtime/unary.h"

#endif /* RUNTIME_TFLM_RT_H_ */
