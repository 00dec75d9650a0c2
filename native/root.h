/* SPDX-License-Identifier: GPL-2.0-only */
// The registered tracefs root: one O_PATH|O_DIRECTORY fd, opened once, that
// every path-taking call resolves tracefs paths against. A path equal to the
// root's path or under `root/` is not handed to the kernel as a string (a
// mount or symlink swapped over the root after the check would redirect it):
// it becomes (root fd, relative) and is resolved with openat2(RESOLVE_BENEATH
// | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV), or with
// the *at calls where openat2 does not apply. While a root is set, a call
// that writes (a write-mode open, mkdir, rmdir, unlink, chmod, chown) to a path outside it
// fails with EXDEV unless the path is one of the root's exact `writable`
// exceptions (/proc/sys/vm/drop_caches). chmod, chown and access resolve the
// last component beneath the root too (an O_PATH fd, then the call on it), so
// a mount on the file itself is EXDEV. Without a root, paths pass through.
#pragma once
#include <sys/stat.h>
#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tfsr {

// How a path relates to a root path (absolute, no trailing slash).
enum class Where {
  Outside,  // not the root and not under it (relative paths, /sys/kernel/tracing2)
  Inside,   // the root itself or under it; *rel is the rest ("." for the root)
  Escapes,  // under the root's path but with a ".." component: refused (EXDEV)
};

// Pure: splits `path` against `prefix`. `rel` points into `path` (or at "."),
// so the hot path allocates nothing. Repeated slashes after the prefix are
// skipped; "." components are left to the kernel.
Where split_root_path(std::string_view prefix, const char* path, const char** rel);

class Root {
 public:
  // Opens `path` O_PATH|O_DIRECTORY|O_CLOEXEC and requires fstatfs f_type
  // TRACEFS_MAGIC on the fd. nullptr with errno set on failure (ENOTDIR,
  // EXDEV when the filesystem is not tracefs, EINVAL for a non-absolute path).
  static std::shared_ptr<const Root> open(const std::string& path, std::vector<std::string> writable,
                                          int* err);
  ~Root();
  Root(const Root&) = delete;
  Root& operator=(const Root&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

  // Each does the syscall its name says, resolving `path` as described at
  // the top; -1 (or the call's failure value) with errno set on failure.
  int open(const char* path, int flags, mode_t mode = 0) const;
  // stat and lstat: inside the root both are lstat relative to the fd (tracefs
  // has no symlinks), and the result must be on the root's device.
  int stat(const char* path, struct stat* st, bool nofollow) const;
  int access(const char* path, int mode) const;
  int mkdir(const char* path, mode_t mode) const;
  int rmdir(const char* path) const;
  int unlink(const char* path) const;
  int chmod(const char* path, mode_t mode) const;
  int chown(const char* path, uid_t uid, gid_t gid) const;
  int chdir(const char* path) const;

 private:
  Root() = default;
  // An O_PATH|O_DIRECTORY fd of rel's parent, beneath the root, and its last
  // component; for the calls that take a name in a directory.
  int parent(const char* rel, std::string* base) const;
  bool may_write_outside(const char* path) const;
  // chmod/chown: inside(fd) on an O_PATH fd of the whole path beneath the
  // root, or outside() for a path outside it that may be written.
  int on_file(const char* path, const std::function<int(int)>& inside,
              const std::function<int()>& outside) const;
  int open_beneath(const char* rel, int flags, mode_t mode) const;

  int fd_ = -1;
  dev_t dev_ = 0;
  std::string path_;
  std::vector<std::string> writable_;
};

// Tests: pretend the kernel has no openat2 (the < 5.6 fallback), or stop pretending.
void set_openat2_disabled(bool disabled);

// The process's current root (nullptr when none). The race engine takes its
// own reference at start, so clearing the root never pulls it from a running
// race.
std::shared_ptr<const Root> current_root();
// The calling thread's root, borrowed (for calls that finish before it returns).
const Root* root_here();
void set_current_root(std::shared_ptr<const Root> r);

// The same calls through the current root, or plain when none is set.
int r_open(const Root* r, const char* path, int flags, mode_t mode = 0);
int r_stat(const Root* r, const char* path, struct stat* st, bool nofollow = false);
int r_access(const Root* r, const char* path, int mode);
int r_mkdir(const Root* r, const char* path, mode_t mode);
int r_rmdir(const Root* r, const char* path);
int r_chmod(const Root* r, const char* path, mode_t mode);
int r_chown(const Root* r, const char* path, uid_t uid, gid_t gid);
int r_unlink(const Root* r, const char* path);
int r_chdir(const Root* r, const char* path);

}  // namespace tfsr
