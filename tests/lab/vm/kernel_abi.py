"""Kernel values of constants some stdlib builds lack, so the stdlib's side
of a differential test can still run: CPython 3.11 has no SO_TIMESTAMP,
CAN_RAW_ERR_FILTER, CAN_INV_FILTER or VMADDR_CID_LOCAL, and pyenv's builds
here have no AF_BLUETOOTH at all.  sockimpl must have every one of them."""

from __future__ import annotations

from types import ModuleType

from lab.oracle import stdlib_socket

KERNEL_VALUES = {
    "SO_TIMESTAMP": 29,  # asm-generic/socket.h
    "SCM_TIMESTAMP": 29,
    "CAN_RAW_ERR_FILTER": 2,  # linux/can/raw.h
    "CAN_INV_FILTER": 0x20000000,  # linux/can.h
    "CAN_ERR_MASK": 0x1FFFFFFF,
    "CAN_ERR_FLAG": 0x20000000,
    "VMADDR_CID_LOCAL": 1,  # linux/vm_sockets.h
}


def constant(impl: ModuleType, name: str) -> int:
    """`impl.name`; for the stdlib only, the kernel's value when it lacks it."""
    if impl is stdlib_socket():
        return getattr(impl, name, KERNEL_VALUES[name])
    return getattr(impl, name)
