/* SPDX-License-Identifier: GPL-2.0-only */
/* ---- race core (src/repro/c/race-core.h) ----------------------------------
 * The race engine's shared C: the generation sequence and its windows, the
 * rule each window puts an op's outcome under, the op mix, the rings of
 * held fds, the getdents64 listing and the step-aside gate. One source for
 * both engines, as syzkaller's reproducers paste its executor's own
 * common_linux.h: the addon includes this file (native/race/core.h) and every
 * race reproducer carries it verbatim (src/repro/race.ts). What stays apart
 * is each side's own job: the addon's opens through the registered tracefs
 * root, its histograms and violation log; the reproducer's plantable rule
 * table, its first-violation verdict and its watchdog.
 *
 * Plain C that a C++ compiler also takes: static inline functions, atomics
 * through the GCC __atomic builtins, no designated initializers.
 *
 * The generation sequence: 4 phases per cycle k.
 *   4k+0 creating: the create step started, not yet returned
 *   4k+1 present:  created, the remove step not started
 *   4k+2 removing: the remove step started (EBUSY retries stay here)
 *   4k+3 absent:   the removal returned success
 * The generation number reports show is 2k + (phase == 3): odd while absent.
 */
#ifndef TFSR_RACE_CORE_H
#define TFSR_RACE_CORE_H
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t rc_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rc_phase_of(uint64_t s) { return s & 3; }
static inline uint64_t rc_cycle_of(uint64_t s) { return s >> 2; }
static inline uint64_t rc_gen_of(uint64_t s) { return 2 * rc_cycle_of(s) + (rc_phase_of(s) == 3); }

/* The window an op ran in, from the sequence read before and after it. */
enum rc_window { RC_PRESENT, RC_ABSENT, RC_TRANSITION };
/* An op is judged by a window only when it started and ended inside it. */
static inline enum rc_window rc_classify(uint64_t s0, uint64_t s1) {
  if (s0 != s1) return RC_TRANSITION;
  return rc_phase_of(s0) == 1 ? RC_PRESENT : rc_phase_of(s0) == 3 ? RC_ABSENT : RC_TRANSITION;
}
/* Generation (cycle) k is dead once its removal has returned. */
static inline int rc_removed_since(uint64_t k, uint64_t s) { return s >= 4 * k + 3; }

/* ---- the rules: which rule a window puts an outcome under ----
 * In src/repro/race-rules.ts order (a unit test checks it). */
enum rc_rule {
  RC_NO_RULE = -1,
  RC_ABSENT_NOT_ENOENT,    /* a path op inside an absent window: ENOENT */
  RC_PRESENT_ENOENT,       /* a path op inside a present window: never ENOENT */
  RC_STALE_DIRFD,          /* a name through a dirfd of a removed generation: ENOENT */
  RC_WRITE_AFTER_REMOVAL,  /* a write through an fd of a removed generation: fails */
  RC_LISTED_AFTER_REMOVAL, /* a listing inside an absent window: the entry is gone */
  RC_RULE_COUNT
};

/* A path op: strict_absent 0 for paths that may outlive the event (only
 * their vanishing while present is judged). */
static inline enum rc_rule rc_path_rule(uint64_t s0, uint64_t s1, int strict_absent) {
  enum rc_window c = rc_classify(s0, s1);
  if (c == RC_ABSENT) return strict_absent ? RC_ABSENT_NOT_ENOENT : RC_NO_RULE;
  return c == RC_PRESENT ? RC_PRESENT_ENOENT : RC_NO_RULE;
}

/* A busy check (enable, then the removal must give EBUSY) is judged only
 * when no worker writes enable: a "0" written meanwhile, directly or through
 * an enable fd held since this generation was created, lets the removal
 * through on a correct kernel. */
static inline int rc_busy_check_judged(uint32_t enable_write_weight, uint32_t held_write_weight) {
  return enable_write_weight == 0 && held_write_weight == 0;
}

/* A held fd: tag, the newest generation (cycle) it can reach; exact, it
 * reaches exactly that one. */
struct rc_held {
  int fd;
  uint64_t tag;
  int exact;
};

/* openat/fstatat through a held dirfd that started at s0 and ended at s1. */
static inline enum rc_rule rc_dirfd_rule(const struct rc_held *h, uint64_t s0, uint64_t s1) {
  if (rc_removed_since(h->tag, s0)) return RC_STALE_DIRFD;
  if (h->exact && rc_cycle_of(s0) == h->tag && rc_classify(s0, s1) == RC_PRESENT) return RC_PRESENT_ENOENT;
  return RC_NO_RULE;
}

/* A write through an fd that reaches at newest generation `tag`, started at s. */
static inline enum rc_rule rc_write_rule(uint64_t tag, uint64_t s) {
  return rc_removed_since(tag, s) ? RC_WRITE_AFTER_REMOVAL : RC_NO_RULE;
}

/* A listing of the list dir. */
static inline enum rc_rule rc_listing_rule(uint64_t s0, uint64_t s1) {
  return rc_classify(s0, s1) == RC_ABSENT ? RC_LISTED_AFTER_REMOVAL : RC_NO_RULE;
}

/* Does an outcome (errno e, 0: success; listed) break rule r as
 * src/repro/race-rules.ts states it? */
static inline int rc_breaks(enum rc_rule r, int e, int listed) {
  switch (r) {
    case RC_ABSENT_NOT_ENOENT:
    case RC_STALE_DIRFD: return e != ENOENT;
    case RC_PRESENT_ENOENT: return e == ENOENT;
    case RC_WRITE_AFTER_REMOVAL: return e == 0;
    case RC_LISTED_AFTER_REMOVAL: return listed;
    default: return 0;
  }
}

/* ---- the op mix ---- */
static inline uint64_t rc_seed(int id) { return 0x9E3779B97F4A7C15ull * (uint64_t)(id + 1) ^ rc_now_ns(); }
static inline uint64_t rc_rnd(uint64_t *rng) {
  *rng ^= *rng << 13;
  *rng ^= *rng >> 7;
  *rng ^= *rng << 17;
  return *rng;
}
/* cum[i]: the weights of ops 0..i summed; returns the total. */
static inline uint32_t rc_mix(const uint32_t *w, int n, uint32_t *cum) {
  uint32_t total = 0;
  for (int i = 0; i < n; i++) cum[i] = (total += w[i]);
  return total;
}
/* The op whose weight r (0 <= r < total) falls in; total must not be 0. */
static inline int rc_pick(const uint32_t *cum, int n, uint32_t total, uint64_t r) {
  uint32_t x = (uint32_t)(r % total);
  for (int i = 0; i < n; i++)
    if (x < cum[i]) return i;
  return n - 1;
}

/* ---- rings of held fds ----
 * Slot 0 keeps the first generation for the whole run; the others rotate.
 * Returns 1 when fd filled an empty slot (rings only grow), 0 when it
 * replaced one or was closed (a ring of one). */
static inline int rc_hold(struct rc_held *ring, uint32_t size, uint32_t *next, int fd, uint64_t tag,
                          int exact) {
  uint32_t slot = 0;
  if (ring[0].fd >= 0) {
    if (size == 1) {
      close(fd);
      return 0;
    }
    slot = *next;
    *next = slot + 1 < size ? slot + 1 : 1;
  }
  int filled = ring[slot].fd < 0;
  if (!filled) close(ring[slot].fd);
  ring[slot].fd = fd;
  ring[slot].tag = tag;
  ring[slot].exact = exact;
  return filled;
}
/* A held fd from a random start (r), or NULL while the ring is empty. */
static inline struct rc_held *rc_pick_held(struct rc_held *ring, uint32_t size, uint64_t r) {
  uint32_t start = (uint32_t)(r % size);
  for (uint32_t i = 0; i < size; i++)
    if (ring[(start + i) % size].fd >= 0) return &ring[(start + i) % size];
  return NULL;
}
/* The exact flag of an fd whose open ran from s0 to s1: the open started
 * after the previous removal. */
static inline int rc_exact(uint64_t s0, uint64_t s1) { return s0 + 1 >= 4 * rc_cycle_of(s1); }

/* ---- a listing: entry names NUL-separated in a fixed buffer ----
 * No allocation on the hot path; a name that does not fit is left out. */
struct rc_listing {
  char names[8192];
  size_t used;
};
struct rc_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};
/* Adds every entry of directory fd but . and .. to out (getdents64(2) to
 * the end); *listed: `want` was among them (also when it did not fit).
 * 0 or the errno that ended it. */
static inline int rc_read_listing(int fd, struct rc_listing *out, const char *want, int *listed) {
  __attribute__((aligned(8))) char buf[8192];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) return errno;
    if (n == 0) return 0;
    for (long off = 0; off < n;) {
      struct rc_dirent64 *d = (struct rc_dirent64 *)(buf + off);
      off += d->d_reclen;
      if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
      if (!strcmp(d->d_name, want)) *listed = 1;
      size_t len = strlen(d->d_name) + 1;
      if (out->used + len <= sizeof out->names) {
        memcpy(out->names + out->used, d->d_name, len);
        out->used += len;
      }
    }
  }
}
/* The entry after `off` (start with 0), or NULL at the end. */
static inline const char *rc_listing_next(const struct rc_listing *l, size_t *off) {
  if (*off >= l->used) return NULL;
  const char *name = l->names + *off;
  *off += strlen(name) + 1;
  return name;
}

/* ---- the step-aside gate (native/race/engine.cc, "Why workers step aside") ----
 * `word` is a futex: odd while a create or remove step runs. The controller
 * wakes one waiter and each woken one wakes the next, so a step costs the
 * controller one wake, not one per worker. */
struct rc_gate {
  uint32_t word;
  uint32_t waiters;
};
static inline long rc_futex(uint32_t *w, int op, uint32_t val, const struct timespec *ts) {
  return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}
static inline void rc_gate_close(struct rc_gate *g) { __atomic_fetch_add(&g->word, 1, __ATOMIC_SEQ_CST); }
static inline void rc_gate_wake_next(struct rc_gate *g) {
  if (__atomic_load_n(&g->waiters, __ATOMIC_SEQ_CST) > 0) rc_futex(&g->word, FUTEX_WAKE_PRIVATE, 1, NULL);
}
static inline void rc_gate_open(struct rc_gate *g) {
  __atomic_fetch_add(&g->word, 1, __ATOMIC_SEQ_CST);
  rc_gate_wake_next(g);
}
/* A worker's side: waits while the gate is closed, at most max_us. Returns
 * 1 when it waited. */
static inline int rc_gate_wait(struct rc_gate *g, uint32_t max_us) {
  uint32_t v = __atomic_load_n(&g->word, __ATOMIC_ACQUIRE);
  if (!(v & 1)) return 0;
  /* Announce first, then re-check: open reads `waiters` after it moved the
   * word, so either it sees us or FUTEX_WAIT sees the new word. */
  __atomic_fetch_add(&g->waiters, 1, __ATOMIC_SEQ_CST);
  struct timespec ts;
  ts.tv_sec = max_us / 1000000;
  ts.tv_nsec = (long)(max_us % 1000000) * 1000;
  if (__atomic_load_n(&g->word, __ATOMIC_SEQ_CST) == v) rc_futex(&g->word, FUTEX_WAIT_PRIVATE, v, &ts);
  __atomic_fetch_sub(&g->waiters, 1, __ATOMIC_SEQ_CST);
  /* Woken because the step ended (not timed out): pass the wake on. */
  if (!(__atomic_load_n(&g->word, __ATOMIC_ACQUIRE) & 1)) rc_gate_wake_next(g);
  return 1;
}
#endif
