// The controller side of the race engine and the run's lifetime: threads,
// progress, stop. Workers live in worker.cc.
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <thread>

#include "../sys_error.h"
#include "worker.h"

namespace tfsr {
namespace race {

uint64_t now_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

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

int write_all_once(int fd, const std::string& s) {
  ssize_t r = ::write(fd, s.data(), s.size());
  if (r < 0) return errno;
  return 0;
}

}  // namespace

Engine::Engine(Config cfg) : cfg_(std::move(cfg)) {
  if (cfg_.threads <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cfg_.threads = n > 0 ? static_cast<int>(n) : 1;
  }
  if (cfg_.threads > 64) cfg_.threads = 64;
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
          int fd = ::open(a.path.c_str(), flags | O_CLOEXEC, 0644);
          if (fd < 0) return errno;
          it = kept_fds_.emplace(a.path, fd).first;
        }
        return write_all_once(it->second, a.line);
      }
      int fd = ::open(a.path.c_str(), flags | O_CLOEXEC, 0644);
      if (fd < 0) return errno;
      int e = write_all_once(fd, a.line);
      ::close(fd);
      return e;
    }
    case ActionKind::Mkdir: return ::mkdir(a.path.c_str(), 0755) < 0 ? errno : 0;
    case ActionKind::Rmdir: return ::rmdir(a.path.c_str()) < 0 ? errno : 0;
    case ActionKind::Unlink: return ::unlink(a.path.c_str()) < 0 ? errno : 0;
    case ActionKind::CreateFile: {
      int fd = ::open(a.path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
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
  int fd = ::open(cfg_.enable.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int e = write_all_once(fd, "1");
  if (e != 0) {
    ::close(fd);
    return false;
  }
  const Action& first = cfg_.remove.front();
  uint64_t t0 = now_ns();
  int r = do_action(first);
  uint64_t t1 = now_ns();
  bool judged = cfg_.weight[kEnableWrite] == 0;
  if (r != EBUSY && judged) {
    uint64_t s = seq_.load();
    violations.add(Violation{-1, s, s, "remove-while-enabled", "remove", first.path + ": " + first.line,
                             "EBUSY", got_name(r), t0, t1});
  }
  if (r == 0) {
    ::close(fd);
    return true;
  }
  write_all_once(fd, "0");
  ::close(fd);
  return false;
}

void Engine::controller() {
  uint64_t k = 0;
  const uint64_t deadline = cfg_.duration_ms ? start_ns + cfg_.duration_ms * 1000000ull : 0;
  while (!stop_.load(std::memory_order_relaxed)) {
    if (deadline && now_ns() >= deadline) {
      stop_reason = "duration";
      break;
    }
    if (cfg_.max_cycles && k >= cfg_.max_cycles) {
      stop_reason = "cycles";
      break;
    }
    k++;
    int e = 0;
    const Action* bad = nullptr;
    seq_.store(4 * k + 0);
    uint64_t t0 = now_ns();
    if (!run_step(cfg_.create, false, &e, &bad)) {
      fail(std::string("create: ") + action_sys(bad->kind) + "(" + bad->path + "): " + errno_code(e));
      // Undo whatever part of the create step worked (errors are expected
      // here); when its first action failed, nothing is ours to undo.
      if (bad != &cfg_.create.front()) run_step(cfg_.remove, true, &e, &bad);
      // The phase stays "creating": whether the target exists is unknown (a
      // failed create may have met one already there), so no op is judged.
      workers_stop_.store(true);
      break;
    }
    ctl.create_ns.add(now_ns() - t0);
    seq_.store(4 * k + 1);
    sleep_us(cfg_.dwell_present_us);

    seq_.store(4 * k + 2);
    std::vector<Action> rest;
    const std::vector<Action>* step = &cfg_.remove;
    if (cfg_.busy_check_every && !cfg_.enable.empty() && k % cfg_.busy_check_every == 0 &&
        busy_check()) {
      rest.assign(cfg_.remove.begin() + 1, cfg_.remove.end());
      step = &rest;
    }
    t0 = now_ns();
    if (!run_step(*step, true, &e, &bad)) {
      fail(std::string("remove: ") + action_sys(bad->kind) + "(" + bad->path + "): " + errno_code(e));
      break;
    }
    ctl.remove_ns.add(now_ns() - t0);
    seq_.store(4 * k + 3);
    ctl.cycles.store(k, std::memory_order_relaxed);
    if (cfg_.drop_caches_every && k % cfg_.drop_caches_every == 0) {
      int fd = ::open(cfg_.drop_caches_path.c_str(), O_WRONLY | O_CLOEXEC);
      int de = fd < 0 ? errno : write_all_once(fd, "6");
      if (fd >= 0) ::close(fd);
      (de ? ctl.drop_caches_errors : ctl.drop_caches).fetch_add(1, std::memory_order_relaxed);
    }
    sleep_us(cfg_.dwell_absent_us);
  }
  if (stop_reason.empty()) stop_reason = error.empty() ? "stopped" : "error";
  if (!error.empty()) stop_reason = "error";
  controller_done_.store(true);
  stop();
}

// drop_caches from its own thread: reclaim races every op, not just the
// absent phase. Writes 6 (2 plus the bit that keeps dmesg quiet).
void Engine::dropper() {
  while (!stop_.load()) {
    int fd = ::open(cfg_.drop_caches_path.c_str(), O_WRONLY | O_CLOEXEC);
    int de = fd < 0 ? errno : write_all_once(fd, "6");
    if (fd >= 0) ::close(fd);
    (de ? ctl.drop_caches_errors : ctl.drop_caches).fetch_add(1, std::memory_order_relaxed);
    sleep_us(static_cast<uint64_t>(cfg_.drop_caches_interval_ms) * 1000);
  }
}

void Engine::run(const std::function<void(const Snapshot&)>& progress) {
  start_ns = now_ns();
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  for (int i = 0; i < cfg_.threads; i++) {
    workers.emplace_back(new Worker(*this, i));
    threads.emplace_back([w = workers.back().get()] { w->run(); });
  }
  std::thread dropper_thread;
  if (cfg_.drop_caches_interval_ms >= 0) dropper_thread = std::thread([this] { dropper(); });
  std::thread ctl_thread([this] { controller(); });

  const auto tick = std::chrono::milliseconds(cfg_.progress_ms ? cfg_.progress_ms : 1000);
  auto next = std::chrono::steady_clock::now() + tick;
  {
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
  // The controller ends its cycle (leaving the event absent) before the
  // workers stop, so the last removal is still raced and judged.
  ctl_thread.join();
  workers_stop_.store(true);
  for (auto& t : threads) t.join();
  if (dropper_thread.joinable()) dropper_thread.join();
  elapsed_ns = now_ns() - start_ns;
  // A worker whose loop never returned was killed inside a system call:
  // the kernel oopsed under it. Name the op it was in.
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
  workers.clear();
}

}  // namespace race
}  // namespace tfsr
