#!/usr/bin/env bash
# `make test`: every suite this machine can run, arranged so that both
# cores stay at work and nothing waits that need not:
#
#   1. what every part needs, once, two at a time (the interpreters'
#      venvs and builds, the lab's packages, clang): two parts started
#      together would otherwise make the same venv at once, or meet on
#      dpkg's lock;
#   2. the unit suites, then CPython's test_socket, and beside them the lab's
#      own preparations (images, the oracle's build), then the package test.
#      (Started beside the builds instead, its wheel and installs took the
#      builds' CPU, and the lab started 28 s later: 2026-12-01.)  The package
#      test spends most of its four minutes waiting on python-can's
#      suite in the lab VM, whose guest runs under the icount clock: its
#      timings do not feel the host's load (tests/lab_itself/test_run.py);
#   3. the lab (`make lab-test`), which wants both cores to itself.
#
# While two parts run, the second's lines carry its name.  A part that fails
# stops the run once the part beside it has ended, as make would.
#
# It ends with a line of each part's wall time (all of them also in
# lab-artifacts/lab-timings.json), whether it passed or not.
#
# Environment: MAKE (the make to call back), JOBS, PYTHON (the lab's
# interpreter, there once the builds are done).
set -uo pipefail

cd "$(dirname "$0")/.."
part() { "${MAKE:-make}" -s --no-print-directory "$@"; }
labelled() { sed -u "s/^/[$1] /"; }
summary() {
    [ -x "${PYTHON:-}" ] || return 0
    echo "make test: $((SECONDS / 60)) min $((SECONDS % 60)) s: $("$PYTHON" -m lab.timings show \
        --since "$started" make-test-setup make-unit-test make-conformance make-package-test make-lab-test)" \
        "(the package test beside the unit suites and conformance)"
}
started=$(date +%s)
trap summary EXIT

part -j "${JOBS:-2}" build lab-deps clang-ready
setup=$?
[ -x "${PYTHON:-}" ] && "$PYTHON" -m lab.timings record make-test-setup "$SECONDS" "$setup"
[ "$setup" = 0 ] || exit "$setup"

(
  part lab-images oracle-python lab-btvirt 2>&1 | labelled lab-setup
  [ "${PIPESTATUS[0]}" = 0 ] || exit 1
  part package-test 2>&1 | labelled package-test
  exit "${PIPESTATUS[0]}"
) &
beside=$!

part unit-test && part conformance
first=$?
wait "$beside"
second=$?
[ "$first" = 0 ] && [ "$second" = 0 ] || exit 1

part lab-test
