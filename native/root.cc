// SPDX-License-Identifier: GPL-2.0-only
// Resolution of tracefs paths against the registered root fd (see root.h).
#include "root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <string>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

namespace tfsr {
namespace {

constexpr long kTracefsMagic = 0x74726163;
constexpr uint64_t kResolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

// Kernels before 5.6 have no openat2: learned once, then openat + checks.
std::atomic<bool> g_no_openat2{false};
// faccessat2 (5.8) and fchmodat2 (6.6) take AT_EMPTY_PATH; before them the
// fd's /proc/self/fd link stands in (it names the fd's file, not a path).
std::atomic<bool> g_no_faccessat2{false};
std::atomic<bool> g_no_fchmodat2{false};

// Each JS thread (main or worker) has its own root; the race engine keeps a
// reference of its own for its threads.
thread_local std::shared_ptr<const Root> t_root;

bool writes(int flags) {
  return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND)) != 0;
}

// A root path as realpath(3) gives it: absolute, not "/", no empty, "." or
// ".." component, no trailing slash.
bool canonical(const std::string& p) {
  if (p.size() < 2 || p[0] != '/' || p.back() == '/') return false;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string_view c(p.data() + i, j - i);
    if (c.empty() || c == "." || c == "..") return false;
    i = j + 1;
  }
  return true;
}

int fail(int e) {
  errno = e;
  return -1;
}

std::string proc_fd(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// Runs f(fd) and closes fd, keeping f's errno.
template <typename F>
int on_fd_then_close(int fd, F f) {
  if (fd < 0) return -1;
  int r = f(fd);
  int e = errno;
  ::close(fd);
  errno = e;
  return r;
}

int access_fd(int fd, int mode) {
  if (!g_no_faccessat2.load(std::memory_order_relaxed)) {
    long r = ::syscall(SYS_faccessat2, fd, "", mode, AT_EMPTY_PATH);
    if (r == 0 || errno != ENOSYS) return static_cast<int>(r);
    g_no_faccessat2.store(true, std::memory_order_relaxed);
  }
  return ::access(proc_fd(fd).c_str(), mode);
}

int chmod_fd(int fd, mode_t mode) {
  if (!g_no_fchmodat2.load(std::memory_order_relaxed)) {
    long r = ::syscall(SYS_fchmodat2, fd, "", mode, AT_EMPTY_PATH);
    if (r == 0 || errno != ENOSYS) return static_cast<int>(r);
    g_no_fchmodat2.store(true, std::memory_order_relaxed);
  }
  return ::chmod(proc_fd(fd).c_str(), mode);
}

}  // namespace

Where split_root_path(std::string_view prefix, const char* path, const char** rel) {
  const size_t n = prefix.size();
  if (n == 0 || path[0] != '/' || strncmp(path, prefix.data(), n) != 0) return Where::Outside;
  if (path[n] != '\0' && path[n] != '/') return Where::Outside;  // /sys/kernel/tracing2
  const char* p = path + n;
  while (*p == '/') p++;
  if (*p == '\0') {
    *rel = ".";
    return Where::Inside;
  }
  // RESOLVE_BENEATH would keep "events/../x" inside, but the fallbacks and
  // the *at calls cannot: a ".." under the root is refused everywhere.
  for (const char* c = p; *c;) {
    const char* e = strchr(c, '/');
    size_t len = e ? static_cast<size_t>(e - c) : strlen(c);
    if (len == 2 && c[0] == '.' && c[1] == '.') return Where::Escapes;
    if (!e) break;
    c = e + 1;
  }
  *rel = p;
  return Where::Inside;
}

std::shared_ptr<const Root> Root::open(const std::string& path, std::vector<std::string> writable, int* err) {
  if (!canonical(path)) {
    *err = EINVAL;
    return nullptr;
  }
  int fd = ::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return nullptr;
  }
  struct statfs sf;
  struct stat st;
  if (::fstatfs(fd, &sf) < 0 || ::fstat(fd, &st) < 0) {
    *err = errno;
    ::close(fd);
    return nullptr;
  }
  if (static_cast<long>(sf.f_type) != kTracefsMagic) {
    *err = EMEDIUMTYPE;  // not tracefs
    ::close(fd);
    return nullptr;
  }
  std::shared_ptr<Root> r(new Root());
  r->fd_ = fd;
  r->dev_ = st.st_dev;
  r->path_ = path;
  r->writable_ = std::move(writable);
  return r;
}

Root::~Root() {
  if (fd_ >= 0) ::close(fd_);
}

bool Root::may_write_outside(const char* path) const {
  for (const auto& w : writable_)
    if (w == path) return true;
  return false;
}

int Root::open_beneath(const char* rel, int flags, mode_t mode) const {
  if (!g_no_openat2.load(std::memory_order_relaxed)) {
    // openat2 refuses (EINVAL) what open(2) silently drops: flags beside
    // O_PATH other than O_DIRECTORY|O_NOFOLLOW, a mode without O_CREAT, mode
    // bits beyond 07777. Drop them as open(2) does, so both mean the same.
    int f = flags & O_PATH ? flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW) : flags;
    struct open_how how {};
    how.flags = static_cast<uint64_t>(static_cast<unsigned>(f | O_CLOEXEC));
    how.mode = (f & (O_CREAT | __O_TMPFILE)) ? (mode & 07777) : 0;
    how.resolve = kResolve;
    long fd = ::syscall(SYS_openat2, fd_, rel, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS) return static_cast<int>(fd);
    g_no_openat2.store(true, std::memory_order_relaxed);
  }
  // No openat2: relative to the fd, no ".." (split_root_path), the last
  // component not a symlink, and the file found on the root's device.
  int fd = ::openat(fd_, rel, flags | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return -1;
  struct stat st;
  if (::fstat(fd, &st) < 0 || st.st_dev != dev_) {
    ::close(fd);
    return fail(EXDEV);
  }
  return fd;
}

int Root::open(const char* path, int flags, mode_t mode) const {
  const char* rel;
  switch (split_root_path(path_, path, &rel)) {
    case Where::Inside: return open_beneath(rel, flags, mode);
    case Where::Escapes: return fail(EXDEV);
    case Where::Outside: break;
  }
  if (writes(flags) && !may_write_outside(path)) return fail(EXDEV);
  return ::open(path, flags | O_CLOEXEC, mode);
}

int Root::stat(const char* path, struct stat* st, bool nofollow) const {
  const char* rel;
  switch (split_root_path(path_, path, &rel)) {
    case Where::Inside:
      if (::fstatat(fd_, rel, st, AT_SYMLINK_NOFOLLOW) < 0) return -1;
      return st->st_dev == dev_ ? 0 : fail(EXDEV);
    case Where::Escapes: return fail(EXDEV);
    case Where::Outside: break;
  }
  return nofollow ? ::lstat(path, st) : ::stat(path, st);
}

// The last component is resolved beneath the root too (an O_PATH fd through
// open_beneath), so a mount on it is refused (EXDEV), not crossed.
int Root::access(const char* path, int mode) const {
  const char* rel;
  switch (split_root_path(path_, path, &rel)) {
    case Where::Inside:
      return on_fd_then_close(open_beneath(rel, O_PATH, 0), [mode](int fd) { return access_fd(fd, mode); });
    case Where::Escapes: return fail(EXDEV);
    case Where::Outside: break;
  }
  return ::access(path, mode);
}

int Root::parent(const char* rel, std::string* base) const {
  std::string r(rel);
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  size_t slash = r.rfind('/');
  if (slash == std::string::npos) {
    *base = r;
    return ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  }
  *base = r.substr(slash + 1);
  return open_beneath(r.substr(0, slash).c_str(), O_PATH | O_DIRECTORY, 0);
}

// mkdir, rmdir and unlink inside the root: the parent resolved beneath the
// root, the last component done relative to it.
#define TFSR_IN_PARENT(call_inside, call_outside)   \
  const char* rel;                                  \
  switch (split_root_path(path_, path, &rel)) {     \
    case Where::Inside: {                           \
      std::string base;                             \
      int dir = parent(rel, &base);                 \
      if (dir < 0) return -1;                       \
      int r = (call_inside);                        \
      int e = errno;                                \
      ::close(dir);                                 \
      errno = e;                                    \
      return r;                                     \
    }                                               \
    case Where::Escapes: return fail(EXDEV);        \
    case Where::Outside: break;                     \
  }                                                 \
  if (!may_write_outside(path)) return fail(EXDEV); \
  return (call_outside);

int Root::mkdir(const char* path, mode_t mode) const {
  TFSR_IN_PARENT(::mkdirat(dir, base.c_str(), mode), ::mkdir(path, mode))
}
int Root::rmdir(const char* path) const {
  TFSR_IN_PARENT(::unlinkat(dir, base.c_str(), AT_REMOVEDIR), ::rmdir(path))
}
int Root::unlink(const char* path) const { TFSR_IN_PARENT(::unlinkat(dir, base.c_str(), 0), ::unlink(path)) }
#undef TFSR_IN_PARENT

// chmod and chown inside the root: the whole path, last component included,
// opened O_PATH beneath the root (a mount on the last component is EXDEV,
// not followed), then the change made through that fd.
int Root::on_file(const char* path, const std::function<int(int)>& inside,
                  const std::function<int()>& outside) const {
  const char* rel;
  switch (split_root_path(path_, path, &rel)) {
    case Where::Inside: return on_fd_then_close(open_beneath(rel, O_PATH, 0), inside);
    case Where::Escapes: return fail(EXDEV);
    case Where::Outside: break;
  }
  if (!may_write_outside(path)) return fail(EXDEV);
  return outside();
}

int Root::chmod(const char* path, mode_t mode) const {
  return on_file(
      path, [mode](int fd) { return chmod_fd(fd, mode); }, [path, mode] { return ::chmod(path, mode); });
}
int Root::chown(const char* path, uid_t uid, gid_t gid) const {
  return on_file(
      path, [uid, gid](int fd) { return ::fchownat(fd, "", uid, gid, AT_EMPTY_PATH); },
      [path, uid, gid] { return ::chown(path, uid, gid); });
}

int Root::chdir(const char* path) const {
  const char* rel;
  switch (split_root_path(path_, path, &rel)) {
    case Where::Inside: {
      int dir = open_beneath(rel, O_PATH | O_DIRECTORY, 0);
      if (dir < 0) return -1;
      int r = ::fchdir(dir);
      int e = errno;
      ::close(dir);
      errno = e;
      return r;
    }
    case Where::Escapes: return fail(EXDEV);
    case Where::Outside: break;
  }
  return ::chdir(path);
}

void set_openat2_disabled(bool disabled) {
  // The fallback kernel (< 5.6) has neither faccessat2 nor fchmodat2 either.
  g_no_openat2.store(disabled);
  g_no_faccessat2.store(disabled);
  g_no_fchmodat2.store(disabled);
}

std::shared_ptr<const Root> current_root() { return t_root; }
const Root* root_here() { return t_root.get(); }
void set_current_root(std::shared_ptr<const Root> r) { t_root = std::move(r); }

int r_open(const Root* r, const char* path, int flags, mode_t mode) {
  return r ? r->open(path, flags, mode) : ::open(path, flags | O_CLOEXEC, mode);
}
int r_stat(const Root* r, const char* path, struct stat* st, bool nofollow) {
  if (r) return r->stat(path, st, nofollow);
  return nofollow ? ::lstat(path, st) : ::stat(path, st);
}
int r_access(const Root* r, const char* path, int mode) {
  return r ? r->access(path, mode) : ::access(path, mode);
}
int r_mkdir(const Root* r, const char* path, mode_t mode) {
  return r ? r->mkdir(path, mode) : ::mkdir(path, mode);
}
int r_rmdir(const Root* r, const char* path) { return r ? r->rmdir(path) : ::rmdir(path); }
int r_chmod(const Root* r, const char* path, mode_t mode) {
  return r ? r->chmod(path, mode) : ::chmod(path, mode);
}
int r_chown(const Root* r, const char* path, uid_t uid, gid_t gid) {
  return r ? r->chown(path, uid, gid) : ::chown(path, uid, gid);
}
int r_unlink(const Root* r, const char* path) { return r ? r->unlink(path) : ::unlink(path); }
int r_chdir(const Root* r, const char* path) { return r ? r->chdir(path) : ::chdir(path); }

}  // namespace tfsr
