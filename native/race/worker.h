/* SPDX-License-Identifier: GPL-2.0-only */
// One race worker: picks ops from the weighted mix and judges each against
// the generation counter read before and after it. The rules: a path op
// inside an absent phase gets ENOENT and never gets ENOENT inside a present
// one (absent-not-enoent, present-enoent); a name reached through a dirfd
// held from a removed generation is gone (stale-dirfd); a write through an
// fd on a removed event's enable fails (write-after-removal); a listing in
// an absent phase does not show the removed entry (listed-after-removal).
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "engine.h"

namespace tfsr {
namespace race {

class Worker {
 public:
  Worker(Engine& e, int id);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void run();

 private:
  // Fds held across generations (rc_held, in the shared core).
  using Held = rc_held;

  uint64_t seq() const { return e_.seq_.load(std::memory_order_acquire); }
  // Records the op about to start (for a worker the kernel kills inside
  // it) and returns its start time.
  uint64_t doing(Op op, const char* path) {
    uint64_t t = now_ns();
    c_.cur_op.store(op, std::memory_order_relaxed);
    c_.cur_path.store(path, std::memory_order_relaxed);
    c_.cur_start.store(t, std::memory_order_relaxed);
    return t;
  }
  // One path open, judged by the strict path rules: what five ops share.
  struct Opened {
    int fd, e;
    uint64_t s0, s1, t0, t1;
  };
  Opened open_judged(Op op, const char* path, int flags) {
    Opened o;
    o.t0 = doing(op, path);
    o.s0 = seq();
    o.fd = r_open(root_, path, flags);
    o.e = o.fd < 0 ? errno : 0;
    o.s1 = seq();
    o.t1 = now_ns();
    judge_path(op, path, o.s0, o.s1, o.e, o.t0, o.t1);
    return o;
  }
  uint64_t rnd() { return rc_rnd(&rng_); }
  Op pick() { return static_cast<Op>(rc_pick(cum_, kOpCount, total_, rnd())); }
  void op_open_read();
  void op_enable_write();
  void op_stat();
  void op_dirfd(bool use_openat);
  void op_getdents();
  void op_held_write();
  void stat_listed(const rc_listing& listing);
  void hold(std::vector<Held>& ring, uint32_t& next, int fd, uint64_t tag, int exact);
  void open_and_hold(const char* path, int flags, std::vector<Held>& ring, uint32_t& next);
  void refresh_held_fds(uint64_t s);
  // Strict path rules (rc_path_rule): ENOENT inside an absent phase, never
  // ENOENT inside a present one. Counts nothing (callers bump the histogram).
  void judge_path(Op op, const char* path, uint64_t s0, uint64_t s1, int e, uint64_t t0, uint64_t t1,
                  bool strict_absent = true);
  // A resource errno (engine.h) is the tool's failure, never judged: the
  // worker records it, stops, and the run ends. True when e was one.
  bool out_of_resources(Op op, const char* path, int e);
  void violation(const char* rule, Op op, const std::string& path, const char* expected,
                 const std::string& got, uint64_t s0, uint64_t s1, uint64_t t0, uint64_t t1);

  Engine& e_;
  const Config& cfg_;
  const Root* root_;  // the engine's (root.h); nullptr: paths as given
  int id_;
  WorkerCounters& c_;
  uint64_t rng_;
  uint32_t cum_[kOpCount] = {};
  uint32_t total_ = 0;
  std::vector<std::string> stat_paths_;
  std::vector<std::vector<Held>> held_;
  std::vector<uint32_t> next_slot_;
  std::vector<Held> held_enable_;  // enable fds from earlier generations
  uint32_t next_enable_slot_ = 1;
  uint64_t last_held_cycle_ = 0;  // the cycle whose fds refresh_held_fds() last opened
  uint32_t since_refresh_ = 0;    // ops since then
  bool stopped_ = false;          // met a resource errno
  std::string list_prefix_;
};

}  // namespace race
}  // namespace tfsr
