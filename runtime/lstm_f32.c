/* float32 UNIDIRECTIONAL_SEQUENCE_LSTM, as TFLM's EvalLstm<float>; see lstm.h. */
#include <float.h>

#include "runtime/activations.h"
#include "runtime/fixed_point.h"
#include "runtime/fully_connected.h"
#include "runtime/lstm.h"

/* gate = activation(W x + b + R h) over one batch row: TFLM's CalculateLstmGate,
   the input part into `gate`, the recurrent part into `recurrent`, their sum
   (AddElementWise, no clamp) in `gate`. */
static void gate(const tflm_rt_lstm_f32_params *p, int g, const float *x, const float *h,
                 int logistic, float *out, float *recurrent) {
  const int n = p->state_size;
  tflm_rt_fully_connected_f32(-FLT_MAX, FLT_MAX, 1, p->input_size, n, x, p->input_weights[g],
                              p->biases[g], out);
  tflm_rt_fully_connected_f32(-FLT_MAX, FLT_MAX, 1, n, n, h, p->recurrent_weights[g], 0,
                              recurrent);
  for (int i = 0; i < n; ++i) out[i] = out[i] + recurrent[i];
  if (logistic) {
    tflm_rt_logistic_f32(n, out, out);
  } else {
    tflm_rt_tanh_f32(n, out, out);
  }
}

/* std::max(std::min(clip, v), -clip), NaN included: std::min(a, b) is b < a ? b : a. */
static float clip(float v, float limit) {
  const float below = v < limit ? v : limit;
  return below < -limit ? -limit : below;
}

void tflm_rt_lstm_f32(const tflm_rt_lstm_f32_params *p, const float *input, float *hidden,
                      float *cell, float *gates, float *output) {
  const int n = p->state_size;
  float *forget = gates, *in = gates + n, *candidate = gates + 2 * n, *scratch = gates + 3 * n;
  for (int b = 0; b < p->batches; ++b) {
    float *h = hidden + b * n, *c = cell + b * n;
    for (int t = 0; t < p->time_steps; ++t) {
      const int row = p->time_major ? t * p->batches + b : b * p->time_steps + t;
      const float *x = input + row * p->input_size;
      gate(p, TFLM_RT_LSTM_FORGET_GATE, x, h, 1, forget, scratch);
      gate(p, TFLM_RT_LSTM_INPUT_GATE, x, h, 1, in, scratch);
      gate(p, TFLM_RT_LSTM_CELL_GATE, x, h, !p->cell_tanh, candidate, scratch);
      for (int i = 0; i < n; ++i) {
        const float kept = tflm_rt_clamp_f32(forget[i] * c[i], -FLT_MAX, FLT_MAX);
        const float added = tflm_rt_clamp_f32(in[i] * candidate[i], -FLT_MAX, FLT_MAX);
        c[i] = kept + added;
        if (p->cell_clip > 0.0f) c[i] = clip(c[i], p->cell_clip);
      }
      /* The output gate reads the hidden state of the step before, as TFLM's. */
      float *out_gate = in;
      gate(p, TFLM_RT_LSTM_OUTPUT_GATE, x, h, 1, out_gate, scratch);
      tflm_rt_tanh_f32(n, c, forget);
      float *y = output + row * n;
      for (int i = 0; i < n; ++i) {
        h[i] = tflm_rt_clamp_f32(forget[i] * out_gate[i], -FLT_MAX, FLT_MAX);
        y[i] = h[i];
      }
    }
  }
}
