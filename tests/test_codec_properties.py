"""Property: no Python object crashes a family codec, leaks, or raises
anything but the exceptions bad input is documented to raise.

Hypothesis throws arbitrary objects (nested tuples and lists of ints of any
size, strs with NULs and lone surrogates, bytes, floats, None, ...) and
near-valid addresses (the right arity, each field valid or arbitrary) at
every codec through `_sockimpl._addr_roundtrip`, which runs the codec's
parse and then its build, as bind() and getsockname() would.

Strings never reach a resolver: the only codec that resolves names is the
INET form AF_RDS uses, and its host field is drawn from numeric addresses
and non-text objects, so the suite sends no DNS query.
"""

from __future__ import annotations

import gc
import sys
import tracemalloc
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sockimpl import _sockimpl

roundtrip = _sockimpl._addr_roundtrip

EXPECTED_ERRORS = (TypeError, ValueError, OverflowError, OSError, UnicodeError)

EXAMPLES_PER_CODEC = 10_000

# What arbitrary input is made of.
integers = st.one_of(
    st.integers(min_value=-2, max_value=300),
    st.sampled_from([2**15, 2**16 - 1, 2**16, 2**31, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 2**64]),
    st.integers(),
    st.booleans(),
)
texts = st.one_of(
    st.sampled_from(["", "lo", "l\0o", "\udcff", "01:02:03:04:05:06", "hash", "sha256", "x" * 16]),
    st.text(alphabet=st.characters(codec=None), max_size=20),
)
leaves = st.one_of(
    integers,
    texts,
    st.binary(max_size=20),
    st.floats(allow_nan=True),
    st.none(),
    st.builds(bytearray, st.binary(max_size=10)),
)
arbitrary = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner),
        st.tuples(inner, inner),
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=6).map(tuple),
    ),
    max_leaves=8,
)


@dataclass(frozen=True)
class Codec:
    name: str
    family: int
    type: int
    proto: int
    fields: tuple[st.SearchStrategy[Any], ...]  # one per item of a valid address
    bare: st.SearchStrategy[Any] | None = None  # an address that is no tuple

    def near_valid(self) -> st.SearchStrategy[Any]:
        """Tuples of every arity up to one past the longest valid one,
        each field valid or arbitrary."""

        def field(i: int) -> st.SearchStrategy[Any]:
            valid = self.fields[min(i, len(self.fields) - 1)]
            return st.one_of(valid, leaves)

        return st.integers(0, len(self.fields) + 1).flatmap(
            lambda n: st.tuples(*(field(i) for i in range(n)))
        )

    def inputs(self) -> st.SearchStrategy[Any]:
        options = [arbitrary, self.near_valid()]
        if self.bare is not None:
            options.append(self.bare)
        return st.one_of(*options)


u16 = st.integers(0, 2**16 - 1)
u32 = st.integers(0, 2**32 - 1)
ifname = st.sampled_from(["", "lo", b"lo", "sockimpl-none0"])
bdaddr = st.sampled_from(["00:00:00:00:00:00", "01:02:03:04:05:06", "AA:BB:CC:DD:EE:FF", "1:2:3"])
# Numeric hosts only: a name would go to the resolver (and the network).
numeric_host = st.sampled_from(["127.0.0.1", "", "<broadcast>", "198.18.0.1", b"127.0.0.1"])

CODECS = [
    Codec("netlink", 16, 3, 0, (u32, u32)),
    Codec(
        "packet", 17, 3, 0, (st.just("lo"), u16, st.integers(0, 255), u16, st.binary(max_size=9))
    ),
    Codec("can-raw", 29, 3, 1, (ifname,)),
    Codec("can-isotp", 29, 2, 6, (ifname, u32, u32)),
    Codec("can-j1939", 29, 2, 7, (ifname, st.integers(0, 2**64 - 1), u32, st.integers(0, 255))),
    Codec("bt-l2cap", 31, 5, 0, (bdaddr, u16, u16, st.integers(0, 255))),
    Codec("bt-hci", 31, 3, 1, (u16, u16), bare=u16),
    Codec("bt-sco", 31, 5, 2, (bdaddr,), bare=st.one_of(bdaddr, bdaddr.map(str.encode))),
    Codec("bt-rfcomm", 31, 1, 3, (bdaddr, st.integers(0, 255))),
    Codec("vsock", 40, 1, 0, (u32, u32)),
    Codec("alg", 38, 5, 0, (st.sampled_from(["hash", "t" * 14]), st.text(max_size=70), u32, u32)),
    Codec("tipc", 30, 4, 0, (st.integers(0, 4), u32, u32, u32, st.integers(0, 130))),
    Codec("qrtr", 42, 2, 0, (u32, u32)),
]

# AF_RDS parses with the INET codec, which resolves text: what it is given
# has every str and bytes in the host position made numeric first, unless
# a NUL makes it refused before any lookup.
RDS = Codec("rds", 21, 5, 0, (numeric_host, u16))
NUMERIC_HOSTS = ("127.0.0.1", "", "<broadcast>", "198.18.0.1", b"127.0.0.1")


def _no_lookup(host: Any) -> Any:
    if isinstance(host, str) and "\0" not in host:
        return NUMERIC_HOSTS[len(host) % len(NUMERIC_HOSTS)]
    if isinstance(host, (bytes, bytearray)) and b"\0" not in host:
        return NUMERIC_HOSTS[len(host) % len(NUMERIC_HOSTS)]
    return host


def _rds_safe(address: Any) -> Any:
    if isinstance(address, tuple) and address:
        return (_no_lookup(address[0]), *address[1:])
    return address


# Objects the interpreter shares (small ints, one-character strs and
# bytes, empty singletons, None, interned names) have counts that move with
# unrelated work, including the counts this check itself keeps; only
# private objects can show a leak, and they have counts far below this.
SHARED = 1000


def _private(obj: Any) -> bool:
    if isinstance(obj, int) and -5 <= obj <= 256:
        return False
    if isinstance(obj, (str, bytes, tuple)) and len(obj) <= 1:
        return False
    return sys.getrefcount(obj) < SHARED


def _reachable(obj: Any, depth: int = 0) -> list[Any]:
    """obj and what it contains, for the reference-count check."""
    found = [obj] if _private(obj) else []
    if depth < 4 and isinstance(obj, (tuple, list)):
        for item in obj:
            found.extend(_reachable(item, depth + 1))
    return found


def _counts(objects: list[Any]) -> list[int]:
    return [sys.getrefcount(o) for o in objects]


def throw(codec: Codec, address: Any) -> None:
    """Run the codec on address: it returns or raises an expected error,
    and every object it was given keeps its reference count."""
    objects = _reachable(address)
    before = _counts(objects)
    try:
        roundtrip(codec.family, codec.type, codec.proto, address)
    except EXPECTED_ERRORS:
        pass
    after = _counts(objects)
    assert after == before, f"reference counts changed: {before} -> {after}"


# Hypothesis spends most of an example's time on its own bookkeeping, not
# on the draws: each example draws a batch of inputs, so every codec still
# sees EXAMPLES_PER_CODEC of them for a tenth of the examples.
BATCH = 10

fast = settings(
    max_examples=EXAMPLES_PER_CODEC // BATCH,
    deadline=None,
    database=None,
    phases=(Phase.generate, Phase.shrink),
    suppress_health_check=list(HealthCheck),
)

# Any codec's valid field values, for tuples that are near-valid for all.
some_field = st.one_of(leaves, u16, u32, ifname, bdaddr, bdaddr.map(str.encode), st.integers(0, 4))
one_input = st.tuples(arbitrary, st.lists(some_field, min_size=6, max_size=6))


@fast
@given(batch=st.lists(one_input, min_size=BATCH, max_size=BATCH))
def test_codecs_survive_arbitrary_objects(batch: list[tuple[Any, list[Any]]]) -> None:
    """Each input feeds every codec an arbitrary object and tuples of the
    codec's arity and one either side, built of field-like values (valid
    ones of every codec among them).  Drawing once for all codecs gives
    each codec 10,000 inputs within seconds."""
    for obj, fields in batch:
        for codec in CODECS:
            throw(codec, obj)
            arity = len(codec.fields)
            for n in (arity - 1, arity, arity + 1):
                throw(codec, tuple(fields[:n]))
            if codec.bare is not None:
                throw(codec, fields[0])
        throw(RDS, _rds_safe(obj))
        for n in (1, 2, 3):
            throw(RDS, _rds_safe(tuple(fields[:n])))


def _memory_after(codec: Codec, batch: list[Any], rounds: int) -> int:
    for _ in range(rounds):
        for address in batch:
            try:
                roundtrip(codec.family, codec.type, codec.proto, address)
            except EXPECTED_ERRORS:
                pass
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.parametrize("codec", CODECS, ids=lambda c: c.name)
def test_codec_memory_does_not_grow_over_a_batch(codec: Codec) -> None:
    """The same batch of inputs, run again and again, leaves the traced
    memory where the first runs left it: nothing is kept per call."""

    @settings(
        max_examples=2,
        deadline=None,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=st.lists(codec.inputs(), min_size=40, max_size=40))
    def check(batch: list[Any]) -> None:
        tracemalloc.start()
        try:
            settled = _memory_after(codec, batch, rounds=10)
            grown = _memory_after(codec, batch, rounds=100) - settled
        finally:
            tracemalloc.stop()
        # 100 rounds of 40 calls: a leak of one small object a call would
        # be over 100 kB.
        assert grown < 4000, f"traced memory grew by {grown} bytes"

    check()
