#!/bin/sh
# libFuzzer on sockimpl's C targets: the address codecs, the ancillary-data
# builder and parser, the inet text functions (see the Makefile beside this
# file), in-process under ASan and UBSan, one target per core at a time.
#
#   hardening/libfuzzer/fuzz.sh PYTHON_VERSION RUNS [MAX_SECONDS]
#
# Each target runs RUNS executions (at most MAX_SECONDS, 300 by default:
# a target stopped short fails the run, as does any crash, sanitizer
# report, leak or timeout).  It starts from its saved corpus,
# hardening/corpus/c-<target> (seeds.py's seeds and earlier findings),
# and keeps what it learns in hardening/build/fuzz-corpus/c-<target>.  A
# finding is copied into the saved corpus as finding-*, so that
# tests/test_hardening_corpus.py fails on it until it is fixed.
# Executions and wall time per target are appended to
# hardening/build/fuzz-stats.txt.
set -eu

repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/hardening/libfuzzer"

# One target: `fuzz.sh --one TARGET`, run by the loop below.
if [ "${1:-}" = --one ]; then
  target=$2
  saved="$repo/hardening/corpus/c-$target"
  work="$repo/hardening/build/fuzz-corpus/c-$target"
  findings="$repo/hardening/build/findings"
  log="$repo/hardening/build/fuzz-c-$target.log"
  mkdir -p "$saved" "$work" "$findings"
  rm -f "$findings/c-$target-"*
  # Longer inputs only make larger Python values, and slower runs: an
  # address or a text fits in a few hundred bytes; a control buffer
  # needs room to spill past the 512 bytes kept on the stack.
  case $target in
    addr-*) max_len=512 ;;
    cmsg-*) max_len=2048 ;;
    *) max_len=128 ;;
  esac
  started=$(date +%s)
  # The first directory takes what libFuzzer learns; the saved corpus is
  # only read.
  if "$FUZZ_BIN/$target" -runs="$FUZZ_RUNS" -max_total_time="$FUZZ_MAX_SECONDS" \
      -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/c-$target-" "$work" "$saved" >"$log" 2>&1; then
    result=ok
  else
    result=FINDING
    for found in "$findings/c-$target-"*; do
      [ -f "$found" ] && cp "$found" "$saved/finding-$(basename "$found" | sed "s/^c-$target-//")"
    done
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ "$result" = ok ] && [ "${runs:-0}" -lt "$FUZZ_RUNS" ]; then
    result="SHORT (under $FUZZ_RUNS)"
  fi
  # CPU seconds beside the wall time: on a shared machine the wall time
  # says more about the others than about the target.
  # (`times` in a pipe or $() would count a subshell's children.)
  times >"$log.times"
  cpu=$(sed -n '2s/^\([0-9]*\)m\([0-9]*\)\..*/\1 \2/p' "$log.times" | { read -r m s; echo $(( m * 60 + s )); })
  printf 'c-%-14s %8s executions in %ss (%ss CPU)  %s\n' "$target" "${runs:-?}" \
    "$(( $(date +%s) - started ))" "$cpu" "$result" >"$FUZZ_LINES/$target"
  [ "$result" = ok ]
  exit
fi

version=${1:?usage: hardening/libfuzzer/fuzz.sh PYTHON_VERSION RUNS [MAX_SECONDS]}
export FUZZ_RUNS=${2:?usage: hardening/libfuzzer/fuzz.sh PYTHON_VERSION RUNS [MAX_SECONDS]}
export FUZZ_MAX_SECONDS=${3:-300}
python="$repo/.venv/$version/bin/python"
stats="$repo/hardening/build/fuzz-stats.txt"
jobs=$(nproc)

command -v clang >/dev/null 2>&1 || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
}
started=$(date +%s)
make -s --no-print-directory -C "$here" PYTHON="$python" -j"$jobs" >"$repo/hardening/build/libfuzzer-build.log" 2>&1 || {
  cat "$repo/hardening/build/libfuzzer-build.log" >&2; exit 1
}
export FUZZ_BIN="$repo/hardening/build/libfuzzer/$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("VERSION"))')"
export FUZZ_LINES="$repo/hardening/build/fuzz-c-lines"
rm -rf "$FUZZ_LINES" && mkdir -p "$FUZZ_LINES"
targets=$(make -s --no-print-directory -C "$here" PYTHON="$python" targets)
echo "libFuzzer: $(echo $targets | wc -w) C targets, $FUZZ_RUNS executions each, $jobs at a time (built in $(( $(date +%s) - started ))s)"

# The harnesses never resolve a name (embed.c), and the network namespace
# (loopback only) makes certain nothing leaves: CAN and packet addresses
# name interfaces, which must be looked up where only `lo` exists.
isolated() { unshare --net -- sh -c 'ip link set lo up && exec "$@"' isolated "$@"; }

status=0
printf '%s\n' $targets | isolated xargs -P "$jobs" -I{} "$0" --one {} || status=1
for target in $targets; do
  cat "$FUZZ_LINES/$target" 2>/dev/null || printf 'c-%-14s did not report\n' "$target"
done | tee -a "$stats"
echo "libFuzzer: all C targets in $(( $(date +%s) - started ))s"
[ "$status" = 0 ] || echo "libFuzzer: findings saved as hardening/corpus/c-*/finding-*; logs in hardening/build/fuzz-c-*.log" >&2
exit "$status"
