"""gh-119461: the socket module had no VMADDR_CID_LOCAL, the CID of the
vsock loopback transport (Linux 5.6+), so a local VSOCK connection needed a
magic number, and test_socket could not exercise VSOCK without a VM.
https://github.com/python/cpython/issues/119461
"""

SCENARIO = {
    "reference": "gh-119461",
    "title": "VSOCK local CID and VMADDR_CID_LOCAL",
    "family": "AF_VSOCK",
    "needs": ["vsock"],
    "affected": {
        "text": "every version with AF_VSOCK (3.7) until 3.14",
        "versions": [["3.7.0", "3.14.0"]],
    },
    "fixed": "VMADDR_CID_LOCAL exists (1) and a stream connection to it carries data",
}

PAYLOAD = b"vsock loopback"


def run(socket, lab):
    lab.require(socket, "AF_VSOCK")
    if not hasattr(socket, "VMADDR_CID_LOCAL"):
        return lab.reproduced("socket.VMADDR_CID_LOCAL is missing")
    listener = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    client = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    try:
        listener.bind((socket.VMADDR_CID_LOCAL, lab.port))
        listener.listen(1)
        client.settimeout(5)
        client.connect((socket.VMADDR_CID_LOCAL, lab.port))
        peer, _ = listener.accept()
        with peer:
            client.sendall(PAYLOAD)
            received = peer.recv(len(PAYLOAD))
    finally:
        client.close()
        listener.close()
    if received != PAYLOAD:
        return lab.reproduced(f"the local connection carried {received!r}")
    return lab.not_reproduced(f"VMADDR_CID_LOCAL = {socket.VMADDR_CID_LOCAL}, loopback stream works")
