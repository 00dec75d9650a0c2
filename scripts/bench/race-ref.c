// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plain C reference for the race engine benchmark: the same op mix, thread
 * count and create/remove loop as native/race/, with no checking, no
 * histograms and no clock reads. The engine must reach >= 0.9x of this.
 *
 * Deliberately NOT the engine's code and not a copy of it: it is the
 * baseline the engine (native/race/ over the shared core,
 * src/repro/c/race-core.h) is measured against. Built from the core, the
 * ratio would measure the core against itself and could not show what the
 * checking costs; keep it checking-free and written apart.
 *
 * cc -O2 -pthread -o race-ref race-ref.c
 * race-ref THREADS DURATION_MS CONTROL_FILE CREATE_LINE REMOVE_LINE EVENT_DIR GROUP_DIR EVENT
 *          W_OPENREAD W_ENABLE W_STAT W_OPENAT W_FSTATAT W_GETDENTS
 * Prints one JSON line: {"ops":N,"cycles":N,"elapsedNs":N,"cpuNs":N,"busyRetries":N}
 * (cpuNs: user+system time of all its threads).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define HELD 8
static const char *files[] = {"enable", "filter", "format", "id", "trigger"};
static const char *ev_names[] = {"enable", "format", "id"};

static int nthreads, dur_ms;
static const char *ctl_file, *create_line, *remove_line, *event_dir, *group_dir, *event;
static unsigned w[6], wtotal, cum[6];
static char paths[5][4096], enable_path[4096], grp_names[2][512];
static atomic_ulong cycle_no;
/* 1 from the moment a removal returned until the next create starts. */
static atomic_int absent;
static atomic_int stop_workers;
static atomic_ulong total_ops;
static unsigned long busy_retries;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct held { int fd; };

static void *worker(void *arg) {
  uint64_t rng = 0x9E3779B97F4A7C15ull * ((uintptr_t)arg + 1) ^ now_ns();
  struct held ev[HELD], gr[HELD];
  for (int i = 0; i < HELD; i++) ev[i].fd = gr[i].fd = -1;
  unsigned long last = 0, ops = 0;
  unsigned since = 0, slot = 1;
  char buf[8192], nb[8192], path[4096];
  while (!atomic_load_explicit(&stop_workers, memory_order_relaxed)) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    /* As the engine does: new dirfds once per generation, never while absent. */
    if (++since >= 16 && !atomic_load_explicit(&absent, memory_order_relaxed)) {
      unsigned long c = atomic_load(&cycle_no);
      if (c != last) {
        last = c;
        since = 0;
        int fl = (rng & 1) ? (O_PATH | O_DIRECTORY) : (O_RDONLY | O_DIRECTORY);
        int a = open(event_dir, fl | O_CLOEXEC), b = open(group_dir, fl | O_CLOEXEC);
        int s = ev[0].fd < 0 ? 0 : (int)slot;
        if (ev[0].fd >= 0) slot = slot + 1 < HELD ? slot + 1 : 1;
        if (a >= 0) { if (ev[s].fd >= 0) close(ev[s].fd); ev[s].fd = a; }
        if (b >= 0) { if (gr[s].fd >= 0) close(gr[s].fd); gr[s].fd = b; }
        ops += 2;
      }
    }
    unsigned r = (unsigned)(rng % wtotal), op = 0;
    while (r >= cum[op]) op++;
    uint64_t x = rng >> 20;
    switch (op) {
      case 0: {  /* open+read+close */
        int fd = open(paths[x % 5], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) { if (read(fd, buf, 512) < 0) {} close(fd); }
        break;
      }
      case 1: {  /* enable write */
        int fd = open(enable_path, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) { if (write(fd, (x & 1) ? "1" : "0", 1) < 0) {} close(fd); }
        break;
      }
      case 2: {  /* stat: the files and the two dirs, as the engine does */
        struct stat st;
        unsigned i = (unsigned)(x % 7);
        stat(i < 5 ? paths[i] : i == 5 ? event_dir : group_dir, &st);
        break;
      }
      case 3: case 4: {  /* openat / fstatat through a held dirfd */
        int useg = x & 1;
        struct held *h = useg ? gr : ev;
        int fd = -1;
        for (int i = 0; i < HELD && fd < 0; i++) fd = h[(x + i) % HELD].fd;
        if (fd < 0) break;
        const char *nm = useg ? grp_names[(x >> 1) & 1] : ev_names[(x >> 1) % 3];
        if (op == 3) { int f = openat(fd, nm, O_RDONLY | O_CLOEXEC); if (f >= 0) close(f); }
        else { struct stat st; fstatat(fd, nm, &st, 0); }
        break;
      }
      case 5: {  /* getdents64 of the group dir, then stat of every entry */
        int fd = open(group_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) break;
        size_t used = 0;
        for (;;) {
          long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
          if (n <= 0) break;
          for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
            size_t len = strlen(d->d_name) + 1;
            if (used + len <= sizeof nb) { memcpy(nb + used, d->d_name, len); used += len; }
          }
        }
        close(fd);
        for (size_t off = 0; off < used; off += strlen(nb + off) + 1) {
          struct stat st;
          snprintf(path, sizeof path, "%s/%s", group_dir, nb + off);
          stat(path, &st);
          ops++;
        }
        break;
      }
    }
    ops++;
  }
  for (int i = 0; i < HELD; i++) { if (ev[i].fd >= 0) close(ev[i].fd); if (gr[i].fd >= 0) close(gr[i].fd); }
  atomic_fetch_add(&total_ops, ops);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 15) {
    fprintf(stderr, "usage: race-ref THREADS DURATION_MS CONTROL CREATE REMOVE EVENT_DIR GROUP_DIR EVENT W*6\n");
    return 2;
  }
  nthreads = atoi(argv[1]); dur_ms = atoi(argv[2]);
  ctl_file = argv[3]; create_line = argv[4]; remove_line = argv[5];
  event_dir = argv[6]; group_dir = argv[7]; event = argv[8];
  for (int i = 0; i < 6; i++) { w[i] = (unsigned)atoi(argv[9 + i]); wtotal += w[i]; cum[i] = wtotal; }
  for (int i = 0; i < 5; i++) snprintf(paths[i], sizeof paths[i], "%s/%s", event_dir, files[i]);
  snprintf(enable_path, sizeof enable_path, "%s/enable", event_dir);
  snprintf(grp_names[0], sizeof grp_names[0], "%s/enable", event);
  snprintf(grp_names[1], sizeof grp_names[1], "%s", event);
  /* Append, never truncate: other people's probes live in the same file. */
  int ctl = open(ctl_file, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (ctl < 0) { perror(ctl_file); return 1; }
  pthread_t th[64];
  for (long i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, (void *)i);
  uint64_t t0 = now_ns(), end = t0 + (uint64_t)dur_ms * 1000000ull;
  unsigned long cycles = 0;
  int rc = 0;
  while (now_ns() < end) {
    atomic_store(&absent, 0);
    if (write(ctl, create_line, strlen(create_line)) < 0) { perror("create"); rc = 1; break; }
    atomic_fetch_add(&cycle_no, 1);
    for (;;) {
      if (write(ctl, remove_line, strlen(remove_line)) >= 0) break;
      if (errno != EBUSY) { perror("remove"); rc = 1; goto out; }
      busy_retries++;
      int fd = open(enable_path, O_WRONLY | O_CLOEXEC);
      if (fd >= 0) { if (write(fd, "0", 1) < 0) {} close(fd); }
      sched_yield();
    }
    atomic_store(&absent, 1);
    cycles++;
  }
out:
  atomic_store(&stop_workers, 1);
  for (int i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
  uint64_t el = now_ns() - t0;
  close(ctl);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  unsigned long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
                           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
  printf("{\"ops\":%lu,\"cycles\":%lu,\"elapsedNs\":%llu,\"cpuNs\":%llu,\"busyRetries\":%lu}\n",
         atomic_load(&total_ops), cycles, (unsigned long long)el, cpu, busy_retries);
  return rc;
}
