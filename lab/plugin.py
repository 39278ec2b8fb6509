"""The lab's pytest plugin: options, markers, the `impl` parametrisation,
sharding, capability skips, and saving the wire of a failing test.

Installed as a pytest11 entry point (any project that installs socklab
has it), and loaded by this repository's `tests/conftest.py`: every suite
can use `impl` and `--impl`; the kernel-facing fixtures live in
`lab.fixtures.network` and import pyroute2 and scapy only when a test asks.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from lab import oracle
from lab.capabilities import missing
from lab.evidence import CAPTURES, peer_troubles
from lab.observations import ObservationBook
from lab.shard import Shard, scenario_key, split

pytest_plugins = (
    "lab.fixtures.network", "lab.fixtures.containers", "lab.fixtures.guest", "lab.fixtures.can",
)

IMPLEMENTATION_NAMES = ("stdlib", "sockimpl")  # the oracle runs first

SAVED_CAPTURES = pytest.StashKey[list]()
OBSERVATIONS = pytest.StashKey[ObservationBook]()
LAST_OF_SCENARIO = pytest.StashKey[dict]()  # node id -> its scenario
DISAGREEMENTS = pytest.StashKey[list]()
UNPAIRED = pytest.StashKey[list]()
WIRE_KEY = "lab_observations"
ORACLE = pytest.StashKey[oracle.Origin]()
NO_ORACLE = pytest.StashKey[str]()


def implementation(name: str) -> ModuleType:
    """The socket module called `name`: the verified stdlib's (see
    `lab.oracle`), or sockimpl."""
    return oracle.stdlib_socket() if name == "stdlib" else importlib.import_module("sockimpl")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lab", "socklab: real interfaces, both implementations")
    group.addoption(
        "--impl", choices=(*IMPLEMENTATION_NAMES, "both"), default="both",
        help="run tests that take `impl` against this socket implementation only "
        "(default: both, the stdlib first)",
    )
    group.addoption(
        "--shard", metavar="I/N", default=None,
        help="run only share I of N of the tests (1-based, deterministic; "
        "a scenario's runs against both implementations stay together)",
    )
    group.addoption(
        "--lab-artifacts", metavar="DIR", default=None,
        help="where a failing test's wire captures are saved as pcap "
        "(default: lab-artifacts/ under the rootdir)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "family(name): the test exercises this address family (e.g. 'can', 'inet6'); "
        "skipped with a reason where the backend lacks it",
    )
    config.addinivalue_line(
        "markers",
        "needs(*capabilities): kernel features the test needs (e.g. 'vcan', 'vhci', "
        "'netem', 'udplite'); skipped with what is missing and how to get it. "
        "`socklab doctor` lists them",
    )
    shard = config.getoption("--shard")
    if shard is not None:
        try:
            Shard.parse(shard)
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
    try:
        config.stash[ORACLE] = oracle.origin()
    except oracle.OracleError as exc:
        # A session that takes no stdlib side (a project's own suite under
        # `socklab run --impl`, where this plugin comes with the package)
        # needs no oracle; one that does is refused once it is collected.
        config.stash[NO_ORACLE] = str(exc)
    config.stash[SAVED_CAPTURES] = []
    config.stash[OBSERVATIONS] = ObservationBook(IMPLEMENTATION_NAMES)
    config.stash[DISAGREEMENTS] = []
    config.stash[UNPAIRED] = []


def pytest_report_header(config: pytest.Config) -> str:
    if NO_ORACLE in config.stash:
        return f"lab oracle: none ({config.stash[NO_ORACLE]})"
    return f"lab oracle: {config.stash[ORACLE]}"


def _takes_the_stdlib_side(item: pytest.Item) -> bool:
    return _impl_id(item) == "stdlib" or "differential" in getattr(item, "fixturenames", ())


def _refuse_without_an_oracle(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every stdlib side of these tests would be something else: stop before
    a comparison of sockimpl with itself is reported as agreement."""
    if NO_ORACLE in config.stash and any(_takes_the_stdlib_side(item) for item in items):
        raise pytest.UsageError(f"lab: no oracle: {config.stash[NO_ORACLE]}")


def artifacts_dir(config: pytest.Config) -> Path:
    chosen = config.getoption("--lab-artifacts")
    return Path(chosen) if chosen else config.rootpath / "lab-artifacts"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "impl" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("--impl")
    names = IMPLEMENTATION_NAMES if chosen == "both" else (chosen,)
    metafunc.parametrize("impl", names, indirect=True, ids=str)


@pytest.fixture
def impl(request: pytest.FixtureRequest) -> ModuleType:
    """The socket module under test: the stdlib, then sockimpl (`--impl` picks one)."""
    return implementation(request.param)


def _impl_id(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("impl") if callspec else None


class Differential:
    """Compares what one scenario observed under each implementation: the
    first run records, the other run asserts it saw the same; the run fails
    where a name has no counterpart (see `lab.observations`)."""

    def __init__(self, book: ObservationBook, scenario: str, impl_name: str | None) -> None:
        self._book = book
        self._scenario = scenario
        self._impl = impl_name

    def observe(self, name: str, value: Any) -> Any:
        if self._impl is None:
            raise pytest.UsageError("differential.observe needs a test that takes `impl`")
        self._book.record(self._scenario, name, self._impl, value)
        return value


@pytest.fixture
def differential(request: pytest.FixtureRequest) -> Differential:
    """`differential.observe(name, value)`: the runs of this scenario against
    each implementation must observe the same value, and every name must be
    observed by both (a side that skipped, or an `--impl` of one, fails the
    scenario at its last test, or the session under pytest-xdist)."""
    item = request.node
    impl_name = _impl_id(item)
    return Differential(request.config.stash[OBSERVATIONS], scenario_key(item.nodeid, impl_name), impl_name)


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note each scenario's last test: its teardown checks the pairs."""
    last = {scenario_key(item.nodeid, _impl_id(item)): item.nodeid for item in session.items if _impl_id(item)}
    session.config.stash[LAST_OF_SCENARIO] = {nodeid: scenario for scenario, nodeid in last.items()}


def _fail_teardown_on_missing_counterparts(item: pytest.Item, report: pytest.TestReport) -> None:
    config = item.config
    scenario = config.stash.get(LAST_OF_SCENARIO, {}).get(item.nodeid)
    if scenario is None or _is_xdist_worker(config):
        return  # a worker cannot know what the others ran: its controller checks
    book = config.stash[OBSERVATIONS]
    book.checked.add(scenario)
    if scenario in book.failed:
        return  # the failure itself is the report; what it kept from observing adds nothing
    lacking = book.missing_counterparts(scenario)
    if lacking:
        report.outcome = "failed"
        report.longrepr = "differential: no counterpart to compare with:\n" + "\n".join(lacking)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist's controller: a worker's observations join the book."""
    wire = getattr(node, "workeroutput", {}).get(WIRE_KEY)
    if wire:
        config = node.config
        config.stash[DISAGREEMENTS] += config.stash[OBSERVATIONS].merge(wire, node.gateway.id)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _refuse_without_an_oracle(config, items)
    shard_text = config.getoption("--shard")
    if shard_text is None:
        return
    key = {item.nodeid: scenario_key(item.nodeid, _impl_id(item)) for item in items}
    selected, deselected = split(items, Shard.parse(shard_text), key)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


def _required_capabilities(item: pytest.Item) -> list[str]:
    wanted = [name for mark in item.iter_markers("needs") for name in mark.args]
    wanted += [mark.args[0] for mark in item.iter_markers("family") if mark.args]
    return wanted


def pytest_runtest_setup(item: pytest.Item) -> None:
    wanted = _required_capabilities(item)
    if not wanted:
        return
    for name in wanted:
        reason = missing(name)
        if reason:
            pytest.skip(f"needs {name}: {reason}")
    if _impl_id(item) is None:
        return
    for family in (mark.args[0] for mark in item.iter_markers("family") if mark.args):
        constant = oracle.lacks_family(family)
        if constant:
            # Both sides: sockimpl alone would be compared with nothing.
            pytest.skip(f"no oracle for {family}: this interpreter's stdlib has no {constant} (built "
                        f"without its headers); `lab test` runs these under {oracle.DEFAULT_ORACLE_PYTHON}, "
                        "whose stdlib has it")


def _artifact_name(item: pytest.Item, label: str) -> str:
    module = Path(item.nodeid.split("::")[0]).stem
    return re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", f"{module}.{item.name}-{label}") + ".pcap"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _impl_id(item) is not None:
        item.config.stash[OBSERVATIONS].failed.add(scenario_key(item.nodeid, _impl_id(item)))
    if report.when == "teardown":
        _fail_teardown_on_missing_counterparts(item, report)
    if not report.failed:
        return
    troubles = peer_troubles(item)
    if troubles:
        # What the test saw (a refused connection, a timeout) rarely says
        # that its counterpart died; this does.
        report.sections.append(("lab peers", "\n".join(troubles)))
    if report.when != "call":
        return
    for capture in item.stash.get(CAPTURES, []):
        path = capture.save(artifacts_dir(item.config) / _artifact_name(item, capture.label))
        item.config.stash[SAVED_CAPTURES].append(path)
        report.sections.append(("lab wire capture", f"saved {path} (open it in Wireshark)"))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Pairs no test teardown could check (split by pytest-xdist, or a
    scenario whose last test never ran) fail the session here."""
    config = session.config
    book = config.stash.get(OBSERVATIONS, None)
    if book is None:
        return
    if _is_xdist_worker(config):
        config.workeroutput[WIRE_KEY] = book.to_wire()
        return
    problems = list(config.stash[DISAGREEMENTS])
    for scenario in book.unchecked():
        problems += book.missing_counterparts(scenario)
    config.stash[UNPAIRED] = problems
    if problems and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    unpaired = config.stash.get(UNPAIRED, [])
    if unpaired:
        terminalreporter.section("lab differential: observations without a counterpart", red=True)
        for line in unpaired:
            terminalreporter.write_line(line)
    saved = config.stash.get(SAVED_CAPTURES, [])
    if saved:
        terminalreporter.section("lab wire captures of failing tests")
        for path in saved:
            terminalreporter.write_line(f"pcap: {path}")
