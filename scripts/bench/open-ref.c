// SPDX-License-Identifier: GPL-2.0-only
/*
 * C reference for the failing-open trial: the same open(2) of a path that
 * does not exist, in a loop, so the bench shows how much of the addon's and
 * fs.openSync's time is the kernel's.
 *
 * cc -O2 -o open-ref open-ref.c
 * open-ref PATH COUNT      prints {"ops":N,"elapsedNs":N,"fails":N}
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: open-ref PATH COUNT\n");
    return 2;
  }
  long n = atol(argv[2]), fails = 0;
  for (long i = 0; i < n / 10; i++) { int fd = open(argv[1], O_RDONLY | O_CLOEXEC); if (fd >= 0) close(fd); }
  unsigned long long t0 = now_ns();
  for (long i = 0; i < n; i++) {
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd >= 0) close(fd);
    else fails++;
  }
  printf("{\"ops\":%ld,\"elapsedNs\":%llu,\"fails\":%ld}\n", n, now_ns() - t0, fails);
  return 0;
}
