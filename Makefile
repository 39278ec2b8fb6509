# socklab: sockimpl and the lab that proves it.  `make help` lists the targets.
# Every target installs what it needs (idempotent, quiet when present).

PYTHONS      ?= 3.10 3.11 3.12 3.13
MAIN_PYTHON  ?= 3.11
VENV         := .venv
PY_REQS      := setuptools pytest hypothesis pytest-timeout
PYTEST_ARGS  ?=

py = $(VENV)/$(1)/bin/python

# The unit suites run in a network namespace of their own with only
# loopback: no test can reach a resolver or any host outside the machine
# (a name lookup fails at once instead of leaving as a DNS query).
ISOLATED = unshare --net -- sh -c 'ip link set lo up && exec "$$@"' isolated

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
	  PYTHONWARNINGS=ignore flock build.lock $(call py,$$v) setup.py -q build_ext --inplace >/dev/null || exit 1; \
	done

unit-test: build ## the unit and differential suites on every interpreter
	@for v in $(PYTHONS); do \
	  echo "== CPython $$v"; \
	  $(ISOLATED) $(call py,$$v) -m pytest -q -p no:cacheprovider tests --ignore=tests/lab $(PYTEST_ARGS) || exit 1; \
	done

test: unit-test lab-test ## everything that can run here: unit, differential and lab tests

# --- the lab (targets below are owned by the lab work) ---
LAB_REQS     := pyroute2 scapy pytest-xdist
LAB_APT      := tshark
LAB_ARGS     ?=

.PHONY: lab-test lab-doctor lab-clean lab-deps

# The lab's own needs on top of an interpreter's venv: netlink, packet
# decoding, parallel runs, and tshark to prove saved captures are readable.
$(VENV)/%/.lab-ready: $(VENV)/%/.ready
	@$(call py,$*) -m pip install -q --disable-pip-version-check $(LAB_REQS)
	@dpkg -s $(LAB_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(LAB_APT) >/dev/null; }
	@touch $@

lab-deps: $(VENV)/$(MAIN_PYTHON)/.lab-ready ## install what the lab needs (pyroute2, scapy, tshark)

lab-test: build lab-deps ## the lab: real interfaces, both implementations (JUnit in lab-artifacts/)
	$(call py,$(MAIN_PYTHON)) -m lab test $(LAB_ARGS) $(PYTEST_ARGS)

lab-doctor: lab-deps ## which families and interface kinds each backend offers, and why not
	$(call py,$(MAIN_PYTHON)) -m lab doctor

lab-clean: lab-deps ## remove what a killed lab run left (namespaces, links, captures)
	$(call py,$(MAIN_PYTHON)) -m lab clean

bench: build ## sockimpl against the stdlib, side by side
	@echo "benchmarks arrive with issue 7"

clean: ## remove build products and environments
	rm -rf build $(VENV) build.lock sockimpl/*.so .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
