"""The terminal `lab test` started on, kept before pytest captures it.

`lab test` runs the host's share in its own process (`pytest.main`) while a
thread runs the VM share and echoes what the guest prints.  pytest's
capture of file descriptors 1 and 2 would hide that output, and the VM
share's status lines, in whichever host test was running (shown only if it
failed).  `keep()` duplicates both descriptors before pytest starts;
`write()` goes there, or to sys.stdout/sys.stderr when nothing was kept.
"""

from __future__ import annotations

import os
import sys

_kept: dict[int, int] = {}


def keep() -> None:
    """Remember where standard output and error go now."""
    for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
        if fd not in _kept:
            stream.flush()
            _kept[fd] = os.dup(fd)


def write(fd: int, text: str) -> None:
    """`text` to the kept descriptor `fd` (1 or 2), whole."""
    if fd not in _kept:
        stream = sys.stdout if fd == 1 else sys.stderr
        stream.write(text)
        stream.flush()
        return
    data = text.encode(errors="replace")
    while data:
        data = data[os.write(_kept[fd], data):]
