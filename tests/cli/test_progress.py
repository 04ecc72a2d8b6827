"""Progress bars: drawn on a terminal (a pseudo-terminal here), never in a pipe or a log."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from relgraph import progress


def run(args: list[str], *, terminal: bool) -> tuple[int, str]:
    """Run ``relgraph ARGS`` with stderr on a pseudo-terminal or a pipe; (exit status, stderr)."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    command = [sys.executable, "-m", "relgraph.cli", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
        return done.returncode, done.stderr.decode("utf-8", "replace")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


BAR = "%|"  # tqdm's "  0%|          | 0.00/1.23k [00:00<?, ?B/s]"


@pytest.fixture
def data(data_dir: Path) -> Path:
    return data_dir / "good.ttl"


def test_load_and_reason_draw_bars_on_a_terminal(tmp_path: Path, data: Path) -> None:
    status, err = run(["load", "--no-validate", "--store", str(tmp_path / "s"), str(data)], terminal=True)
    assert status == 0, err
    assert BAR in err and "good.ttl" in err and "\r" in err  # the file's bar, redrawn in place
    assert "round 1" in err  # the rules' bar of the reasoning that follows the load
    status, err = run(["reason", "--store", str(tmp_path / "s")], terminal=True)
    assert status == 0 and BAR in err and "round 1" in err


def test_a_pipe_gets_the_messages_and_no_bar(tmp_path: Path, data: Path) -> None:
    status, err = run(["load", "--no-validate", "--store", str(tmp_path / "s"), str(data)], terminal=False)
    assert status == 0, err
    assert BAR not in err and "\r" not in err and "\x1b" not in err
    assert "… " in err or err == ""  # the step messages stay


def test_the_library_draws_nothing_unless_switched_on(tmp_path: Path) -> None:
    log = (tmp_path / "log.txt").open("w+", encoding="utf-8")
    assert progress.enable(log) is False and not progress.enabled()  # a file is not a terminal
    assert list(progress.track([1, 2, 3], desc="x")) == [1, 2, 3]
    with progress.bar(desc="y", total=3) as shown:
        shown.update(3)
    progress.say("a message", file=log)
    log.seek(0)
    assert log.read() == "a message\n"
    log.close()
