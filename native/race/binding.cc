// SPDX-License-Identifier: GPL-2.0-only
// N-API face of the race engine: raceStart runs a race on its own threads
// (off the JS thread) and returns {id, done: Promise<stats>}; raceStop(id)
// ends it early. Progress snapshots reach JS through AsyncProgressWorker.
#include <map>
#include <memory>
#include <mutex>

#include "../sys_error.h"
#include "../watchdog.h"
#include "config_parse.h"
#include "engine.h"
#include "race.h"

namespace tfsr {
namespace race {
namespace {

std::mutex g_mu;
std::map<uint32_t, Engine*> g_running;
uint32_t g_next_id = 1;

const char* phase_name(uint64_t s) {
  static const char* const n[] = {"creating", "present", "removing", "absent"};
  return n[rc_phase_of(s)];
}

Napi::Object latency_obj(Napi::Env env, const LatencyHist& h) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("count", static_cast<double>(h.count()));
  o.Set("p50", static_cast<double>(h.percentile(0.50)));
  o.Set("p90", static_cast<double>(h.percentile(0.90)));
  o.Set("p99", static_cast<double>(h.percentile(0.99)));
  o.Set("max", static_cast<double>(h.max()));
  return o;
}

Napi::Object snapshot_obj(Napi::Env env, const Snapshot& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("elapsedNs", static_cast<double>(s.elapsed_ns));
  o.Set("cycles", static_cast<double>(s.cycles));
  o.Set("ops", static_cast<double>(s.ops));
  o.Set("violations", static_cast<double>(s.violations));
  return o;
}

Napi::Object stats_obj(Napi::Env env, Engine& e) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("stopReason", e.stop_reason);
  if (!e.error.empty()) o.Set("error", e.error);
  o.Set("elapsedNs", static_cast<double>(e.elapsed_ns));
  o.Set("threads", e.config().threads);
  o.Set("cycles", static_cast<double>(e.ctl.cycles.load()));
  o.Set("racers", e.racers());
  uint64_t step_asides = 0;
  for (auto& w : e.counters) step_asides += w->step_asides.load(std::memory_order_relaxed);
  o.Set("stepAsides", static_cast<double>(step_asides));
  uint64_t held = 0;
  for (auto& w : e.counters) held += w->held_fds.load(std::memory_order_relaxed);
  o.Set("heldFds", static_cast<double>(held));
  Napi::Object fds = Napi::Object::New(env);
  fds.Set("needed", static_cast<double>(e.fds.needed));
  fds.Set("open", static_cast<double>(e.fds.open));
  fds.Set("limit", static_cast<double>(e.fds.limit));
  o.Set("fdBudget", fds);
  if (e.resource.err) {
    Napi::Object r = Napi::Object::New(env);
    r.Set("code", errno_code(e.resource.err));
    r.Set("thread", e.resource.thread);
    r.Set("op", e.resource.op);
    r.Set("path", e.resource.path);
    r.Set("stops", static_cast<double>(e.resource_stops));
    o.Set("resourceError", r);
  }
  o.Set("controllerNice", e.ctl.controller_nice);
  if (e.ctl.boost_errno)
    o.Set("controllerBoostError", std::string("setpriority(2) failed, ") + errno_code(e.ctl.boost_errno));
  o.Set("busyRetries", static_cast<double>(e.ctl.busy_retries.load()));
  o.Set("busyChecks", static_cast<double>(e.ctl.busy_checks.load()));
  o.Set("dropCaches", static_cast<double>(e.ctl.drop_caches.load()));
  o.Set("dropCachesErrors", static_cast<double>(e.ctl.drop_caches_errors.load()));
  o.Set("createLatencyNs", latency_obj(env, e.ctl.create_ns));
  o.Set("removeLatencyNs", latency_obj(env, e.ctl.remove_ns));
  static const char* const cls[kClassCount] = {"present", "absent", "transition"};
  Napi::Object ops = Napi::Object::New(env);
  for (int op = 0; op < kOpCount; op++) {
    uint64_t count = 0;
    Napi::Object byClass = Napi::Object::New(env);
    for (int c = 0; c < kClassCount; c++) {
      Napi::Object hist = Napi::Object::New(env);
      for (int slot = 0; slot < kErrSlots; slot++) {
        uint64_t n = 0;
        for (auto& w : e.counters) n += w->err[op][c][slot].load(std::memory_order_relaxed);
        if (n) hist.Set(err_slot_name(slot), static_cast<double>(n));
      }
      byClass.Set(cls[c], hist);
    }
    for (auto& w : e.counters) count += w->ops[op].load(std::memory_order_relaxed);
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("count", static_cast<double>(count));
    entry.Set("errnos", byClass);
    ops.Set(kOpNames[op], entry);
  }
  o.Set("ops", ops);
  o.Set("violationCount", static_cast<double>(e.violations.count()));
  Napi::Array vs = Napi::Array::New(env);
  uint32_t i = 0;
  for (const Violation& v : e.violations.first()) {
    Napi::Object x = Napi::Object::New(env);
    x.Set("thread", v.thread);
    x.Set("rule", v.rule);
    x.Set("op", v.op);
    x.Set("path", v.path);
    x.Set("expected", v.expected);
    x.Set("got", v.got);
    x.Set("cycle", static_cast<double>(rc_cycle_of(v.seq_before)));
    x.Set("generationBefore", static_cast<double>(rc_gen_of(v.seq_before)));
    x.Set("generationAfter", static_cast<double>(rc_gen_of(v.seq_after)));
    x.Set("phaseBefore", phase_name(v.seq_before));
    x.Set("phaseAfter", phase_name(v.seq_after));
    x.Set("startNs", static_cast<double>(v.start_ns - e.start_ns));
    x.Set("endNs", static_cast<double>(v.end_ns - e.start_ns));
    vs.Set(i++, x);
  }
  o.Set("violations", vs);
  Napi::Object by = Napi::Object::New(env);
  for (auto& kv : e.violations.by_rule()) by.Set(kv.first, static_cast<double>(kv.second));
  o.Set("violationsByRule", by);
  return o;
}

class RaceJob : public Napi::AsyncProgressWorker<Snapshot> {
 public:
  RaceJob(Napi::Env env, Config cfg, Napi::Value progress, uint32_t id)
      : Napi::AsyncProgressWorker<Snapshot>(env, "tracefs-regress:race"),
        deferred_(Napi::Promise::Deferred::New(env)),
        engine_(new Engine(std::move(cfg))),
        id_(id) {
    if (progress.IsFunction()) progress_ = Napi::Persistent(progress.As<Napi::Function>());
    std::lock_guard<std::mutex> g(g_mu);
    g_running[id_] = engine_.get();
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute(const ExecutionProgress& p) override {
    // run() joins every thread it started on every way out; what it still
    // throws (std::bad_alloc) rejects the promise instead of aborting.
    try {
      engine_->run([&p](const Snapshot& s) { p.Send(&s, 1); });
    } catch (const std::exception& ex) {
      SetError(std::string("race engine: ") + ex.what());
    }
    std::lock_guard<std::mutex> g(g_mu);
    g_running.erase(id_);
  }
  void OnProgress(const Snapshot* s, size_t n) override {
    if (!s || n == 0 || progress_.IsEmpty()) return;
    Napi::HandleScope scope(Env());
    progress_.Call({snapshot_obj(Env(), *s)});
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(stats_obj(Env(), *engine_));
  }
  void OnError(const Napi::Error& err) override { deferred_.Reject(err.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<Engine> engine_;
  Napi::FunctionReference progress_;
  uint32_t id_;
};

Napi::Value RaceStartUnguarded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "raceStart(config: object, onProgress?: function)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Config cfg;
  if (!parse_config(env, info[0].As<Napi::Object>(), &cfg)) return env.Undefined();
  uint32_t id;
  {
    std::lock_guard<std::mutex> g(g_mu);
    id = g_next_id++;
  }
  auto* job = new RaceJob(env, std::move(cfg), info.Length() > 1 ? info[1] : env.Undefined(), id);
  Napi::Object r = Napi::Object::New(env);
  r.Set("id", id);
  r.Set("done", job->promise());
  job->Queue();  // deletes itself after OnOK/OnError
  return r;
}

// A C++ exception must not cross into N-API (node aborts): std::bad_alloc
// from the engine's allocations becomes a JS Error.
Napi::Value RaceStart(const Napi::CallbackInfo& info) {
  try {
    return RaceStartUnguarded(info);
  } catch (const std::exception& ex) {
    if (!info.Env().IsExceptionPending())
      Napi::Error::New(info.Env(), std::string("raceStart: ") + ex.what()).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
}

// raceFdsNeeded(config, threads): the fds a race with this config holds at
// most beside those already open (engine.h fds_needed), for a check before
// anything starts.
Napi::Value RaceFdsNeeded(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "raceFdsNeeded(config: object, threads: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Config cfg;
  if (!parse_config(env, info[0].As<Napi::Object>(), &cfg)) return env.Undefined();
  int threads = info[1].As<Napi::Number>().Int32Value();
  if (threads < kThreadsMin || threads > kThreadsMax) {
    Napi::TypeError::New(env, "raceFdsNeeded: threads must be 1..64").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(fds_needed(cfg, threads)));
}

Napi::Value RaceStop(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(info.Env(), "raceStop(id: number)").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  uint32_t id = info[0].As<Napi::Number>().Uint32Value();
  std::lock_guard<std::mutex> g(g_mu);
  auto it = g_running.find(id);
  if (it == g_running.end()) return Napi::Boolean::New(info.Env(), false);
  it->second->stop();
  return Napi::Boolean::New(info.Env(), true);
}

size_t stop_all() {
  std::lock_guard<std::mutex> g(g_mu);
  for (auto& kv : g_running) kv.second->stop();
  return g_running.size();
}

// For a SIGINT handler: stops every running race; returns how many.
Napi::Value RaceStopAll(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(stop_all()));
}

}  // namespace
}  // namespace race

void register_race(Napi::Env env, Napi::Object exports) {
  exports.Set("raceStart", Napi::Function::New(env, race::RaceStart, "raceStart"));
  exports.Set("raceStop", Napi::Function::New(env, race::RaceStop, "raceStop"));
  exports.Set("raceStopAll", Napi::Function::New(env, race::RaceStopAll, "raceStopAll"));
  exports.Set("raceFdsNeeded", Napi::Function::New(env, race::RaceFdsNeeded, "raceFdsNeeded"));
  // A scenario that timed out ends its race; the watchdog's signals get its threads out of blocked calls.
  watchdog::add_fire_hook([] { race::stop_all(); });
}

}  // namespace tfsr
