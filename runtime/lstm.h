/* UNIDIRECTIONAL_SEQUENCE_LSTM kernels. The argument convention is tflm_rt.h's;
   the hidden and cell states are the model's variable tensors, which the
   generated code keeps in static storage outside the arena, so that they
   carry over from one invocation to the next (as in TFLM, until
   <prefix>_reset()). */
#ifndef RUNTIME_LSTM_H_
#define RUNTIME_LSTM_H_

#ifdef __cplusplus
extern "C" {
#endif

/* The four gates, in the order of the op's inputs (TFLM's kLstm*Tensor). */
enum { TFLM_RT_LSTM_INPUT_GATE, TFLM_RT_LSTM_FORGET_GATE, TFLM_RT_LSTM_CELL_GATE,
       TFLM_RT_LSTM_OUTPUT_GATE, TFLM_RT_LSTM_GATES };

typedef struct {
  int batches, time_steps, input_size, state_size;
  int time_major;       /* the input is [time][batch][input], else [batch][time][input] */
  int cell_tanh;        /* the cell gate's activation: tanh (1) or the logistic (0) */
  float cell_clip;      /* > 0: the cell state is clipped to [-cell_clip, cell_clip] */
  const float *input_weights[TFLM_RT_LSTM_GATES];     /* [state_size][input_size] each */
  const float *recurrent_weights[TFLM_RT_LSTM_GATES]; /* [state_size][state_size] each */
  const float *biases[TFLM_RT_LSTM_GATES];            /* [state_size] each, or NULL */
} tflm_rt_lstm_f32_params;

/* float32, as TFLM's EvalLstm<float> (lstm_eval.h) without peepholes, projection
   or layer normalization: at each time step of each batch row, each gate is its
   activation of FULLY_CONNECTED(x, input weights, bias) + FULLY_CONNECTED(h,
   recurrent weights), unclamped sums as TFLM's; then c = f * c + i * g (each
   product clamped to the float range as TFLM's Mul), clipped; then
   h = tanh(c) * o, which is also the step's output. `hidden` and `cell` are
   [batches][state_size]; `gates` is scratch of 4 * state_size floats. */
void tflm_rt_lstm_f32(const tflm_rt_lstm_f32_params *params, const float *input, float *hidden,
                      float *cell, float *gates, float *output);

#ifdef __cplusplus
}
#endif

#endif /* RUNTIME_LSTM_H_ */
