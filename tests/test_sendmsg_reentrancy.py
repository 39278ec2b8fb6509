"""sendmsg() and recvmsg_into() read their lists once: Python code that an
item's conversion runs (__index__, __buffer__) may clear the caller's list,
and must not leave sockimpl reading the freed item array.  The stdlib
crashed so until the fixes of gh-143637 (ancillary data) and gh-143988
(buffers); sockimpl uses what the lists held when the call began.  Run
in-process: a regression is this test process's crash."""

from __future__ import annotations

import array
import os
import sys

import pytest

import sockimpl

needs_buffer_protocol = pytest.mark.skipif(sys.version_info < (3, 12), reason="__buffer__ is Python 3.12's (PEP 688)")


def test_ancillary_list_cleared_by_an_items_index_still_sends_every_item():
    left, right = sockimpl.socketpair(sockimpl.AF_UNIX, sockimpl.SOCK_DGRAM)
    pipes = [os.pipe(), os.pipe()]
    control: list = []

    class ClearingLevel:
        def __index__(self) -> int:
            control.clear()
            return sockimpl.SOL_SOCKET

    control[:] = [(ClearingLevel(), sockimpl.SCM_RIGHTS, array.array("i", [pipes[0][0]]).tobytes()),
                  (sockimpl.SOL_SOCKET, sockimpl.SCM_RIGHTS, array.array("i", [pipes[1][0]]).tobytes())]
    try:
        assert left.sendmsg([b"x"], control) == 1
        data, ancdata, _, _ = right.recvmsg(8, sockimpl.CMSG_SPACE(64))
        received = array.array("i")
        for level, kind, payload in ancdata:
            assert (level, kind) == (sockimpl.SOL_SOCKET, sockimpl.SCM_RIGHTS)
            received.frombytes(payload)
        assert data == b"x" and len(received) == 2
        for fd in received:
            os.close(fd)
    finally:
        left.close()
        right.close()
        for read_end, write_end in pipes:
            os.close(read_end)
            os.close(write_end)


class ClearingBuffer:
    """A buffer whose export clears `into` the first time."""

    def __init__(self, data: bytearray, into: list) -> None:
        self.data, self.into, self.cleared = data, into, False

    def __buffer__(self, flags: int) -> memoryview:
        if not self.cleared:
            self.cleared = True
            self.into.clear()
        return memoryview(self.data)


@needs_buffer_protocol
def test_data_list_cleared_by_a_buffers_export_still_sends_every_buffer():
    left, right = sockimpl.socketpair()
    buffers: list = []
    buffers[:] = [ClearingBuffer(bytearray(b"Hello"), buffers), b"World", b"!"]
    try:
        assert left.sendmsg(buffers) == 11
        assert right.recv(16) == b"HelloWorld!"
    finally:
        left.close()
        right.close()


@needs_buffer_protocol
def test_recvmsg_into_list_cleared_by_a_buffers_export_still_fills_every_buffer():
    left, right = sockimpl.socketpair()
    first, second = bytearray(4), bytearray(4)
    buffers: list = []
    buffers[:] = [ClearingBuffer(first, buffers), second]
    try:
        left.sendall(b"abcdefgh")
        assert right.recvmsg_into(buffers)[0] == 8
        assert (first, second) == (bytearray(b"abcd"), bytearray(b"efgh"))
    finally:
        left.close()
        right.close()
