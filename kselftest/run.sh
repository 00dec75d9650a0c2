#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tracefs-regress under kselftest's runner: the whole suite as KTAP on
# stdout (nested under the runner's own `# selftests: tracefs-regress: run.sh`),
# its exit code passed through: 0 pass, 1 a failure, 4 (kselftest's skip)
# when nothing can run on this kernel.
#
# Which tracefs-regress: $TRACEFS_REGRESS (a path to the installed bin or to a
# checkout's bin/tracefs-regress.js), else the one on PATH. Extra run options:
# $TRACEFS_REGRESS_ARGS (word-split), or run.sh's own arguments, e.g.
#   TRACEFS_REGRESS_ARGS="-p uprobe -s removed-*" ./run.sh
ksft_skip=4

tfsr=${TRACEFS_REGRESS:-$(command -v tracefs-regress)}
if [ -z "$tfsr" ]; then
	echo "# SKIP tracefs-regress is not installed: npm install -g tracefs-regress-<version>.tgz," \
		"or set TRACEFS_REGRESS to its bin"
	exit $ksft_skip
fi
if [ ! -x "$tfsr" ]; then
	echo "# TRACEFS_REGRESS=$tfsr is not an executable file: give the path of tracefs-regress's bin"
	exit 1
fi
if ! command -v node >/dev/null 2>&1; then
	echo "# SKIP node (Node.js 20+) is not on PATH; tracefs-regress needs it"
	exit $ksft_skip
fi

# shellcheck disable=SC2086 # TRACEFS_REGRESS_ARGS is a list of options
exec "$tfsr" run --format ktap $TRACEFS_REGRESS_ARGS "$@"
