"""SocketIO: the raw stream under `socket.makefile()`.

io.FileIO cannot stand in for it: it would read the descriptor directly,
ignoring the socket's timeout (a socket with a timeout is non-blocking
underneath, so FileIO would see spurious EAGAIN).  Going through the
socket's own recv_into/send keeps the timeout semantics.
"""

from __future__ import annotations

import errno
import io

# typing costs milliseconds to import and only annotations need it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_WOULD_BLOCK = frozenset({errno.EAGAIN, errno.EWOULDBLOCK})
_RAW_MODES = frozenset({"r", "w", "rw", "rb", "wb", "rwb"})


class SocketIO(io.RawIOBase):
    """Raw I/O on a stream socket.

    Closing it does not close the socket: it hands its reference back with
    `sock._decref_socketios()`, and the socket closes for real once it was
    asked to close and no SocketIO holds it any more.
    """

    # `closed` as a slot: the buffered reader above asks the raw stream
    # whether it is closed on every readline(), and a slot answers without
    # the two dictionary lookups behind IOBase's own `closed`.  close()
    # keeps it in step with IOBase's state.
    __slots__ = ("closed",)

    # Class-level default: when __init__ rejects its mode, the finaliser
    # still calls close(), which must then find no socket to release.
    _sock: Any = None

    def __init__(self, sock: Any, mode: str) -> None:
        self.closed = False
        if mode not in _RAW_MODES:
            raise ValueError(f"invalid mode: {mode!r}")
        super().__init__()
        self._sock = sock
        self._mode = mode if "b" in mode else mode + "b"
        self._reading = "r" in mode
        self._writing = "w" in mode
        # After a timeout the buffered layer above may hold a partial read:
        # refusing further reads beats silently losing that data.
        self._timeout_occurred = False

    def readinto(self, buffer: Any) -> int | None:
        """Read up to len(buffer) bytes; 0 at end of stream, None when a
        non-blocking socket has nothing to read."""
        self._checkClosed()
        self._refuse_unless(self._reading, "readable")
        if self._timeout_occurred:
            raise OSError("cannot read from timed out object")
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:
            self._timeout_occurred = True
            raise
        except OSError as exc:
            if exc.errno in _WOULD_BLOCK:
                return None
            raise

    def write(self, data: Any) -> int | None:
        """Send what the socket takes at once; None when a non-blocking
        socket takes nothing."""
        self._checkClosed()
        self._refuse_unless(self._writing, "writable")
        try:
            return self._sock.send(data)
        except OSError as exc:
            if exc.errno in _WOULD_BLOCK:
                return None
            raise

    def readable(self) -> bool:
        self._raise_if_closed()
        return self._reading

    def writable(self) -> bool:
        self._raise_if_closed()
        return self._writing

    def seekable(self) -> bool:
        self._raise_if_closed()
        return super().seekable()

    def fileno(self) -> int:
        self._checkClosed()
        return self._sock.fileno()

    @property
    def name(self) -> int:
        return -1 if self.closed else self.fileno()

    @property
    def mode(self) -> str:
        return self._mode

    def close(self) -> None:
        if self.closed:
            return
        super().close()
        self.closed = True
        sock, self._sock = self._sock, None
        if sock is not None:
            sock._decref_socketios()

    @staticmethod
    def _refuse_unless(capable: bool, capability: str) -> None:
        if not capable:
            raise io.UnsupportedOperation(f"File or stream is not {capability}.")

    def _raise_if_closed(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
