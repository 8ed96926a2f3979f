/*
 * machine-pauses.mjs in C: no runtime of its own (no JIT, no GC), so every gap it sees is the
 * machine's. Writes MIB mebibytes once, then for SECONDS seconds increments random bytes of them
 * between clock reads and reports the gaps over 2 ms, split by whether this process was switched
 * out during the gap.
 *
 *   gcc -O2 -o /tmp/machine-pauses tooling/bench/machine-pauses.c && /tmp/machine-pauses 16 20
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long switches(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_nvcsw + usage.ru_nivcsw;
}

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 16;
  double seconds = argc > 2 ? atof(argv[2]) : 20;
  size_t size = mib << 20;
  unsigned char *buffer = malloc(size);
  if (buffer == NULL) return 1;
  double started = now_ms();
  memset(buffer, 1, size);
  printf("first write of %zu MiB: %.0f ms\n", mib, now_ms() - started);

  unsigned long long x = 88172645463325252ULL;
  long with_switch = 0, without_switch = 0;
  double longest = 0;
  double last = now_ms();
  long switched = switches();
  started = last;
  while (last - started < seconds * 1000) {
    for (int k = 0; k < 64; k++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buffer[x % size]++;
    }
    double now = now_ms();
    double gap = now - last;
    long count = switches();
    if (gap > 2) {
      if (count > switched) with_switch++;
      else without_switch++;
    }
    if (gap > longest) longest = gap;
    switched = count;
    last = now;
  }
  printf("%.0f s over %zu MiB: longest gap %.2f ms; gaps over 2 ms with a context switch %ld, without %ld\n",
         seconds, mib, longest, with_switch, without_switch);
  return 0;
}
