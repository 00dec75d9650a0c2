// SPDX-License-Identifier: GPL-2.0-only
#include "stats.h"

#include "../sys_error.h"

namespace tfsr {
namespace race {

WorkerCounters::WorkerCounters() {
  for (auto& o : ops) o.store(0, std::memory_order_relaxed);
  for (auto& a : err)
    for (auto& b : a)
      for (auto& c : b) c.store(0, std::memory_order_relaxed);
}

int LatencyHist::bucket(uint64_t ns) {
  if (ns < kSub) return static_cast<int>(ns);
  int msb = 63 - __builtin_clzll(ns);  // >= 4
  int shift = msb - 4;
  int sub = static_cast<int>((ns >> shift) & (kSub - 1));
  int b = (shift + 1) * kSub + sub;
  return b < kBuckets ? b : kBuckets - 1;
}

uint64_t LatencyHist::bucket_upper(int b) {
  if (b < kSub) return static_cast<uint64_t>(b);
  int shift = b / kSub - 1;
  uint64_t sub = static_cast<uint64_t>(b % kSub);
  return ((kSub + sub + 1) << shift) - 1;
}

void LatencyHist::add(uint64_t ns) {
  b_[bucket(ns)]++;
  count_++;
  if (ns > max_) max_ = ns;
}

uint64_t LatencyHist::percentile(double p) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(p * static_cast<double>(count_));
  if (rank >= count_) rank = count_ - 1;
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; b++) {
    seen += b_[b];
    if (seen > rank) {
      uint64_t u = bucket_upper(b);
      return u < max_ ? u : max_;
    }
  }
  return max_;
}

void ViolationLog::add(Violation v) {
  // A lock per violation is fine: a correct kernel gives none, and the
  // hot path never gets here.
  std::lock_guard<std::mutex> g(mu_);
  by_rule_[v.rule]++;
  uint64_t n = count_.fetch_add(1, std::memory_order_relaxed);
  if (n < kMaxViolations) first_.push_back(std::move(v));
}

std::vector<Violation> ViolationLog::first() const {
  std::lock_guard<std::mutex> g(mu_);
  return first_;
}

std::map<std::string, uint64_t> ViolationLog::by_rule() const {
  std::lock_guard<std::mutex> g(mu_);
  return by_rule_;
}

const char* err_slot_name(int slot) {
  if (slot == 0) return "OK";
  if (slot >= kErrSlots - 1) return "OTHER";
  return errno_code(slot);
}

std::string got_name(int e) { return e == 0 ? "success" : errno_code(e); }

}  // namespace race
}  // namespace tfsr
