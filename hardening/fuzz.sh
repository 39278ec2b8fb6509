#!/bin/sh
# Coverage-guided fuzzing of sockimpl with atheris (libFuzzer inside), on a
# build instrumented for coverage, AddressSanitizer and UBSan by clang.
#
#   hardening/fuzz.sh PYTHON_VERSION SECONDS_PER_TARGET
#
# Each target starts from its saved corpus (hardening/corpus/<target>) and
# works in hardening/build/fuzz-corpus/<target>.  A crash or a difference
# from the stdlib stops the run; its input is copied into the saved corpus,
# so the replay test (tests/test_hardening_corpus.py) fails on it until it
# is fixed.  UPDATE_CORPUS=1 copies the inputs that found new coverage
# into the saved corpus.  Executions per target go to
# hardening/build/fuzz-stats.txt (appended: `make fuzz` starts the file
# and the C targets' lines come first).
set -eu

version=${1:?usage: hardening/fuzz.sh PYTHON_VERSION SECONDS_PER_TARGET}
seconds=${2:?usage: hardening/fuzz.sh PYTHON_VERSION SECONDS_PER_TARGET}
repo=$(cd "$(dirname "$0")/.." && pwd)
python="$repo/.venv/$version/bin/python"
lib="$repo/hardening/build/fuzz/$version"
tmp="$repo/hardening/build/fuzz-tmp/$version"
work="$repo/hardening/build/fuzz-corpus"
stats="$repo/hardening/build/fuzz-stats.txt"
targets="addr_codecs inet_args sockopt_forms ancillary"

command -v clang >/dev/null 2>&1 || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null
}
"$python" -c "import atheris" 2>/dev/null || \
  "$python" -m pip install -q --disable-pip-version-check atheris

# fuzzer-no-link: libFuzzer's coverage counters in the C code, the fuzzer
# itself comes from atheris' runtime preloaded below.
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
mkdir -p "$lib/sockimpl" "$tmp"
cd "$repo"
CC=clang LDSHARED="clang -shared" CFLAGS="$sanitize" LDFLAGS="$sanitize" PYTHONWARNINGS=ignore \
  flock build.lock "$python" setup.py -q build_ext --build-lib "$lib" --build-temp "$tmp" --force \
  >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
cp sockimpl/*.py sockimpl/*.pyi sockimpl/py.typed "$lib/sockimpl/"

runtime="$("$python" -c 'import atheris; print(atheris.path())')/asan_with_fuzzer.so"
export LD_PRELOAD="$runtime"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export PYTHONMALLOC=malloc
export PYTHONPATH="$lib:$repo"

# No target may reach a resolver: the harness maps non-numeric hosts away,
# and the network namespace (loopback only) makes certain nothing leaves.
isolated() { unshare --net -- sh -c 'ip link set lo up && exec "$@"' isolated "$@"; }

# The targets run in an empty directory of their own: anything a target
# leaves there (a socket file from a bind, say) is a finding.
scratch="$tmp/cwd"
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch"

mkdir -p "$(dirname "$stats")"
status=0
for target in $targets; do
  saved="$repo/hardening/corpus/$target"
  mkdir -p "$work/$target" "$saved" "$repo/hardening/build/findings"
  cp -n "$saved"/* "$work/$target/" 2>/dev/null || true
  log="$repo/hardening/build/fuzz-$target.log"
  if isolated nice -n 10 "$python" -P -m hardening.fuzz "$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$repo/hardening/build/findings/$target-" \
      "$work/$target" >"$log" 2>&1; then
    result=ok
  else
    result=FINDING status=1
    for found in "$repo/hardening/build/findings/$target-"*; do
      [ -f "$found" ] && cp "$found" "$saved/finding-$(basename "$found")"
    done
  fi
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  printf '%-14s %8s executions in %ss  %s\n' "$target" "${runs:-?}" "$seconds" "$result" | tee -a "$stats"
  # libFuzzer keeps only inputs that reached new coverage (and shrinks
  # them), so the working corpus is already small; -merge is not used as
  # it re-executes argv[0], which is a module here, not a program.
  if [ "${UPDATE_CORPUS:-0}" = 1 ]; then
    cp -n "$work/$target"/* "$saved/" 2>/dev/null || true
  fi
done
if [ -n "$(ls -A "$scratch")" ]; then
  echo "fuzz.sh: the targets left files behind in $scratch:" >&2
  ls -A "$scratch" | head >&2
  status=1
fi
[ "$status" = 0 ] || echo "fuzz.sh: findings saved under hardening/corpus/*/finding-*; see hardening/build/fuzz-*.log" >&2
exit "$status"
