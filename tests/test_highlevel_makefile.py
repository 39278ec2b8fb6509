"""socket.makefile() and SocketIO: file objects over a stream socket, and
the close protocol that keeps the socket open while a file uses it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from differential import agree


def stream_pair(m: Any) -> tuple[Any, Any]:
    return m.socketpair(m.AF_UNIX, m.SOCK_STREAM)


# --- reading ------------------------------------------------------------------


def test_binary_readline_splits_at_newlines() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("rb") as reader:
            left.sendall(b"first\nsecond\nthird")
            left.shutdown(m.SHUT_WR)
            return reader.readline(), reader.readline(), reader.readline(), reader.readline()

    agree(scenario)


def test_text_file_iterates_over_lines() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("r", encoding="utf-8") as reader:
            left.sendall("één\ntwee\ndrie\n".encode())
            left.shutdown(m.SHUT_WR)
            return list(reader)

    agree(scenario)


def test_read_all_returns_everything_until_the_peer_shuts_down() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("rb") as reader:
            left.sendall(bytes(range(256)) * 64)
            left.shutdown(m.SHUT_WR)
            data = reader.read()
            return len(data), data[:4], reader.read()

    agree(scenario)


def test_text_newline_none_translates_crlf() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("r", encoding="ascii") as reader:
            left.sendall(b"a\r\nb\rc\n")
            left.shutdown(m.SHUT_WR)
            return reader.read()

    agree(scenario)


def test_text_newline_empty_keeps_line_endings() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("r", encoding="latin-1", newline="") as reader:
            left.sendall(b"caf\xe9\r\nend")
            left.shutdown(m.SHUT_WR)
            return list(reader)

    agree(scenario)


def test_text_decoding_errors_follow_the_errors_argument() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, right.makefile("r", encoding="utf-8", errors="replace") as reader:
            left.sendall(b"ok \xff\xfe done")
            left.shutdown(m.SHUT_WR)
            return reader.read()

    agree(scenario)


def test_read_with_timeout_raises_and_then_refuses_further_reads() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        right.settimeout(0.05)
        with left, right, right.makefile("rb", buffering=0) as raw:
            results = []
            for _ in range(2):
                try:
                    raw.read(10)
                except OSError as exc:
                    results.append((type(exc).__name__, str(exc)))
            return results

    agree(scenario)


def test_unbuffered_read_on_nonblocking_socket_returns_none() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        right.setblocking(False)
        with left, right, right.makefile("rb", buffering=0) as raw:
            return raw.read(10), raw.readinto(bytearray(4))

    agree(scenario)


# --- writing ------------------------------------------------------------------


def test_text_writes_reach_the_peer_on_flush() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("w", encoding="utf-8") as writer:
            writer.write("line one\n")
            writer.write("naïve line two\n")
            writer.flush()
            return right.recv(100)

    agree(scenario)


def test_binary_write_buffers_until_flush() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        right.setblocking(False)
        with left, right, left.makefile("wb") as writer:
            writer.write(b"held back")
            try:
                before = right.recv(100)
            except BlockingIOError:
                before = None
            writer.flush()
            return before, right.recv(100)

    agree(scenario)


def test_unbuffered_write_returns_bytes_sent() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("wb", buffering=0) as raw:
            return raw.write(b"twelve bytes"), right.recv(100)

    agree(scenario)


def test_read_write_file_talks_both_ways() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("rwb") as both:
            both.write(b"question\n")
            both.flush()
            right.sendall(b"answer\n")
            return type(both).__name__, right.recv(100), both.readline()

    agree(scenario)


# --- modes and arguments ----------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "buffering"),
    [("r", None), ("rb", None), ("w", None), ("wb", None), ("rwb", None), ("rb", 0), ("wb", 0)],
)
def test_makefile_mode_selects_the_file_class(mode: str, buffering: int | None) -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            f = left.makefile(mode, buffering, encoding="utf-8" if "b" not in mode else None)
            with f:
                return type(f).__name__, f.mode if hasattr(f, "mode") else None

    agree(scenario)


@pytest.mark.parametrize("mode", ["x", "ra", "r+", "U"])
def test_makefile_rejects_other_modes(mode: str) -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            return left.makefile(mode)

    assert agree(scenario).error == "ValueError"


def test_unbuffered_text_file_is_refused() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            return left.makefile("r", buffering=0)

    assert agree(scenario).error == "ValueError"


def test_explicit_buffer_size_is_used() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("wb", buffering=4) as writer:
            writer.write(b"abcdefgh")
            return right.recv(100)

    agree(scenario)


# --- SocketIO ---------------------------------------------------------------------


def test_socketio_reports_its_capabilities() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("rb", buffering=0) as raw:
            return (
                raw.readable(),
                raw.writable(),
                raw.seekable(),
                raw.name == left.fileno(),
                raw.fileno() == left.fileno(),
                raw.mode,
                isinstance(raw, io.RawIOBase),
            )

    agree(scenario)


def test_socketio_is_a_public_class_of_the_module() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("wb", buffering=0) as raw:
            return type(raw) is m.SocketIO

    assert agree(scenario).value is True


@pytest.mark.parametrize("method", ["readable", "writable", "seekable"])
def test_closed_socketio_capability_queries_raise_value_error(method: str) -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            raw = left.makefile("rb", buffering=0)
            raw.close()
            return getattr(raw, method)()

    assert agree(scenario).error == "ValueError"


def test_closed_socketio_has_name_minus_one_and_no_fileno() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            raw = left.makefile("rb", buffering=0)
            raw.close()
            try:
                raw.fileno()
            except ValueError:
                return raw.name, raw.closed, "fileno refused"
            return raw.name, raw.closed, "fileno answered"

    agree(scenario)


# The stdlib's half-built SocketIO then fails again in its finaliser.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_socketio_constructed_with_bad_mode_raises() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            return m.SocketIO(left, "a")

    assert agree(scenario).error == "ValueError"


def test_writing_a_read_only_socketio_is_unsupported() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right, left.makefile("rb", buffering=0) as raw:
            return raw.write(b"nope")

    assert agree(scenario).error == "UnsupportedOperation"


# --- the close protocol -------------------------------------------------------


def test_socket_stays_usable_by_its_file_after_socket_close() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left:
            reader = right.makefile("rb")
            right.close()
            still_open = right.fileno() != -1
            left.sendall(b"late data\n")
            line = reader.readline()
            reader.close()
            return still_open, line, right.fileno()

    agree(scenario)


def test_closing_the_file_first_leaves_the_socket_open() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            right.makefile("rb").close()
            left.sendall(b"direct")
            return right.fileno() != -1, right._io_refs, right.recv(100)

    agree(scenario)


def test_every_file_must_close_before_the_socket_does() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left:
            first = right.makefile("rb")
            second = right.makefile("wb")
            counted = right._io_refs
            right.close()
            first.close()
            after_first = right.fileno() != -1
            second.close()
            return counted, after_first, right.fileno()

    agree(scenario)


def test_closing_a_file_twice_releases_one_reference() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left, right:
            kept = right.makefile("rb")
            dropped = right.makefile("rb")
            dropped.close()
            dropped.close()
            refs = right._io_refs
            kept.close()
            return refs, right._io_refs

    agree(scenario)


def test_peer_sees_end_of_stream_only_when_file_and_socket_are_closed() -> None:
    def scenario(m: Any) -> Any:
        left, right = stream_pair(m)
        with left:
            writer = right.makefile("wb")
            right.close()
            writer.write(b"last words")
            writer.close()
            return left.recv(100), left.recv(100)

    agree(scenario)
