"""gh-129719: `socket.CAN_RAW_ERR_FILTER` disappeared from the module in
3.11 (its definition went under the wrong preprocessor condition), so CAN
error frames can no longer be asked for by name.
https://github.com/python/cpython/issues/129719
"""

SCENARIO = {
    "reference": "gh-129719",
    "title": "CAN_RAW_ERR_FILTER missing from the module",
    "family": "AF_CAN",
    "needs": ["can", "vcan"],
    "affected": {
        "text": "3.11.0 until the fix in 3.12.10 and 3.13.3 (3.11 stays affected)",
        "versions": [["3.11.0", "3.12.10"], ["3.13.0", "3.13.3"]],
    },
    "fixed": "CAN_RAW_ERR_FILTER exists and sets the error mask of a CAN_RAW socket",
}

CAN_ERR_MASK = 0x1FFFFFFF  # linux/can/error.h: every error class


def run(socket, lab):
    lab.require(socket, "AF_CAN", "CAN_RAW", "SOL_CAN_RAW")
    if not hasattr(socket, "CAN_RAW_ERR_FILTER"):
        return lab.reproduced("socket.CAN_RAW_ERR_FILTER is missing")
    with socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW) as sock:
        sock.bind((lab.interface,))
        sock.setsockopt(socket.SOL_CAN_RAW, socket.CAN_RAW_ERR_FILTER, CAN_ERR_MASK)
        mask = sock.getsockopt(socket.SOL_CAN_RAW, socket.CAN_RAW_ERR_FILTER)
    if mask != CAN_ERR_MASK:
        return lab.reproduced(f"CAN_RAW_ERR_FILTER = {socket.CAN_RAW_ERR_FILTER} did not set the mask (read back {mask:#x})")
    return lab.not_reproduced(f"CAN_RAW_ERR_FILTER = {socket.CAN_RAW_ERR_FILTER}, error mask set")
