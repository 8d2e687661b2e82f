/* Stepping along a tflm_rt_walk one position at a time, innermost dimension
   first. Internal to runtime/ (data_movement.c, reduce.c, reduce_f32.c). */
#ifndef RUNTIME_WALK_H_
#define RUNTIME_WALK_H_

#include "runtime/shapes.h"

/* A position on a walk: its index along each dimension and its element offset. */
typedef struct {
  const tflm_rt_walk *walk;
  int index[TFLM_RT_MAX_DIMS];
  int offset;
} walker;

static inline walker walk_from(const tflm_rt_walk *walk, int start) {
  walker at = {walk, {0}, start};
  return at;
}

/* How many positions the walk visits. */
static inline int walk_length(const tflm_rt_walk *walk) {
  int length = 1;
  for (int d = 0; d < TFLM_RT_MAX_DIMS; ++d) length *= walk->count[d];
  return length;
}

static inline void walk_next(walker *at) {
  const tflm_rt_walk *w = at->walk;
  for (int d = TFLM_RT_MAX_DIMS - 1; d >= 0; --d) {
    at->offset += w->step[d];
    if (++at->index[d] < w->count[d]) return;
    at->offset -= w->step[d] * w->count[d];
    at->index[d] = 0;
  }
}

#endif /* RUNTIME_WALK_H_ */
