"""bpo-30987: SocketCAN's ISO-TP protocol (CAN_ISOTP, an out-of-tree
module then, mainline since Linux 5.10) was not in the socket module, so a
diagnostic transfer longer than one CAN frame could not be written with
it.  Added in 3.7.0, with the (interface, rx_id, tx_id) address.
https://bugs.python.org/issue30987
"""

SCENARIO = {
    "reference": "bpo-30987",
    "title": "CAN_ISOTP missing: no ISO-TP transfers over SocketCAN",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "before 3.7.0, where CAN_ISOTP was added",
        "versions": [["3.0.0", "3.7.0"]],
    },
    "fixed": "CAN_ISOTP exists and 5 KiB cross the bus between two ISO-TP sockets, whole, and getsockname() names the ids bound",
    "timeout": 20,
}

PAYLOAD = bytes(range(256)) * 20


def run(socket, lab):
    lab.require(socket, "AF_CAN", "SOCK_DGRAM")
    if not hasattr(socket, "CAN_ISOTP"):
        return lab.reproduced("socket.CAN_ISOTP is missing")
    try:
        sender = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no CAN_ISOTP ({exc})")
    receiver = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
    try:
        receiver.bind((lab.interface, 0x123, 0x456))
        sender.bind((lab.interface, 0x456, 0x123))
        receiver.settimeout(10)
        sender.send(PAYLOAD)
        got = receiver.recv(len(PAYLOAD) + 1)
        name = receiver.getsockname()
    finally:
        sender.close()
        receiver.close()
    if got != PAYLOAD:
        return lab.reproduced(f"received {len(got)} of {len(PAYLOAD)} bytes")
    if tuple(name)[1:] != (0x123, 0x456):
        return lab.reproduced(f"transfer whole, but getsockname() gave {name!r}")
    return lab.not_reproduced(f"{len(got)} bytes whole; getsockname() {name!r}")
