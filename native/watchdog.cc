// SPDX-License-Identifier: GPL-2.0-only
// The per-scenario watchdog (watchdog.h). Scenarios call the addon
// synchronously on the JS thread, so a read(2) that never returns (the
// trace_pipe of an empty instance) blocks the event loop and no JS timer can
// fire. This thread can: when an arm expires it runs the fire hooks (the
// race binding stops every race), then sends the signal to the armed thread
// and to every Interruptible thread, and again every kRepeat until the arm
// is disarmed, so a scenario that goes back into a blocking call after the
// first EINTR is interrupted again.
//
// The signal: the first real-time signal from SIGRTMIN+2 whose disposition
// is still SIG_DFL. Node and libuv use SIGINT, SIGTERM, SIGUSR1 (inspector),
// SIGSEGV (wasm traps), SIGPROF (profiler), SIGCHLD, SIGWINCH; SIGUSR2 is
// Node's --report-signal default; glibc keeps SIGRTMIN-2..SIGRTMIN-1 (32,
// 33) for itself. No real-time signal is used by any of them. The handler
// does nothing and is installed without SA_RESTART: a system call it
// interrupts fails with EINTR instead of being restarted.
//
// Not covered (the VM runner's --timeout is the backstop): a thread busy in
// JS or C code outside any system call, and one in uninterruptible sleep (a
// kernel lock held by a task the kernel killed in an oops). After kWarn
// without a disarm the watchdog says so on stderr, once.
#include "watchdog.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tfsr {
namespace watchdog {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRepeat = std::chrono::milliseconds(50);
constexpr auto kWarn = std::chrono::seconds(10);
constexpr double kMaxTimeoutMs = 7.0 * 24 * 3600 * 1000;

struct Arm {
  int tid;
  Clock::time_point deadline;
  std::string label;
  bool fired = false;
  bool warned = false;
  Clock::time_point fired_at;
  Clock::time_point next_signal;
  uint32_t signals = 0;
};

// Leaked on purpose: the watchdog thread outlives every static destructor.
struct State {
  std::mutex mu;
  std::condition_variable cv;
  std::map<uint32_t, Arm> arms;
  std::set<int> interruptible;
  std::vector<void (*)()> hooks;
  uint32_t next_id = 1;
  bool thread_started = false;
};

State& state() {
  static State* s = new State();
  return *s;
}

int g_signal = 0;             // chosen once; 0 while none is free
std::string g_install_error;  // why none could be installed
std::once_flag g_install_once;

int gettid_() { return static_cast<int>(syscall(SYS_gettid)); }

void on_signal(int) {}  // its only job is to make a blocked system call return EINTR

void install() {
  for (int sig = SIGRTMIN + 2; sig <= SIGRTMAX; sig++) {
    struct sigaction old;
    if (sigaction(sig, nullptr, &old) != 0) continue;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: the interrupted call fails with EINTR
    if (sigaction(sig, &sa, nullptr) != 0) continue;
    g_signal = sig;
    return;
  }
  g_install_error = "no real-time signal is free for the watchdog (all have handlers)";
}

int ensure_installed() {
  std::call_once(g_install_once, install);
  return g_signal;
}

void unblock_for_this_thread(int sig) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void warn_stuck(const Arm& a) {
  char buf[512];
  int n =
      snprintf(buf, sizeof buf,
               "tracefs-regress: watchdog: %s timed out %lld s ago and has not returned after %u signals: it "
               "is stuck outside a system call or in uninterruptible sleep, which no signal ends\n",
               a.label.c_str(),
               static_cast<long long>(
                   std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - a.fired_at).count()),
               a.signals);
  if (n > 0) {
    ssize_t w =
        ::write(2, buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
    (void)w;
  }
}

// One pass over the arms: fires the expired ones (hooks run unlocked),
// signals the fired ones that are due. Returns when to look again.
Clock::time_point tick(std::unique_lock<std::mutex>& l) {
  State& s = state();
  Clock::time_point now = Clock::now();
  bool newly_fired = false;
  for (auto& kv : s.arms) {
    Arm& a = kv.second;
    if (!a.fired && now >= a.deadline) {
      a.fired = true;
      a.fired_at = now;
      a.next_signal = now;
      newly_fired = true;
    }
  }
  if (newly_fired) {
    std::vector<void (*)()> hooks = s.hooks;
    l.unlock();
    for (auto fn : hooks) fn();
    l.lock();
    now = Clock::now();
  }
  const pid_t pid = getpid();
  bool due = false;
  Clock::time_point next = Clock::time_point::max();
  for (auto& kv : s.arms) {
    Arm& a = kv.second;
    if (!a.fired) {
      next = std::min(next, a.deadline);
      continue;
    }
    if (now >= a.next_signal) {
      syscall(SYS_tgkill, pid, a.tid, g_signal);
      a.signals++;
      a.next_signal = now + kRepeat;
      due = true;
    }
    if (!a.warned && now >= a.fired_at + kWarn) {
      a.warned = true;
      warn_stuck(a);
    }
    next = std::min(next, a.next_signal);
  }
  // Under the lock: a registered thread cannot deregister (and exit, freeing its tid) meanwhile.
  if (due)
    for (int tid : s.interruptible) syscall(SYS_tgkill, pid, tid, g_signal);
  return next;
}

void run() {
  State& s = state();
  std::unique_lock<std::mutex> l(s.mu);
  for (;;) {
    Clock::time_point next = tick(l);
    if (next == Clock::time_point::max()) s.cv.wait(l);
    else s.cv.wait_until(l, next);
  }
}

bool check_usage(const Napi::CallbackInfo& info, bool ok, const char* usage) {
  if (!ok) Napi::TypeError::New(info.Env(), usage).ThrowAsJavaScriptException();
  return ok;
}

// watchdogArm(timeoutMs, label): arms for the calling thread; returns the arm's id.
Napi::Value Arm_(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "watchdogArm(timeoutMs: integer 1..604800000, label: string)";
  if (!check_usage(info, info.Length() >= 2 && info[0].IsNumber() && info[1].IsString(), usage))
    return env.Undefined();
  double ms = info[0].As<Napi::Number>().DoubleValue();
  if (!check_usage(
          info, ms >= 1 && ms <= kMaxTimeoutMs && ms == static_cast<double>(static_cast<int64_t>(ms)), usage))
    return env.Undefined();
  int sig = ensure_installed();
  if (sig == 0) {
    Napi::Error::New(env, g_install_error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  unblock_for_this_thread(sig);
  State& s = state();
  std::lock_guard<std::mutex> g(s.mu);
  if (!s.thread_started) {
    std::thread(run).detach();
    s.thread_started = true;
  }
  uint32_t id = s.next_id++;
  Arm a;
  a.tid = gettid_();
  a.deadline = Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(ms));
  a.label = info[1].As<Napi::String>().Utf8Value();
  s.arms.emplace(id, a);
  s.cv.notify_all();
  return Napi::Number::New(env, id);
}

// watchdogDisarm(id): {fired, signals, overrunMs}; overrunMs is how long after
// the deadline the scenario came back (0 when it did not fire).
Napi::Value Disarm_(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!check_usage(info, info.Length() >= 1 && info[0].IsNumber(), "watchdogDisarm(id: number)"))
    return env.Undefined();
  uint32_t id = info[0].As<Napi::Number>().Uint32Value();
  State& s = state();
  bool fired;
  uint32_t signals;
  double overrun_ms = 0;
  {
    std::lock_guard<std::mutex> g(s.mu);
    auto it = s.arms.find(id);
    if (it == s.arms.end()) {
      Napi::Error::New(env, "watchdogDisarm: no such arm (disarmed twice?)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    fired = it->second.fired;
    signals = it->second.signals;
    if (fired)
      overrun_ms = std::chrono::duration<double, std::milli>(Clock::now() - it->second.fired_at).count();
    s.arms.erase(it);
    s.cv.notify_all();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("fired", fired);
  o.Set("signals", static_cast<double>(signals));
  o.Set("overrunMs", overrun_ms);
  return o;
}

// watchdogSignal(): the signal number the watchdog sends (installing it if
// needed); 0 when none is free.
Napi::Value Signal_(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), ensure_installed());
}

}  // namespace

Interruptible::Interruptible() : tid_(gettid_()) {
  int sig = ensure_installed();
  if (sig) unblock_for_this_thread(sig);
  State& s = state();
  std::lock_guard<std::mutex> g(s.mu);
  s.interruptible.insert(tid_);
}

Interruptible::~Interruptible() {
  State& s = state();
  std::lock_guard<std::mutex> g(s.mu);
  s.interruptible.erase(tid_);
}

void add_fire_hook(void (*fn)()) {
  State& s = state();
  std::lock_guard<std::mutex> g(s.mu);
  for (auto h : s.hooks)
    if (h == fn) return;
  s.hooks.push_back(fn);
}

}  // namespace watchdog

void register_watchdog(Napi::Env env, Napi::Object exports) {
  exports.Set("watchdogArm", Napi::Function::New(env, watchdog::Arm_, "watchdogArm"));
  exports.Set("watchdogDisarm", Napi::Function::New(env, watchdog::Disarm_, "watchdogDisarm"));
  exports.Set("watchdogSignal", Napi::Function::New(env, watchdog::Signal_, "watchdogSignal"));
}

}  // namespace tfsr
