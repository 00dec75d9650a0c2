/* SPDX-License-Identifier: GPL-2.0-only */
// Statistics of a race run. Memory is bounded by the number of threads, not
// of ops: per-thread errno histograms, one latency histogram per controller
// step, and the first kMaxViolations violations in full (the rest counted).
#pragma once
#include <stdint.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "config.h"

namespace tfsr {
namespace race {

constexpr int kErrSlots = 135;  // errno 0 (success) .. 133, and 134 "other"
constexpr size_t kMaxViolations = 100;

// Phase of an op as the generation counter saw it before and after.
enum PhaseClass : int { kPresent, kAbsent, kTransition, kClassCount };

// Written by one worker, read by the progress thread: relaxed atomics keep
// that well defined without a lock prefix on the hot path (see bump()).
struct alignas(64) WorkerCounters {
  std::atomic<uint64_t> ops[kOpCount];
  std::atomic<uint64_t> err[kOpCount][kClassCount][kErrSlots];
  // What the worker is doing now, and whether its loop returned: a thread
  // the kernel killed inside a syscall (an oops) never sets `finished`.
  std::atomic<int> cur_op{-1};
  std::atomic<const char*> cur_path{nullptr};
  std::atomic<uint64_t> cur_start{0};
  std::atomic<bool> finished{false};
  // Times this worker stepped aside from a controller step (the gate).
  std::atomic<uint64_t> step_asides{0};
  // fds in this worker's held rings: a slot is never emptied once filled, so
  // this only grows, up to the rings' size (the soak's bound on tracefs fds).
  std::atomic<uint64_t> held_fds{0};
  WorkerCounters();
  void bump(Op op, PhaseClass c, int e) {
    int slot = (e >= 0 && e < kErrSlots - 1) ? e : kErrSlots - 1;
    auto& o = ops[op];
    o.store(o.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    auto& h = err[op][c][slot];
    h.store(h.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

// Log-linear latency histogram: 16 sub-buckets per power of two, so a
// percentile is within ~6% of the true value.
class LatencyHist {
 public:
  void add(uint64_t ns);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  uint64_t percentile(double p) const;

 private:
  static constexpr int kSub = 16;
  static constexpr int kBuckets = 64 * kSub;
  static int bucket(uint64_t ns);
  static uint64_t bucket_upper(int b);
  uint64_t b_[kBuckets] = {};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

struct Violation {
  int thread;  // -1: the controller
  uint64_t seq_before, seq_after;
  std::string rule, op, path, expected, got;
  uint64_t start_ns, end_ns;
};

class ViolationLog {
 public:
  void add(Violation v);
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  std::vector<Violation> first() const;
  std::map<std::string, uint64_t> by_rule() const;

 private:
  std::map<std::string, uint64_t> by_rule_;  // every violation, kept or not
  std::atomic<uint64_t> count_{0};
  mutable std::mutex mu_;
  std::vector<Violation> first_;
};

// Controller-side counters (one writer: the controller thread).
struct ControllerStats {
  std::atomic<uint64_t> cycles{0};
  std::atomic<uint64_t> busy_retries{0};
  std::atomic<uint64_t> busy_checks{0};
  std::atomic<uint64_t> drop_caches{0};
  std::atomic<uint64_t> drop_caches_errors{0};
  LatencyHist create_ns, remove_ns;  // read only after the controller joined
  int controller_nice = 0;           // what the boost reached (engine.cc)
  int boost_errno = 0;               // why it did not, e.g. EPERM
};

// errno 0 -> "OK", else its code name; "OTHER" for the overflow slot.
const char* err_slot_name(int slot);
std::string got_name(int e);  // "success" or "ENOENT"

}  // namespace race
}  // namespace tfsr
