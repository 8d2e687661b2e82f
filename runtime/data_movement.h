/* Data movement kernels for tensors of any element type: RESHAPE and
   SQUEEZE (a copy), PAD and PADV2, CONCATENATION and PACK, STRIDED_SLICE,
   SPLIT, SPLIT_V and UNPACK, TRANSPOSE (a strided slice), RESIZE_NEAREST_NEIGHBOR
   and GATHER. Elements
   are moved as bytes, never requantized or converted: the compiler resolves
   shapes and index ranges ahead of time and passes the element size. The
   argument convention is tflm_rt.h's. */
#ifndef RUNTIME_DATA_MOVEMENT_H_
#define RUNTIME_DATA_MOVEMENT_H_

#include <stdint.h>

#include "runtime/shapes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Copies `bytes` bytes; the regions may overlap (RESHAPE, SQUEEZE). */
void tflm_rt_copy(int bytes, const void *input, void *output);

/* Shape of a PAD or PADV2, extended to TFLM_RT_MAX_DIMS dimensions:
   the input shape and the padding before and after each dimension. */
typedef struct {
  int input_shape[TFLM_RT_MAX_DIMS];
  int before[TFLM_RT_MAX_DIMS];
  int after[TFLM_RT_MAX_DIMS];
} tflm_rt_pad_shape;

/* PAD and PADV2, as TFLM's reference_ops::Pad: the input copied into the
   middle of the output, every padded position set to the element at
   `pad_value` (PAD's output zero point, or 0.0f, or PADV2's constant).
   Elements of `element_size` bytes are copied unchanged: TFLM does not
   requantize. */
void tflm_rt_pad(const void *pad_value, const tflm_rt_pad_shape *shape, int element_size,
                 const void *input, void *output);

/* One input of a CONCATENATION, as TFLM's reference_ops::Concatenation
   copies it: `blocks` blocks of `block_bytes` bytes, block i to
   output + i * output_stride_bytes. The compiler emits one call per input,
   with `output` at the input's offset along the axis. TFLM requires int8
   inputs to share the output's scale and zero point, so bytes are copied
   unchanged. PACK is the same copy (TFLM's Pack kernel stacks its inputs so),
   each input a block of 1 along the new axis. */
void tflm_rt_concat(int blocks, int block_bytes, int output_stride_bytes, const void *input,
                    void *output);

/* One output of a SPLIT, SPLIT_V or UNPACK, as TFLM's Split and Unpack
   kernels fill it: `blocks` blocks of `block_bytes` bytes, block i from
   input + i * input_stride_bytes, one after the other. The compiler emits one
   call per output, with `input` at the output's offset along the axis. TFLM
   copies the elements unchanged whatever the quantization, and so does this. */
void tflm_rt_split(int blocks, int block_bytes, int input_stride_bytes, const void *input,
                   void *output);

/* SELECT and SELECT_V2, as TF Lite's reference_ops::Select, RankOneSelect and
   BroadcastSelect5DSlow: output element i (of `element_size` bytes) is x's
   where the condition (a bool: one byte, 0 or 1) is true, else y's. Two
   broadcasts step through the inputs in output order: `condition_x` through
   the condition (stride1) and x (stride2), `y_broadcast` through y (stride1);
   both are NULL when all three have the output's shape. */
void tflm_rt_select(const tflm_rt_broadcast *condition_x, const tflm_rt_broadcast *y_broadcast,
                    int size, int element_size, const uint8_t *condition, const void *x,
                    const void *y, void *output);

/* STRIDED_SLICE, as TFLM's reference_ops::StridedSlice: the elements (of
   `element_size` bytes) the walk visits from element `start` of input,
   written in order. The compiler resolves begin, end, strides and the begin,
   end and shrink-axis masks into the walk; TRANSPOSE and TILE are walks too
   (TILE's steps are 0 along the repeats). */
void tflm_rt_strided_slice(const tflm_rt_walk *walk, int start, int element_size,
                           const void *input, void *output);

/* RESIZE_NEAREST_NEIGHBOR, as TFLM's reference kernel: output pixel (b, y, x)
   is a copy of the `pixel_bytes` bytes of the input pixel that starts at
   b * batch_bytes + rows[y] + cols[x] (byte offsets the compiler computed
   with TFLM's GetNearestNeighbor). Output pixels follow one another. */
void tflm_rt_resize_nearest(int batches, int batch_bytes, int out_height, const int32_t *rows,
                            int out_width, const int32_t *cols, int pixel_bytes,
                            const void *input, void *output);

/* GATHER, as TFLM's Gather: for each of `batches` batches, each of `outer`
   blocks of `axis_size` slices of `slice_bytes` bytes, and each of the batch's
   `coords` indices i, the slice at index i copied to the output in order. The
   indices of batch b are indices[b * coords] onwards. The only kernel that can
   fail at run time: it returns 0, or -1 without writing anything when an
   index lies outside [0, axis_size) (TFLM's GATHER fails then too). */
int tflm_rt_gather(int batches, int outer, int axis_size, int coords, int slice_bytes,
                   const int32_t *indices, const void *input, void *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_DATA_MOVEMENT_H_ */
