"""socket.py's private names that real code and CPython's own test_socket
use: a drop-in has them, and they behave as the stdlib's."""

from __future__ import annotations

import _socket
import gc
import io
import socket as stdlib_socket
import sys
from typing import Any

import pytest
from differential import agree

import sockimpl


@pytest.mark.parametrize(
    "name", ["_LOCALHOST", "_LOCALHOST_V6", "_blocking_errnos", "_GLOBAL_DEFAULT_TIMEOUT"]
)
def test_private_module_names_exist(name: str) -> None:
    value = getattr(stdlib_socket, name)
    if name != "_GLOBAL_DEFAULT_TIMEOUT":
        assert getattr(sockimpl, name) == value
    else:
        assert hasattr(sockimpl, name)


def test_intenum_converter_gives_a_member_or_the_int() -> None:
    def scenario(m: Any) -> Any:
        known = m._intenum_converter(int(m.AF_INET), m.AddressFamily)
        unknown = m._intenum_converter(12345, m.AddressFamily)
        return type(known).__name__, known, type(unknown).__name__, unknown

    assert agree(scenario).value == ("AddressFamily", 2, "int", 12345)


def test_sendfile_use_sendfile_gives_up_on_a_file_without_a_descriptor() -> None:
    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            try:
                sock._sendfile_use_sendfile(io.BytesIO(b"data"))
            except m._GiveupOnSendfile:
                return "gave up"

    assert agree(scenario).value == "gave up"


def test_sendfile_use_send_sends_the_file() -> None:
    def scenario(m: Any) -> Any:
        a, b = m.socketpair()
        with a, b:
            sent = a._sendfile_use_send(io.BytesIO(b"payload"))
            return sent, b.recv(100)

    assert agree(scenario).value == (7, b"payload")


def test_check_sendfile_params_refuses_a_text_file() -> None:
    class TextFile:
        mode = "r"

    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock._check_sendfile_params(TextFile(), 0, None)

    assert agree(scenario).error == "ValueError"


@pytest.mark.skipif(
    not hasattr(stdlib_socket, "_fallback_socketpair"), reason="socket.py has it from 3.13 on"
)
def test_fallback_socketpair_connects_over_loopback() -> None:
    def scenario(m: Any) -> Any:
        a, b = m._fallback_socketpair(m.AF_INET)
        with a, b:
            a.sendall(b"ping")
            return int(a.family), int(a.type), b.recv(4)

    assert agree(scenario).value == (2, 1, b"ping")


def test_fallback_socketpair_refuses_another_family() -> None:
    with pytest.raises(ValueError):
        sockimpl._fallback_socketpair(sockimpl.AF_UNIX)


@pytest.mark.parametrize("value", [2**32, 2**40, 2**70, -1, True, 1.5, None])
def test_setblocking_takes_what_the_stdlib_takes(value: Any) -> None:
    """Before 3.12 any int that fits a C long (2**32 too); from 3.12 on any
    object's truth value."""

    def scenario(m: Any) -> Any:
        with m.socket() as sock:
            sock.setblocking(value)
            return sock.gettimeout()

    agree(scenario)


def test_the_c_socket_type_is_collected_and_immutable_as_the_stdlibs() -> None:
    ours = sockimpl._sockimpl.socket
    if sys.version_info >= (3, 12):
        assert gc.is_tracked(ours) == gc.is_tracked(_socket.socket)
    with pytest.raises(TypeError, match="immutable"):
        ours.foo = 1  # type: ignore[attr-defined]
