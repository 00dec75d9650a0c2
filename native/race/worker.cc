// SPDX-License-Identifier: GPL-2.0-only
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace tfsr {
namespace race {
Worker::Worker(Engine& e, int id)
    : e_(e),
      cfg_(e.cfg_),
      root_(e.root_.get()),
      id_(id),
      c_(*e.counters[static_cast<size_t>(id)]),
      rng_(rc_seed(id)) {
  uint32_t w[kOpCount];
  for (int i = 0; i < kOpCount; i++) w[i] = cfg_.weight[i];
  // Ops without a target are dropped from the mix.
  if (cfg_.files.empty()) w[kOpenRead] = 0;
  if (cfg_.enable.empty()) w[kEnableWrite] = 0;
  if (cfg_.dirs.empty()) w[kOpenat] = w[kFstatat] = 0;
  if (!cfg_.has_list) w[kGetdents] = 0;
  if (cfg_.enable.empty()) w[kHeldWrite] = 0;
  w[kListStat] = w[kDirfdOpen] = 0;
  for (auto& f : cfg_.files) stat_paths_.push_back(f);
  for (auto& d : cfg_.dirs) stat_paths_.push_back(d.path);
  if (stat_paths_.empty()) w[kStat] = 0;
  total_ = rc_mix(w, kOpCount, cum_);
  const Held empty = {-1, 0, 0};
  held_.resize(cfg_.dirs.size(), std::vector<Held>(cfg_.held_dirfds ? cfg_.held_dirfds : 1, empty));
  next_slot_.assign(cfg_.dirs.size(), 1);
  if (w[kHeldWrite]) held_enable_.resize(cfg_.held_dirfds ? cfg_.held_dirfds : 1, empty);
  if (cfg_.has_list) list_prefix_ = cfg_.list.dir + "/";
}

Worker::~Worker() {
  for (auto& v : held_)
    for (auto& h : v)
      if (h.fd >= 0) ::close(h.fd);
  for (auto& h : held_enable_)
    if (h.fd >= 0) ::close(h.fd);
}

void Worker::run() {
  if (total_ == 0) {
    c_.finished.store(true);
    return;
  }
  // Judge nothing before the first create starts: only then is "absent"
  // something this run made true rather than assumed.
  while (seq() < 4 && !e_.workers_stop_.load(std::memory_order_relaxed)) sched_yield();
  // Beyond the racers, step aside while the controller writes (engine.cc).
  const bool steps_aside = id_ >= e_.racers_;
  while (!stopped_ && !e_.workers_stop_.load(std::memory_order_relaxed)) {
    if (steps_aside && rc_gate_wait(&e_.gate_, cfg_.step_aside_us))
      c_.step_asides.store(c_.step_asides.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if ((!held_.empty() || !held_enable_.empty()) && ++since_refresh_ >= 16) refresh_held_fds(seq());
    switch (pick()) {
      case kOpenRead: op_open_read(); break;
      case kEnableWrite: op_enable_write(); break;
      case kStat: op_stat(); break;
      case kOpenat: op_dirfd(true); break;
      case kFstatat: op_dirfd(false); break;
      case kGetdents: op_getdents(); break;
      case kHeldWrite: op_held_write(); break;
      default: break;
    }
  }
  c_.finished.store(true);
}

void Worker::violation(const char* rule, Op op, const std::string& path, const char* expected,
                       const std::string& got, uint64_t s0, uint64_t s1, uint64_t t0, uint64_t t1) {
  e_.violations.add(Violation{id_, s0, s1, rule, kOpNames[op], path, expected, got, t0, t1});
}

bool Worker::out_of_resources(Op op, const char* path, int e) {
  if (!is_resource_errno(e)) return false;
  if (!stopped_) {
    stopped_ = true;
    e_.resource_stop(id_, kOpNames[op], path, e);
  }
  return true;
}

void Worker::judge_path(Op op, const char* path, uint64_t s0, uint64_t s1, int e, uint64_t t0, uint64_t t1,
                        bool strict_absent) {
  if (out_of_resources(op, path, e)) return;
  rc_rule r = rc_path_rule(s0, s1, strict_absent);
  if (r == RC_ABSENT_NOT_ENOENT && rc_breaks(r, e, 0))
    violation("absent-not-enoent", op, path, "ENOENT", got_name(e), s0, s1, t0, t1);
  else if (r == RC_PRESENT_ENOENT && rc_breaks(r, e, 0))
    violation("present-enoent", op, path, "success", got_name(e), s0, s1, t0, t1);
}

void Worker::op_open_read() {
  const std::string& p = cfg_.files[rnd() % cfg_.files.size()];
  char buf[512];
  Opened o = open_judged(kOpenRead, p.c_str(), O_RDONLY);
  int fd = o.fd, e = o.e;
  uint64_t s0 = o.s0, s1 = o.s1;
  if (fd >= 0) {
    if (::read(fd, buf, sizeof buf) < 0) e = errno;
    ::close(fd);
    s1 = seq();
    out_of_resources(kOpenRead, p.c_str(), e);
  }
  c_.bump(kOpenRead, classify(s0, s1), e);
}

void Worker::op_enable_write() {
  const char* p = cfg_.enable.c_str();
  Opened o = open_judged(kEnableWrite, p, O_WRONLY);
  int fd = o.fd, e = o.e;
  uint64_t s0 = o.s0, s1 = o.s1;
  if (fd >= 0) {
    const char* val = (rnd() & 1) ? "1" : "0";
    uint64_t s2 = seq(), t2 = now_ns();
    ssize_t r = ::write(fd, val, 1);
    if (r < 0) e = errno;
    uint64_t s3 = seq(), t3 = now_ns();
    ::close(fd);
    // The fd reaches at newest generation cycle_of(s1); once that one's
    // removal returned, enabling through it would reach a freed event.
    if (!out_of_resources(kEnableWrite, p, e) && r >= 0 &&
        rc_write_rule(rc_cycle_of(s1), s2) == RC_WRITE_AFTER_REMOVAL)
      violation("write-after-removal", kEnableWrite, p, "ENODEV", std::string("success (wrote ") + val + ")",
                s2, s3, t2, t3);
    s1 = s3;
  }
  c_.bump(kEnableWrite, classify(s0, s1), e);
}

void Worker::op_stat() {
  const std::string& p = stat_paths_[rnd() % stat_paths_.size()];
  struct stat st;
  uint64_t t0 = doing(kStat, p.c_str()), s0 = seq();
  int e = r_stat(root_, p.c_str(), &st) < 0 ? errno : 0;
  uint64_t s1 = seq(), t1 = now_ns();
  judge_path(kStat, p.c_str(), s0, s1, e, t0, t1);
  c_.bump(kStat, classify(s0, s1), e);
}

// Holds fd in ring (rc_hold: slot 0 keeps the first generation for the
// whole run; the others rotate), counting the slots it fills.
void Worker::hold(std::vector<Held>& ring, uint32_t& next, int fd, uint64_t tag, int exact) {
  if (rc_hold(ring.data(), static_cast<uint32_t>(ring.size()), &next, fd, tag, exact))
    c_.held_fds.store(c_.held_fds.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

// Opens `path` (judged as a dirfd-open) and holds the fd in `ring`, tagged
// with the newest generation it can reach; exact when its open started
// after the previous removal.
void Worker::open_and_hold(const char* path, int flags, std::vector<Held>& ring, uint32_t& next) {
  Opened o = open_judged(kDirfdOpen, path, flags);
  c_.bump(kDirfdOpen, classify(o.s0, o.s1), o.e);
  if (o.fd >= 0) hold(ring, next, o.fd, rc_cycle_of(o.s1), rc_exact(o.s0, o.s1));
}

// Once per generation: opens fds to hold from it, dirfds on every dir target
// and, for held-write, an fd on enable.
void Worker::refresh_held_fds(uint64_t s) {
  // Any phase but absent: the tag logic copes with opens that straddle.
  if (rc_phase_of(s) == 3 || rc_cycle_of(s) == last_held_cycle_) return;
  last_held_cycle_ = rc_cycle_of(s);
  since_refresh_ = 0;
  for (size_t d = 0; d < held_.size(); d++) {
    // Both kinds of dirfd the removal scenarios hold: O_PATH and O_DIRECTORY.
    int flags = (rnd() & 1) ? (O_PATH | O_DIRECTORY) : (O_RDONLY | O_DIRECTORY);
    open_and_hold(cfg_.dirs[d].path.c_str(), flags, held_[d], next_slot_[d]);
  }
  if (!held_enable_.empty()) open_and_hold(cfg_.enable.c_str(), O_WRONLY, held_enable_, next_enable_slot_);
}

// Writes "0"/"1" through an enable fd held from some generation: once that
// generation's removal returned, the write must fail (ENODEV), also after
// the same name was created again.
void Worker::op_held_write() {
  const Held* h = rc_pick_held(held_enable_.data(), static_cast<uint32_t>(held_enable_.size()), rnd());
  if (!h) return;
  const char* val = (rnd() & 1) ? "1" : "0";
  uint64_t t0 = doing(kHeldWrite, cfg_.enable.c_str()), s0 = seq();
  ssize_t r = ::write(h->fd, val, 1);
  int e = r < 0 ? errno : 0;
  uint64_t s1 = seq(), t1 = now_ns();
  c_.bump(kHeldWrite, classify(s0, s1), e);
  if (out_of_resources(kHeldWrite, cfg_.enable.c_str(), e)) return;
  if (r >= 0 && rc_write_rule(h->tag, s0) == RC_WRITE_AFTER_REMOVAL)
    violation("write-after-removal", kHeldWrite,
              cfg_.enable + " (fd from gen " + std::to_string(2 * h->tag) + ")", "ENODEV",
              std::string("success (wrote ") + val + ")", s0, s1, t0, t1);
}

void Worker::op_dirfd(bool use_openat) {
  size_t d = rnd() % held_.size();
  auto& ring = held_[d];
  const Held* h = rc_pick_held(ring.data(), static_cast<uint32_t>(ring.size()), rnd());
  if (!h) return;
  const auto& names = cfg_.dirs[d].names;
  const std::string& name = names[rnd() % names.size()];
  uint64_t t0 = doing(use_openat ? kOpenat : kFstatat, cfg_.dirs[d].path.c_str()), s0 = seq();
  int e = 0;
  if (use_openat) {
    int fd = ::openat(h->fd, name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) e = errno;
    else ::close(fd);
  } else {
    struct stat st;
    if (::fstatat(h->fd, name.c_str(), &st, 0) < 0) e = errno;
  }
  uint64_t s1 = seq(), t1 = now_ns();
  Op op = use_openat ? kOpenat : kFstatat;
  c_.bump(op, classify(s0, s1), e);
  if (out_of_resources(op, cfg_.dirs[d].path.c_str(), e)) return;
  rc_rule r = rc_dirfd_rule(h, s0, s1);
  if (r == RC_STALE_DIRFD) {
    if (rc_breaks(r, e, 0))
      violation("stale-dirfd", op, cfg_.dirs[d].path + " gen " + std::to_string(2 * h->tag) + " / " + name,
                "ENOENT", got_name(e), s0, s1, t0, t1);
  } else if (r == RC_PRESENT_ENOENT && rc_breaks(r, e, 0)) {
    violation("present-enoent", op, cfg_.dirs[d].path + " / " + name, "success", got_name(e), s0, s1, t0, t1);
  }
}

// Lists the list target's dir: the removed entry must not be listed in an
// absent phase; then every listed entry is stat'ed (stat_listed).
void Worker::op_getdents() {
  const ListTarget& L = cfg_.list;
  uint64_t t0 = doing(kGetdents, L.dir.c_str()), s0 = seq();
  int fd = r_open(root_, L.dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    int e = errno;
    uint64_t s1 = seq(), t1 = now_ns();
    c_.bump(kGetdents, classify(s0, s1), e);
    // The listed dir may outlive the event (siblings, a plain dir): only
    // its vanishing while present is judged.
    judge_path(kGetdents, L.dir.c_str(), s0, s1, e, t0, t1, false);
    return;
  }
  rc_listing listing;
  listing.used = 0;
  int listed = 0;
  int e = rc_read_listing(fd, &listing, L.name.c_str(), &listed);
  ::close(fd);
  uint64_t s1 = seq(), t1 = now_ns();
  c_.bump(kGetdents, classify(s0, s1), e);
  if (out_of_resources(kGetdents, L.dir.c_str(), e)) return;
  if (rc_listing_rule(s0, s1) == RC_LISTED_AFTER_REMOVAL && rc_breaks(RC_LISTED_AFTER_REMOVAL, 0, listed))
    violation("listed-after-removal", kGetdents, L.dir + "/" + L.name, "not listed", "listed", s0, s1, t0,
              t1);
  stat_listed(listing);
}

// Stats every listed entry by path: the removed entry is judged by the
// strict path rules, the others (which may outlive the event) only for
// vanishing while present.
void Worker::stat_listed(const rc_listing& listing) {
  const ListTarget& L = cfg_.list;
  char path[4096];
  size_t off = 0;
  while (const char* nm = rc_listing_next(&listing, &off)) {
    int w = snprintf(path, sizeof path, "%s%s", list_prefix_.c_str(), nm);
    if (w < 0 || static_cast<size_t>(w) >= sizeof path) continue;
    struct stat st;
    uint64_t t2 = doing(kListStat, L.dir.c_str()), s2 = seq();
    int se = r_stat(root_, path, &st) < 0 ? errno : 0;
    uint64_t s3 = seq(), t3 = now_ns();
    c_.bump(kListStat, classify(s2, s3), se);
    judge_path(kListStat, path, s2, s3, se, t2, t3, L.name == nm);
  }
}

}  // namespace race
}  // namespace tfsr
