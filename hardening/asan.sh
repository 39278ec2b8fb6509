#!/bin/sh
# Build sockimpl with AddressSanitizer and UndefinedBehaviorSanitizer into a
# private directory and run the unit and differential suites against it.
#
#   hardening/asan.sh PYTHON_VERSION [pytest args...]
#
# The in-place .so files other people use are left alone: the sanitized
# build goes to hardening/build/asan/<version>, beside a copy of the
# package's Python half, and that directory comes first on sys.path.
set -eu

version=${1:?usage: hardening/asan.sh PYTHON_VERSION [pytest args...]}
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
python="$repo/.venv/$version/bin/python"
lib="$repo/hardening/build/asan/$version"
tmp="$repo/hardening/build/asan-tmp/$version"

# gcc's runtimes: Debian's gcc ships libasan and libubsan with the compiler,
# so no clang is needed for the sanitizer build.
asan_runtime=$(gcc -print-file-name=libasan.so)
[ -f "$asan_runtime" ] || { echo "asan.sh: gcc has no libasan.so" >&2; exit 2; }

# -fno-sanitize-recover turns every UBSan finding into an abort, so a
# finding fails the run instead of scrolling past in the log.
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"

mkdir -p "$lib/sockimpl" "$tmp"
cd "$repo"
CFLAGS="$sanitize" LDFLAGS="$sanitize" PYTHONWARNINGS=ignore \
  flock build.lock "$python" setup.py -q build_ext --build-lib "$lib" --build-temp "$tmp" --force \
  >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
cp sockimpl/*.py sockimpl/*.pyi sockimpl/py.typed "$lib/sockimpl/"

# detect_leaks=0: CPython never frees some of its own allocations at exit
# and LeakSanitizer would report those, not ours; reference and descriptor
# leaks are the business of tests/test_hardening_leaks.py.
# PYTHONMALLOC=malloc: pymalloc's arenas would hide overruns of small
# objects from ASan.
export LD_PRELOAD="$asan_runtime"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export PYTHONMALLOC=malloc
export PYTHONPATH="$lib:$repo"

# The working directory (with the uninstrumented in-place build) must stay
# off sys.path.  Python's -P does that from 3.11 on; dropping sys.path[0]
# by hand does the same on 3.10.  pytest's `pythonpath` setting would put
# the repository first again: the override keeps only tests/, and the guard
# plugin stops the run if the wrong build is imported all the same.
safe_python() { "$python" -c 'import sys; del sys.path[0]; exec(sys.argv.pop(1))' "$@"; }
export SOCKIMPL_BUILD_DIR="$lib"
# --capture=sys: a sanitizer writes its report to descriptor 2 and aborts,
# which pytest's default descriptor capture would swallow with the report.
safe_python 'import pytest, sys; sys.exit(pytest.main(sys.argv[1:]))' -q -p no:cacheprovider \
  --capture=sys -o pythonpath=tests -p hardening.build_guard "$@"
