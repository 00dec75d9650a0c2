# SPDX-License-Identifier: GPL-2.0-only
{
  "targets": [
    {
      "target_name": "tracefs_regress",
      "sources": [
        "native/addon.cc",
        "native/kcov.cc",
        "native/syscalls.cc",
        "native/root.cc",
        "native/sys_error.cc",
        "native/watchdog.cc",
        "native/race/binding.cc",
        "native/race/config_parse.cc",
        "native/race/engine.cc",
        "native/race/stats.cc",
        "native/race/worker.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "_GNU_SOURCE"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpthread"]
    }
  ]
}
