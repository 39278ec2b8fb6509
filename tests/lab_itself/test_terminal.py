"""`lab.terminal`: what the VM share echoes reaches the terminal `lab test`
started on, even while the host's share (pytest, in the same process)
captures file descriptors 1 and 2."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CAPTURED_AFTER_KEEP = textwrap.dedent("""
    import os, sys, tempfile
    from lab import terminal

    terminal.keep()
    # What pytest's fd capture does to this process once it starts.
    capture = tempfile.TemporaryFile()
    os.dup2(capture.fileno(), 1)
    os.dup2(capture.fileno(), 2)
    terminal.write(1, "guest output\\n")
    terminal.write(2, "lab: status\\n")
    print("a host test's own output", flush=True)
    capture.seek(0)
    terminal.write(2, "captured: " + capture.read().decode())
""")


def test_what_the_vm_share_echoes_passes_the_host_shares_capture():
    done = subprocess.run([sys.executable, "-c", CAPTURED_AFTER_KEEP], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO)}, check=True)
    assert done.stdout == "guest output\n"
    assert done.stderr == "lab: status\ncaptured: a host test's own output\n"


def test_the_vm_shares_lines_come_whole_and_marked_as_the_guests():
    from lab.vm.runner import LineEcho

    written: list[str] = []
    echo = LineEcho(write=written.append)
    for piece in ("tests/lab/vm/test_alg.py ", "..", ".   [ 26%]\nlab-vm: first", " test starts\n", "sss"):
        echo(piece)
    assert "".join(written) == "[vm] tests/lab/vm/test_alg.py ...   [ 26%]\n[vm] lab-vm: first test starts\n"
    echo.flush()
    assert written[-1] == "[vm] sss\n"
