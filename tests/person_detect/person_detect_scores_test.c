/* Runs the compiled person_detect on TFLM's two test images (96x96 8-bit
   grayscale BMPs, as TFLM's example feeds them: the pixel bytes read as
   int8, rows from the top) and checks which class wins for each. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/person_detect/no_person_image.h"
#include "tests/person_detect/person_detect_model.h"
#include "tests/person_detect/person_image.h"

enum { kNoPerson = 0, kPerson = 1, kSide = 96 };

/* Loads a BMP's pixels into the model input; 0 on success. */
static int load(const unsigned char *bmp, unsigned int length) {
  const uint32_t offset = bmp[10] | bmp[11] << 8 | (uint32_t)bmp[12] << 16 | (uint32_t)bmp[13] << 24;
  if (length < offset + kSide * kSide || PERSON_DETECT_MODEL_INPUT_BYTES != kSide * kSide) return 1;
  int8_t *input = person_detect_model_input();
  for (int row = 0; row < kSide; ++row) {  /* BMP rows run bottom to top */
    memcpy(input + row * kSide, bmp + offset + (kSide - 1 - row) * kSide, kSide);
  }
  return 0;
}

static int check(const char *name, const unsigned char *bmp, unsigned int length, int expected) {
  if (load(bmp, length) != 0 || person_detect_model_invoke() != 0) {
    printf("FAILED: %s could not be loaded or run\n", name);
    return 1;
  }
  const int8_t *scores = person_detect_model_output();
  const int winner = scores[kPerson] > scores[kNoPerson] ? kPerson : kNoPerson;
  printf("%s: person %d, no person %d: %s\n", name, scores[kPerson], scores[kNoPerson],
         winner == expected ? "ok" : "WRONG");
  return winner == expected ? 0 : 1;
}

int main(void) {
  return check("person.bmp", person_bmp, person_bmp_len, kPerson) |
         check("no_person.bmp", no_person_bmp, no_person_bmp_len, kNoPerson);
}
