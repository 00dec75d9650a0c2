/* SPDX-License-Identifier: GPL-2.0-only */
// The race engine: N workers run an op mix against an event's paths while a
// controller creates and removes it in a loop; every op is judged against
// the generation counter as it happens, in native code (the rules are in
// worker.cc: judge_path and the op_* functions; remove-while-enabled in
// Engine::busy_check).
#pragma once
#include <errno.h>
#include <stdint.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../root.h"
#include "config.h"
#include "core.h"
#include "stats.h"

namespace tfsr {
namespace race {

// The generation sequence (4 phases per cycle), the step-aside gate and the
// rules live in the shared C core (core.h, src/repro/c/race-core.h).

struct Snapshot {
  uint64_t elapsed_ns = 0;
  uint64_t cycles = 0;
  uint64_t ops = 0;
  uint64_t violations = 0;
};

// The tool's own limits, never a verdict on the kernel: out of fds (EMFILE,
// ENFILE) or memory (ENOMEM), or a path under the root that crossed into a
// foreign mount (EXDEV: openat2 RESOLVE_NO_XDEV, or the fallback's device
// check). A worker that meets one stops, and the race ends ERROR.
inline bool is_resource_errno(int e) { return e == EMFILE || e == ENFILE || e == ENOMEM || e == EXDEV; }

// The first resource failure of a run (err 0: none). thread -1 is the
// controller, -2 the engine itself (thread creation, the fd budget).
struct ResourceFault {
  int err = 0;
  int thread = -2;
  std::string op, path;
};

// What a run needs in fds beside those open when it starts, from the
// engine's own constants (engine.cc, fds_needed()), and the limit it met.
struct FdBudget {
  uint64_t needed = 0, open = 0, limit = 0;
};

// fds one run with this config holds at most: per worker its held rings
// plus one op's fd, the controller's kept control files plus two, one for
// the drop_caches thread.
uint64_t fds_needed(const Config& cfg, int threads);

class Worker;

class Engine {
 public:
  explicit Engine(Config cfg);
  ~Engine();
  // Runs to the end (duration, max cycles, stop() or a setup error). The
  // callback gets a snapshot every progress_ms, on the calling thread.
  void run(const std::function<void(const Snapshot&)>& progress);
  void stop();
  Snapshot snapshot() const;
  // Records a resource failure (the first one in full), and stops the run.
  void resource_stop(int thread, const char* op, const std::string& path, int err);

  // Results, valid after run() returned.
  const Config& config() const { return cfg_; }
  int racers() const { return racers_; }
  std::string stop_reason;      // duration | cycles | stopped | error
  std::string error;            // setup failure, e.g. "write(/x/uprobe_events): EEXIST"
  ResourceFault resource;       // valid after run(); see is_resource_errno
  uint64_t resource_stops = 0;  // threads that stopped on one
  FdBudget fds;
  uint64_t elapsed_ns = 0;
  uint64_t start_ns = 0;
  std::vector<std::unique_ptr<WorkerCounters>> counters;
  ControllerStats ctl;
  ViolationLog violations;

 private:
  friend class Worker;
  void controller();
  void boost_controller();
  const char* limit_reached(uint64_t k, uint64_t deadline) const;
  bool run_cycle(uint64_t k);
  bool create_step(uint64_t k);
  bool remove_step(uint64_t k);
  void end_controller();
  void drop_caches();
  void dropper();
  void wait_reporting_progress(const std::function<void(const Snapshot&)>& progress);
  void record_killed_workers();
  bool run_step(const std::vector<Action>& step, bool is_remove, int* failed_errno, const Action** failed);
  int do_action(const Action& a);
  bool busy_check();
  void fail(const std::string& why);
  bool fd_budget_ok();
  void start_threads(std::vector<std::unique_ptr<Worker>>& workers, std::vector<std::thread>& threads,
                     std::thread& dropper_thread, std::thread& ctl_thread);
  void sleep_us(uint64_t us);

  Config cfg_;
  rc_gate gate_ = {0, 0};         // the step-aside gate (engine.cc explains why)
  int racers_ = 0;                // workers [0, racers_) never step aside
  std::atomic<uint64_t> seq_{3};  // cycle 0, absent: the engine starts with nothing created
  std::atomic<bool> stop_{false};
  std::atomic<bool> controller_done_{false};
  std::atomic<bool> workers_stop_{false};  // set once the controller has left the event absent
  std::mutex mu_;
  std::condition_variable cv_;
  std::mutex fault_mu_;
  std::map<std::string, int> kept_fds_;  // keep_open Write actions, by path (controller only)
  // The tracefs root registered when the race started (nullptr: none): every
  // path op of the controller and the workers resolves through it (root.h).
  std::shared_ptr<const Root> root_;
};

inline uint64_t now_ns() { return rc_now_ns(); }

}  // namespace race
}  // namespace tfsr
