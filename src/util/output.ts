// SPDX-License-Identifier: GPL-2.0-only
// Every file the tool writes goes through here (src/util/output/): checked
// before anything is opened for writing, never written through a link,
// never on a kernel filesystem, renamed into place from a temporary file.
export { OutputFile, checkOutputWritable } from './output/file.js';
export { checkTarget, refuseSharedTargets, type Target } from './output/target.js';
export { prepareOutputDir, writeFileInDir } from './output/dir.js';
export { SPECIAL_FS, specialFs, notRegular } from './output/special.js';
export {
  guardStdio,
  settleStdout,
  stdoutFailed,
  stdoutFailure,
  stdoutFailureLine,
  writeStdout,
} from './output/stdout.js';
