"""Which of test_socket's classes need which address family.

A machine whose kernel lacks a family skips those classes; the lab VM, whose
kernel has every family, runs them (tests/lab/vm/test_cpython_suite.py), and
only them: the rest the host's own run has already proved.  So that no
family's tests fall between the two, a host run fails when a test skips for
want of a family and its class is in none of the lists below (a class a
newer CPython adds, say).
"""

from __future__ import annotations

import re

# Lab capability name (`socklab doctor`) -> the classes that need it, by name.
CLASSES: dict[str, str] = {
    "can": r"CAN|ISOTP|J1939",
    "bluetooth": r"Bluetooth",
    "tipc": r"TIPC",
    "rds": r"RDS",
    "qipcrtr": r"QIPCRTR",
    "vsock": r"VSOCK",
    "alg": r"CryptoAPI",
    "sctp": r"SCTP",
    "udplite": r"UDPLITE",
}

# The reasons test_socket gives when a family is missing ("SocketCan
# required", "AF_ALG required", "TIPC module is not loaded", "can't create
# socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)", ...).  Case matters: "can't"
# is not CAN.
FAMILY_SKIP = re.compile(r"Bluetooth|QIPCRTR|VSOCK|TIPC|\bRDS\b|AF_ALG|SocketCan|\bCAN\b|ISOTP|J1939|SCTP|UDPLITE")


def class_of(test_id: str) -> str:
    """`test.test_socket.BasicCANTest.testCreateSocket` -> `BasicCANTest`."""
    parts = test_id.split(".")
    return parts[-2] if len(parts) >= 2 else test_id


def pattern(families: list[str]) -> str:
    """A regular expression matching the class names of `families`."""
    unknown = sorted(set(families) - set(CLASSES))
    if not families:
        raise ValueError(f"no family named: choose from {', '.join(CLASSES)}")
    if unknown:
        raise ValueError(f"no test_socket classes known for {', '.join(unknown)}: choose from {', '.join(CLASSES)}")
    return "|".join(f"(?:{CLASSES[family]})" for family in families)


def uncovered(skips: dict[str, str]) -> list[str]:
    """Of {test id: skip reason}, the tests skipped for want of a family
    whose class no family's list names: the lab VM would not run them."""
    every = re.compile(pattern(list(CLASSES)))
    return sorted(test for test, reason in skips.items()
                  if FAMILY_SKIP.search(reason) and not every.search(class_of(test)))
