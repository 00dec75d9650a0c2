// What one race run does, as plain data parsed from the JS config object
// (config_parse.cc). The engine never sees N-API types.
#pragma once
#include <stdint.h>

#include <string>
#include <vector>

namespace tfsr {
namespace race {

// Create and remove steps are lists of actions, so the same engine drives
// kprobes, uprobes, instances and, in tests, plain files.
enum class ActionKind { Write, Mkdir, Rmdir, Unlink, CreateFile };

struct Action {
  ActionKind kind = ActionKind::Write;
  std::string path;
  std::string line;   // Write: the bytes, in one write(2)
  int flags = 0;      // Write: open flags (default O_WRONLY|O_APPEND)
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

enum Op : int {
  kOpenRead, kEnableWrite, kStat, kOpenat, kFstatat, kGetdents, kHeldWrite,
  kListStat, kDirOpen, kOpCount
};
extern const char* const kOpNames[kOpCount];

struct Config {
  int threads = 0;             // 0: online CPUs, at most 64
  uint64_t duration_ms = 3000;
  uint64_t max_cycles = 0;     // 0: unbounded
  std::vector<Action> create;
  std::vector<Action> remove;
  std::vector<std::string> files;  // open+read+close and stat
  std::string enable;              // write "0"/"1"; empty: none
  std::vector<DirTarget> dirs;
  bool has_list = false;
  ListTarget list;
  // Relative weights of the ops a worker picks (kListStat and kDirOpen are
  // not picked: they follow a listing and a new generation). kHeldWrite
  // (write through an enable fd held from an earlier generation) is off by
  // default: plain files keep accepting writes after unlink.
  uint32_t weight[kOpCount] = {4, 1, 2, 2, 2, 1, 0, 0, 0};
  uint64_t dwell_present_us = 0;
  uint64_t dwell_absent_us = 0;
  uint32_t drop_caches_every = 0;        // cycles; 0: off
  int64_t drop_caches_interval_ms = -1;  // own thread; -1: off, 0: continuous
  std::string drop_caches_path = "/proc/sys/vm/drop_caches";
  uint32_t busy_check_every = 0;  // cycles; enable then remove must be EBUSY
  uint32_t progress_ms = 1000;
  uint32_t held_dirfds = 8;       // per dir target and worker
  uint64_t max_busy_retries = 1000000;
  // The step-aside gate (engine.cc, "Why workers step aside"): workers
  // numbered from `racers` up start no op while the controller writes, for
  // at most step_aside_us each time. racers -1: one per online CPU.
  // step_aside_us 0: nobody steps aside (every worker races every write).
  int racers = -1;
  uint32_t step_aside_us = 2000;
};

}  // namespace race
}  // namespace tfsr
