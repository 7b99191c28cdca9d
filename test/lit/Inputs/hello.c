#include <stdio.h>

int main(int argc, char **argv) {
  printf("hello from %s with %d argument(s)\n", "pyaket-cc", argc - 1);
  return 0;
}
