/* Stepping through the inputs of a broadcasting binary op (ADD, SUB, MUL, the
   comparisons; SELECT_V2 with two) in output order. Internal to runtime/. */
#ifndef RUNTIME_BROADCAST_H_
#define RUNTIME_BROADCAST_H_

#include <stddef.h>

#include "runtime/shapes.h"

/* Where output element i of a binary op reads its inputs: element i of both
   without broadcasting, else offsets that step through the output's index. */
typedef struct {
  const tflm_rt_broadcast *broadcast;
  int index[TFLM_RT_MAX_RANK];
  int offset1, offset2;
} position;

static inline position start(const tflm_rt_broadcast *broadcast) {
  position at = {broadcast, {0}, 0, 0};
  return at;
}

static inline void advance(position *at) {
  const tflm_rt_broadcast *b = at->broadcast;
  if (b == NULL) {
    ++at->offset1;
    ++at->offset2;
    return;
  }
  for (int d = b->rank - 1; d >= 0; --d) {
    at->offset1 += b->stride1[d];
    at->offset2 += b->stride2[d];
    if (++at->index[d] < b->shape[d]) return;
    at->offset1 -= b->stride1[d] * b->shape[d];
    at->offset2 -= b->stride2[d] * b->shape[d];
    at->index[d] = 0;
  }
}

#endif /* RUNTIME_BROADCAST_H_ */
