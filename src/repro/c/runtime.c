// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracefs-regress reproducer runtime (src/repro/c/runtime.c), inlined
 * verbatim at the top of every generated reproducer: C11, libc + pthreads.
 *
 * API (all names tr_*; the API only grows, nothing is renamed):
 *   void tr_init(int argc, char **argv, const char *kind, const char *symbol);
 *       options -r ROOT, -q, -h; finds or mounts tracefs (exit 4 if none),
 *       checks <kind>_events (exit 4: "kernel lacks <kind>_events"), makes
 *       the run id, resolves the probe target, snapshots the health
 *       counters, installs atexit + SIGINT/SIGTERM cleanup. kind: "kprobe",
 *       "uprobe" or NULL (no probe); symbol: the kprobe's function.
 *   extern char tr_root[], tr_run_id[], tr_target[];   tracefs, tfsr_<pid>_<6hex>,
 *       the probe site ("SYMBOL" or "/bin/true:0xOFF")
 *   extern int tr_quiet; extern volatile sig_atomic_t tr_stopping;
 *   const char *tr_x(const char *tmpl);  expands {root} {id} {target}
 *       (rotating static buffers; thread-safe slots): "{root}/events/{id}_g1/e2"
 *   const char *tr_group(int n);   "<id>_g<n>" (n == 0: the run id itself)
 *   const char *tr_event(int n);   "e<n>"
 *   const char *tr_instance(int n); "{root}/instances/<id>_i<n>"
 *   const char *tr_probe_file(void);            "{root}/<kind>_events"
 *   const char *tr_probe_def(const char *g, const char *e);   "p:G/E TARGET"
 *   const char *tr_probe_undef(const char *g, const char *e); "-:G/E"
 *   int tr_valid_name(const char *s);  C identifier, <= 64 chars
 *   System calls: errno is data (tr_res: ret >= 0 or err != 0), never exits:
 *     tr_open tr_openat tr_close tr_read tr_pread tr_write tr_pwrite tr_lseek
 *     tr_stat tr_lstat tr_fstatat tr_access tr_getdents64 tr_chdir tr_fchdir
 *     tr_getcwd tr_mkdir tr_rmdir tr_chmod tr_fchmod tr_chown tr_fchown
 *     tr_ctl(file, line)  open(O_WRONLY|O_APPEND) + one write + close
 *   Results of the last call on this thread: tr_data/tr_len (read, pread,
 *     getcwd), tr_st (stat family), tr_listing(fd) (" name name " of every
 *     getdents64 on fd so far), tr_has_word(list, w), tr_trimmed().
 *   const char *tr_list(const char *dir);  " a b c ": open + getdents64 to the end + close
 *       (NULL on error, the errno in tr_list_err)
 *   const char *tr_slurp(const char *path); the file's content, trimmed (NULL on error)
 *   Writes to a *_events file are validated (one command, valid names) and
 *     registered; mkdir under instances/ is registered; fds are tracked.
 *   void tr_reg_probe(const char *file, const char *g, const char *e);
 *   void tr_reg_instance(const char *path);
 *   void tr_cleanup(void);  idempotent: closes fds, disables, removes triggers,
 *       rmdirs instances (EBUSY retried), removes probes newest first.
 *   const char *tr_errname(int err);  "ENOENT"...
 *   const char *tr_describe(tr_res r); "ENOENT", "success (12)", "success (3 bytes)"
 *   const char *tr_health_rise(void); "warn_count 0 -> 1" or NULL
 *   void tr_reproduced(op, path, expected, got);  prints REPRODUCED..., exit 1
 *   void tr_finish(void);  cleanup; health rise -> REPRODUCED exit 1;
 *       else "not reproduced" exit 0
 *   void tr_log(const char *fmt, ...);  to stderr unless -q
 *   void tr_pause(void);  with -w MS: waits MS ms (the emitter calls it before
 *       the violating step, so a person or a test can interrupt the run there)
 * Exit codes: 0 not reproduced, 1 reproduced, 2 usage, 4 environment.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define TR_TRACEFS_MAGIC 0x74726163
#define TR_MAXFD 1024
#define TR_MAXPROBES 256
#define TR_MAXINST 64
#define TR_DATA 65536
#define TR_PATH 1024 /* tracefs root */
#define TR_SLOT 8192

typedef struct {
  long ret; /* >= 0 on success */
  int err;  /* 0 on success, else errno */
  int what; /* how Expect describes success: TR_NUM, TR_BYTES, TR_ENTRIES, TR_PLAIN */
} tr_res;
enum { TR_NUM, TR_BYTES, TR_ENTRIES, TR_PLAIN };

char tr_root[TR_PATH];
char tr_run_id[64];
char tr_target[PATH_MAX + 32];
static char tr_kind[16];
int tr_quiet;
static long tr_wait_ms;
volatile sig_atomic_t tr_stopping;
static const char *tr_prog = "repro";

static _Thread_local char tr_data[TR_DATA + 1];
static _Thread_local long tr_len;
static _Thread_local struct stat tr_st;

static pthread_mutex_t tr_lock = PTHREAD_MUTEX_INITIALIZER;
static char *tr_fdpath[TR_MAXFD];
static char *tr_fdlist[TR_MAXFD];
static struct {
  char file[PATH_MAX];
  char group[72], event[72];
  int live;
} tr_probes[TR_MAXPROBES];
static int tr_nprobes;
static char tr_insts[TR_MAXINST][PATH_MAX];
static int tr_ninsts;
static int tr_cleaned;

static void tr_vsay(const char *fmt, va_list ap) {
  fprintf(stderr, "%s: ", tr_prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void tr_log(const char *fmt, ...) {
  if (tr_quiet) return;
  va_list ap;
  va_start(ap, fmt);
  tr_vsay(fmt, ap);
  va_end(ap);
}

static const struct {
  int n;
  const char *s;
} tr_errnos[] = {
    {EPERM, "EPERM"},
    {ENOENT, "ENOENT"},
    {ESRCH, "ESRCH"},
    {EINTR, "EINTR"},
    {EIO, "EIO"},
    {ENXIO, "ENXIO"},
    {E2BIG, "E2BIG"},
    {EBADF, "EBADF"},
    {EAGAIN, "EAGAIN"},
    {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"},
    {EFAULT, "EFAULT"},
    {EBUSY, "EBUSY"},
    {EEXIST, "EEXIST"},
    {EXDEV, "EXDEV"},
    {ENODEV, "ENODEV"},
    {ENOTDIR, "ENOTDIR"},
    {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"},
    {ENFILE, "ENFILE"},
    {EMFILE, "EMFILE"},
    {ENOSPC, "ENOSPC"},
    {ESPIPE, "ESPIPE"},
    {EROFS, "EROFS"},
    {EMLINK, "EMLINK"},
    {EPIPE, "EPIPE"},
    {ERANGE, "ERANGE"},
    {ENAMETOOLONG, "ENAMETOOLONG"},
    {ENOSYS, "ENOSYS"},
    {ENOTEMPTY, "ENOTEMPTY"},
    {ELOOP, "ELOOP"},
    {ENODATA, "ENODATA"},
    {EOVERFLOW, "EOVERFLOW"},
    {EOPNOTSUPP, "EOPNOTSUPP"},
    {ESTALE, "ESTALE"},
    {EMEDIUMTYPE, "EMEDIUMTYPE"},
};

const char *tr_errname(int err) {
  static _Thread_local char buf[16];
  for (size_t i = 0; i < sizeof tr_errnos / sizeof tr_errnos[0]; i++)
    if (tr_errnos[i].n == err) return tr_errnos[i].s;
  snprintf(buf, sizeof buf, "E%d", err);
  return buf;
}

const char *tr_describe(tr_res r) {
  static _Thread_local char buf[64];
  if (r.err) return tr_errname(r.err);
  switch (r.what) {
    case TR_BYTES: snprintf(buf, sizeof buf, "success (%ld bytes)", r.ret); break;
    case TR_ENTRIES: snprintf(buf, sizeof buf, "success (%ld entries)", r.ret); break;
    case TR_NUM: snprintf(buf, sizeof buf, "success (%ld)", r.ret); break;
    default: return "success";
  }
  return buf;
}

static void tr_die(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tr_vsay(fmt, ap);
  va_end(ap);
  exit(code);
}

int tr_valid_name(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return 0;
  }
  return 1;
}

/* ---- names and templates ---- */

static char *tr_slot(void) {
  static _Thread_local char bufs[16][TR_SLOT];
  static _Thread_local unsigned next;
  return bufs[next++ % 16];
}

const char *tr_x(const char *tmpl) {
  char *out = tr_slot();
  size_t o = 0, cap = TR_SLOT - 1;
  for (const char *p = tmpl; *p && o < cap;) {
    const char *sub = NULL;
    size_t skip = 0;
    if (!strncmp(p, "{root}", 6)) sub = tr_root, skip = 6;
    else if (!strncmp(p, "{id}", 4)) sub = tr_run_id, skip = 4;
    else if (!strncmp(p, "{target}", 8)) sub = tr_target, skip = 8;
    if (sub) {
      size_t n = strlen(sub);
      if (o + n > cap) tr_die(2, "path too long: %s", tmpl);
      memcpy(out + o, sub, n);
      o += n;
      p += skip;
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = 0;
  return out;
}

const char *tr_group(int n) {
  char *out = tr_slot();
  if (n == 0) snprintf(out, PATH_MAX, "%s", tr_run_id);
  else snprintf(out, PATH_MAX, "%s_g%d", tr_run_id, n);
  return out;
}
const char *tr_event(int n) {
  char *out = tr_slot();
  snprintf(out, PATH_MAX, "e%d", n);
  return out;
}
const char *tr_instance(int n) {
  char *out = tr_slot();
  snprintf(out, TR_SLOT, "%s/instances/%s_i%d", tr_root, tr_run_id, n);
  return out;
}
const char *tr_probe_file(void) {
  char *out = tr_slot();
  snprintf(out, TR_SLOT, "%s/%s_events", tr_root, tr_kind);
  return out;
}
const char *tr_probe_def(const char *g, const char *e) {
  if (!tr_valid_name(g) || !tr_valid_name(e)) tr_die(2, "refusing probe name %s/%s", g, e);
  char *out = tr_slot();
  snprintf(out, TR_SLOT, "p:%s/%s %s", g, e, tr_target);
  return out;
}
const char *tr_probe_undef(const char *g, const char *e) {
  if (!tr_valid_name(g) || !tr_valid_name(e)) tr_die(2, "refusing probe name %s/%s", g, e);
  char *out = tr_slot();
  snprintf(out, PATH_MAX, "-:%s/%s", g, e);
  return out;
}

/* ---- the cleanup registry ---- */

void tr_reg_probe(const char *file, const char *g, const char *e) {
  pthread_mutex_lock(&tr_lock);
  for (int i = 0; i < tr_nprobes; i++)
    if (!strcmp(tr_probes[i].group, g) && !strcmp(tr_probes[i].event, e)) {
      tr_probes[i].live = 1;
      pthread_mutex_unlock(&tr_lock);
      return;
    }
  if (tr_nprobes < TR_MAXPROBES) {
    snprintf(tr_probes[tr_nprobes].file, PATH_MAX, "%s", file);
    snprintf(tr_probes[tr_nprobes].group, 72, "%s", g);
    snprintf(tr_probes[tr_nprobes].event, 72, "%s", e);
    tr_probes[tr_nprobes++].live = 1;
  }
  pthread_mutex_unlock(&tr_lock);
}

void tr_reg_instance(const char *path) {
  pthread_mutex_lock(&tr_lock);
  int seen = 0;
  for (int i = 0; i < tr_ninsts; i++) seen |= !strcmp(tr_insts[i], path);
  if (!seen && tr_ninsts < TR_MAXINST) snprintf(tr_insts[tr_ninsts++], PATH_MAX, "%s", path);
  pthread_mutex_unlock(&tr_lock);
}

static int tr_ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* A control-file line: one printable command whose G/E names are identifiers. */
static int tr_check_ctl_line(const char *file, const char *line, size_t len, char *g, char *e) {
  if (len == 0 || len > 4096) return 0;
  for (size_t i = 0; i < len; i++)
    if (line[i] < 0x20 || line[i] > 0x7e) return 0;
  g[0] = e[0] = 0;
  if (!tr_ends_with(file, "_events")) return 1;
  if (len < 3 || line[1] != ':' || !strchr("prfe-", line[0])) return 0;
  const char *at = line + 2, *slash = strchr(at, '/'), *end = at + strcspn(at, " ");
  if (!slash || slash > end || slash - at > 64 || end - slash - 1 > 64) return 0;
  memcpy(g, at, (size_t)(slash - at));
  g[slash - at] = 0;
  memcpy(e, slash + 1, (size_t)(end - slash - 1));
  e[end - slash - 1] = 0;
  return tr_valid_name(g) && tr_valid_name(e);
}

static void tr_raw_write(const char *path, const char *s) {
  int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t w = write(fd, s, strlen(s));
  (void)w;
  close(fd);
}

/* Removes each trigger of an event: "traceon:unlimited" -> "!traceon". */
static void tr_clear_triggers(const char *evdir) {
  char path[PATH_MAX + 16], buf[4096];
  snprintf(path, sizeof path, "%s/trigger", evdir);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return;
  buf[n] = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#') continue;
    line[strcspn(line, " [")] = 0;
    char *last = strrchr(line, ':');
    if (last && (!strcmp(last + 1, "unlimited") || (last[1] >= '0' && last[1] <= '9'))) *last = 0;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "!%s", line);
    tr_raw_write(path, cmd);
  }
}

static void tr_sleep_ms(int ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

void tr_cleanup(void) {
  pthread_mutex_lock(&tr_lock);
  if (tr_cleaned || !tr_run_id[0]) {
    pthread_mutex_unlock(&tr_lock);
    return;
  }
  tr_cleaned = 1;
  /* An open file of an instance keeps it busy: close every fd we opened. */
  for (int fd = 0; fd < TR_MAXFD; fd++)
    if (tr_fdpath[fd]) {
      close(fd);
      free(tr_fdpath[fd]);
      tr_fdpath[fd] = NULL;
    }
  if (chdir("/")) { /* a cwd inside tracefs does not block removal; best effort */
  }
  char p[PATH_MAX * 2];
  for (int i = tr_ninsts - 1; i >= 0; i--) {
    for (int j = tr_nprobes - 1; j >= 0; j--) {
      snprintf(p, sizeof p, "%s/events/%s/%s", tr_insts[i], tr_probes[j].group, tr_probes[j].event);
      tr_clear_triggers(p);
      strcat(p, "/enable");
      tr_raw_write(p, "0");
    }
    for (int t = 0; t < 20 && rmdir(tr_insts[i]) < 0 && errno == EBUSY; t++) tr_sleep_ms(50);
  }
  for (int j = tr_nprobes - 1; j >= 0; j--) {
    if (!tr_probes[j].live) continue;
    snprintf(p, sizeof p, "%s/events/%s/%s", tr_root, tr_probes[j].group, tr_probes[j].event);
    tr_clear_triggers(p);
    strcat(p, "/enable");
    tr_raw_write(p, "0");
    char line[160];
    snprintf(line, sizeof line, "-:%s/%s", tr_probes[j].group, tr_probes[j].event);
    for (int t = 0; t < 20; t++) {
      int fd = open(tr_probes[j].file, O_WRONLY | O_APPEND | O_CLOEXEC);
      if (fd < 0) break;
      ssize_t w = write(fd, line, strlen(line));
      int err = w < 0 ? errno : 0;
      close(fd);
      if (err != EBUSY) break;
      tr_sleep_ms(50);
    }
  }
  pthread_mutex_unlock(&tr_lock);
}

static void tr_on_signal(int sig) { tr_stopping = sig; }

/* Called after every wrapped call: a SIGINT/SIGTERM seen by the handler ends the run here. */
static void tr_check_stop(void) {
  if (!tr_stopping) return;
  int sig = tr_stopping;
  tr_cleanup();
  fprintf(stderr, "%s: interrupted (signal %d), cleaned up\n", tr_prog, sig);
  _exit(128 + sig);
}

/* ---- system calls, errno as data ---- */

static tr_res tr_result(long ret, int what) {
  tr_res r = {ret, ret < 0 ? errno : 0, what};
  tr_check_stop();
  return r;
}

static void tr_track(int fd, const char *path) {
  if (fd < 0 || fd >= TR_MAXFD) return;
  pthread_mutex_lock(&tr_lock);
  free(tr_fdpath[fd]);
  free(tr_fdlist[fd]);
  tr_fdpath[fd] = strdup(path);
  tr_fdlist[fd] = NULL;
  pthread_mutex_unlock(&tr_lock);
}

static const char *tr_fd_path(int fd) {
  return fd >= 0 && fd < TR_MAXFD && tr_fdpath[fd] ? tr_fdpath[fd] : "";
}

tr_res tr_open(const char *path, int flags, int mode) {
  int fd = open(path, flags | O_CLOEXEC, mode);
  int err = errno;
  tr_track(fd, path);
  errno = err;
  return tr_result(fd, TR_NUM);
}

tr_res tr_openat(int dirfd, const char *path, int flags, int mode) {
  int fd = openat(dirfd, path, flags | O_CLOEXEC, mode);
  int err = errno;
  char full[PATH_MAX * 2];
  snprintf(full, sizeof full, "%s/%s", tr_fd_path(dirfd), path);
  tr_track(fd, full);
  errno = err;
  return tr_result(fd, TR_NUM);
}

tr_res tr_close(int fd) {
  pthread_mutex_lock(&tr_lock);
  if (fd >= 0 && fd < TR_MAXFD) {
    free(tr_fdpath[fd]);
    free(tr_fdlist[fd]);
    tr_fdpath[fd] = tr_fdlist[fd] = NULL;
  }
  pthread_mutex_unlock(&tr_lock);
  return tr_result(close(fd), TR_NUM);
}

tr_res tr_read(int fd, long n) {
  if (n > TR_DATA) n = TR_DATA;
  long r = read(fd, tr_data, (size_t)n);
  tr_len = r < 0 ? 0 : r;
  tr_data[tr_len] = 0;
  return tr_result(r, TR_BYTES);
}

tr_res tr_pread(int fd, long n, long off) {
  if (n > TR_DATA) n = TR_DATA;
  long r = pread(fd, tr_data, (size_t)n, off);
  tr_len = r < 0 ? 0 : r;
  tr_data[tr_len] = 0;
  return tr_result(r, TR_BYTES);
}

/* The data as the scenario compared it: without surrounding whitespace. */
const char *tr_trimmed(void) {
  char *s = tr_data;
  while (*s == ' ' || *s == '\n' || *s == '\t') s++;
  static _Thread_local char out[TR_DATA + 1];
  snprintf(out, sizeof out, "%s", s);
  for (size_t n = strlen(out); n && (out[n - 1] == ' ' || out[n - 1] == '\n' || out[n - 1] == '\t'); n--)
    out[n - 1] = 0;
  return out;
}

static tr_res tr_write_impl(int fd, const char *s, long off, int positional) {
  const char *file = tr_fd_path(fd);
  size_t len = strlen(s);
  char g[72], e[72];
  if (tr_ends_with(file, "_events") || tr_ends_with(file, "/trigger")) {
    if (!tr_check_ctl_line(file, s, len, g, e))
      tr_die(2, "refusing to write \"%s\" to %s: not one command", s, file);
    /* Registered before the write: a signal right after it must still remove the probe. */
    if (g[0] && s[0] != '-') tr_reg_probe(file, g, e);
  }
  long r = positional ? pwrite(fd, s, len, off) : write(fd, s, len);
  return tr_result(r, TR_NUM);
}

tr_res tr_write(int fd, const char *s) { return tr_write_impl(fd, s, 0, 0); }
tr_res tr_pwrite(int fd, const char *s, long off) { return tr_write_impl(fd, s, off, 1); }
tr_res tr_lseek(int fd, long off, int whence) { return tr_result(lseek(fd, off, whence), TR_NUM); }

tr_res tr_ctl(const char *file, const char *line) {
  tr_res r = tr_open(file, O_WRONLY | O_APPEND, 0);
  if (r.err) return r;
  int fd = (int)r.ret;
  tr_res w = tr_write(fd, line);
  tr_close(fd);
  return w;
}

tr_res tr_stat(const char *path) { return tr_result(stat(path, &tr_st), TR_PLAIN); }
tr_res tr_lstat(const char *path) { return tr_result(lstat(path, &tr_st), TR_PLAIN); }
tr_res tr_fstatat(int dirfd, const char *path, int flags) {
  return tr_result(fstatat(dirfd, path, &tr_st, flags), TR_PLAIN);
}
tr_res tr_access(const char *path, int mode) { return tr_result(access(path, mode), TR_NUM); }

/* One getdents64(2); the names are appended to the fd's listing (tr_listing). */
tr_res tr_getdents64(int fd, long size) {
  static _Thread_local char buf[65536];
  if (size <= 0 || size > (long)sizeof buf) size = sizeof buf;
  long n = syscall(SYS_getdents64, fd, buf, (size_t)size);
  int err = errno;
  long count = 0;
  if (n > 0 && fd >= 0 && fd < TR_MAXFD) {
    pthread_mutex_lock(&tr_lock);
    for (long o = 0; o < n;) {
      struct {
        uint64_t ino;
        int64_t off;
        unsigned short reclen;
        unsigned char type;
        char name[];
      } *d = (void *)(buf + o);
      size_t have = tr_fdlist[fd] ? strlen(tr_fdlist[fd]) : 0, add = strlen(d->name) + 2;
      char *grown = realloc(tr_fdlist[fd], have + add + 1);
      if (grown) {
        if (!have) grown[0] = 0;
        snprintf(grown + have, add + 1, " %s ", d->name);
        tr_fdlist[fd] = grown;
      }
      count++;
      o += d->reclen;
    }
    pthread_mutex_unlock(&tr_lock);
  }
  errno = err;
  tr_res r = tr_result(n, TR_ENTRIES);
  if (!r.err) r.ret = count;
  return r;
}

/* Every name getdents64 returned on fd so far, " a b c " (empty when none). */
const char *tr_listing(int fd) { return fd >= 0 && fd < TR_MAXFD && tr_fdlist[fd] ? tr_fdlist[fd] : ""; }
int tr_has_word(const char *list, const char *w) {
  char pat[160];
  snprintf(pat, sizeof pat, " %s ", w);
  return strstr(list, pat) != NULL;
}

/* The whole listing of dir, " a b c " (NULL when it cannot be listed: errno in tr_list_err). */
static _Thread_local int tr_list_err;
const char *tr_list(const char *dir) {
  tr_res fd = tr_open(dir, O_RDONLY | O_DIRECTORY, 0);
  tr_list_err = fd.err;
  if (fd.err) return NULL;
  tr_res r;
  do r = tr_getdents64((int)fd.ret, 0);
  while (!r.err && r.ret > 0);
  tr_list_err = r.err;
  char *out = tr_slot();
  snprintf(out, TR_SLOT, "%s", tr_listing((int)fd.ret));
  tr_close((int)fd.ret);
  return tr_list_err ? NULL : out;
}

/* A small file's content without surrounding whitespace; NULL on error. */
const char *tr_slurp(const char *path) {
  tr_res fd = tr_open(path, O_RDONLY, 0);
  if (fd.err) return NULL;
  tr_res r = tr_read((int)fd.ret, TR_DATA);
  tr_close((int)fd.ret);
  return r.err ? NULL : tr_trimmed();
}

tr_res tr_chdir(const char *path) { return tr_result(chdir(path), TR_NUM); }
tr_res tr_fchdir(int fd) { return tr_result(fchdir(fd), TR_NUM); }
tr_res tr_getcwd(void) {
  long r = syscall(SYS_getcwd, tr_data, (size_t)TR_DATA);
  tr_len = r < 0 ? 0 : r;
  return tr_result(r < 0 ? -1 : 0, TR_PLAIN);
}
tr_res tr_mkdir(const char *path, int mode) {
  if (strstr(path, "/instances/")) tr_reg_instance(path);
  return tr_result(mkdir(path, (mode_t)mode), TR_NUM);
}
tr_res tr_rmdir(const char *path) { return tr_result(rmdir(path), TR_NUM); }
tr_res tr_chmod(const char *path, int mode) { return tr_result(chmod(path, (mode_t)mode), TR_NUM); }
tr_res tr_fchmod(int fd, int mode) { return tr_result(fchmod(fd, (mode_t)mode), TR_NUM); }
tr_res tr_chown(const char *path, long uid, long gid) {
  return tr_result(chown(path, (uid_t)uid, (gid_t)gid), TR_NUM);
}
tr_res tr_fchown(int fd, long uid, long gid) { return tr_result(fchown(fd, (uid_t)uid, (gid_t)gid), TR_NUM); }

/* ---- health counters ---- */

static const char *const tr_counter_paths[3] = {"/sys/kernel/oops_count", "/sys/kernel/warn_count",
                                                "/proc/sys/kernel/tainted"};
static const char *const tr_counter_names[3] = {"oops_count", "warn_count", "tainted"};
static long tr_counters_before[3];

static long tr_read_counter(const char *path) {
  char buf[64];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1; /* absent on old kernels: skipped */
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  return strtol(buf, NULL, 10);
}

const char *tr_health_rise(void) {
  static char buf[128];
  for (int i = 0; i < 3; i++) {
    if (tr_counters_before[i] < 0) continue;
    long now = tr_read_counter(tr_counter_paths[i]);
    if (now > tr_counters_before[i] || (i == 2 && now >= 0 && now != tr_counters_before[i])) {
      snprintf(buf, sizeof buf, "%s %ld -> %ld", tr_counter_names[i], tr_counters_before[i], now);
      return buf;
    }
  }
  return NULL;
}

void tr_pause(void) {
  if (tr_wait_ms <= 0) return;
  tr_log("waiting %ld ms before the last step", tr_wait_ms);
  for (long left = tr_wait_ms; left > 0 && !tr_stopping; left -= 10) tr_sleep_ms(10);
  tr_check_stop();
}

/* ---- verdicts ---- */

void tr_reproduced(const char *op, const char *path, const char *expected, const char *got) {
  tr_check_stop();
  printf("REPRODUCED: %s %s: expected %s, got %s\n", op, path, expected, got);
  fflush(stdout);
  tr_cleanup();
  exit(1);
}

void tr_finish(void) {
  tr_check_stop();
  tr_cleanup();
  const char *rise = tr_health_rise();
  if (rise) {
    printf("REPRODUCED: %s\n", rise);
    fflush(stdout);
    exit(1);
  }
  printf("not reproduced\n");
  fflush(stdout);
  exit(0);
}

/* ---- setup ---- */

static int tr_is_tracefs(const char *path) {
  struct statfs sf;
  return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == TR_TRACEFS_MAGIC;
}

static void tr_find_tracefs(const char *forced) {
  if (forced) {
    if (!tr_is_tracefs(forced)) tr_die(4, "%s is not a tracefs mount", forced);
    snprintf(tr_root, sizeof tr_root, "%s", forced);
    return;
  }
  const char *cands[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
  for (int i = 0; i < 2; i++)
    if (tr_is_tracefs(cands[i])) {
      snprintf(tr_root, sizeof tr_root, "%s", cands[i]);
      return;
    }
  if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
      tr_is_tracefs("/sys/kernel/tracing")) {
    tr_log("mounted tracefs on /sys/kernel/tracing");
    snprintf(tr_root, sizeof tr_root, "%s", "/sys/kernel/tracing");
    return;
  }
  tr_die(4,
         "no tracefs: not at /sys/kernel/tracing or /sys/kernel/debug/tracing, and mounting it failed (%s)",
         tr_errname(errno));
}

static uint64_t tr_elf_u(const unsigned char *h, uint64_t o, int w, int le) {
  uint64_t v = 0;
  for (int i = 0; i < w; i++) v |= (uint64_t)h[o + (uint64_t)(le ? i : w - 1 - i)] << (8 * i);
  return v;
}

/* The file offset of the ELF entry point (the kernel wants a file offset in an executable segment). */
static long tr_entry_offset(const char *path) {
  unsigned char h[65536];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, h, sizeof h);
  close(fd);
  if (n < 64 || memcmp(h, "\177ELF", 4)) return -1;
  int is64 = h[4] == 2, le = h[5] == 1;
#define TR_U(o, w) tr_elf_u(h, (o), (w), le)
  uint64_t entry = is64 ? TR_U(24, 8) : TR_U(24, 4);
  uint64_t phoff = is64 ? TR_U(32, 8) : TR_U(28, 4);
  unsigned phentsize = (unsigned)TR_U(is64 ? 54 : 42, 2), phnum = (unsigned)TR_U(is64 ? 56 : 44, 2);
  for (unsigned i = 0; i < phnum; i++) {
    uint64_t o = phoff + (uint64_t)i * phentsize;
    if (o + phentsize > (uint64_t)n) return -1;
    uint32_t type = (uint32_t)TR_U(o, 4), flags = (uint32_t)(is64 ? TR_U(o + 4, 4) : TR_U(o + 24, 4));
    uint64_t off = is64 ? TR_U(o + 8, 8) : TR_U(o + 4, 4), vaddr = is64 ? TR_U(o + 16, 8) : TR_U(o + 8, 4);
    uint64_t filesz = is64 ? TR_U(o + 32, 8) : TR_U(o + 16, 4);
    if (type == 1 && (flags & 1) && entry >= vaddr && entry < vaddr + filesz)
      return (long)(entry - vaddr + off);
  }
#undef TR_U
  return -1;
}

static int tr_safe_path(const char *p) {
  if (p[0] != '/') return 0;
  for (; *p; p++)
    if (!(*p == '/' || *p == '_' || *p == '.' || *p == '+' || *p == '-' || (*p >= '0' && *p <= '9') ||
          (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
      return 0;
  return 1;
}

static void tr_resolve_target(const char *symbol) {
  if (!strcmp(tr_kind, "uprobe")) {
    const char *bins[] = {"/bin/true", "/usr/bin/true"};
    for (int i = 0; i < 2; i++) {
      char real[PATH_MAX];
      if (!realpath(bins[i], real) || !tr_safe_path(real)) continue;
      long off = tr_entry_offset(real);
      if (off < 0) continue;
      snprintf(tr_target, sizeof tr_target, "%s:0x%lx", real, off);
      return;
    }
    tr_die(4, "no /bin/true whose ELF entry point could be read for the uprobe");
  }
  if (!symbol || !*symbol) tr_die(2, "no kernel symbol given for the %s", tr_kind);
  for (const char *p = symbol; *p; p++)
    if (!(*p == '_' || *p == '.' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
          (*p >= 'A' && *p <= 'Z')))
      tr_die(2, "kernel symbol \"%s\" is not a plain name", symbol);
  snprintf(tr_target, sizeof tr_target, "%s", symbol);
}

static void tr_make_run_id(void) {
  unsigned char r[3] = {0, 0, 0};
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || read(fd, r, 3) != 3) {
    unsigned long t = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 8) ^ (unsigned long)clock();
    r[0] = (unsigned char)t, r[1] = (unsigned char)(t >> 8), r[2] = (unsigned char)(t >> 16);
  }
  if (fd >= 0) close(fd);
  snprintf(tr_run_id, sizeof tr_run_id, "tfsr_%d_%02x%02x%02x", (int)getpid(), r[0], r[1], r[2]);
}

static void tr_at_exit(void) { tr_cleanup(); }

void tr_init(int argc, char **argv, const char *kind, const char *symbol) {
  const char *forced = NULL;
  if (argc > 0 && argv[0]) tr_prog = argv[0];
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-q")) tr_quiet = 1;
    else if (!strcmp(argv[i], "-r") && i + 1 < argc) forced = argv[++i];
    else if (!strcmp(argv[i], "-w") && i + 1 < argc) tr_wait_ms = strtol(argv[++i], NULL, 10);
    else {
      FILE *out = strcmp(argv[i], "-h") ? stderr : stdout;
      fprintf(out,
              "usage: %s [-r TRACEFS] [-q] [-w MS] [-h]\n"
              "  -r TRACEFS  use this tracefs mount (default: /sys/kernel/tracing, then "
              "/sys/kernel/debug/tracing)\n"
              "  -q          quiet: only the verdict line\n"
              "  -w MS       wait MS milliseconds before the last step\n"
              "exit: 0 not reproduced, 1 reproduced, 2 usage, 4 kernel lacks what is needed\n",
              tr_prog);
      exit(out == stdout ? 0 : 2);
    }
  }
  tr_find_tracefs(forced);
  snprintf(tr_kind, sizeof tr_kind, "%s", kind ? kind : "");
  if (kind) {
    if (access(tr_probe_file(), F_OK)) {
      printf("kernel lacks %s_events\n", kind);
      exit(4);
    }
    tr_resolve_target(symbol);
  }
  for (int i = 0; i < 3; i++) tr_counters_before[i] = tr_read_counter(tr_counter_paths[i]);
  tr_make_run_id();
  if (!tr_valid_name(tr_run_id)) tr_die(2, "internal: bad run id %s", tr_run_id);
  atexit(tr_at_exit);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = tr_on_signal; /* no SA_RESTART: a blocked call returns EINTR */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  tr_log("tracefs %s, run id %s%s%s", tr_root, tr_run_id, kind ? ", probe site " : "", kind ? tr_target : "");
}
