"""bpo-37085: the flags of a CAN_BCM `bcm_msg_head` (SETTIMER, STARTTIMER,
TX_COUNTEVT, ... CAN_FD_FRAME) were not in the module, although the
documentation promised every BCM constant from 3.4; without SETTIMER and
STARTTIMER a cyclic TX_SETUP cannot be written by name.  Added in 3.9 and
backported to 3.8 (before 3.8.0 was released).
https://bugs.python.org/issue37085
"""

import struct
import time

SCENARIO = {
    "reference": "bpo-37085",
    "title": "CAN_BCM bcm_msg_head flags (CAN_BCM_SETTIMER, CAN_BCM_STARTTIMER, ...) missing from the module",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "3.4 (CAN_BCM) until 3.8.0, where the flags were added",
        "versions": [["3.4.0", "3.8.0"]],
    },
    "fixed": "CAN_BCM_SETTIMER and CAN_BCM_STARTTIMER exist, and a TX_SETUP using them sends the frame cyclically on the bus",
    "timeout": 15,
}

HEAD = struct.Struct("@3I4l2I0q")  # linux/can/bcm.h: struct bcm_msg_head, then the frames
FRAME = struct.Struct("=IB3x8s")  # struct can_frame
CAN_ID = 0x123


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_BCM", "CAN_RAW", "CAN_BCM_TX_SETUP")
    missing = [n for n in ("CAN_BCM_SETTIMER", "CAN_BCM_STARTTIMER") if not hasattr(socket, n)]
    if missing:
        return lab.reproduced("missing from the module: " + ", ".join(missing))
    flags = socket.CAN_BCM_SETTIMER | socket.CAN_BCM_STARTTIMER
    # count 0, no first interval; every 20 ms after that
    head = HEAD.pack(socket.CAN_BCM_TX_SETUP, flags, 0, 0, 0, 0, 20000, CAN_ID, 1)
    frame = FRAME.pack(CAN_ID, 2, b"\x01\x02".ljust(8, b"\0"))
    with socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW) as listener, \
            socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_BCM) as bcm:
        listener.bind((lab.interface,))
        listener.settimeout(2.0)
        bcm.connect((lab.interface,))
        bcm.send(head + frame)
        seen, started = 0, time.monotonic()
        while seen < 3 and time.monotonic() - started < 3.0:
            can_id = FRAME.unpack(listener.recv(FRAME.size))[0]
            seen += can_id == CAN_ID
    if seen < 3:
        return lab.reproduced(f"flags {flags:#x} given, but {seen} cyclic frame(s) seen in 3 s")
    return lab.not_reproduced(f"SETTIMER|STARTTIMER = {flags:#x}: cyclic frames {CAN_ID:#x} seen on {lab.interface}")
