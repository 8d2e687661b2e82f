/* Fixture: a test that fails by returning 1. */
#include <stdio.h>

int main(void) {
  printf("returning 1\n");
  return 1;
}
