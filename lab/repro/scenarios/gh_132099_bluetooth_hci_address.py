"""gh-132099: on Linux, `getsockname()` of a BTPROTO_HCI socket returned
the device number as a bare int, which `bind()` refused (it wanted a
tuple), so an HCI address could not make the round trip.
https://github.com/python/cpython/issues/132099
"""

SCENARIO = {
    "reference": "gh-132099",
    "title": "a Bluetooth HCI address from getsockname() not accepted by bind()",
    "family": "AF_BLUETOOTH",
    "needs": ["bluetooth", "vhci"],
    "affected": {
        "text": "every version until the fix in 3.14.0 (backported to 3.13.4)",
        "versions": [["3.0", "3.13.4"]],
    },
    "fixed": "the address getsockname() returns binds a second HCI socket",
    # The kernel serves Bluetooth sockets in its first network namespace only.
    "own_namespace": False,
}

HCI_VENDOR_PKT = 0xFF
HCI_PRIMARY = 0x00


def _virtual_controller():
    """A controller of hci_vhci's: it lives as long as the file is open.
    The kernel answers the creation request with the new device's index."""
    import os

    fd = os.open("/dev/vhci", os.O_RDWR)
    os.write(fd, bytes([HCI_VENDOR_PKT, HCI_PRIMARY]))
    answer = os.read(fd, 4)  # vendor packet, opcode, then the index (little endian)
    return fd, int.from_bytes(answer[2:4], "little")


def run(socket, lab):
    lab.require(socket, "AF_BLUETOOTH", "BTPROTO_HCI")
    import os

    try:
        probe = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_RAW, socket.BTPROTO_HCI)
    except OSError as exc:
        lab.not_applicable(f"this kernel has no Bluetooth HCI sockets ({exc})")
    probe.close()
    if not os.path.exists("/dev/vhci"):
        lab.not_applicable("no /dev/vhci: this kernel cannot make a virtual controller")
    fd, index = _virtual_controller()
    try:
        with socket.socket(socket.AF_BLUETOOTH, socket.SOCK_RAW, socket.BTPROTO_HCI) as first:
            first.bind((index,))
            name = first.getsockname()
        print("getsockname():", repr(name), flush=True)
        with socket.socket(socket.AF_BLUETOOTH, socket.SOCK_RAW, socket.BTPROTO_HCI) as second:
            try:
                second.bind(name)
            except (TypeError, OSError, ValueError) as exc:
                return lab.reproduced(f"bind({name!r}) refused: {type(exc).__name__}: {exc}")
    finally:
        os.close(fd)
    return lab.not_reproduced(f"getsockname() = {name!r} binds again")
