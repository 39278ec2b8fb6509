"""socket.sendfile(): os.sendfile() when the file allows it, send() if not.

Both strategies leave the file position just past the last byte sent, so a
caller can tell from file.tell() how far a failed transfer got.
"""

from __future__ import annotations

import io
import math
import os
import select

from ._sockimpl import SOCK_STREAM

# typing costs milliseconds to import and only annotations need it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# os.sendfile() counts in ssize_t; a larger block only risks OverflowError.
_MAX_SENDFILE_BLOCK = 2**30
_SEND_BLOCK = 8192


class GiveUpOnSendfile(Exception):
    """os.sendfile() cannot serve this file: fall back to send()."""


def check_arguments(sock: Any, file: Any, count: Any) -> None:
    if "b" not in getattr(file, "mode", "b"):
        raise ValueError("file should be opened in binary mode")
    # The stdlib tests `type & SOCK_STREAM`, which lets SOCK_RAW and
    # SOCK_SEQPACKET through and splits the file into datagrams of arbitrary
    # size; the documented contract is SOCK_STREAM only.
    if sock.type != SOCK_STREAM:
        raise ValueError("only SOCK_STREAM type sockets are supported")
    if count is not None:
        if not isinstance(count, int):
            raise TypeError(f"count must be a positive integer (got {count!r})")
        if count <= 0:
            raise ValueError(f"count must be a positive integer (got {count!r})")


def _timeout_of(sock: Any) -> float | None:
    timeout = sock.gettimeout()
    if timeout == 0:
        raise ValueError("non-blocking sockets are not supported")
    return timeout


def _poll_timeout_ms(timeout: float | None) -> int | None:
    # Round up: a wait shorter than asked for would report a false timeout.
    return None if timeout is None else math.ceil(timeout * 1000)


def _file_descriptor_and_size(file: Any) -> tuple[int, int]:
    try:
        fileno = file.fileno()
    except (AttributeError, io.UnsupportedOperation) as exc:
        raise GiveUpOnSendfile(exc) from exc
    try:
        return fileno, os.fstat(fileno).st_size
    except OSError as exc:
        raise GiveUpOnSendfile(exc) from exc


def with_sendfile(sock: Any, file: Any, offset: int, count: int | None) -> int:
    """Transfer with os.sendfile(); GiveUpOnSendfile before any byte went."""
    check_arguments(sock, file, count)
    sockno = sock.fileno()
    fileno, size = _file_descriptor_and_size(file)
    if not size:
        return 0
    timeout = _timeout_of(sock)
    wait_ms = _poll_timeout_ms(timeout)
    block = min(count or size, _MAX_SENDFILE_BLOCK)
    poller = select.poll()
    poller.register(sockno, select.POLLOUT)
    total = 0
    try:
        while True:
            # The timeout bounds each wait for buffer space, as for send().
            if timeout and not poller.poll(wait_ms):
                raise TimeoutError("timed out")
            if count:
                block = min(count - total, block)
                if block <= 0:
                    break
            try:
                sent = os.sendfile(sockno, fileno, offset, block)
            except BlockingIOError:
                if not timeout:
                    poller.poll()
                continue
            except OSError as exc:
                if total == 0:
                    raise GiveUpOnSendfile(exc) from exc
                raise exc from None
            if sent == 0:
                break
            offset += sent
            total += sent
        return total
    finally:
        if total > 0 and hasattr(file, "seek"):
            file.seek(offset)


def with_send(sock: Any, file: Any, offset: int, count: int | None) -> int:
    """Transfer by reading the file and calling sock.send()."""
    check_arguments(sock, file, count)
    _timeout_of(sock)
    if offset:
        file.seek(offset)
    block = min(count, _SEND_BLOCK) if count else _SEND_BLOCK
    total = 0
    try:
        while True:
            if count:
                block = min(count - total, block)
                if block <= 0:
                    break
            data = memoryview(file.read(block))
            if not data:
                break
            # Count each send as it happens: if a later one fails, the file
            # position must still account for what went out.
            while data:
                try:
                    sent = sock.send(data)
                except BlockingIOError:
                    continue
                total += sent
                data = data[sent:]
        return total
    finally:
        if total > 0 and hasattr(file, "seek"):
            file.seek(offset + total)
