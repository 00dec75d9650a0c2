/* SPDX-License-Identifier: GPL-2.0-only */
// What one race run does, as plain data parsed from the JS config object
// (config_parse.cc). The engine never sees N-API types.
#pragma once
#include <stdint.h>

#include <string>
#include <vector>

#include "params.gen.h"

namespace tfsr {
namespace race {

// Create and remove steps are lists of actions, so the same engine drives
// kprobes, uprobes, instances and, in tests, plain files.
enum class ActionKind { Write, Mkdir, Rmdir, Unlink, CreateFile };

struct Action {
  ActionKind kind = ActionKind::Write;
  std::string path;
  std::string line;        // Write: the bytes, in one write(2)
  int flags = 0;           // Write: open flags (default O_WRONLY|O_APPEND)
  bool keep_open = false;  // Write: keep the fd across cycles (control files)
  // On EBUSY: run these (errors ignored), then retry the action.
  std::vector<Action> on_busy;
};

// A directory whose fds the workers hold across generations; names are
// opened and stat'ed relative to it. Every such dir must vanish on remove.
struct DirTarget {
  std::string path;
  std::vector<std::string> names;
};

// getdents64 of `dir` then a stat of every entry; `name` is the entry the
// remove step takes away (judged strictly).
struct ListTarget {
  std::string dir;
  std::string name;
};

// The scalar parameters (threads, durations, limits, weights, ...) and
// their defaults come from the parameter table (params.gen.h); the lists
// and objects below are parsed structurally (config_parse.cc).
//  - weight: relative weights of the ops a worker picks, by Op (kListStat
//    and kDirfdOpen are never picked: they follow a listing and a new
//    generation). kHeldWrite (write through an enable fd held from an
//    earlier generation) is off by default: plain files keep accepting
//    writes after unlink.
//  - racers, step_aside_us: the step-aside gate (engine.cc, "Why workers
//    step aside"): workers numbered from `racers` up start no op while the
//    controller writes, for at most step_aside_us each time.
struct Config : Params {
  std::vector<Action> create;
  std::vector<Action> remove;
  std::vector<std::string> files;  // open+read+close and stat
  std::vector<DirTarget> dirs;
  bool has_list = false;
  ListTarget list;
};

}  // namespace race
}  // namespace tfsr
