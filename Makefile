# socklab: sockimpl and the lab that proves it.  `make help` lists the targets.
# Every target installs what it needs (idempotent, quiet when present).

PYTHONS      ?= 3.10 3.11 3.12 3.13
MAIN_PYTHON  ?= 3.11
VENV         := .venv
PY_REQS      := setuptools pytest hypothesis pytest-timeout
PYTEST_ARGS  ?=

py = $(VENV)/$(1)/bin/python

.PHONY: help build test unit-test lab-test bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

# One virtual environment per interpreter, made once.
$(VENV)/%/.ready: pyproject.toml
	@interp=$$(python3 lab/pythons.py $*) && \
	  { [ -x $(VENV)/$*/bin/python ] || $$interp -m venv $(VENV)/$*; } && \
	  $(VENV)/$*/bin/python -m pip install -q --disable-pip-version-check $(PY_REQS) && \
	  touch $@

build: $(foreach v,$(PYTHONS),$(VENV)/$(v)/.ready) ## compile sockimpl in place for every interpreter
	@for v in $(PYTHONS); do \
	  flock build.lock $(call py,$$v) setup.py -q build_ext --inplace >/dev/null || exit 1; \
	done

unit-test: build ## the unit and differential suites on every interpreter
	@for v in $(PYTHONS); do \
	  echo "== CPython $$v"; \
	  $(call py,$$v) -m pytest -q -p no:cacheprovider tests --ignore=tests/lab $(PYTEST_ARGS) || exit 1; \
	done

test: unit-test lab-test ## everything that can run here: unit, differential and lab tests

# --- the lab (targets below are owned by the lab work) ---
lab-test: build ## the lab: real interfaces, both implementations
	$(call py,$(MAIN_PYTHON)) -m pytest -q -p no:cacheprovider tests/lab $(PYTEST_ARGS)

bench: build ## sockimpl against the stdlib, side by side
	@echo "benchmarks arrive with issue 7"

clean: ## remove build products and environments
	rm -rf build $(VENV) build.lock sockimpl/*.so .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
