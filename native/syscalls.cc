// SPDX-License-Identifier: GPL-2.0-only
// Raw system calls for tracefs work. Each returns its result, or a cached
// SysError (see sys_error.h) when the call fails: tracefs answers most of
// what we ask with ENOENT, and that must be cheap to receive. The path-taking
// calls (open, stat, lstat, access, chdir, mkdir, rmdir) resolve paths under
// the registered tracefs root through its fd (root.h), and so do openat and
// fstatat with AT_FDCWD; with a real dirfd they take it as given.
#include "syscalls.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "root.h"
#include "sys_error.h"

namespace tfsr {
namespace {

// Argument checks throw a usage line: they are programming errors, not data.
bool usage(const Napi::CallbackInfo& info, const char* line) {
  // A getter that threw left its exception pending: a second throw aborts.
  if (!info.Env().IsExceptionPending()) Napi::TypeError::New(info.Env(), line).ThrowAsJavaScriptException();
  return false;
}

bool want_string(const Napi::CallbackInfo& info, size_t i, const char* line, std::string* out) {
  if (info.Length() <= i || !info[i].IsString()) return usage(info, line);
  *out = info[i].As<Napi::String>().Utf8Value();
  if (out->find('\0') != std::string::npos) return usage(info, line);
  return true;
}

// An integral JS number in [lo, hi] (by default an int). Truncating would
// turn NaN, 1.7 or 2**32+18 into fd 0, 1 or 18: a write to the wrong file.
bool want_int(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out, bool optional = false,
              int64_t dflt = 0, int64_t lo = INT32_MIN, int64_t hi = INT32_MAX) {
  if (info.Length() <= i || info[i].IsUndefined()) {
    if (optional) {
      *out = dflt;
      return true;
    }
    return usage(info, line);
  }
  if (!info[i].IsNumber()) return usage(info, line);
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::trunc(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi))
    return usage(info, line);
  *out = static_cast<int64_t>(d);
  return true;
}

// A file descriptor: 0..INT_MAX.
bool want_fd(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out) {
  return want_int(info, i, line, out, false, 0, 0, INT32_MAX);
}

// A directory fd for the *at calls: an fd or AT_FDCWD.
bool want_dirfd(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out) {
  if (!want_int(info, i, line, out)) return false;
  return *out >= 0 || *out == AT_FDCWD ? true : usage(info, line);
}

// A file offset: what a JS number holds exactly (|x| <= 2^53 - 1), never negative for pread/pwrite.
constexpr int64_t kMaxSafe = 9007199254740991;
bool want_offset(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out, bool signed_ok) {
  return want_int(info, i, line, out, false, 0, signed_ok ? -kMaxSafe : 0, kMaxSafe);
}

Napi::Value num_or_err(Napi::Env env, Sys s, long r) {
  if (r < 0) return sys_error(env, s, errno);
  return Napi::Number::New(env, static_cast<double>(r));
}

Napi::Value stat_obj(Napi::Env env, const struct stat& st) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("dev", Napi::Number::New(env, static_cast<double>(st.st_dev)));
  o.Set("ino", Napi::Number::New(env, static_cast<double>(st.st_ino)));
  o.Set("mode", Napi::Number::New(env, st.st_mode));
  o.Set("nlink", Napi::Number::New(env, static_cast<double>(st.st_nlink)));
  o.Set("uid", Napi::Number::New(env, st.st_uid));
  o.Set("gid", Napi::Number::New(env, st.st_gid));
  o.Set("size", Napi::Number::New(env, static_cast<double>(st.st_size)));
  return o;
}

// Bytes to write: a string (UTF-8) or a Buffer, sent in one write(2).
bool want_data(const Napi::CallbackInfo& info, size_t i, std::string* out) {
  if (info.Length() > i && info[i].IsBuffer()) {
    auto b = info[i].As<Napi::Buffer<char>>();
    out->assign(b.Data(), b.Length());
    return true;
  }
  if (info.Length() > i && info[i].IsString()) {
    *out = info[i].As<Napi::String>().Utf8Value();
    return true;
  }
  return usage(info, "write(fd, data: string | Buffer): data must be a string or Buffer");
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  std::string path;
  int64_t flags, mode;
  if (!want_string(info, 0, "open(path: string, flags: number, mode?: number)", &path) ||
      !want_int(info, 1, "open(path: string, flags: number, mode?: number)", &flags) ||
      !want_int(info, 2, "open(path: string, flags: number, mode?: number)", &mode, true, 0))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Open,
                    r_open(root_here(), path.c_str(), static_cast<int>(flags), static_cast<mode_t>(mode)));
}

Napi::Value Openat(const Napi::CallbackInfo& info) {
  const char* u = "openat(dirfd: number, path: string, flags: number, mode?: number)";
  int64_t dirfd, flags, mode;
  std::string path;
  if (!want_dirfd(info, 0, u, &dirfd) || !want_string(info, 1, u, &path) || !want_int(info, 2, u, &flags) ||
      !want_int(info, 3, u, &mode, true, 0))
    return info.Env().Undefined();
  // AT_FDCWD, or an absolute path (the kernel ignores dirfd then), is the
  // same lookup as open(): resolved beneath the root, a write outside it EXDEV.
  if (dirfd == AT_FDCWD || path[0] == '/')
    return num_or_err(info.Env(), Sys::Openat,
                      r_open(root_here(), path.c_str(), static_cast<int>(flags), static_cast<mode_t>(mode)));
  return num_or_err(info.Env(), Sys::Openat,
                    ::openat(static_cast<int>(dirfd), path.c_str(), static_cast<int>(flags) | O_CLOEXEC,
                             static_cast<mode_t>(mode)));
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!want_fd(info, 0, "close(fd: number)", &fd)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Close, ::close(static_cast<int>(fd)));
}

Napi::Value DoRead(const Napi::CallbackInfo& info, bool positional) {
  const char* u =
      positional ? "pread(fd: number, length: number, offset: number)" : "read(fd: number, length: number)";
  int64_t fd, len, off = 0;
  if (!want_fd(info, 0, u, &fd) || !want_int(info, 1, u, &len) ||
      (positional && !want_offset(info, 2, u, &off, false)))
    return info.Env().Undefined();
  if (len < 0 || len > (1 << 26)) {
    usage(info, "read length must be 0..64 MiB");
    return info.Env().Undefined();
  }
  std::vector<char> buf(static_cast<size_t>(len));
  ssize_t r = positional ? ::pread(static_cast<int>(fd), buf.data(), buf.size(), off)
                         : ::read(static_cast<int>(fd), buf.data(), buf.size());
  if (r < 0) return sys_error(info.Env(), positional ? Sys::Pread : Sys::Read, errno);
  return Napi::Buffer<char>::Copy(info.Env(), buf.data(), static_cast<size_t>(r));
}
Napi::Value Read(const Napi::CallbackInfo& info) { return DoRead(info, false); }
Napi::Value Pread(const Napi::CallbackInfo& info) { return DoRead(info, true); }

Napi::Value DoWrite(const Napi::CallbackInfo& info, bool positional) {
  const char* u = positional ? "pwrite(fd: number, data: string | Buffer, offset: number)"
                             : "write(fd: number, data: string | Buffer)";
  int64_t fd, off = 0;
  std::string data;
  if (!want_fd(info, 0, u, &fd) || !want_data(info, 1, &data) ||
      (positional && !want_offset(info, 2, u, &off, false)))
    return info.Env().Undefined();
  // One write(2) for the whole string: a tracefs control file parses each
  // write as one command, so a split write would be two broken commands.
  ssize_t r = positional ? ::pwrite(static_cast<int>(fd), data.data(), data.size(), off)
                         : ::write(static_cast<int>(fd), data.data(), data.size());
  return num_or_err(info.Env(), positional ? Sys::Pwrite : Sys::Write, r);
}
Napi::Value Write(const Napi::CallbackInfo& info) { return DoWrite(info, false); }
Napi::Value Pwrite(const Napi::CallbackInfo& info) { return DoWrite(info, true); }

Napi::Value Lseek(const Napi::CallbackInfo& info) {
  const char* u = "lseek(fd: number, offset: number, whence: number)";
  int64_t fd, off, whence;
  if (!want_fd(info, 0, u, &fd) || !want_offset(info, 1, u, &off, true) || !want_int(info, 2, u, &whence))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Lseek, ::lseek(static_cast<int>(fd), off, static_cast<int>(whence)));
}

Napi::Value DoStat(const Napi::CallbackInfo& info, bool nofollow) {
  std::string path;
  if (!want_string(info, 0, nofollow ? "lstat(path: string)" : "stat(path: string)", &path))
    return info.Env().Undefined();
  struct stat st;
  int r = r_stat(root_here(), path.c_str(), &st, nofollow);
  if (r < 0) return sys_error(info.Env(), nofollow ? Sys::Lstat : Sys::Stat, errno);
  return stat_obj(info.Env(), st);
}
Napi::Value Stat(const Napi::CallbackInfo& info) { return DoStat(info, false); }
Napi::Value Lstat(const Napi::CallbackInfo& info) { return DoStat(info, true); }

Napi::Value Fstatat(const Napi::CallbackInfo& info) {
  const char* u = "fstatat(dirfd: number, path: string, flags?: number)";
  int64_t dirfd, flags;
  std::string path;
  if (!want_dirfd(info, 0, u, &dirfd) || !want_string(info, 1, u, &path) ||
      !want_int(info, 2, u, &flags, true, 0))
    return info.Env().Undefined();
  struct stat st;
  // AT_FDCWD or an absolute path (without AT_EMPTY_PATH) is stat or lstat: resolved beneath the root.
  int r = (dirfd == AT_FDCWD || path[0] == '/') && (flags & ~AT_SYMLINK_NOFOLLOW) == 0
              ? r_stat(root_here(), path.c_str(), &st, (flags & AT_SYMLINK_NOFOLLOW) != 0)
              : ::fstatat(static_cast<int>(dirfd), path.c_str(), &st, static_cast<int>(flags));
  if (r < 0) return sys_error(info.Env(), Sys::Fstatat, errno);
  return stat_obj(info.Env(), st);
}

Napi::Value Access(const Napi::CallbackInfo& info) {
  const char* u = "access(path: string, mode: number)";
  std::string path;
  int64_t mode;
  if (!want_string(info, 0, u, &path) || !want_int(info, 1, u, &mode)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Access, r_access(root_here(), path.c_str(), static_cast<int>(mode)));
}

struct linux_dirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

// One getdents64(2) call: the entries it returned ([] at the end of the
// directory). Callers loop; a stale directory may answer EINVAL on a later call.
Napi::Value Getdents64(const Napi::CallbackInfo& info) {
  const char* u = "getdents64(fd: number, bufferSize?: number)";
  int64_t fd, size;
  if (!want_fd(info, 0, u, &fd) || !want_int(info, 1, u, &size, true, 32768)) return info.Env().Undefined();
  if (size < 512 || size > (1 << 24)) {
    usage(info, "getdents64 bufferSize must be 512..16 MiB");
    return info.Env().Undefined();
  }
  std::vector<char> buf(static_cast<size_t>(size));
  long n = ::syscall(SYS_getdents64, static_cast<int>(fd), buf.data(), buf.size());
  if (n < 0) return sys_error(info.Env(), Sys::Getdents64, errno);
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (long pos = 0; pos < n;) {
    auto* d = reinterpret_cast<linux_dirent64*>(buf.data() + pos);
    Napi::Object e = Napi::Object::New(env);
    e.Set("name", Napi::String::New(env, d->d_name));
    e.Set("type", Napi::Number::New(env, d->d_type));
    e.Set("ino", Napi::Number::New(env, static_cast<double>(d->d_ino)));
    out.Set(i++, e);
    pos += d->d_reclen;
  }
  return out;
}

Napi::Value Chdir(const Napi::CallbackInfo& info) {
  std::string path;
  if (!want_string(info, 0, "chdir(path: string)", &path)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Chdir, r_chdir(root_here(), path.c_str()));
}

Napi::Value Fchdir(const Napi::CallbackInfo& info) {
  int64_t fd;
  if (!want_fd(info, 0, "fchdir(fd: number)", &fd)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Fchdir, ::fchdir(static_cast<int>(fd)));
}

Napi::Value Getcwd(const Napi::CallbackInfo& info) {
  char buf[4096];
  // The raw syscall: glibc's getcwd() may synthesize a path for a deleted cwd.
  long r = ::syscall(SYS_getcwd, buf, sizeof buf);
  if (r < 0) return sys_error(info.Env(), Sys::Getcwd, errno);
  return Napi::String::New(info.Env(), buf);
}

Napi::Value Mkdir(const Napi::CallbackInfo& info) {
  const char* u = "mkdir(path: string, mode?: number)";
  std::string path;
  int64_t mode;
  if (!want_string(info, 0, u, &path) || !want_int(info, 1, u, &mode, true, 0755))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Mkdir, r_mkdir(root_here(), path.c_str(), static_cast<mode_t>(mode)));
}

Napi::Value Rmdir(const Napi::CallbackInfo& info) {
  std::string path;
  if (!want_string(info, 0, "rmdir(path: string)", &path)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Rmdir, r_rmdir(root_here(), path.c_str()));
}

Napi::Value Mount(const Napi::CallbackInfo& info) {
  const char* u = "mount(source: string, target: string, fstype: string, flags: number, data?: string)";
  std::string src, target, fstype, data;
  int64_t flags;
  if (!want_string(info, 0, u, &src) || !want_string(info, 1, u, &target) ||
      !want_string(info, 2, u, &fstype) || !want_int(info, 3, u, &flags))
    return info.Env().Undefined();
  if (info.Length() > 4 && !info[4].IsUndefined() && !want_string(info, 4, u, &data))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Mount,
                    ::mount(src.c_str(), target.c_str(), fstype.c_str(), static_cast<unsigned long>(flags),
                            data.empty() ? nullptr : data.c_str()));
}

Napi::Value Umount2(const Napi::CallbackInfo& info) {
  const char* u = "umount2(target: string, flags?: number)";
  std::string target;
  int64_t flags;
  if (!want_string(info, 0, u, &target) || !want_int(info, 1, u, &flags, true, 0))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Umount2, ::umount2(target.c_str(), static_cast<int>(flags)));
}

// setRoot(path, writableOutside?): opens path O_PATH|O_DIRECTORY, requires
// tracefs, and makes it this thread's root (replacing any earlier one, whose
// fd closes once no race holds it). The fd number, or a SysError: EINVAL for
// a path that is not canonical (realpath's form), EMEDIUMTYPE when the
// filesystem is not tracefs, or what open/fstatfs gave.
Napi::Value SetRoot(const Napi::CallbackInfo& info) {
  const char* u = "setRoot(path: string, writableOutside?: string[])";
  std::string path;
  if (!want_string(info, 0, u, &path)) return info.Env().Undefined();
  std::vector<std::string> writable;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsArray()) return usage(info, u), info.Env().Undefined();
    Napi::Array a = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value v = a.Get(i);
      if (info.Env().IsExceptionPending()) return info.Env().Undefined();
      if (!v.IsString()) return usage(info, u), info.Env().Undefined();
      std::string w = v.As<Napi::String>().Utf8Value();
      if (w.empty() || w[0] != '/' || w.find('\0') != std::string::npos)
        return usage(info, u), info.Env().Undefined();
      writable.push_back(std::move(w));
    }
  }
  int err = 0;
  auto r = Root::open(path, std::move(writable), &err);
  if (!r) return sys_error(info.Env(), Sys::SetRoot, err);
  set_current_root(r);
  return Napi::Number::New(info.Env(), r->fd());
}

// clearRoot(): forgets this thread's root; its fd closes once no race holds it.
Napi::Value ClearRoot(const Napi::CallbackInfo& info) {
  bool had = root_here() != nullptr;
  set_current_root(nullptr);
  return Napi::Boolean::New(info.Env(), had);
}

// rootPath(): the registered root's path, or undefined.
Napi::Value RootPath(const Napi::CallbackInfo& info) {
  const Root* r = root_here();
  return r ? Napi::String::New(info.Env(), r->path()) : info.Env().Undefined();
}

// splitRootPath(prefix, path): split_root_path, for the unit tests.
Napi::Value SplitRootPath(const Napi::CallbackInfo& info) {
  const char* u = "splitRootPath(prefix: string, path: string)";
  std::string prefix, path;
  if (!want_string(info, 0, u, &prefix) || !want_string(info, 1, u, &path)) return info.Env().Undefined();
  const char* rel = nullptr;
  Where w = split_root_path(prefix, path.c_str(), &rel);
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("where", Napi::String::New(info.Env(), w == Where::Inside    ? "inside"
                                               : w == Where::Escapes ? "escapes"
                                                                     : "outside"));
  if (w == Where::Inside) o.Set("rel", Napi::String::New(info.Env(), rel));
  return o;
}

// rootWithoutOpenat2(on): tests take the fallback a kernel < 5.6 takes.
Napi::Value RootWithoutOpenat2(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsBoolean())
    return usage(info, "rootWithoutOpenat2(on: boolean)"), info.Env().Undefined();
  set_openat2_disabled(info[0].As<Napi::Boolean>().Value());
  return info.Env().Undefined();
}

Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define C(name) c.Set(#name, Napi::Number::New(env, name))
  // One line per family, by hand.
  // clang-format off
  C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_APPEND); C(O_CREAT); C(O_EXCL); C(O_TRUNC);
  C(O_DIRECTORY); C(O_PATH); C(O_NONBLOCK); C(O_NOFOLLOW); C(O_CLOEXEC);
  C(AT_FDCWD); C(AT_SYMLINK_NOFOLLOW); C(AT_EMPTY_PATH); C(AT_EACCESS);
  C(F_OK); C(R_OK); C(W_OK); C(X_OK);
  C(SEEK_SET); C(SEEK_CUR); C(SEEK_END);
  C(S_IFMT); C(S_IFDIR); C(S_IFREG); C(S_IFLNK);
  C(DT_UNKNOWN); C(DT_DIR); C(DT_REG); C(DT_LNK);
  C(MNT_DETACH); C(MS_RDONLY); C(MS_NOSUID); C(MS_NODEV); C(MS_NOEXEC);
  // clang-format on
#undef C
  return c;
}

// ---- Mode and ownership (perm-* scenarios): chmod/fchmod/chown/fchown, errno as data. ----

// A mode for chmod: permission and set-id/sticky bits only (0..07777).
bool want_mode(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out) {
  return want_int(info, i, line, out, false, 0, 0, 07777);
}

// A uid or gid for chown: 0..2^32-2, or -1 for "leave unchanged" ((uid_t)-1 itself is never an id).
bool want_id(const Napi::CallbackInfo& info, size_t i, const char* line, int64_t* out) {
  return want_int(info, i, line, out, false, 0, -1, static_cast<int64_t>(UINT32_MAX) - 1);
}

Napi::Value Chmod(const Napi::CallbackInfo& info) {
  const char* u = "chmod(path: string, mode: number)";
  std::string path;
  int64_t mode;
  if (!want_string(info, 0, u, &path) || !want_mode(info, 1, u, &mode)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Chmod, r_chmod(root_here(), path.c_str(), static_cast<mode_t>(mode)));
}

Napi::Value Fchmod(const Napi::CallbackInfo& info) {
  const char* u = "fchmod(fd: number, mode: number)";
  int64_t fd, mode;
  if (!want_fd(info, 0, u, &fd) || !want_mode(info, 1, u, &mode)) return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Fchmod, ::fchmod(static_cast<int>(fd), static_cast<mode_t>(mode)));
}

Napi::Value Chown(const Napi::CallbackInfo& info) {
  const char* u = "chown(path: string, uid: number, gid: number)";
  std::string path;
  int64_t uid, gid;
  if (!want_string(info, 0, u, &path) || !want_id(info, 1, u, &uid) || !want_id(info, 2, u, &gid))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Chown,
                    r_chown(root_here(), path.c_str(), static_cast<uid_t>(uid), static_cast<gid_t>(gid)));
}

Napi::Value Fchown(const Napi::CallbackInfo& info) {
  const char* u = "fchown(fd: number, uid: number, gid: number)";
  int64_t fd, uid, gid;
  if (!want_fd(info, 0, u, &fd) || !want_id(info, 1, u, &uid) || !want_id(info, 2, u, &gid))
    return info.Env().Undefined();
  return num_or_err(info.Env(), Sys::Fchown,
                    ::fchown(static_cast<int>(fd), static_cast<uid_t>(uid), static_cast<gid_t>(gid)));
}

void register_ownership(Napi::Env env, Napi::Object exports) {
  exports.Set("chmod", Napi::Function::New(env, Chmod, "chmod"));
  exports.Set("fchmod", Napi::Function::New(env, Fchmod, "fchmod"));
  exports.Set("chown", Napi::Function::New(env, Chown, "chown"));
  exports.Set("fchown", Napi::Function::New(env, Fchown, "fchown"));
  exports.Get("constants").As<Napi::Object>().Set("MS_REMOUNT", Napi::Number::New(env, MS_REMOUNT));
}

}  // namespace

void register_syscalls(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, Open, "open"));
  exports.Set("openat", Napi::Function::New(env, Openat, "openat"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("pread", Napi::Function::New(env, Pread, "pread"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("pwrite", Napi::Function::New(env, Pwrite, "pwrite"));
  exports.Set("lseek", Napi::Function::New(env, Lseek, "lseek"));
  exports.Set("stat", Napi::Function::New(env, Stat, "stat"));
  exports.Set("lstat", Napi::Function::New(env, Lstat, "lstat"));
  exports.Set("fstatat", Napi::Function::New(env, Fstatat, "fstatat"));
  exports.Set("access", Napi::Function::New(env, Access, "access"));
  exports.Set("getdents64", Napi::Function::New(env, Getdents64, "getdents64"));
  exports.Set("chdir", Napi::Function::New(env, Chdir, "chdir"));
  exports.Set("fchdir", Napi::Function::New(env, Fchdir, "fchdir"));
  exports.Set("getcwd", Napi::Function::New(env, Getcwd, "getcwd"));
  exports.Set("mkdir", Napi::Function::New(env, Mkdir, "mkdir"));
  exports.Set("rmdir", Napi::Function::New(env, Rmdir, "rmdir"));
  exports.Set("mount", Napi::Function::New(env, Mount, "mount"));
  exports.Set("umount2", Napi::Function::New(env, Umount2, "umount2"));
  exports.Set("setRoot", Napi::Function::New(env, SetRoot, "setRoot"));
  exports.Set("clearRoot", Napi::Function::New(env, ClearRoot, "clearRoot"));
  exports.Set("rootPath", Napi::Function::New(env, RootPath, "rootPath"));
  exports.Set("splitRootPath", Napi::Function::New(env, SplitRootPath, "splitRootPath"));
  exports.Set("rootWithoutOpenat2", Napi::Function::New(env, RootWithoutOpenat2, "rootWithoutOpenat2"));
  exports.Set("constants", Constants(env));
  register_ownership(env, exports);
}

}  // namespace tfsr
