// SPDX-License-Identifier: GPL-2.0-only
// The controller side of the race engine and the run's lifetime: threads,
// progress, stop. Workers live in worker.cc.
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <new>
#include <system_error>
#include <thread>

#include "../sys_error.h"
#include "../watchdog.h"
#include "worker.h"

namespace tfsr {
namespace race {

namespace {

const char* action_sys(ActionKind k) {
  switch (k) {
    case ActionKind::Write: return "write";
    case ActionKind::Mkdir: return "mkdir";
    case ActionKind::Rmdir: return "rmdir";
    case ActionKind::Unlink: return "unlink";
    case ActionKind::CreateFile: return "open";
  }
  return "?";
}

// One write(2) of s, as tracefs control files need (a short write is not
// retried); 0 or the errno.
int write_once(int fd, const std::string& s) {
  ssize_t r = ::write(fd, s.data(), s.size());
  if (r < 0) return errno;
  return 0;
}

int online_cpus() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace

// Why workers step aside. A race's strength is its create/remove cycles:
// each removal is one more chance for an op to be inside the kernel's
// window. With more workers than CPUs, every worker competes with the
// controller's write for the CPU and, presumably (not profiled), for the
// locks the write needs (event_mutex, eventfs_mutex), and the write queues
// behind all of them: on the 2-core host, 64 workers cut race-reopen from
// about 30,000 cycles/s to 17. So while a create or remove step runs,
// workers numbered from `racers` up start no new op. What still races it:
//  - the racers (one per CPU) keep starting ops throughout the step, as
//    many as there are CPUs to run them beside it: the overlap 2 threads on
//    2 cores had, at their rate;
//  - every op already in flight when the gate closed goes on, and with many
//    workers those are many, preempted at scattered points inside their
//    system calls: they straddle the removal, the very race we want;
//  - the wait is bounded (step_aside_us): a step slower than that (EBUSY
//    retries, an RCU grace period) lets each waiting worker start one op
//    per bound, so a long window is raced by the crowd as well.
// Waiters sleep on a futex rather than spin or yield: on few CPUs a spinning
// waiter takes the CPU from the very write it waits for (rc_gate_wait, in
// the shared core).

namespace {
// Closes the gate for one controller step and opens it on every way out.
struct GateClosed {
  explicit GateClosed(rc_gate& g) : g_(g) { rc_gate_close(&g_); }
  ~GateClosed() { rc_gate_open(&g_); }
  GateClosed(const GateClosed&) = delete;
  GateClosed& operator=(const GateClosed&) = delete;
  rc_gate& g_;
};
}  // namespace

Engine::Engine(Config cfg) : cfg_(std::move(cfg)), root_(current_root()) {
  if (cfg_.threads <= 0) cfg_.threads = online_cpus();
  if (cfg_.threads > kThreadsMax) cfg_.threads = kThreadsMax;
  racers_ = cfg_.racers < 0 ? online_cpus() : cfg_.racers;
  if (racers_ > cfg_.threads || cfg_.step_aside_us == 0) racers_ = cfg_.threads;
  for (int i = 0; i < cfg_.threads; i++) counters.emplace_back(new WorkerCounters());
}

Engine::~Engine() {
  for (auto& kv : kept_fds_) ::close(kv.second);
}

void Engine::stop() {
  stop_.store(true);
  std::lock_guard<std::mutex> g(mu_);
  cv_.notify_all();
}

Snapshot Engine::snapshot() const {
  Snapshot s;
  s.elapsed_ns = start_ns ? now_ns() - start_ns : 0;
  s.cycles = ctl.cycles.load(std::memory_order_relaxed);
  for (auto& c : counters)
    for (auto& o : c->ops) s.ops += o.load(std::memory_order_relaxed);
  s.violations = violations.count();
  return s;
}

void Engine::fail(const std::string& why) {
  if (error.empty()) error = why;
  stop_.store(true);
}

void Engine::resource_stop(int thread, const char* op, const std::string& path, int err) {
  {
    std::lock_guard<std::mutex> g(fault_mu_);
    resource_stops++;
    if (resource.err == 0) resource = ResourceFault{err, thread, op, path};
  }
  stop();
}

// Per worker: one ring of held_dirfds per dir target, one more on enable
// for held-write (worker.cc, Worker::Worker), and the fd of the op running
// (an op opens at most one at a time; a full ring closes its old fd only
// after the new one is open). The controller: one fd per distinct kept
// control file, plus a busy check's enable fd and the action inside it.
uint64_t fds_needed(const Config& cfg, int threads) {
  const uint64_t ring = cfg.held_dirfds ? cfg.held_dirfds : 1;
  uint64_t rings = cfg.dirs.size() + (!cfg.enable.empty() && cfg.weight[kHeldWrite] ? 1 : 0);
  // Ops without a target are never picked, so their rings stay empty.
  if (cfg.weight[kOpenat] == 0 && cfg.weight[kFstatat] == 0) rings -= cfg.dirs.size();
  std::map<std::string, bool> kept;
  for (const auto* step : {&cfg.create, &cfg.remove})
    for (const Action& a : *step)
      if (a.kind == ActionKind::Write && a.keep_open) kept[a.path] = true;
  return static_cast<uint64_t>(threads) * (rings * ring + 1) + kept.size() + 2 +
         (cfg.drop_caches_interval_ms >= 0 ? 1 : 0);
}

// Refuses a run that cannot hold its fds (EMFILE, nothing created): a
// worker out of fds mid-run sees EMFILE where the kernel owes ENOENT.
bool Engine::fd_budget_ok() {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0) return true;
  uint64_t open = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (struct dirent* de = readdir(d))
      if (de->d_name[0] != '.') open++;
    closedir(d);
    open--;  // the listing's own
  }
  fds = FdBudget{fds_needed(cfg_, cfg_.threads), open, static_cast<uint64_t>(rl.rlim_cur)};
  if (rl.rlim_cur == RLIM_INFINITY || open + fds.needed <= rl.rlim_cur) return true;
  resource_stop(-2, "fd budget", "", EMFILE);
  return false;
}

// Sleeps unless stopped; dwell times are short, so a condvar is enough.
void Engine::sleep_us(uint64_t us) {
  if (us == 0) return;
  std::unique_lock<std::mutex> l(mu_);
  cv_.wait_for(l, std::chrono::microseconds(us), [this] { return stop_.load(); });
}

int Engine::do_action(const Action& a) {
  switch (a.kind) {
    case ActionKind::Write: {
      int flags = a.flags ? a.flags : (O_WRONLY | O_APPEND);
      if (a.keep_open) {
        auto it = kept_fds_.find(a.path);
        if (it == kept_fds_.end()) {
          int fd = r_open(root_.get(), a.path.c_str(), flags, 0644);
          if (fd < 0) return errno;
          it = kept_fds_.emplace(a.path, fd).first;
        }
        return write_once(it->second, a.line);
      }
      int fd = r_open(root_.get(), a.path.c_str(), flags, 0644);
      if (fd < 0) return errno;
      int e = write_once(fd, a.line);
      ::close(fd);
      return e;
    }
    case ActionKind::Mkdir: return r_mkdir(root_.get(), a.path.c_str(), 0755) < 0 ? errno : 0;
    case ActionKind::Rmdir: return r_rmdir(root_.get(), a.path.c_str()) < 0 ? errno : 0;
    case ActionKind::Unlink: return r_unlink(root_.get(), a.path.c_str()) < 0 ? errno : 0;
    case ActionKind::CreateFile: {
      int fd = r_open(root_.get(), a.path.c_str(), O_WRONLY | O_CREAT, 0644);
      if (fd < 0) return errno;
      ::close(fd);
      return 0;
    }
  }
  return EINVAL;
}

// Runs a step's actions in order. EBUSY runs the action's on_busy list and
// retries (disable, then remove): a removal must wait for the workers that
// keep enabling the event, and the retries are counted.
bool Engine::run_step(const std::vector<Action>& step, bool is_remove, int* failed_errno,
                      const Action** failed) {
  for (const Action& a : step) {
    uint64_t tries = 0;
    for (;;) {
      int e = do_action(a);
      if (e == 0) break;
      if (e == EBUSY && tries < cfg_.max_busy_retries) {
        tries++;
        // Stopping: workers holding files open (an instance's) could refuse
        // the removal for ever; stop them so the run ends absent, promptly.
        if (stop_.load(std::memory_order_relaxed) && tries > 16) workers_stop_.store(true);
        ctl.busy_retries.fetch_add(1, std::memory_order_relaxed);
        for (const Action& b : a.on_busy) do_action(b);
        sched_yield();
        continue;
      }
      *failed_errno = e;
      *failed = &a;
      return false;
    }
  }
  return true;
}

// With nothing else writing enable: enable the event, then its removal must
// give EBUSY. Returns true when the first remove action already removed it.
bool Engine::busy_check() {
  ctl.busy_checks.fetch_add(1, std::memory_order_relaxed);
  int fd = r_open(root_.get(), cfg_.enable.c_str(), O_WRONLY);
  if (fd < 0) return false;
  int e = write_once(fd, "1");
  if (e != 0) {
    ::close(fd);
    return false;
  }
  const Action& first = cfg_.remove.front();
  uint64_t t0 = now_ns();
  int r = do_action(first);
  uint64_t t1 = now_ns();
  bool judged = rc_busy_check_judged(cfg_.weight[kEnableWrite], cfg_.weight[kHeldWrite]);
  if (r != EBUSY && judged) {
    uint64_t s = seq_.load();
    violations.add(Violation{-1, s, s, "remove-while-enabled", "remove", first.path + ": " + first.line,
                             "EBUSY", got_name(r), t0, t1});
  }
  if (r == 0) {
    ::close(fd);
    return true;
  }
  write_once(fd, "0");
  ::close(fd);
  return false;
}

// Cycle k's create step, under the gate. False: the run stops (error set).
bool Engine::create_step(uint64_t k) {
  GateClosed gate(gate_);
  int e = 0;
  const Action* bad = nullptr;
  seq_.store(4 * k + 0);
  uint64_t t0 = now_ns();
  if (!run_step(cfg_.create, false, &e, &bad)) {
    fail(std::string("create: ") + action_sys(bad->kind) + "(" + bad->path + "): " + errno_code(e));
    if (is_resource_errno(e)) resource_stop(-1, "create", bad->path, e);
    // Undo whatever part of the create step worked (errors are expected
    // here); when its first action failed, nothing is ours to undo.
    if (bad != &cfg_.create.front()) run_step(cfg_.remove, true, &e, &bad);
    // The phase stays "creating": whether the target exists is unknown (a
    // failed create may have met one already there), so no op is judged.
    workers_stop_.store(true);
    return false;
  }
  ctl.create_ns.add(now_ns() - t0);
  seq_.store(4 * k + 1);
  return true;
}

// Cycle k's remove step (with the EBUSY check every busy_check_every
// cycles), under the gate. False: the run stops (error set).
bool Engine::remove_step(uint64_t k) {
  GateClosed gate(gate_);
  int e = 0;
  const Action* bad = nullptr;
  seq_.store(4 * k + 2);
  std::vector<Action> rest;
  const std::vector<Action>* step = &cfg_.remove;
  if (cfg_.busy_check_every && !cfg_.enable.empty() && k % cfg_.busy_check_every == 0 && busy_check()) {
    rest.assign(cfg_.remove.begin() + 1, cfg_.remove.end());
    step = &rest;
  }
  uint64_t t0 = now_ns();
  if (!run_step(*step, true, &e, &bad)) {
    fail(std::string("remove: ") + action_sys(bad->kind) + "(" + bad->path + "): " + errno_code(e));
    if (is_resource_errno(e)) resource_stop(-1, "remove", bad->path, e);
    return false;
  }
  ctl.remove_ns.add(now_ns() - t0);
  seq_.store(4 * k + 3);
  return true;
}

// Why the controller is boosted when workers outnumber the racers. The
// gate keeps the crowd out of the writes, but the controller sleeps twice a
// cycle (the dwells, an RCU wait in a disable) and each time has to win a
// CPU back from every runnable worker: under fair scheduling that is a
// wait for some worker's slice to end, milliseconds per wake-up, which with
// 64 workers on 2 cores still cost most of the cycles the gate won back.
// At nice -20 its weight outweighs 64 nice-0 workers, so it preempts one
// as soon as it wakes. Workers keep their nice: lowering theirs instead
// would let a preempted worker holding event_mutex starve behind the others
// while the controller waits on that mutex. Unprivileged runs (EPERM) go on
// at nice 0; the stats say which.
void Engine::boost_controller() {
  if (racers_ >= cfg_.threads) return;
  pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(tid), -20) < 0) {
    ctl.boost_errno = errno;
    return;
  }
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  ctl.controller_nice = errno ? 0 : nice;
}

// The run's end before cycle k+1 ("duration" or "cycles"), or nullptr to go on.
const char* Engine::limit_reached(uint64_t k, uint64_t deadline) const {
  if (deadline && now_ns() >= deadline) return "duration";
  if (cfg_.max_cycles && k >= cfg_.max_cycles) return "cycles";
  return nullptr;
}

// Cycle k: create, dwell present, remove, drop caches (every
// drop_caches_every cycles), dwell absent. False: a step failed (error set).
bool Engine::run_cycle(uint64_t k) {
  if (!create_step(k)) return false;
  sleep_us(cfg_.dwell_present_us);
  if (!remove_step(k)) return false;
  ctl.cycles.store(k, std::memory_order_relaxed);
  if (cfg_.drop_caches_every && k % cfg_.drop_caches_every == 0) drop_caches();
  sleep_us(cfg_.dwell_absent_us);
  return true;
}

// Names why the run ended (an error wins) and stops everything else.
void Engine::end_controller() {
  if (!error.empty()) stop_reason = "error";
  else if (stop_reason.empty()) stop_reason = "stopped";
  controller_done_.store(true);
  stop();
}

void Engine::controller() {
  boost_controller();
  const uint64_t deadline = cfg_.duration_ms ? start_ns + cfg_.duration_ms * 1000000ull : 0;
  for (uint64_t k = 0; !stop_.load(std::memory_order_relaxed);) {
    if (const char* why = limit_reached(k, deadline)) {
      stop_reason = why;
      break;
    }
    if (!run_cycle(++k)) break;
  }
  end_controller();
}

// Writes 6 to drop_caches once (2 plus the bit that keeps dmesg quiet) and
// counts the write or its failure.
void Engine::drop_caches() {
  int fd = r_open(root_.get(), cfg_.drop_caches_path.c_str(), O_WRONLY);
  int e = fd < 0 ? errno : write_once(fd, "6");
  if (fd >= 0) ::close(fd);
  (e ? ctl.drop_caches_errors : ctl.drop_caches).fetch_add(1, std::memory_order_relaxed);
}

// drop_caches from its own thread: reclaim races every op, not just the
// absent phase.
void Engine::dropper() {
  while (!stop_.load()) {
    drop_caches();
    sleep_us(static_cast<uint64_t>(cfg_.drop_caches_interval_ms) * 1000);
  }
}

// Sends a snapshot every progress_ms (when set) until the run stops.
void Engine::wait_reporting_progress(const std::function<void(const Snapshot&)>& progress) {
  const auto tick = std::chrono::milliseconds(cfg_.progress_ms ? cfg_.progress_ms : 1000);
  auto next = std::chrono::steady_clock::now() + tick;
  std::unique_lock<std::mutex> l(mu_);
  while (!stop_.load()) {
    cv_.wait_until(l, next, [this] { return stop_.load(); });
    if (stop_.load()) break;
    if (std::chrono::steady_clock::now() >= next) {
      l.unlock();
      if (cfg_.progress_ms) progress(snapshot());
      next += tick;
      l.lock();
    }
  }
}

// A worker whose loop never returned was killed inside a system call: the
// kernel oopsed under it. Records a violation naming the op it was in.
void Engine::record_killed_workers() {
  for (int i = 0; i < cfg_.threads; i++) {
    WorkerCounters& c = *counters[static_cast<size_t>(i)];
    if (c.finished.load()) continue;
    int op = c.cur_op.load();
    const char* path = c.cur_path.load();
    uint64_t s = seq_.load();
    violations.add(Violation{i, s, s, "worker-killed", op >= 0 ? kOpNames[op] : "?", path ? path : "?",
                             "the system call returns", "the thread died inside it (kernel oops?)",
                             c.cur_start.load(), elapsed_ns + start_ns});
  }
}

namespace {
// A thread body: whatever it throws (std::bad_alloc in a violation's
// strings) stops the run as ENOMEM instead of std::terminate.
template <typename F>
std::thread guarded(Engine* e, int id, const char* what, F f) {
  return std::thread([e, id, what, f] {
    watchdog::Interruptible in;
    try {
      f();
    } catch (const std::exception&) {
      if (id >= 0 && strcmp(what, "worker") == 0) e->counters[static_cast<size_t>(id)]->finished.store(true);
      e->resource_stop(id, what, "", ENOMEM);
    }
  });
}
}  // namespace

// Workers first, then the dropper and the controller: nothing is created in
// tracefs before every thread exists. Creating a thread throws
// std::system_error (EAGAIN, e.g. under `ulimit -v`): the run stops there
// and run() joins what started.
void Engine::start_threads(std::vector<std::unique_ptr<Worker>>& workers, std::vector<std::thread>& threads,
                           std::thread& dropper_thread, std::thread& ctl_thread) {
  int made = -1;
  try {
    for (int i = 0; i < cfg_.threads; i++) {
      workers.emplace_back(new Worker(*this, i));
      // Interruptible: a watchdog that fires (native/watchdog.cc) signals the
      // thread out of a system call that blocks (EINTR).
      Worker* w = workers.back().get();
      threads.push_back(guarded(this, i, "worker", [w] { w->run(); }));
      made = i;
    }
    if (cfg_.drop_caches_interval_ms >= 0)
      dropper_thread = guarded(this, -1, "drop_caches", [this] { dropper(); });
    ctl_thread = guarded(this, -1, "controller", [this] { controller(); });
  } catch (const std::system_error& ex) {
    // The path names how many workers started: the fix suggests fewer.
    resource_stop(-2, "thread", std::to_string(made + 1), ex.code().value() ? ex.code().value() : EAGAIN);
  } catch (const std::bad_alloc&) {
    resource_stop(-2, "thread", std::to_string(made + 1), ENOMEM);
  }
}

void Engine::run(const std::function<void(const Snapshot&)>& progress) {
  start_ns = now_ns();
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  std::thread dropper_thread, ctl_thread;
  if (fd_budget_ok()) start_threads(workers, threads, dropper_thread, ctl_thread);
  if (ctl_thread.joinable()) {
    wait_reporting_progress(progress);
    // The controller ends its cycle (leaving the event absent) before the
    // workers stop, so the last removal is still raced and judged.
    ctl_thread.join();
  } else {
    // Never started: nothing was created, no cycle to end.
    stop_reason = "error";
    if (error.empty()) error = std::string("could not start the race: ") + errno_code(resource.err);
  }
  workers_stop_.store(true);
  for (auto& t : threads) t.join();
  if (dropper_thread.joinable()) dropper_thread.join();
  elapsed_ns = now_ns() - start_ns;
  // Workers that never started their loop were not killed by the kernel.
  for (size_t i = threads.size(); i < counters.size(); i++) counters[i]->finished.store(true);
  record_killed_workers();
  workers.clear();
}

}  // namespace race
}  // namespace tfsr
