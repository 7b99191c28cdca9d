static int sq(int x) { return x * x; }
int sum(const int *a, int n) { int s = 0; for (int i = 0; i < n; ++i) s += sq(a[i]); return s; }
int main(int argc, char **argv) { int a[64]; for (int i = 0; i < 64; ++i) a[i] = i + argc; return sum(a, 64) & 0xff; }
