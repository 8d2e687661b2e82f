/* Fixture: a test that never returns. */
#include <stdio.h>

int main(void) {
  printf("looping forever\n");
  fflush(stdout);
  for (volatile int i = 0;; i++) {
  }
}
