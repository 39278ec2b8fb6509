#!/usr/bin/env bash
# `make test`: every suite this machine can run, arranged so that both
# cores stay at work and nothing waits that need not:
#
#   1. what more than one part needs, once: the lab's interpreter and its
#      packages, and whatever comes from apt (two parts installing at once
#      would meet on dpkg's lock);
#   2. the interpreters' venvs and builds, two at a time, the unit suites,
#      then CPython's test_socket; beside them the lab's own preparations
#      (images, the oracle's build, BlueZ's btvirt), then the package test,
#      which builds a wheel of its own.  The package test spends most of its four minutes waiting
#      on python-can's suite in the lab VM, whose guest runs under the icount
#      clock: its timings do not feel the host's load
#      (tests/lab_itself/test_run.py);
#   3. the lab (`make lab-test`), which wants both cores to itself.
#
# While two parts run, the second's lines carry its name.  A part that fails
# stops the run once the part beside it has ended, as make would.
#
# Environment: MAKE (the make to call back), JOBS.
set -uo pipefail

cd "$(dirname "$0")/.."
part() { "${MAKE:-make}" -s --no-print-directory "$@"; }
labelled() { sed -u "s/^/[$1] /"; }

part lab-deps clang-ready oracle-apt || exit

(
  part lab-images oracle-python lab-btvirt 2>&1 | labelled lab-setup
  [ "${PIPESTATUS[0]}" = 0 ] || exit 1
  part package-test 2>&1 | labelled package-test
  exit "${PIPESTATUS[0]}"
) &
beside=$!

part -j "${JOBS:-2}" build && part unit-test && part conformance
first=$?
wait "$beside"
second=$?
[ "$first" = 0 ] && [ "$second" = 0 ] || exit 1

part lab-test
