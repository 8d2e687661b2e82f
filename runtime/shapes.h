/* The shapes the kernels take, and the runtime's limits (tools/aot/limits.py
   holds the same numbers; its test checks that they agree). */
#ifndef RUNTIME_SHAPES_H_
#define RUNTIME_SHAPES_H_

#ifdef __cplusplus
extern "C" {
#endif

/* The most dimensions a broadcasting ADD, SUB or MUL walks. */
#define TFLM_RT_MAX_RANK 6

/* The most dimensions the data movement and reduction kernels walk; the
   compiler extends tensors of lower rank with leading dimensions of size 1. */
#define TFLM_RT_MAX_DIMS 5

/* How the inputs of a binary op (ADD, SUB, MUL) broadcast to its output
   shape: each input's element stride per output dimension, 0 where the
   input has size 1 there. Kernels take NULL when both inputs have the
   output's shape. */
typedef struct {
  int rank;
  int shape[TFLM_RT_MAX_RANK];
  int stride1[TFLM_RT_MAX_RANK];
  int stride2[TFLM_RT_MAX_RANK];
} tflm_rt_broadcast;

/* A walk over nested dimensions of a tensor, outermost first: count[d]
   positions along dimension d, step[d] elements apart (a negative step walks
   backwards). Dimensions of count 1 extend a shorter walk. */
typedef struct {
  int count[TFLM_RT_MAX_DIMS];
  int step[TFLM_RT_MAX_DIMS];
} tflm_rt_walk;

/* Shape of a 2D convolution or pooling over NHWC tensors. */
typedef struct {
  int batches;
  int input_height, input_width, input_channels;
  int output_height, output_width, output_channels;
  int filter_height, filter_width;
  int stride_height, stride_width;
  int dilation_height, dilation_width;
  int pad_height, pad_width; /* before the first row and column */
} tflm_rt_conv_shape;

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_SHAPES_H_ */
