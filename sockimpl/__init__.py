"""sockimpl: a drop-in for the `socket` module (`import sockimpl as socket`).

The C module `sockimpl._sockimpl` plays the part of `_socket`; this package
plays the part of `socket.py`: enums for the constants, the `socket` class
with makefile()/sendfile()/accept()/dup(), and the convenience functions
(create_connection, create_server, socketpair, fromfd, send_fds, ...).

Unlike socket.py, the C socket type already does construction, close(),
detach(), the context manager and the inheritable flag, so the Python class
adds no __init__ or close and socket objects cost no more than C ones.
"""

from __future__ import annotations

import array
import errno as _errno
import io
import itertools
import sys
from enum import IntEnum, IntFlag

from . import _enums, _sendfile, _sockimpl
from ._socketio import SocketIO
from ._sockimpl import *  # re-export every constant and call
from ._sockimpl import (
    AF_INET,
    AF_INET6,
    AF_UNIX,
    CMSG_LEN,
    IPPROTO_IPV6,
    IPV6_V6ONLY,
    SCM_RIGHTS,
    SO_REUSEADDR,
    SO_REUSEPORT,
    SOCK_STREAM,
    SOL_SOCKET,
    dup,
    getdefaulttimeout,
    gethostbyaddr,
    gethostname,
    has_ipv6,
)

# typing costs milliseconds to import and only annotations need it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, NoReturn

EBADF = _errno.EBADF
EAGAIN = _errno.EAGAIN
EWOULDBLOCK = _errno.EWOULDBLOCK

AddressFamily = _enums.convert(IntEnum, "AddressFamily", "AF_", __name__, vars(_sockimpl))
SocketKind = _enums.convert(IntEnum, "SocketKind", "SOCK_", __name__, vars(_sockimpl))
MsgFlag = _enums.convert(IntFlag, "MsgFlag", "MSG_", __name__, vars(_sockimpl))
AddressInfo = _enums.convert(IntFlag, "AddressInfo", "AI_", __name__, vars(_sockimpl))

# From here on the module globals AF_*, SOCK_*, MSG_*, AI_* (those imported
# by name above included) are the enum members: the conversion rebound them.

_FAMILY_MEMBERS = _enums.value_map(AddressFamily)
_KIND_MEMBERS = _enums.value_map(SocketKind)

# The C type's own int-valued descriptors, which the properties below shadow.
_c_family = _sockimpl.socket.family.__get__
_c_type = _sockimpl.socket.type.__get__

_GLOBAL_DEFAULT_TIMEOUT = object()

# Private names of socket.py that code beyond the stdlib (and CPython's own
# test_socket) reaches for: a drop-in has them too.
_socket = _sockimpl
_LOCALHOST = "127.0.0.1"
_LOCALHOST_V6 = "::1"
_GiveupOnSendfile = _sendfile.GiveUpOnSendfile
_blocking_errnos = {EAGAIN, EWOULDBLOCK}


def _intenum_converter(value: int, enum_klass: Any) -> Any:
    """`value` as a member of `enum_klass`, or itself when it names none."""
    try:
        return enum_klass(value)
    except ValueError:
        return value


__all__ = [
    "AddressFamily",
    "SocketKind",
    "create_connection",
    "create_server",
    "fromfd",
    "getfqdn",
    "has_dualstack_ipv6",
    "recv_fds",
    "send_fds",
]
__all__.extend(name for name in dir(_sockimpl) if not name.startswith("_"))


def _as_family(value: int) -> IntEnum | int:
    return _FAMILY_MEMBERS.get(value, value)


def _as_kind(value: int) -> IntEnum | int:
    return _KIND_MEMBERS.get(value, value)


class socket(_sockimpl.socket):  # type: ignore[no-redef]
    """A socket object: the C socket plus makefile(), sendfile(), accept()
    returning socket objects, and enum-valued family and type."""

    __slots__ = ()

    def __repr__(self) -> str:
        cls = type(self)
        closed = self._closed
        text = (
            f"<{cls.__module__}.{cls.__qualname__}{' [closed]' if closed else ''}"
            f" fd={self.fileno()}, family={self.family!s}, type={self.type!s},"
            f" proto={self.proto}"
        )
        if not closed:
            text += _address_suffix("laddr", self.getsockname)
            text += _address_suffix("raddr", self.getpeername)
        return text + ">"

    def __getstate__(self) -> NoReturn:
        raise TypeError(f"cannot pickle {type(self).__name__!r} object")

    @property
    def family(self) -> IntEnum | int:
        """The address family, an AddressFamily member when it has one."""
        return _as_family(_c_family(self))

    @property
    def type(self) -> IntEnum | int:
        """The socket type, a SocketKind member when it has one."""
        return _as_kind(_c_type(self))

    def dup(self) -> socket:
        """A new socket object on a duplicate of the descriptor, with the
        same timeout; the duplicate is non-inheritable."""
        sock = type(self)(_c_family(self), _c_type(self), self.proto, fileno=dup(self.fileno()))
        sock.settimeout(self.gettimeout())
        return sock

    def accept(self) -> tuple[socket, Any]:
        """Wait for a connection: (socket object, address of the peer)."""
        fd, address = self._accept()
        sock = socket(_c_family(self), _c_type(self), self.proto, fileno=fd)
        # Some systems hand the listener's O_NONBLOCK (set for its timeout)
        # to the accepted descriptor; without a default timeout the new
        # socket must be blocking whatever the platform did.
        if getdefaulttimeout() is None and self.gettimeout():
            sock.setblocking(True)
        return sock, address

    def makefile(
        self,
        mode: str = "r",
        buffering: int | None = None,
        *,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> Any:
        """A file object reading and/or writing the socket.

        Arguments are as for open() after the file name, but mode is made
        of 'r', 'w' and 'b' only.  The socket stays open until every file
        made from it is closed too.
        """
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
        writing = "w" in mode
        reading = "r" in mode or not writing
        binary = "b" in mode
        raw = SocketIO(self, ("r" if reading else "") + ("w" if writing else ""))
        self._io_refs += 1
        if buffering is None or buffering < 0:
            buffering = io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if not binary:
                raise ValueError("unbuffered streams must be binary")
            return raw
        buffer = _buffered(raw, reading, writing, buffering)
        if binary:
            return buffer
        encoding = io.text_encoding(encoding)  # type: ignore[attr-defined,unused-ignore]
        text = io.TextIOWrapper(buffer, encoding, errors, newline)
        text.mode = mode  # type: ignore[misc]  # the stdlib sets it too
        return text

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        """Send a binary file from `offset` until EOF, or `count` bytes.

        Uses os.sendfile() for regular files and send() otherwise.  Returns
        the number of bytes sent; the file position ends just past the last
        byte sent, on error too.  The socket must be a blocking or timeout
        SOCK_STREAM socket.
        """
        try:
            return _sendfile.with_sendfile(self, file, offset, count)
        except _sendfile.GiveUpOnSendfile:
            return _sendfile.with_send(self, file, offset, count)

    # socket.py's two sendfile() strategies and its argument check, by the
    # names code and tests call them.

    def _sendfile_use_sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        return _sendfile.with_sendfile(self, file, offset, count)

    def _sendfile_use_send(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        return _sendfile.with_send(self, file, offset, count)

    def _check_sendfile_params(self, file: Any, offset: int, count: int | None) -> None:
        _sendfile.check_arguments(self, file, count)

    def _decref_socketios(self) -> None:
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()


# Descriptors of the class's own for the C methods: CPython's specialised
# calls then run them directly (no generic call with a subtype check), and
# socket(...) gets the C type's vectorcall constructor.
_sockimpl._adopt_class(socket)


def _address_suffix(label: str, query: Any) -> str:
    """', label=address' for repr(), or '' when there is none to show."""
    try:
        address = query()
    except (OSError, AttributeError):
        return ""
    return f", {label}={address!s}" if address else ""


def _buffered(raw: SocketIO, reading: bool, writing: bool, size: int) -> Any:
    if reading and writing:
        return io.BufferedRWPair(raw, raw, size)
    if reading:
        return io.BufferedReader(raw, size)
    return io.BufferedWriter(raw, size)


# ---- creating sockets ------------------------------------------------------


def fromfd(fd: int, family: int, type: int, proto: int = 0) -> socket:
    """A socket object on a duplicate of `fd`; the arguments after it are as
    for socket()."""
    return socket(family, type, proto, dup(fd))


def socketpair(  # type: ignore[no-redef]
    family: int | None = None,
    type: int = SOCK_STREAM,
    proto: int = 0,
) -> tuple[socket, socket]:
    """A pair of connected socket objects; the family defaults to AF_UNIX."""
    if family is None:
        family = AF_UNIX
    first, second = _sockimpl.socketpair(family, type, proto)
    return (
        socket(family, type, proto, first.detach()),
        socket(family, type, proto, second.detach()),
    )


def _fallback_socketpair(
    family: int = AF_INET, type: int = SOCK_STREAM, proto: int = 0
) -> tuple[socket, socket]:
    """socketpair() over a loopback TCP connection, as socket.py provides it
    for platforms without socketpair(2) (and tests patch it in)."""
    hosts = {AF_INET: _LOCALHOST, AF_INET6: _LOCALHOST_V6}
    if family not in hosts:
        raise ValueError("Only AF_INET and AF_INET6 socket address families are supported")
    if type != SOCK_STREAM:
        raise ValueError("Only SOCK_STREAM socket type is supported")
    if proto != 0:
        raise ValueError("Only protocol zero is supported")
    with socket(family, type, proto) as listener:
        listener.bind((hosts[family], 0))
        listener.listen()
        client = socket(family, type, proto)
        try:
            # Non-blocking, so that one thread can connect and accept.
            client.setblocking(False)
            try:
                client.connect(listener.getsockname()[:2])
            except (BlockingIOError, InterruptedError):
                pass
            client.setblocking(True)
            server, _ = listener.accept()
        except BaseException:
            client.close()
            raise
    _check_pair(server, client)
    return server, client


def _check_pair(server: socket, client: socket) -> None:
    """Anyone on the host may connect to the listener first: the pair is
    only a pair if each end's address is the other's peer."""
    try:
        if (
            server.getsockname() != client.getpeername()
            or client.getsockname() != server.getpeername()
        ):
            raise ConnectionError("Unexpected peer connection")
    except BaseException:
        server.close()
        client.close()
        raise


# ---- passing descriptors ---------------------------------------------------


def send_fds(
    sock: socket,
    buffers: Iterable[Any],
    fds: Iterable[int],
    flags: int = 0,
    address: Any = None,
) -> int:
    """Send `buffers` with the descriptors `fds` over an AF_UNIX socket.

    Unlike the stdlib before 3.14 (gh-107898), `flags` and `address` are
    passed on to sendmsg() instead of being silently ignored.
    """
    ancillary = [(SOL_SOCKET, SCM_RIGHTS, array.array("i", fds))]
    if address is None:
        return sock.sendmsg(buffers, ancillary, flags)
    return sock.sendmsg(buffers, ancillary, flags, address)


def recv_fds(
    sock: socket, bufsize: int, maxfds: int, flags: int = 0
) -> tuple[bytes, list[int], int, Any]:
    """Receive up to `bufsize` bytes and `maxfds` descriptors:
    (data, descriptors, message flags, address).  `flags` reaches recvmsg()
    (the stdlib before 3.14 ignores it, gh-107898)."""
    fds = array.array("i")
    data, ancillary, msg_flags, address = sock.recvmsg(
        bufsize, CMSG_LEN(maxfds * fds.itemsize), flags
    )
    for level, kind, payload in ancillary:
        if level == SOL_SOCKET and kind == SCM_RIGHTS:
            # A truncated item may end in part of a descriptor: drop it.
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    return data, list(fds), msg_flags, address


# ---- names and addresses ---------------------------------------------------


def getaddrinfo(  # type: ignore[no-redef]
    host: Any,
    port: Any,
    family: int = 0,
    type: int = 0,
    proto: int = 0,
    flags: int = 0,
) -> list[tuple[IntEnum | int, IntEnum | int, int, str, Any]]:
    """Resolve host and port into (family, type, proto, canonname, sockaddr)
    tuples, with family and type as enum members."""
    return [
        (_as_family(af), _as_kind(kind), protocol, canonname, sockaddr)
        for af, kind, protocol, canonname, sockaddr in _sockimpl.getaddrinfo(
            host, port, family, type, proto, flags
        )
    ]


def getfqdn(name: str = "") -> str:
    """The fully qualified domain name of `name` (default: this host).

    The first of the reverse lookup's host name and aliases that contains a
    dot; failing that, the host name; if the lookup fails, `name` itself.
    """
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        name = gethostname()
    try:
        hostname, aliases, _ = gethostbyaddr(name)
    except OSError:
        return name
    return next((n for n in (hostname, *aliases) if "." in n), hostname)


# ---- connecting and serving ------------------------------------------------


def create_connection(
    address: tuple[str | None, int],
    timeout: Any = _GLOBAL_DEFAULT_TIMEOUT,
    source_address: Any = None,
    *,
    all_errors: bool = False,
) -> socket:
    """Connect a TCP socket to `address` (host, port), trying each address
    the host resolves to in turn, and return it.

    `timeout` is set before connecting (default: the global default);
    `source_address` is bound first if given.  When every address fails,
    the last error is raised, or with `all_errors` an ExceptionGroup of
    all of them.  Python 3.10 has no ExceptionGroup: there `all_errors`
    raises the last error with the earlier ones chained as its __cause__.
    """
    host, port = address
    errors: list[OSError] = []
    for family, kind, proto, _, sockaddr in getaddrinfo(host, port, 0, SOCK_STREAM):
        try:
            return _connected_socket(family, kind, proto, sockaddr, timeout, source_address)
        except OSError as exc:
            if not all_errors:
                errors.clear()
            errors.append(exc)
    if not errors:
        raise OSError("getaddrinfo returns an empty list")
    try:
        raise _connection_error(errors, all_errors)
    finally:
        # Each error's traceback holds this frame and so the list: clearing
        # it breaks the cycle.
        errors.clear()


def _connected_socket(
    family: int, kind: int, proto: int, sockaddr: Any, timeout: Any, source_address: Any
) -> socket:
    sock = socket(family, kind, proto)
    try:
        if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def _connection_error(errors: list[OSError], all_errors: bool) -> BaseException:
    if not all_errors:
        return errors[-1]
    if sys.version_info >= (3, 11):
        return ExceptionGroup("create_connection failed", list(errors))
    for earlier, later in itertools.pairwise(errors):
        later.__cause__ = earlier
    return errors[-1]


def has_dualstack_ipv6() -> bool:
    """Whether one AF_INET6 stream socket can accept IPv4 and IPv6 too."""
    if not has_ipv6:
        return False
    try:
        with socket(AF_INET6, SOCK_STREAM) as sock:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)
            return True
    except OSError:
        return False


def create_server(
    address: tuple[str, int],
    *,
    family: int = AF_INET,
    backlog: int | None = None,
    reuse_port: bool = False,
    dualstack_ipv6: bool = False,
) -> socket:
    """A listening TCP socket bound to `address` (host, port).

    SO_REUSEADDR is set so a restarted server can bind despite connections
    in TIME_WAIT; `reuse_port` sets SO_REUSEPORT.  An AF_INET6 socket is
    IPv6-only unless `dualstack_ipv6` asks for IPv4 connections too.
    """
    if dualstack_ipv6:
        if not has_dualstack_ipv6():
            raise ValueError("dualstack_ipv6 not supported on this platform")
        if family != AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = socket(family, SOCK_STREAM)
    try:
        _set_server_options(sock, family, reuse_port, dualstack_ipv6)
        _bind_naming_address(sock, address)
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def _set_server_options(sock: socket, family: int, reuse_port: bool, dualstack: bool) -> None:
    try:
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    except OSError:
        pass  # bind() will report the real problem, if there is one
    if reuse_port:
        sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)
    if has_ipv6 and family == AF_INET6:
        v6only = 0 if dualstack else 1
        sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, v6only)


def _bind_naming_address(sock: socket, address: Any) -> None:
    try:
        sock.bind(address)
    except OSError as exc:
        message = f"{exc.strerror} (while attempting to bind on address {address!r})"
        raise OSError(exc.errno, message) from None
