"""bpo-20246: `recvfrom_into(buffer, nbytes)` trusted `nbytes` and wrote a
datagram of that size past the end of a smaller buffer (a heap overflow).
https://bugs.python.org/issue20246
"""

SCENARIO = {
    "reference": "bpo-20246",
    "title": "recvfrom_into with nbytes larger than the buffer overflows it",
    "family": "AF_INET",
    "needs": [],
    "affected": {
        "text": "every version before 2.7.7, 3.3.4 and 3.4.0",
        "versions": [["2.0", "2.7.7"], ["3.0", "3.3.4"]],
    },
    "fixed": "ValueError (nbytes is greater than the length of the buffer), nothing written",
}

BUFFER_SIZE = 4
DATAGRAM = b"x" * 1024


def run(socket, lab):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(5)
        sender.sendto(DATAGRAM, receiver.getsockname())
        buffer = bytearray(BUFFER_SIZE)
        try:
            received, _ = receiver.recvfrom_into(buffer, len(DATAGRAM))
        except ValueError as exc:
            return lab.not_reproduced(f"ValueError: {exc}")
    finally:
        receiver.close()
        sender.close()
    if received > BUFFER_SIZE:
        return lab.reproduced(f"{received} bytes written into a {BUFFER_SIZE}-byte buffer")
    return lab.reproduced(f"accepted nbytes > len(buffer) without an error ({received} bytes)")
