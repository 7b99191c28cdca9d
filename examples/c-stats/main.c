#include <stdio.h>
#include "stats.h"

int main(void) {
  double values[] = {1, 2, 3, 4, 5, 6};
  printf("mean %.1f\n", mean(values, 6));
  return 0;
}
