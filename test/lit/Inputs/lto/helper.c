/* Lives in its own module: only LTO can inline it into main. */
int helper(int x) { return x * 6 + 36; }
