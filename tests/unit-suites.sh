#!/usr/bin/env bash
# The unit and differential suites of every interpreter (`make unit-test`),
# JOBS at a time (one per core: each suite is one process).  Each runs in a
# network namespace of its own with only loopback, so no test reaches a
# resolver or a host outside the machine and two suites never meet on a
# port.  Each writes its log; a line says when each starts and ends (with
# its pytest summary and duration), and a failed suite's log is printed
# whole.
#
# Environment: VENV, PYTHONS, MAIN_PYTHON, C_REPLAY (a test only the main
# interpreter runs), PYTEST_ARGS, JOBS, LOGS (the logs' directory).
set -uo pipefail

logs=${LOGS:?}
jobs=${JOBS:-2}
mkdir -p "$logs"

suite() {
    local version=$1 started status only_main=()
    [ "$version" = "$MAIN_PYTHON" ] || only_main=(--deselect="$C_REPLAY")
    started=$(date +%s)
    # shellcheck disable=SC2086 # PYTEST_ARGS is a list of words
    unshare --net -- sh -c 'ip link set lo up && exec "$@"' isolated \
        "$VENV/$version/bin/python" -m pytest -q -p no:cacheprovider tests --ignore=tests/lab \
        --ignore=tests/lab_itself "${only_main[@]}" $PYTEST_ARGS >"$logs/$version.log" 2>&1
    status=$?
    echo "== CPython $version: $(tail -n 1 "$logs/$version.log" | tr -d '=' | sed 's/^ *//') " \
         "[$(($(date +%s) - started)) s; $logs/$version.log]"
    if [ "$status" != 0 ]; then
        echo "== CPython $version FAILED (exit $status), its log:"
        cat "$logs/$version.log"
    fi
    return "$status"
}

failed=0
running=0
for version in $PYTHONS; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
    echo "== CPython $version: unit suite started"
    suite "$version" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
exit "$failed"
