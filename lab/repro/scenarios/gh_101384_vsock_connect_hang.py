"""gh-101384: test_socket's VSOCK stream tests hang on a machine whose
kernel has AF_VSOCK but no transport for a local connection (no
vsock_loopback): connect() to the local CID never establishes.  Here the
client gives up with ETIMEDOUT after the kernel's connect timeout (2 s by
default) while the test's server thread waits in accept() for ever.
The fault is the kernel's; an implementation cannot fix it, only not make
it worse, so sockimpl must come out as the stdlib does (`kernel_side`).
https://github.com/python/cpython/issues/101384
"""

import errno
import time

SCENARIO = {
    "reference": "gh-101384",
    "title": "a VSOCK stream connection hangs where no loopback transport exists",
    "family": "AF_VSOCK",
    "needs": [],
    "affected": {
        "text": "every version with AF_VSOCK, on a kernel without vsock_loopback (the kernel's part)",
        "versions": [["3.7.0", None]],
    },
    "fixed": "connect() to the local CID completes (a loopback transport) or is refused at once",
    "timeout": 4,
    "hang_is_symptom": True,
    "kernel_side": True,
}

LOCAL_CID = 1  # VMADDR_CID_LOCAL, spelled out: the stdlib lacks the name (gh-119461)


def run(socket, lab):
    lab.require(socket, "AF_VSOCK", "VMADDR_CID_ANY")
    try:
        listener = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no AF_VSOCK ({exc})")
    client = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    try:
        listener.bind((socket.VMADDR_CID_ANY, lab.port))
        listener.listen(1)
        print(f"blocking connect() to ({LOCAL_CID}, {lab.port})", flush=True)
        started = time.monotonic()
        try:
            client.connect((LOCAL_CID, lab.port))  # the report's hang, if any, is here
        except OSError as exc:
            waited = time.monotonic() - started
            if exc.errno == errno.ETIMEDOUT:
                return lab.reproduced(f"connect() never established: ETIMEDOUT after {waited:.1f} s")
            return lab.not_reproduced(f"connect() refused at once: {exc!r}")
    finally:
        client.close()
        listener.close()
    return lab.not_reproduced("connect() to the local CID completed")
