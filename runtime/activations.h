/* Activation kernels: RELU, RELU6, LEAKY_RELU, LOGISTIC and TANH, int8 and
   float32. The argument convention is tflm_rt.h's; `size` counts elements.
   Every kernel reads element i before it writes element i, so the output
   may be the input. */
#ifndef RUNTIME_ACTIVATIONS_H_
#define RUNTIME_ACTIVATIONS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of an int8 RELU or RELU6, as TFLM's ReluQuantized and
   Relu6Quantized: a rescale of the offset input, then the clamp. */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  int32_t multiplier;
  int shift;
  int32_t activation_min;
  int32_t activation_max;
} tflm_rt_relu_s8_params;

void tflm_rt_relu_s8(const tflm_rt_relu_s8_params *params, int size, const int8_t *input,
                     int8_t *output);

/* Parameters of an int8 LEAKY_RELU, as TFLM's reference_ops::QuantizeLeakyRelu
   uses them: offset inputs at or above 0 are scaled by the identity
   multiplier (input_scale / output_scale), those below by the alpha
   multiplier (|alpha| * input_scale / output_scale) and negated if alpha is
   negative. */
typedef struct {
  int32_t input_offset;
  int32_t output_offset;
  int32_t identity_multiplier;
  int identity_shift;
  int32_t alpha_multiplier;
  int alpha_shift;
  int alpha_negative;
} tflm_rt_leaky_relu_s8_params;

void tflm_rt_leaky_relu_s8(const tflm_rt_leaky_relu_s8_params *params, int size,
                           const int8_t *input, int8_t *output);

/* Parameters of an int8 LOGISTIC or TANH, as TFLM's Prepare computes them:
   the offset input is rescaled to Q4.27 by input_multiplier *
   2^input_left_shift (the input scale times 2^27), and inputs at least
   input_range_radius away from the zero point saturate. */
typedef struct {
  int32_t input_offset;
  int32_t input_range_radius;
  int32_t input_multiplier;
  int input_left_shift;
} tflm_rt_logistic_tanh_s8_params;

/* int8 LOGISTIC, as TFLM's reference_integer_ops::Logistic: gemmlowp's
   fixed-point logistic (exp_on_negative_values, then 1 / (1 + x) by
   Newton-Raphson), written in scale 1/256 with zero point -128 whatever the
   output tensor says, as TFLM does. */
void tflm_rt_logistic_s8(const tflm_rt_logistic_tanh_s8_params *params, int size,
                         const int8_t *input, int8_t *output);

/* int8 TANH, as TFLM's reference_integer_ops::Tanh: gemmlowp's fixed-point
   tanh, (1 - exp(-2|x|)) / (1 + exp(-2|x|)) with the sign of x, written in
   scale 1/128 with zero point 0 whatever the output tensor says, as TFLM
   does. */
void tflm_rt_tanh_s8(const tflm_rt_logistic_tanh_s8_params *params, int size,
                     const int8_t *input, int8_t *output);

/* float32 LOGISTIC, as TFLM's reference_ops::Logistic: 1 above
   16.619047164916992188, expf(x) below -9, else 1 / (1 + expf(-x)). Bit-exact
   where libm's expf is the one TFLM was linked with. */
void tflm_rt_logistic_f32(int size, const float *input, float *output);

/* float32 TANH, as TFLM's reference_ops::Tanh: tanhf(x). Bit-exact where
   libm's tanhf is the one TFLM was linked with. */
void tflm_rt_tanh_f32(int size, const float *input, float *output);

/* float32 RELU and RELU6, as TFLM's ReluFloat and Relu6Float: x < 0 ? 0 : x,
   and x > 6 ? 6 : x < 0 ? 0 : x (so -0 and NaN pass through). */
void tflm_rt_relu_f32(int size, const float *input, float *output);
void tflm_rt_relu6_f32(int size, const float *input, float *output);

/* float32 LEAKY_RELU, as TFLM's reference_ops::LeakyRelu: x > 0 ? x : x * alpha. */
void tflm_rt_leaky_relu_f32(float alpha, int size, const float *input, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_ACTIVATIONS_H_ */
