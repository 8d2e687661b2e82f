/* Fixture: a test that executes an undefined instruction, which faults on
   every core (a HardFault, or a UsageFault escalated to one). */
#include <stdio.h>

int main(void) {
  printf("executing an undefined instruction\n");
  fflush(stdout);
  __builtin_trap();
}
