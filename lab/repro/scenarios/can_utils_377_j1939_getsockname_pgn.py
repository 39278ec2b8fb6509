"""linux-can/can-utils#377, a report on the kernel's J1939 sockets: after
bind() with one PGN and connect() with another, getsockname() returns the
PGN given to connect() (the peer's), not the local one given to bind():
net/can/j1939/socket.c fills both names from `jsk->addr.pgn`, which only
connect() sets.  Open at the time of writing; no kernel is named as
fixed.  The fault is the kernel's: sockimpl must come out as the stdlib
does (`kernel_side`).
https://github.com/linux-can/can-utils/issues/377
"""

SCENARIO = {
    "reference": "can-utils-377",
    "title": "J1939 getsockname() returns the PGN given to connect(), not the one bound",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "every interpreter with CAN_J1939 (3.9 onwards), on kernels with J1939 (5.4 onwards); the kernel's",
        "versions": [["3.9.0", None]],
    },
    "fixed": "getsockname() names the bound PGN (0xff10), getpeername() the connected one (0xff20)",
    "kernel_side": True,
    "timeout": 15,
}

BOUND_PGN, PEER_PGN = 0x0FF10, 0x0FF20  # PDU2 PGNs: no destination byte to clear
LOCAL_ADDR, PEER_ADDR = 0x20, 0x30


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_J1939", "J1939_NO_NAME")
    try:
        sock = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_J1939)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no CAN_J1939 ({exc})")
    with sock:
        sock.bind((lab.interface, socket.J1939_NO_NAME, BOUND_PGN, LOCAL_ADDR))
        before = sock.getsockname()
        sock.connect((lab.interface, socket.J1939_NO_NAME, PEER_PGN, PEER_ADDR))
        local, peer = sock.getsockname(), sock.getpeername()
    if local[2] != BOUND_PGN:
        return lab.reproduced(f"getsockname() PGN {local[2]:#x} after connect (bound {BOUND_PGN:#x}; before connect {before!r}); peer {peer!r}")
    return lab.not_reproduced(f"getsockname() {local!r}, getpeername() {peer!r}")
