// SPDX-License-Identifier: GPL-2.0-only
/* ---- race program (src/repro/c/race.c) ------------------------------------
 * Worker threads run the scenario's op mix against an event's paths while a
 * controller thread creates and removes it (or, for instances, mkdirs and
 * rmdirs the instance) in a loop. A generation counter, odd while the event
 * is absent, is read before and after every op; an op that started and ended
 * inside one window is judged by the rule table (rules[] above, rendered
 * from src/repro/race-rules.ts). The first violation, a worker killed inside
 * a system call or stuck in one, or a rise in the kernel's oops/warn/taint
 * counters ends the run: REPRODUCED, exit 1. The generation sequence, the
 * windows, the op mix, the held fds, the listing and the gate are the native
 * engine's own (the race core above, src/repro/c/race-core.h).
 */

#define MAX_FILES 32
#define MAX_NAMES 40
#define MAX_HELD 64
#define NAME_LEN 128

/* What the run races, filled in by setup(). */
struct dir_target {
  char path[PATH_MAX];
  char names[MAX_NAMES][NAME_LEN];
  int nnames;
};
static struct {
  char event_dir[PATH_MAX], group_dir[PATH_MAX], enable[PATH_MAX];
  char files[MAX_FILES][PATH_MAX];
  int nfiles;
  char stat_paths[MAX_FILES + 2][PATH_MAX];
  int nstat;
  struct dir_target dirs[2];
  int ndirs;
  char list_dir[PATH_MAX], list_name[NAME_LEN];
  int has_list;
  /* The controller's steps: a probe's control lines, or an instance dir. */
  char ctl_file[PATH_MAX], create_line[512], remove_line[512];
  char instance[PATH_MAX];
  char top_enable[PATH_MAX]; /* instances: the event's top-level enable */
} T;

static int opt_threads = DEFAULT_THREADS;
static double opt_duration = DEFAULT_DURATION_S;
static double opt_stall = DEFAULT_STALL_S;

static _Atomic uint64_t seq = 3; /* cycle 0, absent: nothing created yet */
static atomic_bool stop_ctl, stop_workers;
static _Atomic uint64_t cycles;
static atomic_bool ctl_done;                    /* the controller left its loop */
static const char *_Atomic ctl_step = "create"; /* the step it is in */
static int ctl_joined;                          /* main thread only */
static char setup_error[512];

static uint64_t now_ns(void) { return rc_now_ns(); }
static uint64_t cur_seq(void) { return atomic_load_explicit(&seq, memory_order_acquire); }

/* The rule table's rows are the core's rules, in its order. */
_Static_assert(R_ABSENT_NOT_ENOENT == (int)RC_ABSENT_NOT_ENOENT &&
                   R_PRESENT_ENOENT == (int)RC_PRESENT_ENOENT && R_STALE_DIRFD == (int)RC_STALE_DIRFD &&
                   R_WRITE_AFTER_REMOVAL == (int)RC_WRITE_AFTER_REMOVAL &&
                   R_LISTED_AFTER_REMOVAL == (int)RC_LISTED_AFTER_REMOVAL && R_COUNT == (int)RC_RULE_COUNT,
               "the rule table and the race core disagree");

/* Does outcome (errno e, 0: success; listed) break rule r? By the rendered
 * table (a test may plant a changed one), not the core's rc_breaks. */
static int violates(int r, int e, int listed) {
  int v = 0;
  switch (rules[r].test) {
    case T_NOT_ENOENT: v = e != ENOENT; break;
    case T_ENOENT: v = e == ENOENT; break;
    case T_SUCCEEDED: v = e == 0; break;
    case T_LISTED: v = listed; break;
  }
  return v;
}

/* ---- the first violation ends the run ---- */
static atomic_int found;
static char found_op[64], found_path[PATH_MAX + 256], found_expected[64], found_got[128], found_detail[512];

/* Records the run's first violation (later ones are dropped) and stops it. */
static int claim(const char *op, const char *path, const char *expected, const char *got) {
  int no = 0;
  if (!atomic_compare_exchange_strong(&found, &no, 1)) return 0;
  snprintf(found_op, sizeof found_op, "%s", op);
  snprintf(found_path, sizeof found_path, "%s", path);
  snprintf(found_expected, sizeof found_expected, "%s", expected);
  snprintf(found_got, sizeof found_got, "%s", got);
  atomic_store(&stop_ctl, 1);
  return 1;
}

static const char *got_name(int e) { return e == 0 ? "success" : tr_errname(e); }

static void violation(int r, int thread, enum op op, const char *path, const char *got, uint64_t s0,
                      uint64_t s1) {
  if (!claim(op_name[op], path, rules[r].expected, got)) return;
  snprintf(found_detail, sizeof found_detail,
           "rule %s; thread %d; generation %llu->%llu (seq %llu->%llu), cycle %llu", rules[r].name, thread,
           (unsigned long long)rc_gen_of(s0), (unsigned long long)rc_gen_of(s1), (unsigned long long)s0,
           (unsigned long long)s1, (unsigned long long)rc_cycle_of(s1));
}

/* ---- the step-aside gate (rc_gate, engine.cc "Why workers step aside") ---- */
static struct rc_gate gate;
static int racers;

/* ---- workers ---- */
struct worker {
  pthread_t th;
  int id;
  uint64_t rng;
  uint32_t cum[OP_COUNT], total;
  struct rc_held held[2][MAX_HELD], held_enable[MAX_HELD];
  uint32_t next_slot[2], next_enable;
  int nheld;
  int held_write;
  uint64_t last_held_cycle;
  uint32_t since_refresh;
  /* Read by the main thread's watchdog. */
  _Atomic uint64_t ops;
  _Atomic int cur_op;
  const char *_Atomic cur_path;
  atomic_bool finished;
  int joined; /* main thread only */
};
static struct worker *workers;

static uint64_t rnd(struct worker *w) { return rc_rnd(&w->rng); }

static void doing(struct worker *w, enum op op, const char *path) {
  atomic_store_explicit(&w->cur_op, op, memory_order_relaxed);
  atomic_store_explicit(&w->cur_path, path, memory_order_relaxed);
}
static void done(struct worker *w) { atomic_fetch_add_explicit(&w->ops, 1, memory_order_relaxed); }

/* Strict path rules (rc_path_rule): ENOENT inside an absent window, never
 * ENOENT inside a present one; strict_absent 0 for paths that may outlive
 * the event. */
static void judge_path(struct worker *w, enum op op, const char *path, uint64_t s0, uint64_t s1, int e,
                       int strict_absent) {
  enum rc_rule r = rc_path_rule(s0, s1, strict_absent);
  if (r != RC_NO_RULE && violates(r, e, 0)) violation(r, w->id, op, path, got_name(e), s0, s1);
}

/* open+read+close of one of the event's files. */
static void op_open_read(struct worker *w) {
  const char *p = T.files[rnd(w) % (uint64_t)T.nfiles];
  char buf[512];
  doing(w, OP_OPEN_READ, p);
  uint64_t s0 = cur_seq();
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  int e = fd < 0 ? errno : 0;
  uint64_t s1 = cur_seq();
  judge_path(w, OP_OPEN_READ, p, s0, s1, e, 1);
  if (fd >= 0) {
    if (read(fd, buf, sizeof buf) < 0) { /* ENODEV after removal is fine: the open was judged */
    }
    close(fd);
  }
}

/* open(enable), write 0 or 1, close: a write that succeeds after the
 * removal of the newest generation the fd can reach enabled a freed event. */
static void op_enable_write(struct worker *w) {
  const char *p = T.enable;
  doing(w, OP_ENABLE_WRITE, p);
  uint64_t s0 = cur_seq();
  int fd = open(p, O_WRONLY | O_CLOEXEC);
  int e = fd < 0 ? errno : 0;
  uint64_t s1 = cur_seq();
  judge_path(w, OP_ENABLE_WRITE, p, s0, s1, e, 1);
  if (fd < 0) return;
  const char *val = (rnd(w) & 1) ? "1" : "0";
  uint64_t s2 = cur_seq();
  ssize_t r = write(fd, val, 1);
  int we = r < 0 ? errno : 0;
  uint64_t s3 = cur_seq();
  close(fd);
  if (rc_write_rule(rc_cycle_of(s1), s2) == RC_WRITE_AFTER_REMOVAL && violates(R_WRITE_AFTER_REMOVAL, we, 0))
    violation(R_WRITE_AFTER_REMOVAL, w->id, OP_ENABLE_WRITE, p,
              we              ? got_name(we)
              : val[0] == '1' ? "success (wrote 1)"
                              : "success (wrote 0)",
              s2, s3);
}

static void op_stat(struct worker *w) {
  const char *p = T.stat_paths[rnd(w) % (uint64_t)T.nstat];
  struct stat st;
  doing(w, OP_STAT, p);
  uint64_t s0 = cur_seq();
  int e = stat(p, &st) < 0 ? errno : 0;
  uint64_t s1 = cur_seq();
  judge_path(w, OP_STAT, p, s0, s1, e, 1);
}

/* Opens path (judged as a dirfd-open) and holds the fd, tagged with the
 * newest generation it can reach; exact when its open started after the
 * previous removal. */
static void open_and_hold(struct worker *w, const char *path, int flags, struct rc_held *ring,
                          uint32_t *next) {
  doing(w, OP_DIRFD_OPEN, path);
  uint64_t s0 = cur_seq();
  int fd = open(path, flags | O_CLOEXEC);
  int e = fd < 0 ? errno : 0;
  uint64_t s1 = cur_seq();
  judge_path(w, OP_DIRFD_OPEN, path, s0, s1, e, 1);
  if (fd >= 0) rc_hold(ring, HELD_DIRFDS, next, fd, rc_cycle_of(s1), rc_exact(s0, s1));
}

/* Once per generation: new fds to hold from it. */
static void refresh_held(struct worker *w) {
  uint64_t s = cur_seq();
  if (rc_phase_of(s) == 3 || rc_cycle_of(s) == w->last_held_cycle) return;
  w->last_held_cycle = rc_cycle_of(s);
  w->since_refresh = 0;
  for (int d = 0; d < T.ndirs; d++) {
    int flags = (rnd(w) & 1) ? (O_PATH | O_DIRECTORY) : (O_RDONLY | O_DIRECTORY);
    open_and_hold(w, T.dirs[d].path, flags, w->held[d], &w->next_slot[d]);
  }
  if (w->held_write) open_and_hold(w, T.enable, O_WRONLY, w->held_enable, &w->next_enable);
}

static struct rc_held *pick_held(struct worker *w, struct rc_held *ring) {
  return rc_pick_held(ring, HELD_DIRFDS, rnd(w));
}

/* openat or fstatat of a name through a held dirfd: once the dirfd's
 * generation was removed, ENOENT, also while the same name exists again. */
static void op_dirfd(struct worker *w, int use_openat) {
  int d = (int)(rnd(w) % (uint64_t)T.ndirs);
  struct rc_held *h = pick_held(w, w->held[d]);
  if (!h) return;
  const char *name = T.dirs[d].names[rnd(w) % (uint64_t)T.dirs[d].nnames];
  enum op op = use_openat ? OP_OPENAT : OP_FSTATAT;
  doing(w, op, T.dirs[d].path);
  uint64_t s0 = cur_seq();
  int e = 0;
  if (use_openat) {
    int fd = openat(h->fd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) e = errno;
    else close(fd);
  } else {
    struct stat st;
    if (fstatat(h->fd, name, &st, 0) < 0) e = errno;
  }
  uint64_t s1 = cur_seq();
  char path[PATH_MAX + NAME_LEN + 64];
  enum rc_rule r = rc_dirfd_rule(h, s0, s1);
  if (r == RC_STALE_DIRFD) {
    if (violates(R_STALE_DIRFD, e, 0)) {
      snprintf(path, sizeof path, "%s (dirfd of gen %llu) / %s", T.dirs[d].path,
               (unsigned long long)(2 * h->tag), name);
      violation(R_STALE_DIRFD, w->id, op, path, got_name(e), s0, s1);
    }
  } else if (r == RC_PRESENT_ENOENT && violates(R_PRESENT_ENOENT, e, 0)) {
    snprintf(path, sizeof path, "%s / %s", T.dirs[d].path, name);
    violation(R_PRESENT_ENOENT, w->id, op, path, got_name(e), s0, s1);
  }
}

/* A write of 0/1 through an enable fd held from an earlier generation:
 * once that generation's removal returned, it must fail (ENODEV). */
static void op_held_write(struct worker *w) {
  struct rc_held *h = pick_held(w, w->held_enable);
  if (!h) return;
  const char *val = (rnd(w) & 1) ? "1" : "0";
  doing(w, OP_HELD_WRITE, T.enable);
  uint64_t s0 = cur_seq();
  ssize_t r = write(h->fd, val, 1);
  int e = r < 0 ? errno : 0;
  uint64_t s1 = cur_seq();
  if (rc_write_rule(h->tag, s0) == RC_WRITE_AFTER_REMOVAL && violates(R_WRITE_AFTER_REMOVAL, e, 0)) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s (fd from gen %llu)", T.enable, (unsigned long long)(2 * h->tag));
    violation(R_WRITE_AFTER_REMOVAL, w->id, OP_HELD_WRITE, path,
              e               ? got_name(e)
              : val[0] == '1' ? "success (wrote 1)"
                              : "success (wrote 0)",
              s0, s1);
  }
}

/* getdents64 of the list dir: an absent window's listing must not show the
 * removed entry; then every listed entry is stat'ed (the removed one by the
 * strict rules, the others only for vanishing while present). */
static void op_getdents(struct worker *w) {
  static _Thread_local struct rc_listing listing;
  listing.used = 0;
  doing(w, OP_GETDENTS, T.list_dir);
  uint64_t s0 = cur_seq();
  int fd = open(T.list_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    judge_path(w, OP_GETDENTS, T.list_dir, s0, cur_seq(), e, 0);
    return;
  }
  int listed = 0;
  rc_read_listing(fd, &listing, T.list_name,
                  &listed); /* an error ends the listing: what was read is judged */
  close(fd);
  uint64_t s1 = cur_seq();
  if (rc_listing_rule(s0, s1) == RC_LISTED_AFTER_REMOVAL && violates(R_LISTED_AFTER_REMOVAL, 0, listed)) {
    char path[PATH_MAX + NAME_LEN];
    snprintf(path, sizeof path, "%s/%s", T.list_dir, T.list_name);
    violation(R_LISTED_AFTER_REMOVAL, w->id, OP_GETDENTS, path, listed ? "listed" : "not listed", s0, s1);
  }
  size_t off = 0;
  for (const char *name; (name = rc_listing_next(&listing, &off)) != NULL;) {
    char path[PATH_MAX + NAME_LEN];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", T.list_dir, name) < 0) continue;
    doing(w, OP_LIST_STAT, T.list_dir);
    uint64_t s2 = cur_seq();
    int e = stat(path, &st) < 0 ? errno : 0;
    uint64_t s3 = cur_seq();
    judge_path(w, OP_LIST_STAT, path, s2, s3, e, !strcmp(name, T.list_name));
  }
}

static enum op pick(struct worker *w) { return (enum op)rc_pick(w->cum, OP_COUNT, w->total, rnd(w)); }

static void *worker_main(void *arg) {
  struct worker *w = arg;
  /* Judge nothing before the first create starts. */
  while (cur_seq() < 4 && !atomic_load(&stop_workers)) sched_yield();
  const int steps_aside = w->id >= racers;
  while (!atomic_load_explicit(&stop_workers, memory_order_relaxed)) {
    if (steps_aside) rc_gate_wait(&gate, STEP_ASIDE_US);
    if ((T.ndirs || w->held_write) && ++w->since_refresh >= 16) refresh_held(w);
    switch (pick(w)) {
      case OP_OPEN_READ: op_open_read(w); break;
      case OP_ENABLE_WRITE: op_enable_write(w); break;
      case OP_STAT: op_stat(w); break;
      case OP_OPENAT: op_dirfd(w, 1); break;
      case OP_FSTATAT: op_dirfd(w, 0); break;
      case OP_GETDENTS: op_getdents(w); break;
      case OP_HELD_WRITE: op_held_write(w); break;
      default: break;
    }
    done(w);
  }
  atomic_store(&w->finished, 1);
  return NULL;
}

/* The op mix of one worker: ops without a target drop out (worker.cc). */
static void worker_init(struct worker *w, int id) {
  uint32_t wt[OP_COUNT];
  memcpy(wt, weights, sizeof wt);
  if (!T.nfiles) wt[OP_OPEN_READ] = 0;
  if (!T.enable[0]) wt[OP_ENABLE_WRITE] = wt[OP_HELD_WRITE] = 0;
  if (!T.ndirs) wt[OP_OPENAT] = wt[OP_FSTATAT] = 0;
  if (!T.has_list) wt[OP_GETDENTS] = 0;
  if (!T.nstat) wt[OP_STAT] = 0;
  wt[OP_LIST_STAT] = wt[OP_DIRFD_OPEN] = 0;
  w->id = id;
  w->rng = rc_seed(id);
  w->total = rc_mix(wt, OP_COUNT, w->cum);
  for (int d = 0; d < 2; d++)
    for (int i = 0; i < MAX_HELD; i++) w->held[d][i].fd = -1;
  for (int i = 0; i < MAX_HELD; i++) w->held_enable[i].fd = -1;
  w->next_slot[0] = w->next_slot[1] = w->next_enable = 1;
  w->held_write = wt[OP_HELD_WRITE] > 0;
  atomic_store(&w->cur_op, -1);
}

/* ---- the controller ---- */
static int ctl_fd = -1;

static int write_str(const char *path, const char *s) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = write(fd, s, strlen(s)) < 0 ? errno : 0;
  close(fd);
  return e;
}

/* One control-file definition in one write(2), through the fd kept open
 * for the run (O_WRONLY|O_APPEND: never truncate). */
static int ctl_write(const char *line) { return write(ctl_fd, line, strlen(line)) < 0 ? errno : 0; }

static int do_create(void) {
  if (RACE_TARGET_INSTANCE) return mkdir(T.instance, 0755) < 0 ? errno : 0;
  return ctl_write(T.create_line);
}

/* The removal, retried on EBUSY: a probe after writing 0 to its enable
 * (workers keep enabling it), an instance while a worker holds a file open. */
static int do_remove(void) {
  for (uint64_t tries = 0;; tries++) {
    int e = RACE_TARGET_INSTANCE ? (rmdir(T.instance) < 0 ? errno : 0) : ctl_write(T.remove_line);
    if (e != EBUSY || tries >= MAX_BUSY_RETRIES) return e;
    /* Stopping: workers holding an instance's files could refuse it for ever. */
    if (atomic_load(&stop_ctl) && tries > 16) atomic_store(&stop_workers, 1);
    if (!RACE_TARGET_INSTANCE) write_str(T.enable, "0");
    sched_yield();
  }
}

/* Every BUSY_CHECK_EVERY cycles: enable, then the removal must give EBUSY.
 * Returns 1 when that removal went through (the event is gone). */
static int busy_check(uint64_t s) {
  if (write_str(T.enable, "1")) return 0;
  int r = ctl_write(T.remove_line);
  /* Judged only when no worker writes enable (it could have disabled it). */
  if (r != EBUSY && rc_busy_check_judged(weights[OP_ENABLE_WRITE], weights[OP_HELD_WRITE])) {
    char path[PATH_MAX + 600];
    snprintf(path, sizeof path, "%s: %s", T.ctl_file, T.remove_line);
    if (claim("remove", path, "EBUSY", got_name(r)))
      snprintf(found_detail, sizeof found_detail, "rule remove-while-enabled; the controller; cycle %llu",
               (unsigned long long)rc_cycle_of(s));
  }
  if (r == 0) return 1;
  write_str(T.enable, "0");
  return 0;
}

/* Every n-th cycle (n 0: never). */
static int every(uint64_t k, uint64_t n) { return n && k % n == 0; }

static void drop_caches(void) { write_str("/proc/sys/vm/drop_caches", "6"); }

static void sleep_us(uint64_t us) {
  if (!us) return;
  struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

static void *controller_main(void *arg) {
  (void)arg;
  /* Boosted when workers outnumber the racers (engine.cc boost_controller). */
  if (racers < opt_threads) setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -20);
  uint64_t deadline = now_ns() + (uint64_t)(opt_duration * 1e9);
  for (uint64_t k = 1; !atomic_load(&stop_ctl) && now_ns() < deadline; k++) {
    rc_gate_close(&gate);
    atomic_store(&seq, 4 * k + 0);
    atomic_store(&ctl_step, "create");
    int e = do_create();
    if (e) {
      snprintf(setup_error, sizeof setup_error, "create (cycle %llu): %s", (unsigned long long)k,
               tr_errname(e));
      rc_gate_open(&gate);
      break; /* the phase stays "creating": nothing more is judged */
    }
    atomic_store(&seq, 4 * k + 1);
    rc_gate_open(&gate);
    sleep_us(DWELL_PRESENT_US);
    rc_gate_close(&gate);
    atomic_store(&seq, 4 * k + 2);
    atomic_store(&ctl_step, "remove");
    int gone = every(k, BUSY_CHECK_EVERY) && T.enable[0] && !RACE_TARGET_INSTANCE && busy_check(4 * k + 2);
    e = gone ? 0 : do_remove();
    if (e) {
      snprintf(setup_error, sizeof setup_error, "remove (cycle %llu): %s", (unsigned long long)k,
               tr_errname(e));
      rc_gate_open(&gate);
      break;
    }
    atomic_store(&seq, 4 * k + 3);
    rc_gate_open(&gate);
    atomic_store(&cycles, k);
    if (every(k, DROP_CACHES_EVERY)) drop_caches();
    sleep_us(DWELL_ABSENT_US);
  }
  atomic_store(&stop_ctl, 1);
  atomic_store(&ctl_done, 1);
  return NULL;
}

/* drop_caches from its own thread: reclaim races every op. */
static void *dropper_main(void *arg) {
  (void)arg;
  while (!atomic_load(&stop_ctl)) {
    drop_caches();
    sleep_us((uint64_t)DROP_CACHES_INTERVAL_MS * 1000);
  }
  return NULL;
}

/* ---- setup: the event's files, the targets ---- */

/* The entries of dir but . and .. (getdents64 to the end); count or -errno. */
static int list_names(const char *dir, char (*out)[NAME_LEN], int max) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -errno;
  _Alignas(8) char buf[8192];
  int n = 0;
  long got;
  while ((got = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
    for (long off = 0; off < got;) {
      struct rc_dirent64 *d = (struct rc_dirent64 *)(buf + off);
      off += d->d_reclen;
      if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && n < max && strlen(d->d_name) < NAME_LEN)
        snprintf(out[n++], NAME_LEN, "%s", d->d_name);
    }
  close(fd);
  return n;
}

/* dst (PATH_MAX bytes) = a sep b; a path that does not fit is a setup error. */
static void join(char *dst, const char *a, const char *sep, const char *b) {
  size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
  if (la + ls + lb >= PATH_MAX) {
    fprintf(stderr, "path too long: %s%s%s\n", a, sep, b);
    exit(2);
  }
  memmove(dst, a, la);
  memcpy(dst + la, sep, ls);
  memcpy(dst + la + ls, b, lb + 1);
}

static void add_dir(const char *path, char (*names)[NAME_LEN], int n) {
  struct dir_target *d = &T.dirs[T.ndirs++];
  join(d->path, path, "", "");
  for (int i = 0; i < n && i < MAX_NAMES; i++) memcpy(d->names[d->nnames++], names[i], NAME_LEN);
}

/* The race's paths under base (the top level, or the instance): the event's
 * files, enable, the dirs whose fds workers hold, the group listing. A group
 * kept alive by a sibling is no stale dir after a removal: no dirfds on it. */
static void set_targets(const char *base, const char *group, const char *event, char (*files)[NAME_LEN],
                        int nfiles, int group_stays) {
  join(T.group_dir, base, "/events/", group);
  join(T.event_dir, T.group_dir, "/", event);
  join(T.enable, T.event_dir, "/", "enable");
  for (int i = 0; i < nfiles; i++) join(T.files[T.nfiles++], T.event_dir, "/", files[i]);
  for (int i = 0; i < T.nfiles; i++) join(T.stat_paths[T.nstat++], T.files[i], "", "");
  add_dir(T.event_dir, files, nfiles);
  join(T.stat_paths[T.nstat++], T.event_dir, "", "");
  if (!group_stays) {
    char names[2][NAME_LEN];
    snprintf(names[0], NAME_LEN, "%.60s/enable", event);
    snprintf(names[1], NAME_LEN, "%.60s", event);
    add_dir(T.group_dir, names, 2);
    join(T.stat_paths[T.nstat++], T.group_dir, "", "");
  }
  join(T.list_dir, T.group_dir, "", "");
  snprintf(T.list_name, sizeof T.list_name, "%.60s", event);
  T.has_list = 1;
}

/* The control file and lines of event g/e of this program's kind. The
 * runtime writes kprobe and uprobe definitions; fprobes and eprobes go
 * through dynamic_events. */
static void probe_lines(const char *g, const char *e, char *file, char *create, char *remove) {
  if (!tr_valid_name(g) || !tr_valid_name(e)) {
    fprintf(stderr, "refusing probe name %s/%s\n", g, e);
    exit(2);
  }
  if (!strcmp(PROBE_KIND, "kprobe") || !strcmp(PROBE_KIND, "uprobe")) {
    snprintf(file, PATH_MAX, "%s", tr_probe_file());
    snprintf(create, 512, "%s", tr_probe_def(g, e));
  } else {
    snprintf(file, PATH_MAX, "%s/dynamic_events", tr_root);
    if (!strcmp(PROBE_KIND, "fprobe")) snprintf(create, 512, "f:%s/%s %s", g, e, KPROBE_SYMBOL);
    else snprintf(create, 512, "e:%s/%s sched.sched_switch", g, e);
  }
  snprintf(remove, 512, "-:%s/%s", g, e);
}

/* A step of setup the kernel refused: it lacks what the race needs. */
static void setup_failed(const char *what, const char *line, int e) {
  printf("kernel refused %s %s: %s\n", what, line, tr_errname(e));
  tr_cleanup();
  exit(4);
}

/* Creates the event once, lists its dir and removes it again: the race then
 * uses exactly the files this kernel gives the event. 0, or exits 4. */
static int setup(void) {
  char group[NAME_LEN], event[NAME_LEN];
  snprintf(group, sizeof group, "%s", tr_group(1));
  snprintf(event, sizeof event, "%s", tr_event(1));
  probe_lines(group, event, T.ctl_file, T.create_line, T.remove_line);
  ctl_fd = open(T.ctl_file, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (ctl_fd < 0) {
    printf("kernel lacks %s (%s)\n", T.ctl_file, tr_errname(errno));
    exit(4);
  }
  /* Registered before it exists: a signal right after the write still removes it. */
  tr_reg_probe(T.ctl_file, group, event);
  char files[MAX_FILES][NAME_LEN];
  int e = ctl_write(T.create_line);
  if (e) setup_failed("create", T.create_line, e);
  char gdir[PATH_MAX], dir[PATH_MAX];
  join(gdir, tr_root, "/events/", group);
  join(dir, gdir, "/", event);
  int nfiles = list_names(dir, files, MAX_FILES);
  if (nfiles <= 0) {
    fprintf(stderr, "getdents64 %s: %s\n", dir, nfiles < 0 ? tr_errname(-nfiles) : "no entries");
    return 2;
  }
  if (RACE_TARGET_INSTANCE) {
    /* The event exists throughout; the instance comes and goes. */
    join(T.instance, tr_instance(1), "", "");
    tr_reg_instance(T.instance);
    set_targets(T.instance, group, event, files, nfiles, 0);
  } else {
    e = ctl_write(T.remove_line);
    if (e) setup_failed("remove", T.remove_line, e);
    if (RACE_SIBLING) {
      /* A second event keeps the group (and its list) alive for the run. */
      char sfile[PATH_MAX], screate[512], sremove[512];
      probe_lines(group, tr_event(2), sfile, screate, sremove);
      tr_reg_probe(sfile, group, tr_event(2));
      e = ctl_write(screate);
      if (e) setup_failed("create sibling", screate, e);
    }
    set_targets(tr_root, group, event, files, nfiles, RACE_SIBLING);
  }
  return 0;
}

/* ---- main: run, watch, judge ---- */

static double elapsed_s(uint64_t t0) { return (double)(now_ns() - t0) / 1e9; }

/* A worker whose thread ended without finishing its loop was killed in a
 * system call (an oops kills the task, not the process); one that made no
 * progress for opt_stall seconds while others did never returned from one. */
static int watchdog(uint64_t *last_ops, uint64_t *last_change, uint64_t now) {
  const uint64_t stall = (uint64_t)(opt_stall * 1e9);
  uint64_t newest = 0;
  for (int i = 0; i < opt_threads; i++) {
    struct worker *w = &workers[i];
    uint64_t ops = atomic_load(&w->ops);
    if (ops != last_ops[i]) {
      last_ops[i] = ops;
      last_change[i] = now;
    }
    if (last_change[i] > newest) newest = last_change[i];
  }
  for (int i = 0; i < opt_threads; i++) {
    struct worker *w = &workers[i];
    int op = atomic_load(&w->cur_op);
    const char *path = atomic_load(&w->cur_path);
    /* Joined first, then asked: a loop that ends normally sets finished before the thread ends. */
    int dead = 0;
    if (!w->joined && pthread_tryjoin_np(w->th, NULL) == 0) {
      w->joined = 1;
      dead = !atomic_load(&w->finished);
      if (!dead) continue;
    }
    if (w->joined && !dead) continue;
    int stuck = now - last_change[i] > stall && newest - last_change[i] > stall / 2;
    /* Nobody progressing for twice as long: the kernel hangs them all. */
    int all = now - newest > 2 * stall && !atomic_load(&stop_workers);
    if (!dead && !stuck && !all) continue;
    if (!claim(op >= 0 ? op_name[op] : "?", path ? path : "?", "the system call returns",
               dead    ? "the thread died inside it (kernel oops?)"
               : stuck ? "no return (thread stuck in the kernel)"
                       : "no return (every worker stuck in the kernel)"))
      return 1;
    snprintf(found_detail, sizeof found_detail, "worker %d; no progress for %.1f s; %llu cycles completed", i,
             (double)(now - last_change[i]) / 1e9, (unsigned long long)atomic_load(&cycles));
    return 1;
  }
  return 0;
}

/* The controller thread ended without leaving its loop: killed inside a
 * create or remove step (an oops in the control-file write or rmdir). */
static int controller_died(pthread_t ctl) {
  if (ctl_joined || pthread_tryjoin_np(ctl, NULL) != 0) return 0;
  ctl_joined = 1;
  if (atomic_load(&ctl_done)) return 0;
  const char *step = atomic_load(&ctl_step);
  char path[PATH_MAX + 600];
  if (RACE_TARGET_INSTANCE) join(path, T.instance, "", "");
  else
    snprintf(path, sizeof path, "%s: %s", T.ctl_file,
             !strcmp(step, "create") ? T.create_line : T.remove_line);
  if (claim(step, path, "the system call returns", "the controller thread died inside it (kernel oops?)"))
    snprintf(found_detail, sizeof found_detail, "the controller; %llu cycles completed",
             (unsigned long long)atomic_load(&cycles));
  return 1;
}

/* Waits at most ms for the thread; 0 when joined. */
static int join_within(pthread_t th, int ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (long)(ms % 1000) * 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  return pthread_timedjoin_np(th, NULL, &ts);
}

static void usage_race(FILE *f) {
  fprintf(
      f,
      "race options: -t THREADS (1..64, default %d)  -d SECONDS (default %g)  -s SECONDS (a worker with no\n"
      "  progress that long while others progress is stuck in the kernel: REPRODUCED; default %g)\n",
      DEFAULT_THREADS, DEFAULT_DURATION_S, DEFAULT_STALL_S);
}

/* Takes the race's options out of argv (the runtime parses the rest). */
static int race_options(int argc, char **argv) {
  int n = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has_value = i + 1 < argc;
    char *end = NULL;
    if (!strcmp(a, "-t") && has_value) {
      opt_threads = (int)strtol(argv[++i], &end, 10);
      if (*end || opt_threads < 1 || opt_threads > MAX_HELD) {
        fprintf(stderr, "-t %s: threads must be an integer 1..64\n", argv[i]);
        exit(2);
      }
    } else if ((!strcmp(a, "-d") || !strcmp(a, "-s")) && has_value) {
      double v = strtod(argv[++i], &end);
      if (*end || !(v > 0 && v <= 86400)) {
        fprintf(stderr, "%s %s: seconds must be a number in (0, 86400]\n", a, argv[i]);
        exit(2);
      }
      *(a[1] == 'd' ? &opt_duration : &opt_stall) = v;
    } else {
      if (!strcmp(a, "-h")) usage_race(stdout);
      else if (a[0] == '-' && strcmp(a, "-q") && strcmp(a, "-r") && strcmp(a, "-w")) usage_race(stderr);
      argv[n++] = argv[i];
    }
  }
  argv[n] = NULL;
  return n;
}

/* The runtime checks <kind>_events for the kinds it writes; fprobes and
 * eprobes need dynamic_events. */
static const char *runtime_kind(void) {
  return !strcmp(PROBE_KIND, "kprobe") || !strcmp(PROBE_KIND, "uprobe") ? PROBE_KIND : NULL;
}

/* Ends the workers' loops and closes what they hold (an open file keeps an
 * instance busy); the threads that do not come back are stuck in the kernel. */
static int stop_all(pthread_t ctl, int has_dropper, pthread_t dropper) {
  /* The controller ends its cycle (leaving the event absent) before the
   * workers stop, so the last removal is still raced. */
  atomic_store(&stop_ctl, 1);
  int stuck = !ctl_joined && join_within(ctl, 5000) != 0;
  atomic_store(&stop_workers, 1);
  for (int i = 0; i < opt_threads; i++) {
    struct worker *w = &workers[i];
    if (!w->joined && join_within(w->th, 2000) != 0) {
      stuck++;
      continue;
    }
    for (int d = 0; d < 2; d++)
      for (int k = 0; k < MAX_HELD; k++)
        if (w->held[d][k].fd >= 0) close(w->held[d][k].fd);
    for (int k = 0; k < MAX_HELD; k++)
      if (w->held_enable[k].fd >= 0) close(w->held_enable[k].fd);
  }
  if (has_dropper) join_within(dropper, 2000);
  if (ctl_fd >= 0) close(ctl_fd);
  return stuck;
}

static uint64_t total_ops(void) {
  uint64_t ops = 0;
  for (int i = 0; i < opt_threads; i++) ops += atomic_load(&workers[i].ops);
  return ops;
}

int main(int argc, char **argv) {
  argc = race_options(argc, argv);
  if (!strcmp(PROBE_KIND, "synthetic")) {
    printf("this reproducer does not create synthetic events: run the scenario with tracefs-regress\n");
    return 4;
  }
  tr_init(argc, argv, runtime_kind(), KPROBE_SYMBOL);
  if (!runtime_kind() && access(tr_x("{root}/dynamic_events"), F_OK)) {
    printf("kernel lacks dynamic_events\n");
    exit(4);
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  racers = RACERS < 0 ? (int)(cpus > 0 ? cpus : 1) : RACERS;
  if (racers > opt_threads || STEP_ASIDE_US == 0) racers = opt_threads;

  int rc = setup();
  if (rc) {
    tr_cleanup();
    return rc;
  }
  struct utsname u;
  uname(&u);
  tr_log("race %s[%s]: %d threads (%d racing every step), %g s, kernel %s", SCENARIO_ID, PROBE_KIND,
         opt_threads, racers, opt_duration, u.release);

  workers = calloc((size_t)opt_threads, sizeof *workers);
  uint64_t *last_ops = calloc((size_t)opt_threads, sizeof *last_ops);
  uint64_t *last_change = calloc((size_t)opt_threads, sizeof *last_change);
  if (!workers || !last_ops || !last_change) return 2;
  /* SIGINT/SIGTERM go to the main thread only: it stops the others before
   * the runtime cleans up, so no create can follow the cleanup. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  uint64_t t0 = now_ns();
  for (int i = 0; i < opt_threads; i++) {
    worker_init(&workers[i], i);
    last_change[i] = t0;
    pthread_create(&workers[i].th, NULL, worker_main, &workers[i]);
  }
  pthread_t ctl, dropper;
  pthread_create(&ctl, NULL, controller_main, NULL);
  int has_dropper = DROP_CACHES_INTERVAL_MS >= 0 && pthread_create(&dropper, NULL, dropper_main, NULL) == 0;
  pthread_sigmask(SIG_SETMASK, &old, NULL);

  const char *health = NULL;
  uint64_t last_report = t0;
  while (!atomic_load(&stop_ctl) && !tr_stopping) {
    sleep_us(50000);
    uint64_t now = now_ns();
    if (watchdog(last_ops, last_change, now) || controller_died(ctl)) break;
    if ((health = tr_health_rise()) != NULL) break;
    if (now - last_report >= 1000000000ull) {
      last_report = now;
      tr_log("race: %.1f s, %llu cycles, %llu ops", elapsed_s(t0), (unsigned long long)atomic_load(&cycles),
             (unsigned long long)total_ops());
    }
  }
  int stuck = stop_all(ctl, has_dropper, dropper);
  tr_log("race: %.2f s, %llu cycles, %llu ops%s", elapsed_s(t0), (unsigned long long)atomic_load(&cycles),
         (unsigned long long)total_ops(), stuck ? ", threads stuck in the kernel" : "");
  if (atomic_load(&found)) {
    tr_log("%s", found_detail);
    tr_reproduced(found_op, found_path, found_expected, found_got);
  }
  if (health) tr_log("kernel health counter rose during the race");
  if (!health && setup_error[0] && !tr_stopping) {
    fprintf(stderr, "race stopped: %s\n", setup_error);
    tr_cleanup();
    return 2;
  }
  if (!health && atomic_load(&cycles) == 0 && !tr_stopping) {
    fprintf(stderr, "the race ran no create/remove cycle\n");
    tr_cleanup();
    return 2;
  }
  tr_finish(); /* a health rise: REPRODUCED; else not reproduced (a signal: cleaned up, 128+sig) */
  return 0;
}
