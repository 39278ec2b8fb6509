# socklab: sockimpl and the lab that proves it.  `make help` lists the targets.
# Every target installs what it needs (idempotent, quiet when present).

PYTHONS      ?= 3.10 3.11 3.12 3.13
MAIN_PYTHON  ?= 3.11
VENV         := .venv
PY_REQS      := setuptools pytest hypothesis pytest-timeout
PYTEST_ARGS  ?=

py = $(VENV)/$(1)/bin/python
JOBS         ?= $(shell nproc)
# $(call timed,NAME,COMMAND[,ARGUMENTS]): COMMAND, then its wall time and exit
# status kept as NAME in lab-artifacts/lab-timings.json, for `make bench`'s lab
# speed, with the arguments that narrowed the run (default: PYTEST_ARGS).
timed = started=$$(date +%s); $(2); status=$$?; \
  $(call py,$(MAIN_PYTHON)) -m lab.timings record $(1) $$(( $$(date +%s) - started )) $$status \
    "$(if $(3),$(3),$(PYTEST_ARGS))"; \
  exit $$status

# The unit suites run in a network namespace of their own with only
# loopback: no test can reach a resolver or any host outside the machine
# (a name lookup fails at once instead of leaving as a DNS query).
ISOLATED = unshare --net -- sh -c 'ip link set lo up && exec "$$@"' isolated

.PHONY: help build test unit-test lab-test bench clean clang-ready

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

# One virtual environment per interpreter, made once.
$(VENV)/%/.ready: pyproject.toml
	@interp=$$(python3 lab/standalone/pythons.py $*) && \
	  { [ -x $(VENV)/$*/bin/python ] || $$interp -m venv $(VENV)/$*; } && \
	  $(VENV)/$*/bin/python -m pip install -q --disable-pip-version-check $(PY_REQS) && \
	  touch $@

build: $(foreach v,$(PYTHONS),build-$(v)) ## compile sockimpl in place for every interpreter

# One interpreter's build: its own build/temp folder and .so, so `make -j`
# builds two at once; the lock keeps two makes off the same one.
build-%: $(VENV)/%/.ready
	@PYTHONWARNINGS=ignore flock build-$*.lock $(call py,$*) setup.py -q build_ext --inplace >/dev/null

# The libFuzzer corpus replays through harnesses clang builds: C code, the
# same on every interpreter, so one interpreter (the lab's) replays it.
C_REPLAY := tests/test_hardening_corpus.py::test_saved_c_inputs_replay_clean

clang-ready:
	@command -v clang >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null; }

unit-test: build clang-ready ## the unit and differential suites on every interpreter, one per core at a time
	@$(call timed,make-unit-test,VENV=$(VENV) PYTHONS="$(PYTHONS)" MAIN_PYTHON=$(MAIN_PYTHON) C_REPLAY=$(C_REPLAY) \
	  PYTEST_ARGS="$(PYTEST_ARGS)" JOBS=$(JOBS) LOGS=lab-artifacts/unit tests/unit-suites.sh)

# tests/make-test.sh says in what order, and what runs beside what.
test: ## everything that can run here: unit and differential suites, CPython's test_socket, the package as others install it (python-can's suite included) beside them, then the lab
	@$(call timed,make-test,MAKE="$(MAKE)" JOBS=$(JOBS) PYTHON=$(call py,$(MAIN_PYTHON)) tests/make-test.sh)

# CPython's own test_socket of every interpreter, over the stdlib and over
# sockimpl (conformance/): every test the stdlib passes must pass under
# sockimpl, or be listed with its reason in conformance/deliberate.txt.
# Each side runs in a loopback-only network namespace of its own.
.PHONY: conformance
conformance: build ## each interpreter's own test_socket over the stdlib and sockimpl; differences not in conformance/deliberate.txt fail
	@$(call timed,make-conformance,$(call py,$(MAIN_PYTHON)) -m conformance --isolate \
	  $(foreach v,$(PYTHONS),--python $(call py,$(v))))

# --- hardening: sanitizers and fuzzing, in build dirs of their own ---
ASAN_PYTHONS  ?= $(PYTHONS)
FUZZ_PYTHON   ?= $(MAIN_PYTHON)
# The C targets (hardening/libfuzzer) run a count, one per core at a time;
# the atheris targets, which compare with the stdlib, run a time each.
FUZZ_RUNS     ?= 1000000
FUZZ_SECONDS  ?= 60

.PHONY: asan-test fuzz

# The lab's host share that drives sockimpl over real namespaces, veth pairs
# and peer processes (the Docker and VM shares run programs of their own,
# which the preloaded sanitizer runtime must not be forced into).
ASAN_LAB_TESTS ?= tests/lab_itself/test_fixtures.py tests/lab/test_peer_inet.py tests/lab/test_peer_unix.py \
                  $(wildcard tests/lab/test_wire_*.py)

asan-test: $(foreach v,$(ASAN_PYTHONS),$(VENV)/$(v)/.ready) $(VENV)/$(MAIN_PYTHON)/.lab-ready ## unit, differential and lab host-share suites on an ASan+UBSan build of sockimpl
	@for v in $(ASAN_PYTHONS); do \
	  echo "== CPython $$v, AddressSanitizer + UndefinedBehaviorSanitizer"; \
	  $(ISOLATED) hardening/asan.sh $$v tests --ignore=tests/lab --ignore=tests/lab_itself $(PYTEST_ARGS) || exit 1; \
	done
	@echo "== CPython $(MAIN_PYTHON), the lab's host share, AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(call py,$(MAIN_PYTHON)) -m lab clean >/dev/null
	@hardening/asan.sh $(MAIN_PYTHON) $(ASAN_LAB_TESTS) $(PYTEST_ARGS)

# Both runs go ahead whatever the other finds; either's finding fails it.
fuzz: $(VENV)/$(FUZZ_PYTHON)/.ready ## libFuzzer on the C targets (FUZZ_RUNS each), then atheris on the stdlib-differential ones (FUZZ_SECONDS each); executions in hardening/build/fuzz-stats.txt
	@mkdir -p hardening/build && : >hardening/build/fuzz-stats.txt
	@hardening/libfuzzer/fuzz.sh $(FUZZ_PYTHON) $(FUZZ_RUNS); c=$$?; \
	  hardening/fuzz.sh $(FUZZ_PYTHON) $(FUZZ_SECONDS); a=$$?; \
	  [ $$c = 0 ] && [ $$a = 0 ]

# --- the lab ---
# Its Python packages are socklab's own dependencies (pyproject.toml, the one
# list), plus pytest-xdist for parallel runs; its system packages are named
# once, in lab/setup.py, and installed by `socklab setup`.
LAB_ARGS     ?=
PROJECT_DEPS  = $(call py,$(MAIN_PYTHON)) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
                print(" ".join(d for d in p["dependencies"] + p["optional-dependencies"]["all"] if ";" not in d))'
SETUP         = $(call py,$(MAIN_PYTHON)) -m lab setup --yes --quiet

.PHONY: lab-test lab-doctor lab-clean lab-deps vm-deps vm-shell vm-bench lab-images image-timings

$(VENV)/$(MAIN_PYTHON)/.lab-ready: $(VENV)/$(MAIN_PYTHON)/.ready pyproject.toml lab/setup.py
	@$(call py,$(MAIN_PYTHON)) -m pip install -q --disable-pip-version-check $$($(PROJECT_DEPS)) pytest-xdist
	@$(SETUP) host vm docker
	@touch $@

lab-deps: $(VENV)/$(MAIN_PYTHON)/.lab-ready ## install what the lab needs (socklab's Python dependencies; `socklab setup` for QEMU, a kernel with every family, BlueZ, Docker, tshark)
vm-deps: lab-deps ## the same as lab-deps (the VM's QEMU and kernel come with it)

# Its wall time goes to lab-artifacts/lab-timings.json for `make bench`.
lab-test: build lab-deps lab-images ## the lab: real interfaces, both implementations, host and VM; the repro catalogue beside both shares (JUnit in lab-artifacts/)
	@$(call timed,make-lab-test,$(call py,$(MAIN_PYTHON)) -m lab test --host-workers 2 \
	    --beside "$(call py,$(MAIN_PYTHON)) -m lab repro --all --impl sockimpl --expect-fixed" \
	    $(LAB_ARGS) $(PYTEST_ARGS),$(LAB_ARGS) $(PYTEST_ARGS))

# Debian's python3 has AF_BLUETOOTH in its stdlib (pyenv's have not): `lab test`
# runs the Bluetooth tests again under it, in the same VM boot, over a sockimpl
# built for it here (lab.oracle.ORACLE_PYTHON_BUILD).
ORACLE_PYTHON ?= /usr/bin/python3
# (and its own test suite, for the lab VM's run of test_socket: tests/lab/vm/test_cpython_suite.py)
ORACLE_APT    := python3-setuptools python3-pytest python3-pyroute2 python3-scapy python3-hypothesis \
                 libpython$(shell $(ORACLE_PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)-testsuite

.PHONY: oracle-python
oracle-python: ## sockimpl and pytest for Debian's python3, the Bluetooth tests' oracle
	@dpkg -s $(ORACLE_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(ORACLE_APT) >/dev/null; }
	@mkdir -p build/oracle-python
	@# egg_info's own folder: a socklab.egg-info in the checkout would register
	@# the plugin's entry point for every pytest run from here, a second time.
	@PYTHONWARNINGS=ignore flock build.lock $(ORACLE_PYTHON) setup.py -q egg_info --egg-base build/oracle-python \
	  build --build-base build/oracle-python/tmp --build-lib build/oracle-python/lib >/dev/null
lab-test: oracle-python

# BlueZ's btvirt from source, whose controllers carry an SCO link: Debian 12's
# (BlueZ 5.66) reports no SCO buffers, so the kernel refuses the link, and never
# asks the listening controller; 5.86 does both (tests/lab/vm/test_bluetooth.py
# has the btmon evidence).  Only the emulator is compiled (5.87's sources; no
# autotools, no D-Bus); the lab starts build/btvirt/btvirt when it is there
# (lab.kernel.bluetooth).  BLUEZ_GIT may be any clone of BlueZ, a local one too.
BLUEZ_GIT ?= https://git.kernel.org/pub/scm/bluetooth/bluez.git
BLUEZ_TAG ?= 5.87
BLUEZ_SRC := build/bluez-$(BLUEZ_TAG)
BTVIRT_SOURCES := emulator/main.c emulator/serial.c emulator/server.c emulator/vhci.c emulator/btdev.c \
  emulator/bthost.c emulator/smp.c emulator/phy.c emulator/le.c \
  lib/bluetooth/bluetooth.c lib/bluetooth/hci.c lib/bluetooth/sdp.c lib/bluetooth/uuid.c \
  $(addprefix src/shared/,queue.c util.c crypto.c ecc.c ringbuf.c ad.c io-mainloop.c timeout-mainloop.c \
    mainloop.c mainloop-notify.c btsnoop.c pcap.c hci.c hci-crypto.c log.c)

.PHONY: btvirt
btvirt: build/btvirt/btvirt ## BlueZ's btvirt from source (BLUEZ_TAG, BLUEZ_GIT), whose controllers carry SCO links; the lab uses it once built
build/btvirt/btvirt:
	@[ -d $(BLUEZ_SRC) ] || git -c advice.detachedHead=false clone -q --depth 1 --branch $(BLUEZ_TAG) $(BLUEZ_GIT) $(BLUEZ_SRC)
	@mkdir -p build/btvirt && printf '#define VERSION "%s"\n' $(BLUEZ_TAG) > build/btvirt/config.h
	cd $(BLUEZ_SRC) && $(CC) -O2 -w -D_GNU_SOURCE -include $(CURDIR)/build/btvirt/config.h -I. -Ilib \
	  -o $(CURDIR)/build/btvirt/btvirt $(BTVIRT_SOURCES)

# `make lab-test` builds it when BlueZ's git answers; offline, the SCO tests
# skip, naming the btvirt they had and this target.
.PHONY: lab-btvirt
lab-btvirt:
	@[ -x build/btvirt/btvirt ] || timeout 300 $(MAKE) -s btvirt >/dev/null 2>&1 || \
	  echo "lab-test: no btvirt of BlueZ $(BLUEZ_TAG) (could not fetch $(BLUEZ_GIT)): the SCO tests will skip; \
	  \`make btvirt BLUEZ_GIT=<a clone of BlueZ>\` builds one"
lab-test: lab-btvirt

lab-doctor: lab-deps ## which families and interface kinds each backend offers, and why not
	$(call py,$(MAIN_PYTHON)) -m lab doctor

lab-clean: lab-deps ## remove what a killed lab run left (namespaces, links, captures)
	$(call py,$(MAIN_PYTHON)) -m lab clean

vm-shell: build lab-deps ## an interactive lab VM guest in the repo, every family's module loaded
	$(call py,$(MAIN_PYTHON)) -m lab vm shell

vm-bench: build lab-deps ## time the lab VM: boot to first test and the VM share (lab-artifacts/vm-timings.json)
	-@$(call py,$(MAIN_PYTHON)) -m lab test --backend vm -q tests/lab/vm >/dev/null 2>&1
	@$(call py,$(MAIN_PYTHON)) -m lab.vm.runner

lab-images: lab-deps ## build the Docker peer images from local material (cached after the first time)
	@$(call py,$(MAIN_PYTHON)) -m lab images build

image-timings: lab-deps ## time a from-scratch and a cached image build (lab-artifacts/image-timings.json)
	@$(call py,$(MAIN_PYTHON)) -m lab images build --from-scratch
	@$(call py,$(MAIN_PYTHON)) -m lab images build

# --- socklab as others get it: the package, its command and plugin, the Action ---
# A wheel of this checkout installed in a fresh virtual environment outside
# it (made anew whenever the wheel changes), then the GitHub Action's own
# steps (.github/action/steps.sh) with that environment's python first on
# PATH: install, KVM, `socklab doctor`, a third party's test file that uses
# the `vcan_bus` fixture and the `needs` marker under plain pytest, and
# python-can's own SocketCAN tests (from its sdist: the wheel has none) over
# the stdlib and over sockimpl.  Each `socklab run` boots the lab VM where
# the host lacks vcan.
PACKAGE_DIR        ?= $(HOME)/.cache/socklab/package-test
PYTHON_CAN_VERSION ?= 4.6.1
PYTHON_CAN_TESTS   := test/back2back_test.py test/test_socketcan.py test/test_cyclic_socketcan.py \
                      test/test_socketcan_loopback.py

.PHONY: package-test python-can-suite

package-test: build lab-deps ## pip-install socklab outside the checkout and run the GitHub Action's steps with it (third-party fixtures, python-can's suite)
	@$(call timed,make-package-test,PACKAGE_DIR=$(PACKAGE_DIR) PYTHON=$(call py,$(MAIN_PYTHON)) \
	  PYTHON_CAN_VERSION=$(PYTHON_CAN_VERSION) PYTHON_CAN_TESTS="$(PYTHON_CAN_TESTS)" tests/package/check.sh)

python-can-suite: package-test ## python-can's own SocketCAN tests (part of package-test)

# --- bench ---
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
	rm -rf build $(VENV) build.lock build-*.lock sockimpl/*.so .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

# --- the differential engine: lab/engine/, docs/engine.md ---
# Its quick profile runs inside `make lab-test` (tests/lab/engine is under
# tests/lab); these are the deep search and the proof against mutants.
ENGINE_EXAMPLES ?= 2000
ENGINE_IMPL     ?= sockimpl
ENGINE_SEED     ?=
ENGINE_FAMILIES ?=
MUTANT_EXAMPLES ?= 300

.PHONY: fuzz-lab mutants

fuzz-lab: build $(VENV)/$(MAIN_PYTHON)/.lab-ready ## the engine's deep search: ENGINE_EXAMPLES sequences per host family against ENGINE_IMPL; divergences go to the corpus
	$(call py,$(MAIN_PYTHON)) -m lab.engine --examples $(ENGINE_EXAMPLES) --impl $(ENGINE_IMPL) --record \
	  $(if $(ENGINE_SEED),--seed $(ENGINE_SEED)) $(foreach f,$(ENGINE_FAMILIES),--family $(f))

mutants: build oracle-python $(VENV)/$(MAIN_PYTHON)/.lab-ready ## build each deliberately broken sockimpl (build/mutants/) and count those the engine kills: host families here, the rest in one lab VM boot
	$(call py,$(MAIN_PYTHON)) -m lab.engine.mutants --examples $(MUTANT_EXAMPLES)
