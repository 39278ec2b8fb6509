"""Thousands of loopback connections, once per implementation, bounded in
count and time: every connection is accepted, echoes its own bytes, and
closes; afterwards the process holds exactly the descriptors it held
before."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

CONNECTIONS = 3000
TIME_LIMIT = 20.0


def open_fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def serve_echo(server: Any, count: int, errors: list[BaseException]) -> None:
    try:
        for _ in range(count):
            conn, _ = server.accept()
            with conn:
                conn.sendall(conn.recv(64))
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def test_thousands_of_loopback_connections_echo_and_release_their_fds(impl: Any) -> None:
    before = open_fd_count()
    errors: list[BaseException] = []
    with impl.socket(impl.AF_INET, impl.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(128)
        server.settimeout(10)
        address = server.getsockname()
        thread = threading.Thread(target=serve_echo, args=(server, CONNECTIONS, errors))
        start = time.monotonic()
        thread.start()
        mismatches = 0
        for index in range(CONNECTIONS):
            with impl.create_connection(address, timeout=10) as client:
                message = index.to_bytes(4, "big")
                client.sendall(message)
                mismatches += client.recv(64) != message
        thread.join(TIME_LIMIT)
        elapsed = time.monotonic() - start
    assert not errors
    assert mismatches == 0
    assert elapsed < TIME_LIMIT, f"{CONNECTIONS} connections took {elapsed:.1f}s"
    assert open_fd_count() == before
