/* A QEMU TCG plugin that counts the guest instructions executed, in all and
 * between two marker addresses, and optionally per layer.
 *
 *   qemu-system-arm ... -plugin libinsn_count.so,start=0x1a0,stop=0x1b0 -d plugin -D count.log
 *
 * Every time the instruction at `start` runs, counting between markers
 * resumes; every time the one at `stop` runs, it pauses. At exit it logs
 *   instructions: total T, between markers M, marker pairs P
 * With layer_start=ADDR,layer_stop=ADDR too, each run from the instruction at
 * layer_start to the next at layer_stop, while counting between markers, is one
 * layer region, and it also logs their counts in the order they ran:
 *   layers: N C1 C2 ... CN
 * The same binary with the same input gives the same counts on every run:
 * TCG executes guest instructions deterministically in this single-core
 * emulation, and the counts are updated inline by the translated code.
 *
 * QEMU installs no plugin header on Debian, so the few declarations of its
 * plugin API (version 1, QEMU 7.2) that this file uses are written here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                                  qemu_plugin_vcpu_tb_trans_cb_t cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
extern uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
extern void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                       enum qemu_plugin_op op, void *ptr,
                                                       uint64_t imm);
extern void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                                   qemu_plugin_vcpu_udata_cb_t cb,
                                                   enum qemu_plugin_cb_flags flags, void *userdata);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                           void *userdata);
extern void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t total;          /* every instruction executed */
static uint64_t at_start;       /* `total` when the start marker last ran */
static uint64_t between;        /* instructions between start and stop markers */
static uint64_t pairs;          /* start..stop regions completed */
static int counting;
static uint64_t start_addr = UINT64_MAX, stop_addr = UINT64_MAX;
static uint64_t layer_start_addr = UINT64_MAX, layer_stop_addr = UINT64_MAX;

static uint64_t at_layer_start; /* `total` when layer_start last ran */
static int in_layer;
static uint64_t *layers;        /* instructions of each layer region, in order */
static size_t layer_count, layer_capacity;

static void on_start(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  (void)userdata;
  at_start = total;
  counting = 1;
}

static void on_stop(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  (void)userdata;
  if (counting) {
    between += total - at_start;
    pairs++;
    counting = 0;
  }
}

static void on_layer_start(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  (void)userdata;
  at_layer_start = total;
  in_layer = counting;
}

static void on_layer_stop(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  (void)userdata;
  if (!in_layer) return;
  in_layer = 0;
  if (layer_count == layer_capacity) {
    size_t capacity = layer_capacity ? 2 * layer_capacity : 256;
    uint64_t *grown = realloc(layers, capacity * sizeof *layers);
    if (!grown) {
      fprintf(stderr, "insn_count plugin: out of memory for %zu layer counts\n", capacity);
      exit(1);
    }
    layers = grown;
    layer_capacity = capacity;
  }
  layers[layer_count++] = total - at_layer_start;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t addr = qemu_plugin_insn_vaddr(insn);
    /* Markers read `total` before this instruction's own count is added. */
    if (addr == start_addr) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start, QEMU_PLUGIN_CB_NO_REGS, NULL);
    } else if (addr == stop_addr) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop, QEMU_PLUGIN_CB_NO_REGS, NULL);
    } else if (addr == layer_start_addr) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_layer_start, QEMU_PLUGIN_CB_NO_REGS, NULL);
    } else if (addr == layer_stop_addr) {
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_layer_stop, QEMU_PLUGIN_CB_NO_REGS, NULL);
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total, 1);
  }
}

static void report_counts(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  char line[128];
  snprintf(line, sizeof line,
           "instructions: total %" PRIu64 ", between markers %" PRIu64 ", marker pairs %" PRIu64 "\n",
           total, between, pairs);
  qemu_plugin_outs(line);
  if (layer_start_addr == UINT64_MAX) return;
  snprintf(line, sizeof line, "layers: %zu", layer_count);
  qemu_plugin_outs(line);
  for (size_t i = 0; i < layer_count; i++) {
    snprintf(line, sizeof line, " %" PRIu64, layers[i]);
    qemu_plugin_outs(line);
  }
  qemu_plugin_outs("\n");
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                               const qemu_info_t *info, int argc,
                                                               char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "start=", 6) == 0) {
      start_addr = strtoull(argv[i] + 6, NULL, 0) & ~1ull; /* Thumb bit off */
    } else if (strncmp(argv[i], "stop=", 5) == 0) {
      stop_addr = strtoull(argv[i] + 5, NULL, 0) & ~1ull;
    } else if (strncmp(argv[i], "layer_start=", 12) == 0) {
      layer_start_addr = strtoull(argv[i] + 12, NULL, 0) & ~1ull;
    } else if (strncmp(argv[i], "layer_stop=", 11) == 0) {
      layer_stop_addr = strtoull(argv[i] + 11, NULL, 0) & ~1ull;
    } else {
      fprintf(stderr, "insn_count plugin: unknown argument '%s' (use start=ADDR,stop=ADDR,layer_start=ADDR,layer_stop=ADDR)\n",
              argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, report_counts, NULL);
  return 0;
}
