"""bpo-27584: the socket module had no AF_VSOCK (virtio/VMware guest-host
sockets), so the channel VMs and their hypervisor talk over could not be
used from Python.  Added in 3.7.0 ((cid, port) addresses, the
SO_VM_SOCKETS_* options).  Shown here over the kernel's vsock loopback
transport (VMADDR_CID_LOCAL, Linux 5.6 onwards).
https://bugs.python.org/issue27584
"""

SCENARIO = {
    "reference": "bpo-27584",
    "title": "AF_VSOCK missing from the socket module",
    "family": "AF_VSOCK",
    "needs": ["vsock"],
    "affected": {
        "text": "before 3.7.0, where AF_VSOCK was added",
        "versions": [["3.0.0", "3.7.0"]],
    },
    "fixed": "AF_VSOCK exists, and a stream connection to the local CID carries data both ways with (cid, port) addresses",
    "timeout": 20,
}

LOCAL_CID = 1  # VMADDR_CID_LOCAL, spelled out: the stdlib lacks the name (gh-119461)


def run(socket, lab):
    if not hasattr(socket, "AF_VSOCK"):
        return lab.reproduced("socket.AF_VSOCK is missing")
    lab.require(socket, "VMADDR_CID_ANY")
    listener = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    client = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    try:
        listener.bind((socket.VMADDR_CID_ANY, lab.port))
        listener.listen(1)
        client.settimeout(10)
        client.connect((LOCAL_CID, lab.port))
        server, peer = listener.accept()
        with server:
            client.sendall(b"ping")
            heard = server.recv(16)
            server.sendall(b"pong")
            answer = client.recv(16)
            local = server.getsockname()
    finally:
        client.close()
        listener.close()
    if (heard, answer) != (b"ping", b"pong") or len(tuple(peer)) != 2 or local[1] != lab.port:
        return lab.reproduced(f"heard {heard!r}, answer {answer!r}; peer {peer!r}, local {local!r}")
    return lab.not_reproduced(f"ping/pong over vsock; peer {peer!r}, local {local!r}")
