"""Hypothesis strategies for a family's sequences of steps.

Handles are small numbers: the n-th socket the sequence made.  A step that
names a socket not made yet does nothing in either world, so every list of
steps is a valid sequence and shrinking (dropping steps, simplifying
arguments) always yields another.

Each sequence is drawn as a swarm: half of them first narrow what they may
use — a few kinds of step (sending and receiving always among them), one or
two kinds of socket, one to three handles, options, payloads, flags and
sizes — then draw their steps from that alone.  A bug shows only when a few
steps meet on the same sockets (the low-water mark set on one end, a byte
sent from the other, a blocking receive); drawing every step from
everything makes such meetings rare, a narrow swarm makes them common, and
the wide half still covers the mixes.

Half of the sequences (from a swarm all the same) are steered by a model of
what the sequence has done so far (`Model`): which handles name one socket, which sockets talk
to each other, which have data waiting.  Each of their steps is, as often as
not, one that meets an earlier one: data sent to a socket that has a peer,
a receive on a socket with data waiting, an option or a timeout set on a
socket that data will reach, a garbage collection that receives on one
waiting socket in the middle of a receive on another.  The model is a
guess made while drawing (the worlds are the truth: a step it thought would
work may fail alike in both); it only makes such meetings common.
"""

from __future__ import annotations

import dataclasses
import struct

from hypothesis import strategies as st

from lab.engine.executor import Step
from lab.engine.families import Family, Option

MAX_STEPS = 14
HANDLES = st.integers(0, 3)  # every handle a sequence may name
TIMEOUTS = st.sampled_from((None, 0.0, 0.02))
ANCBUFSIZES = st.sampled_from((0, 64, 1024, 8))


Handles = st.SearchStrategy[int]


def _option_settings(option: Option, handles: Handles) -> st.SearchStrategy[Step]:
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
                     handles, st.sampled_from(forms))


def _option_reads(option: Option, handles: Handles) -> st.SearchStrategy[Step]:
    return st.builds(lambda h, b: ("getsockopt", h, option.level, option.name, b),
                     handles, st.sampled_from((None, option.buflen)))


def _receives(family: Family, handle: st.SearchStrategy[int]) -> st.SearchStrategy[Step]:
    flags = st.sampled_from(("",) + family.recv_flags)
    sizes = st.sampled_from(family.sizes)
    return st.one_of(
        st.builds(lambda h, n, f: ("recv", h, n, f), handle, sizes, flags),
        st.builds(lambda h, n, f: ("recvfrom", h, n, f), handle, sizes, flags),
        st.builds(lambda h, n, f: ("recv_into", h, n, f), handle, sizes, flags),
        st.builds(lambda h, n, f: ("recvfrom_into", h, n, f), handle, sizes, flags),
        st.builds(lambda h, n, a, f: ("recvmsg", h, n, a, f), handle, sizes, ANCBUFSIZES, flags),
        st.builds(lambda h, s, a, f: ("recvmsg_into", h, s, a, f), handle,
                  st.sampled_from(((4, 6), (10,), (1, 1, 100))), ANCBUFSIZES, flags),
        st.builds(lambda h, n: ("makefile_read", h, n), handle, sizes),
    )


def _peer_actions(family: Family) -> st.SearchStrategy[tuple]:
    action = st.one_of(
        st.builds(lambda d: ("send", d), st.sampled_from(family.payloads)),
        st.just(("shutdown",)),
    )
    return st.lists(action, min_size=1, max_size=3).map(tuple)


def _receive_during(family: Family, handles: Handles) -> st.SearchStrategy[Step]:
    @st.composite
    def build(draw: st.DrawFn) -> Step:
        handle = draw(handles)
        return ("recv_during", handle, draw(_receives(family, st.just(handle))), draw(handles),
                draw(_peer_actions(family)))
    return build()


def _finaliser(family: Family) -> st.SearchStrategy[tuple]:
    """What a `gc_during` finaliser does: ("recv" or "recvmsg", size)."""
    return st.tuples(st.sampled_from(("recv", "recvmsg")), st.sampled_from(family.sizes))


def _gc_during(family: Family, handles: Handles) -> st.SearchStrategy[Step]:
    finaliser = _finaliser(family)

    @st.composite
    def build(draw: st.DrawFn) -> Step:
        receive = draw(_receives(family, handles))
        # Half the time the finaliser's socket is the receiver's peer (a pair
        # is made as two handles in a row: 0 and 1, 2 and 3), where data
        # waits whenever the sequence sent both ways.
        other = draw(st.one_of(handles, st.just(receive[1] ^ 1)))
        return ("gc_during", receive, other, draw(finaliser))
    return build()


def _making(family: Family, handles: Handles = HANDLES, kinds: st.SearchStrategy[int] | None = None
            ) -> list[st.SearchStrategy[Step]]:
    kinds = st.integers(0, len(family.kinds) - 1) if kinds is None else kinds
    made = [
        st.builds(lambda k: ("socket", k), kinds),
        st.builds(lambda h: ("dup", h), handles),
        st.builds(lambda h: ("fromfd", h), handles),
        st.builds(lambda h: ("alias", h), handles),
    ]
    if family.pairs:
        made += [st.builds(lambda k: ("socketpair", k), kinds)] * 2
    if family.loopback is not None:
        made += [st.builds(lambda k: ("connected_pair", k), kinds)] * 2
    if family.bound_pairs:
        paired = st.sampled_from([kind for kind, _, _ in family.bound_pairs])
        made += [st.builds(lambda k: ("bound_pair", k), paired)] * 2
    return made


def _address(family: Family, handles: Handles) -> st.SearchStrategy:
    """Mostly the family's own addresses; now and then another socket's."""
    literal = st.sampled_from(family.addresses)
    return st.one_of(literal, literal, literal, st.builds(lambda h: ("name_of", h), handles))


def _addressing(family: Family, handles: Handles) -> list[st.SearchStrategy[Step]]:
    address = _address(family, handles)
    steps = [
        st.builds(lambda h, a: ("bind", h, a), handles, address),
        st.builds(lambda h: ("getsockname", h), handles),
        st.builds(lambda h: ("getpeername", h), handles),
    ]
    if family.connects:
        steps += [st.builds(lambda h, a: ("connect", h, a), handles, address),
                  st.builds(lambda h, a: ("connect_ex", h, a), handles, address)]
    if family.listens:
        steps += [st.builds(lambda h, b: ("listen", h, b), handles, st.sampled_from((1, 0, -1))),
                  st.builds(lambda h: ("accept", h), handles)]
    return steps


def _sending(family: Family, handles: Handles) -> list[st.SearchStrategy[Step]]:
    payload = st.sampled_from(family.payloads)
    flags = st.sampled_from(("",) + family.send_flags)
    address = _address(family, handles)
    ancillary = st.lists(st.sampled_from(family.ancillary), max_size=2).map(tuple) if family.ancillary \
        else st.just(())
    return [
        st.builds(lambda h, d, f: ("send", h, d, f), handles, payload, flags),
        st.builds(lambda h, d, r: ("exchange", h, d, r), handles, payload, _receives(family, handles)),
        st.builds(lambda h, d, r: ("exchange", h, d, r), handles, payload, _receives(family, handles)),
        st.builds(lambda h, d, f: ("sendall", h, d, f), handles, payload, flags),
        st.builds(lambda h, d, f, a: ("sendto", h, d, f, a), handles, payload, flags, address),
        st.builds(lambda h, p, c, f, a: ("sendmsg", h, p, c, f, a), handles,
                  st.lists(payload, max_size=3).map(tuple), ancillary, flags, st.one_of(st.none(), address)),
        st.builds(lambda h, d: ("makefile_write", h, d), handles, payload),
    ]


def _configuring(family: Family, handles: Handles, chosen: tuple[Option, ...] = ()
                 ) -> list[st.SearchStrategy[Step]]:
    # An option first, then its value: a flat choice among every option's
    # every form would make option steps most of every sequence.
    options = st.sampled_from(chosen or family.options)
    return [
        options.flatmap(lambda option: _option_settings(option, handles)),
        options.flatmap(lambda option: _option_settings(option, handles)),
        options.flatmap(lambda option: _option_reads(option, handles)),
        st.builds(lambda h, t: ("settimeout", h, t), handles, TIMEOUTS),
        st.builds(lambda h, b: ("setblocking", h, b), handles, st.booleans()),
    ]


def _ending(handles: Handles) -> list[st.SearchStrategy[Step]]:
    return [
        st.builds(lambda h, w: ("shutdown", h, w), handles, st.sampled_from((0, 1, 2, 5))),
        st.builds(lambda h: ("close", h), handles),
        st.builds(lambda h: ("close_in_thread", h), handles),
        st.builds(lambda h: ("detach", h), handles),
    ]


# How often each kind of step is drawn (hypothesis would otherwise choose
# among the flattened alternatives, so the kinds with most variants win).
WEIGHTS = {"making": 2, "addressing": 3, "sending": 4, "configuring": 3, "receiving": 4, "during": 1,
           "ending": 1}


def step(family: Family, handles: Handles = HANDLES, kinds: tuple[str, ...] = tuple(WEIGHTS),
         options: tuple[Option, ...] = (), socket_kinds: st.SearchStrategy[int] | None = None
         ) -> st.SearchStrategy[Step]:
    """One step of the given kinds, naming the given handles (and setting
    and reading the given options, making the given kinds of socket;
    default every one)."""
    strategies = {
        "making": lambda: st.one_of(*_making(family, handles, socket_kinds)),
        "addressing": lambda: st.one_of(*_addressing(family, handles)),
        "sending": lambda: st.one_of(*_sending(family, handles)),
        "configuring": lambda: st.one_of(*_configuring(family, handles, options)),
        "receiving": lambda: _receives(family, handles),
        "during": lambda: st.one_of(_receive_during(family, handles), _gc_during(family, handles)),
        "ending": lambda: st.one_of(*_ending(handles)),
    }
    built = {kind: strategies[kind]() for kind in kinds}
    weighted = [kind for kind in kinds for _ in range(WEIGHTS[kind])]
    return st.sampled_from(weighted).flatmap(built.__getitem__)


# The kinds every narrow swarm keeps: traffic is what sockets are for.
TRAFFIC = ("making", "sending", "receiving")


def _some(draw: st.DrawFn, values: tuple, most: int, least: int = 1) -> tuple:
    """A few of `values`, in their order (all of them when there are few)."""
    if len(values) <= least:
        return values
    chosen = draw(st.lists(st.sampled_from(range(len(values))), min_size=least, max_size=most, unique=True))
    return tuple(values[i] for i in sorted(chosen))


@dataclasses.dataclass(frozen=True)
class Swarm:
    """What one sequence draws from: its opening, its set-up steps, the rest;
    and the family as narrowed, with the kinds of socket it makes, for the
    steps a model steers."""

    opening: st.SearchStrategy[Step]
    setting_up: st.SearchStrategy[Step]
    anything: st.SearchStrategy[Step]
    family: Family
    socket_kinds: st.SearchStrategy[int] | None = None


@st.composite
def _swarm(draw: st.DrawFn, family: Family) -> Swarm:
    """All of the family, or a narrow part of it (see the module's doc)."""
    if draw(st.booleans()):
        made = _making(family)
        return Swarm(st.one_of(made[0], *made[4:]), st.one_of(*_configuring(family, HANDLES)), step(family),
                     family)
    narrow = dataclasses.replace(
        family,
        options=_some(draw, family.options, 2),
        payloads=_some(draw, family.payloads, 2),
        sizes=_some(draw, family.sizes, 2),
        send_flags=_some(draw, family.send_flags, 1, least=0),
        recv_flags=_some(draw, family.recv_flags, 1, least=0),
    )
    others = [kind for kind in WEIGHTS if kind not in TRAFFIC]
    kinds = TRAFFIC + tuple(draw(st.lists(st.sampled_from(others), max_size=3, unique=True)))
    # Sockets made together talk to each other: often the focus is two
    # made one after the other (a socketpair, a client and its accepted end).
    if draw(st.booleans()):
        first = draw(st.integers(0, 2))
        focus = st.sampled_from((first, first + 1))
    else:
        focus = st.sampled_from(sorted(draw(st.lists(HANDLES, min_size=1, max_size=3, unique=True))))
    socket_kinds = st.sampled_from(_some(draw, tuple(range(len(family.kinds))), 2))
    made = _making(narrow, focus, socket_kinds)
    return Swarm(st.one_of(made[0], *made[4:]), st.one_of(*_configuring(narrow, focus, narrow.options)),
                 step(narrow, focus, tuple(k for k in WEIGHTS if k in kinds), narrow.options, socket_kinds),
                 narrow, socket_kinds)


NO_SOCKET = -1  # what a handle not made yet names, in the model
SENDS = ("send", "sendall", "sendto", "sendmsg", "makefile_write")
RECEIVES = ("recv", "recvfrom", "recv_into", "recvfrom_into", "recvmsg", "recvmsg_into", "makefile_read")


@dataclasses.dataclass
class Model:
    """What a sequence has most likely done so far, as far as steering the
    next step needs: the socket each handle names (a dup, `fromfd` or
    `fileno=` names the same one), which sockets are the two ends of one
    conversation, and which have data waiting.  A guess: a step it counts as
    done may fail alike in both worlds."""

    family: Family
    sockets: list[int] = dataclasses.field(default_factory=list)  # handle -> socket
    peers: dict[int, int] = dataclasses.field(default_factory=dict)
    waiting: set[int] = dataclasses.field(default_factory=set)

    def after(self, step: Step) -> None:
        op = step[0]
        if op == "socket":
            self._make(1)
        elif op in ("socketpair", "bound_pair", "connected_pair"):
            # A stream's connected pair is three: the listener, then the two ends.
            stream = self.family.kinds[step[1] % len(self.family.kinds)][1] == "SOCK_STREAM"
            ends = self._make(3 if op == "connected_pair" and stream else 2)[-2:]
            self.peers.update({ends[0]: ends[1], ends[1]: ends[0]})
        elif op in ("dup", "fromfd", "alias") and self._socket(step[1]) != NO_SOCKET:
            self.sockets.append(self.sockets[step[1]])
        elif op in SENDS or op == "exchange":
            data = step[2] if isinstance(step[2], bytes) else b"".join(step[2])
            peer = self.peers.get(self._socket(step[1]))
            if data and peer is not None:
                self.waiting.add(peer)
            if op == "exchange":
                self.after(step[3])
        elif op in RECEIVES and "MSG_PEEK" not in step:
            self.waiting.discard(self._socket(step[1]))
        elif op == "recv_during":
            self.after(step[2])
        elif op == "gc_during":
            self.after(step[1])
            self.waiting.discard(self._socket(step[2]))

    def linked(self) -> list[int]:
        """The handles of sockets with a peer."""
        return [h for h, sock in enumerate(self.sockets) if sock in self.peers]

    def with_data(self) -> list[int]:
        return [h for h, sock in enumerate(self.sockets) if sock in self.waiting]

    def handle_of_peer(self, handle: int) -> int:
        return self.sockets.index(self.peers[self.sockets[handle]])

    def same_socket(self, handle: int) -> list[int]:
        """The handles that name the socket `handle` names."""
        return [h for h, sock in enumerate(self.sockets) if sock == self.sockets[handle]]

    def _make(self, count: int) -> list[int]:
        made = [len(set(self.sockets)) + n for n in range(count)]
        self.sockets += made
        return made

    def _socket(self, handle: int) -> int:
        return self.sockets[handle] if 0 <= handle < len(self.sockets) else NO_SOCKET


COLLECTION_BETWEEN_WAITING = "receive on one waiting socket in a collection during a receive on another"
MEETING_WEIGHTS = {COLLECTION_BETWEEN_WAITING: 4}


def _one(strategy: st.SearchStrategy[Step]) -> st.SearchStrategy[list[Step]]:
    return strategy.map(lambda step: [step])


def _meetings(family: Family, receiving: tuple[Option, ...], model: Model
              ) -> dict[str, st.SearchStrategy[list[Step]]]:
    """The steps that meet what the sequence did before, by kind, as the
    model has it (none: only the swarm's steps are drawn)."""
    meetings: dict[str, st.SearchStrategy[list[Step]]] = {}
    linked, with_data = model.linked(), model.with_data()
    if linked:
        ends = st.sampled_from(linked)
        meetings["send to a peer"] = ends.flatmap(lambda h: _one(st.one_of(*_sending(family, st.just(h)))))
        meetings["send both ways"] = ends.flatmap(lambda h: st.builds(
            lambda there, back: [there, back], _sending(family, st.just(h))[0],
            _sending(family, st.just(model.handle_of_peer(h)))[0]))
        meetings["set up an end"] = ends.flatmap(
            lambda h: _one(st.one_of(*_configuring(family, st.just(h), family.options))))
        meetings["another descriptor of an end"] = ends.flatmap(
            lambda h: _one(st.sampled_from((("dup", h), ("fromfd", h), ("alias", h)))))
        meetings["receive while the peer acts"] = ends.flatmap(lambda h: _one(st.builds(
            lambda receive, actions: ("recv_during", h, receive, model.handle_of_peer(h), actions),
            _receives(family, st.just(h)), _peer_actions(family))))
        # An option that shapes receiving, set on an end (or another
        # descriptor of its socket), then a conversation with that end.
        options = st.sampled_from(receiving).flatmap(lambda option: _option_settings(option, ends))
        meetings["a conversation under a receiving option"] = options.flatmap(lambda setting: st.builds(
            lambda send, receive: [setting, send, receive],
            _sending(family, st.just(model.handle_of_peer(setting[1])))[0],
            _receives(family, st.sampled_from(model.same_socket(setting[1])))))
    if with_data:
        meetings["receive what waits"] = st.sampled_from(with_data).flatmap(
            lambda h: _one(_receives(family, st.just(h))))
    if len({model.sockets[h] for h in with_data}) >= 2:
        finaliser = _finaliser(family)
        meetings[COLLECTION_BETWEEN_WAITING] = \
            st.sampled_from(with_data).flatmap(lambda h: _one(st.builds(
                lambda receive, other, f: ("gc_during", receive, other, f), _receives(family, st.just(h)),
                st.sampled_from([o for o in with_data if model.sockets[o] != model.sockets[h]]), finaliser)))
    return meetings


def _steered(swarm: Swarm, whole: Family) -> st.SearchStrategy[list[Step]]:
    """A sequence whose steps meet each other as often as not (see Model):
    the swarm's family (narrowed or not), with every option of the whole
    family that shapes receiving."""
    family = swarm.family
    made = _making(family, kinds=swarm.socket_kinds)
    pairing = st.one_of(*made[4:]) if len(made) > 4 else made[0]
    receiving = tuple(option for option in whole.options if option.receiving) or whole.options

    @st.composite
    def build(draw: st.DrawFn) -> list[Step]:
        model = Model(family)
        steps = [draw(pairing)]
        model.after(steps[0])
        length = draw(st.integers(3, MAX_STEPS))
        while len(steps) < length:
            meetings = _meetings(family, receiving, model)
            # A meeting the sequence took steps to make possible is drawn
            # most often while it is: it may not be again.
            kind = draw(st.sampled_from([kind for kind in (*sorted(meetings), "any")
                                         for _ in range(MEETING_WEIGHTS.get(kind, 1))]))
            for step in draw(meetings[kind]) if kind in meetings else [draw(swarm.anything)]:
                steps.append(step)
                model.after(step)
        return steps
    return build()


def sequences(family: Family) -> st.SearchStrategy[list[Step]]:
    """A sequence makes sockets from nothing, sets some up, then does
    anything its swarm allows."""

    def body(swarm: Swarm) -> st.SearchStrategy[list[Step]]:
        return st.builds(lambda first, second, then: first + second + then,
                         st.lists(swarm.opening, min_size=1, max_size=2), st.lists(swarm.setting_up, max_size=3),
                         st.lists(swarm.anything, min_size=2, max_size=MAX_STEPS))

    def either(swarm: Swarm) -> st.SearchStrategy[list[Step]]:
        return st.one_of(body(swarm), _steered(swarm, family))

    return _swarm(family).flatmap(either)
