// SPDX-License-Identifier: GPL-2.0-only
export { startHealthWatch, systemSources, readFileNative } from './system.js';
export { createHealthWatch, buildDelta, type HealthWatch, type HealthSources, type KmsgSource } from './oracle.js';
export { readCounters, parseCounter, COUNTER_PATHS, type Counters, type FileReader } from './counters.js';
export { taintLetters, printTainted, taintGained, taintBits, describeTaint, TAINT_FLAGS } from './taint.js';
export {
  parseKmsgRecord,
  isAlarm,
  KmsgScanner,
  DEFAULT_SCAN_LIMITS,
  type KmsgRecord,
  type ScanLimits,
} from './kmsg.js';
export { KmsgReader } from './kmsg-reader.js';
