"""pylessard/python-can-isotp#22: after updating to Linux 5.4.x, binding
an ISO-TP socket, `sock.bind((interface, rxid, txid))` with CPython's own
CAN_ISOTP address (Python 3.7.6), failed with EINVAL; 5.3.x worked.  The
report used the out-of-tree can-isotp module of the time; ISO-TP entered
the mainline kernel in 5.10.  The report names the kernels, not a fix, so
the matrix holds every kernel from 5.4 to its claim: on a kernel where the
bind works, the stdlib rows disagree with the report, and say so.
https://github.com/pylessard/python-can-isotp/issues/22
"""

import errno

SCENARIO = {
    "reference": "python-can-isotp-22",
    "title": "ISO-TP bind((interface, rxid, txid)) fails with EINVAL on Linux 5.4",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "any interpreter with CAN_ISOTP (3.7 onwards; the report: 3.7.6), on the kernels below",
        "versions": [["3.7.0", None]],
    },
    "kernels": [["5.4", None]],
    "kernels_text": "5.4.x onwards (5.3.x worked); no fix named",
    "fixed": "bind((interface, 0x7e8, 0x7e0)) succeeds and getsockname() gives the ids back",
    "kernel_side": True,
    "timeout": 15,
}


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_ISOTP")
    try:
        sock = socket.socket(socket.AF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no CAN_ISOTP ({exc})")
    with sock:
        try:
            sock.bind((lab.interface, 0x7E8, 0x7E0))
        except OSError as exc:
            if exc.errno == errno.EINVAL:
                return lab.reproduced(f"bind() failed with EINVAL: {exc}")
            raise
        name = sock.getsockname()
    return lab.not_reproduced(f"bound; getsockname() {name!r}")
