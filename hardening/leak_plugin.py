"""A pytest plugin that repeats every passing test and reports the ones
whose repetitions leak memory or descriptors:

    python -m pytest -p hardening.leak_plugin --leak-repeat=10 --impl sockimpl tests

Hypothesis tests are left out (each run is a whole search, not one
scenario).  pytest's own per-call growth is measured on the same item with
a no-op body and subtracted.  Any leak makes the session fail."""

from __future__ import annotations

import tracemalloc

import pytest

from hardening.leakcheck import Growth, measure

LEAKS = pytest.StashKey[list]()
CHECKED = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--leak-repeat",
        type=int,
        default=0,
        metavar="N",
        help="repeat each passing test 4x N times, report memory or fd growth",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[LEAKS] = []
    config.stash[CHECKED] = []
    if config.getoption("leak_repeat"):
        tracemalloc.start()


def _is_hypothesis(item: pytest.Item) -> bool:
    return getattr(getattr(item, "obj", None), "is_hypothesis_test", False)


def _harness_growth(item: pytest.Item, repeat: int) -> Growth:
    """What repeating the item costs with its test body replaced by a
    no-op: pytest's and the plugins' own per-call bookkeeping, the same
    for the stdlib as for sockimpl, subtracted from the real measure."""
    original = item.obj  # type: ignore[attr-defined]
    item.obj = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    try:
        return measure(item.runtest, repeat)
    finally:
        item.obj = original  # type: ignore[attr-defined]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):  # type: ignore[no-untyped-def]
    outcome = yield
    repeat = item.config.getoption("leak_repeat")
    if not repeat or outcome.excinfo is not None or _is_hypothesis(item):
        return
    growth = measure(item.runtest, repeat).beyond(_harness_growth(item, repeat))
    item.config.stash[CHECKED].append(item.nodeid)
    if growth.leaks_memory or growth.leaks_fds:
        item.config.stash[LEAKS].append((item.nodeid, growth))


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if not config.getoption("leak_repeat"):
        return
    leaks = config.stash[LEAKS]
    terminalreporter.section("leak check")
    terminalreporter.write_line(
        f"{len(config.stash[CHECKED])} tests repeated 4x{config.getoption('leak_repeat')} times, "
        f"{len(leaks)} leaking"
    )
    for nodeid, growth in leaks:
        terminalreporter.write_line(f"LEAK {nodeid}: {growth}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.getoption("leak_repeat") and session.config.stash[LEAKS]:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
