# int add_numbers(int a, int b): a + b, in x86-64 AT&T syntax.
	.text
	.globl	add_numbers
	.type	add_numbers,@function
add_numbers:
	leal	(%rdi,%rsi), %eax
	ret
	.size	add_numbers, .-add_numbers
