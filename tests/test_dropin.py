"""The drop-in promise, end to end: a program written for `socket` runs
unchanged with `import sockimpl as socket`, in a fresh interpreter.

Each program is run twice, once per module, and must print the same
observations both times."""

from __future__ import annotations

import sys
import textwrap

import pytest
from child_python import run_python

TCP_ECHO = """
    import threading
    def serve(srv):
        conn, _ = srv.accept()
        with conn:
            conn.settimeout(5)
            while data := conn.recv(65536):
                conn.sendall(data)
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(family, socket.SOCK_STREAM) as srv:
            srv.bind((host, 0))
            srv.listen()
            t = threading.Thread(target=serve, args=(srv,))
            t.start()
            with socket.create_connection(srv.getsockname()[:2], timeout=5) as c:
                payload = bytes(range(256)) * 4096
                c.sendall(payload)
                c.shutdown(socket.SHUT_WR)
                got = b""
                while chunk := c.recv(65536):
                    got += chunk
            t.join(5)
            print(family.name, got == payload, len(got))
"""

UNIX_DGRAM = """
    import os, tempfile
    d = tempfile.mkdtemp()
    a_path, b_path = os.path.join(d, "a"), os.path.join(d, "b")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as a, \\
         socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as b:
        a.bind(a_path)
        b.bind(b_path)
        b.settimeout(5)
        a.sendto(b"ping", b_path)
        data, sender = b.recvfrom(100)
        print(data, sender == a_path)
        b.settimeout(0.05)
        try:
            b.recvfrom(100)
        except socket.timeout as exc:
            print("timed out:", type(exc).__name__, exc)
    os.unlink(a_path); os.unlink(b_path); os.rmdir(d)
"""

FD_PASS = """
    import os, tempfile
    with tempfile.TemporaryFile() as f:
        f.write(b"passed through SCM_RIGHTS")
        f.flush()
        a, b = socket.socketpair()
        with a, b:
            b.settimeout(5)
            socket.send_fds(a, [b"fd"], [f.fileno()])
            msg, fds, flags, addr = socket.recv_fds(b, 100, 1)
            os.lseek(fds[0], 0, os.SEEK_SET)
            print(msg, len(fds), os.read(fds[0], 100), flags)
            print(os.fstat(fds[0]).st_ino == os.fstat(f.fileno()).st_ino)
            os.close(fds[0])
"""

PROGRAMS = {"tcp_echo_v4_v6": TCP_ECHO, "unix_dgram": UNIX_DGRAM, "scm_rights": FD_PASS}


def run_program(body: str, module: str) -> str:
    source = f"import {module} as socket\n" + textwrap.dedent(body)
    done = run_python(sys.executable, source, imports_sockimpl=module == "sockimpl", timeout=60)
    assert done.returncode == 0, f"{module} failed:\n{done.stderr}"
    return done.stdout


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_behaves_the_same_with_sockimpl(name: str) -> None:
    expected = run_program(PROGRAMS[name], "socket")
    assert expected.strip(), "the program printed nothing to compare"
    assert run_program(PROGRAMS[name], "sockimpl") == expected
