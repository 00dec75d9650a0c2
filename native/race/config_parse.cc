// SPDX-License-Identifier: GPL-2.0-only
#include "config_parse.h"

#include <fcntl.h>

#include <string>

namespace tfsr {
namespace race {
namespace {

bool bad(Napi::Env env, const std::string& what) {
  // A getter that threw already left its exception pending: throwing a
  // second one would abort the process in napi_throw.
  if (!env.IsExceptionPending())
    Napi::TypeError::New(env, "raceStart(config): " + what).ThrowAsJavaScriptException();
  return false;
}

// o[key] or arr[i], false when reading it threw (a getter, a Proxy): the
// exception stays pending for JS, and no N-API call may follow it.
bool get(Napi::Env env, Napi::Object o, const char* key, Napi::Value* out) {
  *out = o.Get(key);
  return !env.IsExceptionPending();
}
bool get(Napi::Env env, Napi::Array a, uint32_t i, Napi::Value* out) {
  *out = a.Get(i);
  return !env.IsExceptionPending();
}
bool length(Napi::Env env, Napi::Array a, uint32_t* out) {
  *out = a.Length();
  return !env.IsExceptionPending();
}

bool get_str(Napi::Env env, Napi::Object o, const char* key, std::string* out, bool required,
             const std::string& where) {
  Napi::Value v;
  if (!get(env, o, key, &v)) return false;
  if (v.IsUndefined()) return required ? bad(env, where + key + " is required") : true;
  if (!v.IsString()) return bad(env, where + key + " must be a string");
  *out = v.As<Napi::String>().Utf8Value();
  if (out->find('\0') != std::string::npos) return bad(env, where + key + " contains NUL");
  return true;
}

// An integer in lo..hi; the limits are exact as doubles (at most 2^53).
template <typename T>
bool get_num(Napi::Env env, Napi::Object o, const char* key, T* out, int64_t lo, int64_t hi) {
  Napi::Value v;
  if (!get(env, o, key, &v)) return false;
  if (v.IsUndefined()) return true;
  if (!v.IsNumber()) return bad(env, std::string(key) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) ||
      d != static_cast<double>(static_cast<int64_t>(d)))
    return bad(env,
               std::string(key) + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
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
    // Control files are appended to: a truncating or creating open could
    // empty a file other tracers use, or make one outside tracefs.
    if (a->flags & (O_TRUNC | O_CREAT))
      return bad(env, where + ".flags must not include O_TRUNC or O_CREAT (control files are appended to)");
    Napi::Value k;
    if (!get(env, o, "keepOpen", &k)) return false;
    a->keep_open = k.IsBoolean() && k.As<Napi::Boolean>().Value();
  }
  Napi::Value ob;
  if (!get(env, o, "onBusy", &ob)) return false;
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
  uint32_t n;
  if (!length(env, arr, &n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    Action a;
    Napi::Value av;
    if (!get(env, arr, i, &av) || !parse_action(env, av, where + "[" + std::to_string(i) + "]", &a, depth))
      return false;
    out->push_back(std::move(a));
  }
  return true;
}

bool parse_strings(Napi::Env env, Napi::Value v, const std::string& where, std::vector<std::string>* out) {
  if (v.IsUndefined()) return true;
  if (!v.IsArray()) return bad(env, where + " must be an array of strings");
  Napi::Array arr = v.As<Napi::Array>();
  uint32_t n;
  if (!length(env, arr, &n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value s;
    if (!get(env, arr, i, &s)) return false;
    if (!s.IsString()) return bad(env, where + " must be an array of strings");
    std::string str = s.As<Napi::String>().Utf8Value();
    if (str.find('\0') != std::string::npos)
      return bad(env, where + "[" + std::to_string(i) + "] contains NUL");
    out->push_back(std::move(str));
  }
  return true;
}

bool parse_dirs(Napi::Env env, Napi::Value v, std::vector<DirTarget>* out) {
  if (v.IsUndefined()) return true;
  const std::string usage = std::string(kKeyDirs) + " must be an array of {path, names}";
  if (!v.IsArray()) return bad(env, usage);
  Napi::Array arr = v.As<Napi::Array>();
  uint32_t n;
  if (!length(env, arr, &n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value dv, names;
    if (!get(env, arr, i, &dv)) return false;
    if (!dv.IsObject()) return bad(env, usage);
    DirTarget d;
    std::string w = std::string(kKeyDirs) + "[" + std::to_string(i) + "].";
    if (!get_str(env, dv.As<Napi::Object>(), "path", &d.path, true, w) ||
        !get(env, dv.As<Napi::Object>(), "names", &names) ||
        !parse_strings(env, names, w + "names", &d.names))
      return false;
    if (d.names.empty()) return bad(env, w + "names must not be empty");
    out->push_back(std::move(d));
  }
  return true;
}

bool parse_list(Napi::Env env, Napi::Value v, Config* c) {
  if (v.IsUndefined()) return true;
  const std::string where = std::string(kKeyList) + ".";
  if (!v.IsObject()) return bad(env, std::string(kKeyList) + " must be {dir, name}");
  c->has_list = true;
  return get_str(env, v.As<Napi::Object>(), "dir", &c->list.dir, true, where) &&
         get_str(env, v.As<Napi::Object>(), "name", &c->list.name, true, where);
}

bool parse_weights(Napi::Env env, Napi::Value v, uint32_t (&weight)[kOpCount]) {
  if (v.IsUndefined()) return true;
  if (!v.IsObject()) return bad(env, std::string(kKeyWeights) + " must be an object");
  // Given weights describe the whole mix: ops not named are left out.
  for (auto& x : weight) x = 0;
  for (int op = 0; op < kOpCount; op++)
    if (kOpWeightKeys[op] &&
        !get_num(env, v.As<Napi::Object>(), kOpWeightKeys[op], &weight[op], kWeightMin, kWeightMax))
      return false;
  return true;
}

}  // namespace

// Names, defaults and limits come from the parameter table (params.gen.h).
bool parse_config(Napi::Env env, Napi::Object o, Config* c) {
  auto num = [&](const char* key, auto* field, int64_t lo, int64_t hi) {
    return get_num(env, o, key, field, lo, hi);
  };
  auto str = [&](const char* key, std::string* field) { return get_str(env, o, key, field, false, ""); };
  if (!visit_int_params(c, num) || !visit_string_params(c, str)) return false;
  Napi::Value create, remove, files, dirs, list, weights;
  if (!get(env, o, kKeyCreate, &create) || !parse_actions(env, create, kKeyCreate, &c->create, 0) ||
      !get(env, o, kKeyRemove, &remove) || !parse_actions(env, remove, kKeyRemove, &c->remove, 0))
    return false;
  if (c->create.empty() || c->remove.empty()) return bad(env, "create and remove need at least one action");
  if (!get(env, o, kKeyFiles, &files) || !parse_strings(env, files, kKeyFiles, &c->files) ||
      !get(env, o, kKeyDirs, &dirs) || !parse_dirs(env, dirs, &c->dirs) || !get(env, o, kKeyList, &list) ||
      !parse_list(env, list, c) || !get(env, o, kKeyWeights, &weights) ||
      !parse_weights(env, weights, c->weight))
    return false;
  if (c->busy_check_every && c->enable.empty()) return bad(env, "busyCheckEvery needs enable");
  return true;
}

}  // namespace race
}  // namespace tfsr
