"""gh-136110 (and bpo-35247 before it): CPython's own
`test_socket.RDSTest.testPeek` hangs for ever: the server's
`recvfrom(8192, MSG_PEEK)` never returns the datagram the client thread
sent over RDS loopback.  The 2025 report saw it in fresh Docker containers
(3.12.10, 3.13.5; "if you interrupt and rerun the same test, it
completes"); bpo-35247 saw it in 2018 on 3.8.  No interpreter change is
involved: the steps are a plain `sendto` and `recvfrom`, so the hang is the
kernel's RDS (`kernel_side`), and each cell starts in a network namespace
of its own, fresh as a container's, as the report's first run was.
https://github.com/python/cpython/issues/136110
https://github.com/python/cpython/issues/79428
"""

import ctypes
import subprocess
import threading

SCENARIO = {
    "reference": "gh-136110",
    "title": "RDS loopback: recvfrom(MSG_PEEK) never sees the datagram just sent (test_socket's RDSTest.testPeek)",
    "family": "AF_RDS",
    "needs": ["rds"],
    "affected": {
        "text": "an intermittent hang on any version with PF_RDS (3.3 onwards; seen on 3.8 in bpo-35247, 3.12/3.13 in "
                "gh-136110); the reports name no kernel",
        "versions": [["3.3.0", None]],
    },
    "fixed": "the peek returns the datagram (b'spam', from the client's address) and a second recvfrom returns it again",
    "timeout": 8,
    "hang_is_symptom": True,
    "kernel_side": True,
}

CLONE_NEWNET = 0x40000000
HOST = "127.0.0.1"  # test_socket's HOST, "localhost", as it resolves here
BUFSIZE = 8192  # test_socket's RDS bufsize


def _fresh_namespace(lab):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        lab.not_applicable(f"cannot make a network namespace of the cell's own (unshare: errno {ctypes.get_errno()})")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


def run(socket, lab):
    lab.require(socket, "PF_RDS", "MSG_PEEK")
    _fresh_namespace(lab)
    try:
        serv = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no RDS ({exc!r})")
    cli = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
    try:
        serv.bind((HOST, 0))
        cli.bind((HOST, 0))
        port = serv.getsockname()[1]
        ready = threading.Event()

        def client():
            ready.wait()
            cli.sendto(b"spam", 0, (HOST, port))

        sender = threading.Thread(target=client)
        sender.start()
        ready.set()
        print(f"blocking recvfrom(MSG_PEEK) on port {port}", flush=True)
        peeked = serv.recvfrom(BUFSIZE, socket.MSG_PEEK)  # the report's hang, if any, is here
        received = serv.recvfrom(BUFSIZE)
        sender.join()
        sent_from = cli.getsockname()
    finally:
        cli.close()
        serv.close()
    if peeked[0] != b"spam" or received[0] != b"spam":
        return lab.reproduced(f"peek gave {peeked!r}, then recvfrom gave {received!r}")
    if tuple(peeked[1]) != tuple(sent_from):
        return lab.reproduced(f"peek names {peeked[1]!r}, the client is {sent_from!r}")
    return lab.not_reproduced(f"peeked and received {received[0]!r} from {peeked[1]!r}")
