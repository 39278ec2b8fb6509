"""socket.sendfile(): whole files, slices, non-regular files, and the
arguments and sockets it refuses."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from differential import agree

import sockimpl

CONTENT = bytes(range(256)) * 1024 + b"tail"


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "payload.bin"
    path.write_bytes(CONTENT)
    return path


class Drain:
    """Reads a socket to end of stream in a thread, so large transfers
    cannot fill the buffer and block the sender."""

    def __init__(self, sock: Any) -> None:
        self.received = bytearray()
        self._sock = sock
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while chunk := self._sock.recv(65536):
            self.received += chunk

    def result(self) -> bytes:
        self._thread.join(10)
        return bytes(self.received)


def transfer(m: Any, file: Any, **kwargs: Any) -> tuple[int, bytes, int]:
    """sendfile(file, **kwargs) over a stream pair: (returned, received,
    file position afterwards)."""
    sender, receiver = m.socketpair()
    with sender, receiver:
        drain = Drain(receiver)
        sent = sender.sendfile(file, **kwargs)
        sender.shutdown(m.SHUT_WR)
        return sent, drain.result(), file.tell()


# --- what gets sent -----------------------------------------------------------


def test_sends_a_whole_regular_file(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with data_file.open("rb") as f:
            sent, received, position = transfer(m, f)
            return sent, received == CONTENT, position

    agree(scenario)


def test_sends_from_offset_to_end(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with data_file.open("rb") as f:
            sent, received, position = transfer(m, f, offset=1000)
            return sent, received == CONTENT[1000:], position

    agree(scenario)


def test_sends_count_bytes(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with data_file.open("rb") as f:
            return transfer(m, f, count=300)

    agree(scenario)


def test_sends_count_bytes_from_offset(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with data_file.open("rb") as f:
            return transfer(m, f, offset=70000, count=5000)

    agree(scenario)


def test_count_beyond_end_of_file_stops_at_the_end(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with data_file.open("rb") as f:
            sent, received, position = transfer(m, f, offset=len(CONTENT) - 10, count=500)
            return sent, received, position

    agree(scenario)


def test_empty_file_sends_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_bytes(b"")

    def scenario(m: Any) -> Any:
        with empty.open("rb") as f:
            return transfer(m, f)

    agree(scenario)


def test_file_without_descriptor_is_sent_with_send() -> None:
    def scenario(m: Any) -> Any:
        buffer = io.BytesIO(CONTENT)
        sent, received, position = transfer(m, buffer, offset=10, count=100000)
        return sent, received == CONTENT[10:100010], position

    agree(scenario)


def test_socket_with_timeout_is_accepted(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair()
        with sender, receiver, data_file.open("rb") as f:
            sender.settimeout(5)
            drain = Drain(receiver)
            sent = sender.sendfile(f)
            sender.shutdown(m.SHUT_WR)
            return sent, drain.result() == CONTENT

    agree(scenario)


def test_sends_over_tcp(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        with (
            m.create_server(("127.0.0.1", 0)) as server,
            m.create_connection(server.getsockname()) as client,
            data_file.open("rb") as f,
        ):
            conn, _ = server.accept()
            with conn:
                drain = Drain(conn)
                sent = client.sendfile(f, count=100000)
                client.shutdown(m.SHUT_WR)
                return sent, drain.result() == CONTENT[:100000]

    agree(scenario)


# --- what is refused ------------------------------------------------------------


def test_nonblocking_socket_is_refused(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair()
        with sender, receiver, data_file.open("rb") as f:
            sender.setblocking(False)
            return sender.sendfile(f)

    assert agree(scenario).error == "ValueError"


def test_nonblocking_socket_is_refused_for_non_regular_files() -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair()
        with sender, receiver:
            sender.setblocking(False)
            return sender.sendfile(io.BytesIO(b"data"))

    assert agree(scenario).error == "ValueError"


def test_text_file_is_refused(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair()
        with sender, receiver, data_file.open("r", encoding="latin-1") as f:
            return sender.sendfile(f)

    assert agree(scenario).error == "ValueError"


def test_datagram_socket_is_refused(data_file: Path) -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
        with sender, receiver, data_file.open("rb") as f:
            return sender.sendfile(f)

    assert agree(scenario).error == "ValueError"


@pytest.mark.parametrize(
    ("count", "error"),
    [(0, "ValueError"), (-5, "ValueError"), ("10", "TypeError"), (2.5, "TypeError")],
)
def test_count_must_be_a_positive_integer(data_file: Path, count: Any, error: str) -> None:
    def scenario(m: Any) -> Any:
        sender, receiver = m.socketpair()
        with sender, receiver, data_file.open("rb") as f:
            return sender.sendfile(f, count=count)

    assert agree(scenario).error == error


def test_seqpacket_socket_is_refused(data_file: Path) -> None:
    """Deliberately differs: the stdlib tests `type & SOCK_STREAM`, so a
    SOCK_SEQPACKET socket (5 & 1) passes and the file arrives split into
    records of whatever size each send produced.  sendfile() is documented
    for SOCK_STREAM only; sockimpl refuses the others."""
    sender, receiver = sockimpl.socketpair(sockimpl.AF_UNIX, sockimpl.SOCK_SEQPACKET)
    with sender, receiver, data_file.open("rb") as f, pytest.raises(ValueError):
        sender.sendfile(f)
