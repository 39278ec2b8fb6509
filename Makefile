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

test: unit-test lab-test python-can-suite conformance ## everything that can run here: unit, differential and lab tests, python-can's own suite, CPython's test_socket

# CPython's own test_socket of every interpreter, over the stdlib and over
# sockimpl (conformance/): every test the stdlib passes must pass under
# sockimpl, or be listed with its reason in conformance/deliberate.txt.
# Each side runs in a loopback-only network namespace of its own.
.PHONY: conformance
conformance: build ## each interpreter's own test_socket over the stdlib and sockimpl; differences not in conformance/deliberate.txt fail
	@$(call py,$(MAIN_PYTHON)) -m conformance --isolate $(foreach v,$(PYTHONS),--python $(call py,$(v)))

# --- hardening (issue 9): sanitizers and fuzzing, in build dirs of their own ---
ASAN_PYTHONS  ?= $(PYTHONS)
FUZZ_PYTHON   ?= $(MAIN_PYTHON)
FUZZ_SECONDS  ?= 110

.PHONY: asan-test fuzz

# The lab's host share that drives sockimpl over real namespaces, veth pairs
# and peer processes (the Docker and VM shares run programs of their own,
# which the preloaded sanitizer runtime must not be forced into).
ASAN_LAB_TESTS ?= tests/lab/test_fixtures.py tests/lab/test_peer_inet.py tests/lab/test_peer_unix.py \
                  $(wildcard tests/lab/test_wire_*.py)

asan-test: $(foreach v,$(ASAN_PYTHONS),$(VENV)/$(v)/.ready) $(VENV)/$(MAIN_PYTHON)/.lab-ready ## unit, differential and lab host-share suites on an ASan+UBSan build of sockimpl
	@for v in $(ASAN_PYTHONS); do \
	  echo "== CPython $$v, AddressSanitizer + UndefinedBehaviorSanitizer"; \
	  $(ISOLATED) hardening/asan.sh $$v tests --ignore=tests/lab $(PYTEST_ARGS) || exit 1; \
	done
	@echo "== CPython $(MAIN_PYTHON), the lab's host share, AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(call py,$(MAIN_PYTHON)) -m lab clean >/dev/null
	@hardening/asan.sh $(MAIN_PYTHON) $(ASAN_LAB_TESTS) $(PYTEST_ARGS)

fuzz: $(VENV)/$(FUZZ_PYTHON)/.ready ## atheris on every fuzz target, FUZZ_SECONDS each (executions in hardening/build/fuzz-stats.txt)
	@hardening/fuzz.sh $(FUZZ_PYTHON) $(FUZZ_SECONDS)

# --- the lab (targets below are owned by the lab work) ---
LAB_REQS     := pyroute2 scapy pytest-xdist python-can
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

# Its wall time goes to lab-artifacts/lab-timings.json for `make bench`.
lab-test: build lab-deps ## the lab: real interfaces, both implementations (JUnit in lab-artifacts/)
	@started=$$(date +%s); \
	  $(call py,$(MAIN_PYTHON)) -m lab test $(LAB_ARGS) $(PYTEST_ARGS) && \
	  $(call py,$(MAIN_PYTHON)) -m lab repro --all --impl sockimpl --expect-fixed; \
	  status=$$?; \
	  $(call py,$(MAIN_PYTHON)) -m lab.timings record make-lab-test $$(( $$(date +%s) - started )) \
	    $$status "$(LAB_ARGS) $(PYTEST_ARGS)"; \
	  exit $$status

lab-doctor: lab-deps ## which families and interface kinds each backend offers, and why not
	$(call py,$(MAIN_PYTHON)) -m lab doctor

lab-clean: lab-deps ## remove what a killed lab run left (namespaces, links, captures)
	$(call py,$(MAIN_PYTHON)) -m lab clean

# The lab VM (issue 5): QEMU and a distribution kernel that has every family
# the host lacks, BlueZ's emulator and tools, can-utils, and virtme-ng to
# boot that kernel over this machine's own root.  Without recommends: QEMU's
# pull in a desktop's worth of packages the VM never uses.
LAB_VM_REQS := virtme-ng
LAB_VM_APT  := qemu-system-x86 linux-image-amd64 bluez bluez-test-tools can-utils

.PHONY: vm-deps vm-shell vm-bench

$(VENV)/%/.vm-ready: $(VENV)/%/.lab-ready
	@$(call py,$*) -m pip install -q --disable-pip-version-check $(LAB_VM_REQS)
	@dpkg -s $(LAB_VM_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(LAB_VM_APT) >/dev/null 2>&1; }
	@touch $@

vm-deps: $(VENV)/$(MAIN_PYTHON)/.vm-ready ## install the lab VM (QEMU, Debian's kernel, BlueZ, can-utils, virtme-ng)
lab-deps: vm-deps

vm-shell: build vm-deps ## an interactive lab VM guest in the repo, every family's module loaded
	$(call py,$(MAIN_PYTHON)) -m lab vm shell

vm-bench: build vm-deps ## time the lab VM: boot to first test and the VM share (lab-artifacts/vm-timings.json)
	-@$(call py,$(MAIN_PYTHON)) -m lab test --backend vm -q tests/lab/vm >/dev/null 2>&1
	@$(call py,$(MAIN_PYTHON)) -m lab.vm_runner

# python-can's own SocketCAN tests (issue 11), from its sdist (the wheel has
# no tests), fetched once into build/python-can/ and run by `lab run` in the
# lab VM over the stdlib and over sockimpl; non-zero when either fails.
PYTHON_CAN_VERSION ?= 4.6.1
PYTHON_CAN_DIR     := build/python-can
PYTHON_CAN_SRC     := $(PYTHON_CAN_DIR)/python_can-$(PYTHON_CAN_VERSION)
PYTHON_CAN_TESTS   := test/back2back_test.py test/test_socketcan.py test/test_cyclic_socketcan.py \
                      test/test_socketcan_loopback.py

.PHONY: python-can-suite

$(PYTHON_CAN_DIR)/python_can-%/.unpacked:
	@mkdir -p $(PYTHON_CAN_DIR)
	@$(call py,$(MAIN_PYTHON)) -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
	  --dest $(PYTHON_CAN_DIR) python-can==$*
	@tar xzf $(PYTHON_CAN_DIR)/python_can-$*.tar.gz -C $(PYTHON_CAN_DIR)
	@touch $@

python-can-suite: build vm-deps $(PYTHON_CAN_SRC)/.unpacked ## python-can's own SocketCAN tests in the lab VM, over the stdlib and sockimpl
	@cd $(PYTHON_CAN_SRC) && PYTHONPATH=$(CURDIR) $(CURDIR)/$(call py,$(MAIN_PYTHON)) -m lab run \
	  --needs vcan --env TEST_SOCKETCAN=1 --impl stdlib --impl sockimpl --timeout 500 -- \
	  python -m pytest -q -p no:cacheprovider -o addopts= $(PYTHON_CAN_TESTS)

# Docker peers: an engine to start where none runs, debootstrap for the base
# image (no registry), socat and busybox, and the engine's Python SDK.
LAB_DOCKER_REQS := docker
LAB_DOCKER_APT  := docker.io debootstrap busybox-static socat

.PHONY: lab-images image-timings

$(VENV)/%/.docker-ready: $(VENV)/%/.lab-ready
	@$(call py,$*) -m pip install -q --disable-pip-version-check $(LAB_DOCKER_REQS)
	@dpkg -s $(LAB_DOCKER_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(LAB_DOCKER_APT) >/dev/null; }
	@touch $@

lab-deps: $(VENV)/$(MAIN_PYTHON)/.docker-ready
lab-test: lab-images

lab-images: lab-deps ## build the Docker peer images from local material (cached after the first time)
	@$(call py,$(MAIN_PYTHON)) -m lab images build

image-timings: lab-deps ## time a from-scratch and a cached image build (lab-artifacts/image-timings.json)
	@$(call py,$(MAIN_PYTHON)) -m lab images build --from-scratch
	@$(call py,$(MAIN_PYTHON)) -m lab images build

# --- bench (issue 7) ---
BENCH_REQS   := matplotlib pyroute2
BENCH_APT    := valgrind
BENCH_ARGS   ?=

# The bench's needs on top of the main venv: the chart, the lab's netlink
# (for fixture timings), and callgrind for instruction counts.
$(VENV)/$(MAIN_PYTHON)/.bench-ready: $(VENV)/$(MAIN_PYTHON)/.ready
	@$(call py,$(MAIN_PYTHON)) -m pip install -q --disable-pip-version-check $(BENCH_REQS)
	@dpkg -s $(BENCH_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_APT) >/dev/null; }
	@touch $@

bench: build $(VENV)/$(MAIN_PYTHON)/.bench-ready ## sockimpl against the stdlib and the C floor (table, bench/results.json, bench/ratios.png)
	@cc -O2 -Wall -Wextra -Werror -o bench/floor bench/floor.c -lpthread
	$(call py,$(MAIN_PYTHON)) -m bench $(BENCH_ARGS)

clean: ## remove build products and environments
	rm -rf build $(VENV) build.lock sockimpl/*.so .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
