"""bpo-37405: `getsockname()` of a bound CAN_RAW socket returned the
interface name as a bare str instead of the `(interface,)` tuple that
`bind()` takes, so the address could not be passed back.
https://bugs.python.org/issue37405
"""

import struct

SCENARIO = {
    "reference": "bpo-37405",
    "title": "CAN getsockname() returned a str instead of a tuple",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "3.7 (the ISOTP rework) until the fix in 3.8.0; not backported to 3.7",
        "versions": [["3.7.0", "3.8.0"]],
    },
    "fixed": "getsockname() returns (interface,), which bind() accepts again",
}


CAN_FRAME = struct.pack("=IB3x8s", 0x123, 2, b"\x01\x02")  # struct can_frame: id, dlc, data


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_RAW")
    with socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW) as sock:
        sock.bind((lab.interface,))
        sock.send(CAN_FRAME)  # on the bus, so the cell's pcap shows a real interface at work
        name = sock.getsockname()
    print("getsockname():", repr(name))
    if not isinstance(name, tuple):
        return lab.reproduced(f"getsockname() returned {type(name).__name__} {name!r}")
    if name != (lab.interface,):
        # Not the report's str, but the same broken round trip (3.6 gave
        # (interface, family)): bind() takes (interface,) only.
        return lab.reproduced(f"getsockname() = {name!r}, not ({lab.interface!r},)")
    with socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW) as again:
        again.bind(name)
    return lab.not_reproduced(f"getsockname() = {name!r}, accepted by bind()")
