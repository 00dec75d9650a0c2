#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// The CLI's own modules may not even load under a tiny fd limit (Node's loader
// opens a graph's files at once): that is the tool's failure, exit 2 with the
// fix, never a stack trace (cli/main.ts says the same once it has loaded).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (e) {
  if (e?.code !== 'EMFILE' && e?.code !== 'ENFILE') throw e;
  process.stderr.write(
    `tracefs-regress: out of file descriptors while loading (${e.code}): raise the fd limit: ulimit -n 1024\n`,
  );
  process.exit(2);
}
process.exitCode = await main(process.argv);
