#include "config_parse.h"

#include <fcntl.h>

#include <string>

namespace tfsr {
namespace race {
namespace {

bool bad(Napi::Env env, const std::string& what) {
  Napi::TypeError::New(env, "raceStart(config): " + what).ThrowAsJavaScriptException();
  return false;
}

bool get_str(Napi::Env env, Napi::Object o, const char* key, std::string* out, bool required,
             const std::string& where) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return required ? bad(env, where + key + " is required") : true;
  if (!v.IsString()) return bad(env, where + key + " must be a string");
  *out = v.As<Napi::String>().Utf8Value();
  if (out->find('\0') != std::string::npos) return bad(env, where + key + " contains NUL");
  return true;
}

template <typename T>
bool get_num(Napi::Env env, Napi::Object o, const char* key, T* out, double lo, double hi) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return bad(env, std::string(key) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= lo && d <= hi) || d != static_cast<double>(static_cast<int64_t>(d)))
    return bad(env, std::string(key) + " must be an integer in " + std::to_string(static_cast<int64_t>(lo)) +
                        ".." + std::to_string(static_cast<int64_t>(hi)));
  *out = static_cast<T>(d);
  return true;
}

bool parse_actions(Napi::Env env, Napi::Value v, const std::string& where, std::vector<Action>* out,
                   int depth);

bool parse_action(Napi::Env env, Napi::Value v, const std::string& where, Action* a, int depth) {
  if (!v.IsObject()) return bad(env, where + " must be an object");
  Napi::Object o = v.As<Napi::Object>();
  std::string kind;
  if (!get_str(env, o, "kind", &kind, true, where + ".")) return false;
  if (kind == "write") a->kind = ActionKind::Write;
  else if (kind == "mkdir") a->kind = ActionKind::Mkdir;
  else if (kind == "rmdir") a->kind = ActionKind::Rmdir;
  else if (kind == "unlink") a->kind = ActionKind::Unlink;
  else if (kind == "create-file") a->kind = ActionKind::CreateFile;
  else return bad(env, where + ".kind must be write, mkdir, rmdir, unlink or create-file, not " + kind);
  if (!get_str(env, o, "path", &a->path, true, where + ".")) return false;
  if (a->kind == ActionKind::Write) {
    if (!get_str(env, o, "line", &a->line, true, where + ".")) return false;
    a->flags = O_WRONLY | O_APPEND;
    if (!get_num(env, o, "flags", &a->flags, 0, 0x7fffffff)) return false;
    Napi::Value k = o.Get("keepOpen");
    a->keep_open = k.IsBoolean() && k.As<Napi::Boolean>().Value();
  }
  Napi::Value ob = o.Get("onBusy");
  if (!ob.IsUndefined()) {
    if (depth > 0) return bad(env, where + ".onBusy cannot nest");
    if (!parse_actions(env, ob, where + ".onBusy", &a->on_busy, depth + 1)) return false;
  }
  return true;
}

bool parse_actions(Napi::Env env, Napi::Value v, const std::string& where, std::vector<Action>* out,
                   int depth) {
  if (!v.IsArray()) return bad(env, where + " must be an array of actions");
  Napi::Array arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Action a;
    if (!parse_action(env, arr.Get(i), where + "[" + std::to_string(i) + "]", &a, depth)) return false;
    out->push_back(std::move(a));
  }
  return true;
}

bool parse_strings(Napi::Env env, Napi::Value v, const std::string& where, std::vector<std::string>* out) {
  if (v.IsUndefined()) return true;
  if (!v.IsArray()) return bad(env, where + " must be an array of strings");
  Napi::Array arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value s = arr.Get(i);
    if (!s.IsString()) return bad(env, where + " must be an array of strings");
    out->push_back(s.As<Napi::String>().Utf8Value());
  }
  return true;
}

}  // namespace

bool parse_config(Napi::Env env, Napi::Object o, Config* c) {
  if (!get_num(env, o, "threads", &c->threads, 0, 64) ||
      !get_num(env, o, "durationMs", &c->duration_ms, 0, 86400000) ||
      !get_num(env, o, "maxCycles", &c->max_cycles, 0, 9007199254740991.0) ||
      !get_num(env, o, "dwellPresentUs", &c->dwell_present_us, 0, 60000000) ||
      !get_num(env, o, "dwellAbsentUs", &c->dwell_absent_us, 0, 60000000) ||
      !get_num(env, o, "dropCachesEvery", &c->drop_caches_every, 0, 1e9) ||
      !get_num(env, o, "dropCachesIntervalMs", &c->drop_caches_interval_ms, -1, 3600000) ||
      !get_num(env, o, "busyCheckEvery", &c->busy_check_every, 0, 1e9) ||
      !get_num(env, o, "progressMs", &c->progress_ms, 0, 3600000) ||
      !get_num(env, o, "heldDirfds", &c->held_dirfds, 1, 64) ||
      !get_num(env, o, "maxBusyRetries", &c->max_busy_retries, 0, 1e12) ||
      !get_num(env, o, "racers", &c->racers, -1, 64) ||
      !get_num(env, o, "stepAsideUs", &c->step_aside_us, 0, 1000000))
    return false;
  if (!get_str(env, o, "dropCachesPath", &c->drop_caches_path, false, "")) return false;
  if (!parse_actions(env, o.Get("create"), "create", &c->create, 0) ||
      !parse_actions(env, o.Get("remove"), "remove", &c->remove, 0))
    return false;
  if (c->create.empty() || c->remove.empty()) return bad(env, "create and remove need at least one action");
  if (!parse_strings(env, o.Get("files"), "files", &c->files)) return false;
  if (!get_str(env, o, "enable", &c->enable, false, "")) return false;
  Napi::Value dirs = o.Get("dirs");
  if (!dirs.IsUndefined()) {
    if (!dirs.IsArray()) return bad(env, "dirs must be an array of {path, names}");
    Napi::Array arr = dirs.As<Napi::Array>();
    for (uint32_t i = 0; i < arr.Length(); i++) {
      Napi::Value dv = arr.Get(i);
      if (!dv.IsObject()) return bad(env, "dirs must be an array of {path, names}");
      DirTarget d;
      std::string w = "dirs[" + std::to_string(i) + "].";
      if (!get_str(env, dv.As<Napi::Object>(), "path", &d.path, true, w) ||
          !parse_strings(env, dv.As<Napi::Object>().Get("names"), w + "names", &d.names))
        return false;
      if (d.names.empty()) return bad(env, w + "names must not be empty");
      c->dirs.push_back(std::move(d));
    }
  }
  Napi::Value list = o.Get("list");
  if (!list.IsUndefined()) {
    if (!list.IsObject()) return bad(env, "list must be {dir, name}");
    c->has_list = true;
    if (!get_str(env, list.As<Napi::Object>(), "dir", &c->list.dir, true, "list.") ||
        !get_str(env, list.As<Napi::Object>(), "name", &c->list.name, true, "list."))
      return false;
  }
  Napi::Value w = o.Get("weights");
  if (!w.IsUndefined()) {
    if (!w.IsObject()) return bad(env, "weights must be an object");
    // Given weights describe the whole mix: ops not named are left out.
    for (auto& x : c->weight) x = 0;
    static const struct { const char* key; Op op; } keys[] = {
        {"openRead", kOpenRead}, {"enableWrite", kEnableWrite}, {"stat", kStat},
        {"openat", kOpenat},     {"fstatat", kFstatat},         {"getdents", kGetdents},
        {"heldWrite", kHeldWrite}};
    for (auto& k : keys)
      if (!get_num(env, w.As<Napi::Object>(), k.key, &c->weight[k.op], 0, 1000)) return false;
  }
  if (c->busy_check_every && c->enable.empty()) return bad(env, "busyCheckEvery needs enable");
  return true;
}

}  // namespace race
}  // namespace tfsr
