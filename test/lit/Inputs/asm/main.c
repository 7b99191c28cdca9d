#include <stdio.h>

int add_numbers(int a, int b); /* add.s */
int scale(int x);              /* scale.S */

int main(void) {
  int one;
  __asm__("movl $1, %0" : "=r"(one)); /* inline assembly, through the compile job */
  printf("add %d scale %d inline %d\n", add_numbers(40, 2), scale(10), one);
  return 0;
}
