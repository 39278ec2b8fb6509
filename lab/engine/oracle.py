"""The oracle is this interpreter's own `socket` over its own `_socket`.

A run compares the implementation under test with whatever `import socket`
gives; if that were a patched module (gevent's monkey-patching), a module
shadowing the stdlib on sys.path, or a `_socket` from somewhere else, every
verdict would be worthless.  `verify_oracle` checks where both were loaded
from and that the class is the stdlib's, untouched, before any comparison.
"""

from __future__ import annotations

import _socket
import os
import socket
import sys
import sysconfig


class OracleError(RuntimeError):
    """The `socket` module this run would compare against is not the stdlib's."""


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([os.path.realpath(path), os.path.realpath(folder)]) == os.path.realpath(folder)


def _socket_origin() -> str:
    if "_socket" in sys.builtin_module_names:
        return "built-in"
    where = getattr(_socket, "__file__", None)
    extensions = sysconfig.get_config_var("DESTSHARED")
    if where is None or not extensions or not _inside(where, extensions):
        raise OracleError(f"_socket was loaded from {where!r}, not the interpreter's {extensions!r}")
    return where


def verify_oracle() -> str:
    """Where the oracle's `socket` and `_socket` come from, once checked; raises
    OracleError when either is not the interpreter's own."""
    stdlib = sysconfig.get_paths()["stdlib"]
    if not _inside(socket.__file__, stdlib):
        raise OracleError(f"socket was loaded from {socket.__file__!r}, not from the stdlib at {stdlib!r}")
    origin = _socket_origin()
    if socket._socket is not _socket or socket.socket.__bases__ != (_socket.socket,):
        raise OracleError("socket.socket is not the stdlib's class over _socket.socket (monkey-patched?)")
    for name in ("recv", "send", "recvmsg", "sendmsg", "setsockopt", "getsockopt", "connect", "bind"):
        if getattr(socket.socket, name) is not getattr(_socket.socket, name):
            raise OracleError(f"socket.socket.{name} is not _socket's own (monkey-patched?)")
    return f"socket from {socket.__file__}, _socket {origin}"
