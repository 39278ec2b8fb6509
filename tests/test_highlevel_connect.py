"""create_connection, create_server, has_dualstack_ipv6 and getfqdn, over
loopback only."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from differential import agree

import sockimpl


def unused_port(m: Any, host: str = "127.0.0.1") -> tuple[Any, int]:
    """A socket bound (not listening) to a port, so connecting to that port
    is refused and nothing else can take it meanwhile.  Close it after."""
    family = m.AF_INET6 if ":" in host else m.AF_INET
    holder = m.socket(family, m.SOCK_STREAM)
    holder.bind((host, 0))
    return holder, holder.getsockname()[1]


# --- create_connection ----------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_create_connection_connects_to_listener(host: str) -> None:
    def scenario(m: Any) -> Any:
        family = m.AF_INET6 if ":" in host else m.AF_INET
        with (
            m.create_server((host, 0), family=family) as srv,
            m.create_connection((host, srv.getsockname()[1])) as client,
        ):
            conn, address = srv.accept()
            with conn:
                return (
                    type(client) is m.socket,
                    client.family,
                    client.type,
                    client.getpeername()[:2] == srv.getsockname()[:2],
                    address == client.getsockname(),
                    client.gettimeout(),
                )

    agree(scenario)


def test_create_connection_applies_the_timeout() -> None:
    def scenario(m: Any) -> Any:
        with (
            m.create_server(("127.0.0.1", 0)) as srv,
            m.create_connection(srv.getsockname(), timeout=4.5) as client,
        ):
            return client.gettimeout()

    agree(scenario)


def test_create_connection_without_timeout_uses_the_default() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as srv:
            m.setdefaulttimeout(7.0)
            try:
                with m.create_connection(srv.getsockname()) as client:
                    return client.gettimeout()
            finally:
                m.setdefaulttimeout(None)

    agree(scenario)


def test_create_connection_with_none_timeout_blocks_despite_default() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as srv:
            m.setdefaulttimeout(7.0)
            try:
                with m.create_connection(srv.getsockname(), timeout=None) as client:
                    return client.gettimeout()
            finally:
                m.setdefaulttimeout(None)

    agree(scenario)


def test_create_connection_binds_the_source_address() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as srv:
            holder, port = unused_port(m)
            holder.close()
            with m.create_connection(srv.getsockname(), source_address=("127.0.0.1", port)) as c:
                return c.getsockname() == ("127.0.0.1", port)

    assert agree(scenario).value is True


def test_create_connection_to_closed_port_is_refused() -> None:
    def scenario(m: Any) -> Any:
        holder, port = unused_port(m)
        with holder:
            return m.create_connection(("127.0.0.1", port))

    outcome = agree(scenario)
    assert outcome.error == "ConnectionRefusedError"


@contextlib.contextmanager
def two_refusing_addresses(m: Any) -> Iterator[None]:
    """Make m.getaddrinfo answer with two addresses, an IPv6 one that is
    refused and then an IPv4 one (port 0) that is refused too, for any host."""
    v6_holder, v6_port = unused_port(m, "::1")
    answers = [
        (m.AF_INET6, m.SOCK_STREAM, 6, "", ("::1", v6_port, 0, 0)),
        (m.AF_INET, m.SOCK_STREAM, 6, "", ("0.0.0.0", 0)),
    ]
    original = m.getaddrinfo
    m.getaddrinfo = lambda *args, **kwargs: answers
    try:
        with v6_holder:
            yield
    finally:
        m.getaddrinfo = original


def test_create_connection_raises_only_the_last_error_by_default() -> None:
    def scenario(m: Any) -> Any:
        with two_refusing_addresses(m):
            try:
                m.create_connection(("anywhere", 1))
            except OSError as exc:
                return type(exc).__name__, exc.errno, exc.__cause__
        return "connected"

    agree(scenario)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="ExceptionGroup is new in 3.11")
def test_create_connection_with_all_errors_raises_exception_group() -> None:
    def scenario(m: Any) -> Any:
        with two_refusing_addresses(m):
            try:
                m.create_connection(("anywhere", 1), all_errors=True)
            except ExceptionGroup as group:  # noqa: F821
                return str(group), [(type(e).__name__, e.errno) for e in group.exceptions]
        return "connected"

    agree(scenario)


@pytest.mark.skipif(sys.version_info >= (3, 11), reason="3.10 only: no ExceptionGroup")
def test_create_connection_all_errors_on_310_chains_the_errors() -> None:
    """Deliberately differs: 3.10's stdlib has no all_errors; sockimpl
    offers it, and with no ExceptionGroup raises the last error with the
    earlier ones chained as its __cause__."""
    with two_refusing_addresses(sockimpl), pytest.raises(OSError) as caught:
        sockimpl.create_connection(("anywhere", 1), all_errors=True)
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)


def test_create_connection_requires_a_host_port_pair() -> None:
    def scenario(m: Any) -> Any:
        return m.create_connection(("127.0.0.1", 1, 0, 0))

    assert agree(scenario).error == "ValueError"


# --- create_server ----------------------------------------------------------------


def server_options(m: Any, sock: Any) -> dict[str, Any]:
    options = {
        "family": sock.family,
        "type": sock.type,
        "listening": sock.getsockopt(m.SOL_SOCKET, m.SO_ACCEPTCONN),
        "reuseaddr": bool(sock.getsockopt(m.SOL_SOCKET, m.SO_REUSEADDR)),
        "reuseport": bool(sock.getsockopt(m.SOL_SOCKET, m.SO_REUSEPORT)),
        "class": type(sock) is m.socket,
    }
    if sock.family == m.AF_INET6:
        options["v6only"] = sock.getsockopt(m.IPPROTO_IPV6, m.IPV6_V6ONLY)
    return options


def test_create_server_listens_on_ipv4() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as srv:
            return server_options(m, srv), srv.getsockname()[0]

    agree(scenario)


def test_create_server_on_ipv6_is_v6_only() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("::1", 0), family=m.AF_INET6) as srv:
            return server_options(m, srv), srv.getsockname()[0]

    agree(scenario)


def test_dualstack_server_accepts_ipv4_clients() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("::", 0), family=m.AF_INET6, dualstack_ipv6=True) as srv:
            port = srv.getsockname()[1]
            with m.create_connection(("127.0.0.1", port)):
                conn, address = srv.accept()
                with conn:
                    return server_options(m, srv), address[0]

    agree(scenario)


def test_dualstack_requires_ipv6_family() -> None:
    def scenario(m: Any) -> Any:
        return m.create_server(("", 0), dualstack_ipv6=True)

    assert agree(scenario).error == "ValueError"


def test_reuse_port_lets_two_servers_share_a_port() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0), reuse_port=True) as first:
            port = first.getsockname()[1]
            with m.create_server(("127.0.0.1", port), reuse_port=True) as second:
                return server_options(m, second), second.getsockname()[1] == port

    agree(scenario)


def test_busy_address_error_names_the_address() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0)) as first:
            address = first.getsockname()
            try:
                m.create_server(address)
            except OSError as exc:
                return (
                    type(exc).__name__,
                    exc.errno,
                    str(exc).endswith(f"(while attempting to bind on address {address!r})"),
                )
        return "bound twice"

    agree(scenario)


def test_create_server_honours_backlog() -> None:
    def scenario(m: Any) -> Any:
        with m.create_server(("127.0.0.1", 0), backlog=1) as srv:
            return server_options(m, srv)

    agree(scenario)


def test_create_server_rejects_bad_address() -> None:
    def scenario(m: Any) -> Any:
        return m.create_server(("127.0.0.1", 70000))

    assert agree(scenario).error == "OverflowError"


def test_has_dualstack_ipv6_matches_stdlib() -> None:
    agree(lambda m: m.has_dualstack_ipv6())


# --- getfqdn -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["localhost", " localhost ", "127.0.0.1"])
def test_getfqdn_of_local_names_matches_stdlib(name: str) -> None:
    agree(lambda m: m.getfqdn(name))
