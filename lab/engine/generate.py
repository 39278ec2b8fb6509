"""Hypothesis strategies for a family's sequences of steps.

Handles are small numbers: the n-th socket the sequence made.  A step that
names a socket not made yet does nothing in either world, so every list of
steps is a valid sequence and shrinking (dropping steps, simplifying
arguments) always yields another.
"""

from __future__ import annotations

import struct

from hypothesis import strategies as st

from lab.engine.executor import Step
from lab.engine.families import Family, Option

MAX_STEPS = 14
HANDLES = st.integers(0, 3)
SIZES = st.sampled_from((10, 1, 4, 100, 0))
TIMEOUTS = st.sampled_from((None, 0.0, 0.02))
ANCBUFSIZES = st.sampled_from((0, 64, 1024, 8))


def _option_settings(option: Option) -> st.SearchStrategy[Step]:
    forms: list = []
    for value in option.values:
        if isinstance(value, int):
            forms += [value, struct.pack("i", value)]
        elif isinstance(value, bytes):
            forms.append(value)
        else:
            forms.append(1)  # a get-only option: setting it must fail alike
    forms.append(("none", 4))
    return st.builds(lambda h, v: ("setsockopt", h, option.level, option.name, v),
                     HANDLES, st.sampled_from(forms))


def _option_reads(option: Option) -> st.SearchStrategy[Step]:
    return st.builds(lambda h, b: ("getsockopt", h, option.level, option.name, b),
                     HANDLES, st.sampled_from((None, option.buflen)))


def _receives(family: Family, handle: st.SearchStrategy[int]) -> st.SearchStrategy[Step]:
    flags = st.sampled_from(("",) + family.recv_flags)
    return st.one_of(
        st.builds(lambda h, n, f: ("recv", h, n, f), handle, SIZES, flags),
        st.builds(lambda h, n, f: ("recvfrom", h, n, f), handle, SIZES, flags),
        st.builds(lambda h, n, f: ("recv_into", h, n, f), handle, SIZES, flags),
        st.builds(lambda h, n, f: ("recvfrom_into", h, n, f), handle, SIZES, flags),
        st.builds(lambda h, n, a, f: ("recvmsg", h, n, a, f), handle, SIZES, ANCBUFSIZES, flags),
        st.builds(lambda h, s, a, f: ("recvmsg_into", h, s, a, f), handle,
                  st.sampled_from(((4, 6), (10,), (1, 1, 100))), ANCBUFSIZES, flags),
        st.builds(lambda h, n: ("makefile_read", h, n), handle, SIZES),
    )


def _peer_actions(family: Family) -> st.SearchStrategy[tuple]:
    action = st.one_of(
        st.builds(lambda d: ("send", d), st.sampled_from(family.payloads)),
        st.just(("shutdown",)),
    )
    return st.lists(action, min_size=1, max_size=3).map(tuple)


def _receive_during(family: Family) -> st.SearchStrategy[Step]:
    @st.composite
    def build(draw: st.DrawFn) -> Step:
        handle = draw(HANDLES)
        return ("recv_during", handle, draw(_receives(family, st.just(handle))), draw(HANDLES),
                draw(_peer_actions(family)))
    return build()


def _gc_during(family: Family) -> st.SearchStrategy[Step]:
    finaliser = st.tuples(st.sampled_from(("recv", "recvmsg")), SIZES)
    return st.builds(lambda r, o, f: ("gc_during", r, o, f), _receives(family, HANDLES), HANDLES, finaliser)


def _making(family: Family) -> list[st.SearchStrategy[Step]]:
    kinds = st.integers(0, len(family.kinds) - 1)
    made = [
        st.builds(lambda k: ("socket", k), kinds),
        st.builds(lambda h: ("dup", h), HANDLES),
        st.builds(lambda h: ("fromfd", h), HANDLES),
        st.builds(lambda h: ("alias", h), HANDLES),
    ]
    if family.pairs:
        made += [st.builds(lambda k: ("socketpair", k), kinds)] * 2
    if family.loopback is not None:
        made += [st.builds(lambda k: ("connected_pair", k), kinds)] * 2
    return made


def _address(family: Family) -> st.SearchStrategy:
    """Mostly the family's own addresses; now and then another socket's."""
    literal = st.sampled_from(family.addresses)
    return st.one_of(literal, literal, literal, st.builds(lambda h: ("name_of", h), HANDLES))


def _addressing(family: Family) -> list[st.SearchStrategy[Step]]:
    address = _address(family)
    steps = [
        st.builds(lambda h, a: ("bind", h, a), HANDLES, address),
        st.builds(lambda h, a: ("connect", h, a), HANDLES, address),
        st.builds(lambda h, a: ("connect_ex", h, a), HANDLES, address),
        st.builds(lambda h: ("getsockname", h), HANDLES),
        st.builds(lambda h: ("getpeername", h), HANDLES),
    ]
    if family.listens:
        steps += [st.builds(lambda h, b: ("listen", h, b), HANDLES, st.sampled_from((1, 0, -1))),
                  st.builds(lambda h: ("accept", h), HANDLES)]
    return steps


def _sending(family: Family) -> list[st.SearchStrategy[Step]]:
    payload = st.sampled_from(family.payloads)
    flags = st.sampled_from(("",) + family.send_flags)
    address = _address(family)
    ancillary = st.lists(st.sampled_from(family.ancillary), max_size=2).map(tuple) if family.ancillary \
        else st.just(())
    return [
        st.builds(lambda h, d, f: ("send", h, d, f), HANDLES, payload, flags),
        st.builds(lambda h, d, f: ("send", h, d, f), HANDLES, payload, flags),
        st.builds(lambda h, d, f: ("sendall", h, d, f), HANDLES, payload, flags),
        st.builds(lambda h, d, f, a: ("sendto", h, d, f, a), HANDLES, payload, flags, address),
        st.builds(lambda h, p, c, f, a: ("sendmsg", h, p, c, f, a), HANDLES,
                  st.lists(payload, max_size=3).map(tuple), ancillary, flags, st.one_of(st.none(), address)),
        st.builds(lambda h, d: ("makefile_write", h, d), HANDLES, payload),
    ]


def _configuring(family: Family) -> list[st.SearchStrategy[Step]]:
    # An option first, then its value: a flat choice among every option's
    # every form would make option steps most of every sequence.
    options = st.sampled_from(family.options)
    return [
        options.flatmap(_option_settings),
        options.flatmap(_option_settings),
        options.flatmap(_option_reads),
        st.builds(lambda h, t: ("settimeout", h, t), HANDLES, TIMEOUTS),
        st.builds(lambda h, b: ("setblocking", h, b), HANDLES, st.booleans()),
    ]


def _ending() -> list[st.SearchStrategy[Step]]:
    return [
        st.builds(lambda h, w: ("shutdown", h, w), HANDLES, st.sampled_from((0, 1, 2, 5))),
        st.builds(lambda h: ("close", h), HANDLES),
        st.builds(lambda h: ("close_in_thread", h), HANDLES),
        st.builds(lambda h: ("detach", h), HANDLES),
    ]


# How often each kind of step is drawn (hypothesis would otherwise choose
# among the flattened alternatives, so the kinds with most variants win).
WEIGHTS = {"making": 2, "addressing": 3, "sending": 4, "configuring": 3, "receiving": 4, "during": 1,
           "ending": 1}


def step(family: Family) -> st.SearchStrategy[Step]:
    kinds = {
        "making": st.one_of(*_making(family)),
        "addressing": st.one_of(*_addressing(family)),
        "sending": st.one_of(*_sending(family)),
        "configuring": st.one_of(*_configuring(family)),
        "receiving": _receives(family, HANDLES),
        "during": st.one_of(_receive_during(family), _gc_during(family)),
        "ending": st.one_of(*_ending()),
    }
    weighted = [kind for kind, weight in WEIGHTS.items() for _ in range(weight)]
    return st.sampled_from(weighted).flatmap(kinds.__getitem__)


def sequences(family: Family) -> st.SearchStrategy[list[Step]]:
    """A sequence starts by making sockets from nothing; then anything goes."""
    opening = st.lists(st.one_of(*_making(family)[:1], *_making(family)[4:]), min_size=1, max_size=2)
    rest = st.lists(step(family), min_size=2, max_size=MAX_STEPS)
    return st.builds(lambda first, then: first + then, opening, rest)
