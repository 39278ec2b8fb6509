"""bpo-45228: parsing a CAN_J1939 address copied the interface name into a
fixed `ifreq` buffer without checking its length: a long name overflowed
the C stack (an ASAN report, or "stack smashing detected" and SIGABRT).
https://bugs.python.org/issue45228
"""

SCENARIO = {
    "reference": "bpo-45228",
    "title": "CAN_J1939 address parsing overflows a stack buffer",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "3.9.0 (J1939 support) until the fix in 3.9.8 and 3.10.0",
        "versions": [["3.9.0", "3.9.8"], ["3.10.0a1", "3.10.0"]],
    },
    "fixed": "an overlong interface name is refused with OSError/ValueError before any kernel call",
    "timeout": 15,
}

LONG_NAME = "x" * 200


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_J1939", "J1939_NO_NAME", "J1939_NO_PGN", "J1939_NO_ADDR")
    try:
        sock = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_J1939)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no CAN_J1939 ({exc})")
    with sock:
        sock.bind((lab.interface, socket.J1939_NO_NAME, socket.J1939_NO_PGN, socket.J1939_NO_ADDR))
        print("a valid J1939 address binds:", sock.getsockname(), flush=True)
    with socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_J1939) as sock:
        address = (LONG_NAME, socket.J1939_NO_NAME, socket.J1939_NO_PGN, socket.J1939_NO_ADDR)
        try:
            sock.bind(address)
        except (OSError, ValueError) as exc:
            if getattr(exc, "errno", None) is not None:
                return lab.reproduced(f"the overlong name reached the kernel: {exc!r}")
            return lab.not_reproduced(f"refused: {type(exc).__name__}: {exc}")
    return lab.reproduced(f"a {len(LONG_NAME)}-character interface name was accepted")
