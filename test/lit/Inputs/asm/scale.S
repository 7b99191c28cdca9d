/* int scale(int x): x * SCALE + OFFSET. SCALE comes from scale.h,
   OFFSET from the command line (-DOFFSET=7). */
#include "scale.h"
	.text
	.globl	scale
	.type	scale,@function
scale:
	imull	$SCALE, %edi, %eax
	addl	$OFFSET, %eax
	ret
	.size	scale, .-scale
