/* Start-up code for rules_tflm's emulated Cortex-M test binaries (C99).
 *
 * The vector table, a reset handler that sets up C (copies .data, zeroes
 * .bss, enables the FPU on cores that have one, runs static constructors,
 * opens semihosting) and calls exit(main()), and fault handlers that print
 * where the fault happened and exit with status 3. Output and the exit
 * status reach QEMU through semihosting (newlib's rdimon). The symbols come
 * from rules_tflm's linker script, cortex_m.ld.tpl.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern uint32_t __data_load__, __data_start__, __data_end__;
extern uint32_t __bss_start__, __bss_end__;
extern uint32_t __stack_top__;

extern int main(void);
extern void __libc_init_array(void);
extern void initialise_monitor_handles(void);

/* Exit status of a binary stopped by a fault: tells it apart from a test's 1. */
#define FAULT_EXIT_STATUS 3

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void) __attribute__((naked));
void Default_Handler(void);

void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* Full access to coprocessors 10 and 11 (the FPU) before any float code. */
  SCB_CPACR |= 0xFu << 20;
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  for (uint32_t *src = &__data_load__, *dst = &__data_start__; dst < &__data_end__;) {
    *dst++ = *src++;
  }
  for (uint32_t *dst = &__bss_start__; dst < &__bss_end__;) {
    *dst++ = 0;
  }
  initialise_monitor_handles();
  __libc_init_array();
  exit(main());
}

static void write_text(const char *text) {
  const char *end = text;
  while (*end) end++;
  write(2, text, (size_t)(end - text));
}

static void write_hex(uint32_t value) {
  char digits[11] = "0x";
  for (int i = 0; i < 8; i++) {
    digits[2 + i] = "0123456789abcdef"[(value >> (28 - 4 * i)) & 0xFu];
  }
  digits[10] = '\0';
  write_text(digits);
}

/* Called by Fault_Handler with the exception frame the core pushed. */
void report_fault(const uint32_t *frame, uint32_t exception) __attribute__((noreturn, used));
void report_fault(const uint32_t *frame, uint32_t exception) {
  static const char *const names[] = {"", "", "NMI", "HardFault", "MemManage fault",
                                      "BusFault", "UsageFault", "SecureFault"};
  fflush(stdout);
  write_text("\n*** ");
  write_text(exception < 8 ? names[exception] : "unexpected exception");
  write_text(" at pc ");
  write_hex(frame[6]);
  write_text(", lr ");
  write_hex(frame[5]);
#if __ARM_ARCH >= 7
  write_text(", CFSR ");
  write_hex(SCB_CFSR);
  write_text(", HFSR ");
  write_hex(SCB_HFSR);
#endif
  write_text(" ***\n");
  _exit(FAULT_EXIT_STATUS);
}

/* Finds the stacked frame (main or process stack, bit 2 of EXC_RETURN) and
   the exception number (IPSR), in instructions Armv6-M also has. */
void Fault_Handler(void) {
  __asm volatile(
      "movs r0, #4\n\t"
      "mov r1, lr\n\t"
      "tst r0, r1\n\t"
      "beq 1f\n\t"
      "mrs r0, psp\n\t"
      "b 2f\n"
      "1:\n\t"
      "mrs r0, msp\n"
      "2:\n\t"
      "mrs r1, ipsr\n\t"
      "ldr r2, =report_fault\n\t"
      "bx r2\n");
}

void Default_Handler(void) {
  write_text("\n*** unexpected interrupt ***\n");
  _exit(FAULT_EXIT_STATUS);
}

/* Initial stack pointer, then the handlers of exceptions 1..15 and 16 IRQs. */
__attribute__((section(".vectors"), used)) void (*const vector_table[32])(void) = {
    (void (*)(void))(&__stack_top__),
    Reset_Handler,
    Fault_Handler,   /* NMI */
    Fault_Handler,   /* HardFault */
    Fault_Handler,   /* MemManage */
    Fault_Handler,   /* BusFault */
    Fault_Handler,   /* UsageFault */
    Fault_Handler,   /* SecureFault (Armv8-M) */
    0, 0, 0,
    Default_Handler, /* SVCall */
    Default_Handler, /* DebugMonitor */
    0,
    Default_Handler, /* PendSV */
    Default_Handler, /* SysTick */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, Default_Handler, Default_Handler,
};

/* __libc_init_array calls _init and exit calls _fini; with our own start-up
   code instead of crt0 and crti, they have nothing left to do. */
void _init(void) {}
void _fini(void) {}
