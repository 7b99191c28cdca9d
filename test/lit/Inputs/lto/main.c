#include <stdio.h>

int helper(int x);

int main(int argc, char **argv) {
  printf("answer %d\n", helper(argc));
  return 0;
}
