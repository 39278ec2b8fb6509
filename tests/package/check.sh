#!/usr/bin/env bash
# socklab as another project gets it (`make package-test`): a wheel of this
# checkout in a fresh virtual environment outside the checkout, then the
# GitHub Action's steps (.github/action/steps.sh) with that environment
# first on PATH, from directories outside the checkout.
#
# Environment: PACKAGE_DIR (the scratch directory), PYTHON (an interpreter
# to build the wheel and the venv with), PYTHON_CAN_VERSION and
# PYTHON_CAN_TESTS (python-can's SocketCAN tests, from its sdist).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch=${PACKAGE_DIR:?}
python=${PYTHON:?}
steps="$repo/.github/action/steps.sh"
say() { printf '== package-test: %s\n' "$*"; }

say "action.yml and the workflow against GitHub's schemas (check-jsonschema's own copies)"
"$python" -m pip install -q --disable-pip-version-check check-jsonschema 2>&1 | { grep -v '^WARNING: Location' || true; }
"$python" -m check_jsonschema --builtin-schema vendor.github-actions "$repo/action.yml"
"$python" -m check_jsonschema --builtin-schema vendor.github-workflows "$repo"/.github/workflows/*.yml

case "$scratch/" in "$repo"/*) echo "PACKAGE_DIR must be outside the checkout" >&2; exit 2;; esac
mkdir -p "$scratch"
rm -rf "$scratch/dist" && mkdir "$scratch/dist"

# From a copy of the working tree: building in place would leave a
# socklab.egg-info in the checkout, whose entry points pytest would then load.
say "a wheel of $repo"
rm -rf "$scratch/src" && mkdir "$scratch/src"
tar -C "$repo" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./lab-artifacts \
  --exclude=./hardening/build --exclude='*.so' --exclude=__pycache__ -cf - . | tar -C "$scratch/src" -xf -
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$scratch/dist" "$scratch/src" 2>&1 \
  | { grep -v '^WARNING: Location' || true; }
wheel=$(ls "$scratch"/dist/socklab-*.whl)
stamp=$(sha256sum "$wheel" | cut -c1-16)
venv="$scratch/venv"
if [ "$(cat "$venv/.wheel" 2>/dev/null)" != "$stamp" ]; then
  say "a fresh virtual environment for it"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
export PATH="$venv/bin:$PATH"
unset PYTHONPATH

# The Action's steps, as a runner runs them (SOCKLAB_SOURCE is the wheel
# here; on a runner it is the action's own checkout).
export GITHUB_ENV="$scratch/github-env" GITHUB_OUTPUT="$scratch/github-output"
: >"$GITHUB_ENV"; : >"$GITHUB_OUTPUT"
say "action step: install"
SOCKLAB_SOURCE="$wheel" INPUT_KERNEL="" bash "$steps" install
echo "$stamp" >"$venv/.wheel"
say "action step: kvm"
bash "$steps" kvm
# What the install step exported for the steps after it.
set -a; . "$GITHUB_ENV"; set +a

cd "$scratch"
where=$(python -c 'import lab, sockimpl; print(lab.__file__, sockimpl.__file__)')
case "$where" in *"$repo"*) echo "the installed socklab imports from the checkout: $where" >&2; exit 1;; esac
say "socklab doctor (lab and sockimpl from $venv)"
socklab doctor

say "a third party's test file under plain pytest, through the Action's run step"
rm -rf "$scratch/third-party" && mkdir "$scratch/third-party"
cp "$repo/tests/package/vcan_user.py" "$scratch/third-party/test_vcan_user.py"
(cd "$scratch/third-party" && INPUT_NEEDS=vcan INPUT_IMPL=stdlib \
  INPUT_RUN="python -m pytest -q -p no:cacheprovider -rs test_vcan_user.py" bash "$steps" run)
# A skip would exit 0 too: the vcan test must have run, for both implementations.
python - "$scratch/third-party/lab-artifacts/run-stdlib.xml" <<'PY'
import sys
from lab.junit import junit_counts
from pathlib import Path
counts = junit_counts(Path(sys.argv[1]))
if counts is None or (counts.passed, counts.failed, counts.errors, counts.skipped) != (4, 0, 0, 0):
    sys.exit(f"the third party's tests did not all run and pass: {counts}")
PY

say "python-can $PYTHON_CAN_VERSION's own SocketCAN tests over the stdlib and sockimpl"
sdist_dir="$scratch/python-can"
src="$sdist_dir/python_can-$PYTHON_CAN_VERSION"
if [ ! -f "$src/.unpacked" ]; then
  mkdir -p "$sdist_dir"
  python -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
    --dest "$sdist_dir" "python-can==$PYTHON_CAN_VERSION"
  tar xzf "$sdist_dir/python_can-$PYTHON_CAN_VERSION.tar.gz" -C "$sdist_dir"
  touch "$src/.unpacked"
fi
(cd "$src" && INPUT_NEEDS=vcan INPUT_IMPL=stdlib,sockimpl \
  INPUT_RUN="env TEST_SOCKETCAN=1 python -m pytest -q -p no:cacheprovider -o addopts= $PYTHON_CAN_TESTS" \
  bash "$steps" run)
say "passed"
