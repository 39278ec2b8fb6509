"""What the engine's generation believes of a sequence while drawing it,
and that its steered sequences make the meetings it steers toward."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, seed, settings

from lab.engine.families import INET, UNIX
from lab.engine.generate import Model, sequences


def test_the_model_follows_pairs_descriptors_and_waiting_data() -> None:
    model = Model(UNIX)
    for step in [("socketpair", 0), ("send", 0, b"1", ""), ("dup", 1)]:
        model.after(step)
    assert model.linked() == [0, 1, 2]
    assert model.with_data() == [1, 2]  # handle 2 names the socket handle 1 does
    assert model.handle_of_peer(2) == 0
    model.after(("recv", 1, 10, "MSG_PEEK"))
    assert model.with_data() == [1, 2]  # a peek leaves the data waiting
    model.after(("recv", 2, 10, ""))
    assert model.with_data() == []


def test_a_stream_connected_pair_is_a_listener_and_two_ends() -> None:
    model = Model(INET)
    for step in [("connected_pair", 0), ("connected_pair", 1), ("send", 2, b"", "")]:
        model.after(step)
    assert model.linked() == [1, 2, 3, 4]  # the listener, 0, has no peer
    assert model.with_data() == []  # nothing was sent


def test_steered_sequences_often_collect_garbage_between_two_sockets_with_data() -> None:
    drawn: list[list] = []

    @settings(max_examples=150, database=None, deadline=None, phases=(Phase.generate,),
              suppress_health_check=list(HealthCheck))
    @seed(1)
    @given(sequences(UNIX))
    def draw(steps: list) -> None:
        drawn.append(steps)

    draw()

    def both_waiting(steps: list) -> bool:
        model = Model(UNIX)
        for step in steps:
            if step[0] == "gc_during":
                waiting = model.with_data()
                if step[1][1] in waiting and step[2] in waiting:
                    return True
            model.after(step)
        return False

    assert sum(map(both_waiting, drawn)) >= 5  # none in 300 without the steering
