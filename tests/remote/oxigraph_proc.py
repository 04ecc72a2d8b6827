"""A real ``oxigraph serve`` on a free loopback port, for the remote-backend tests.

Used by ``tests/remote`` and, with ``RELGRAPH_TEST_BACKEND=remote``, by the
endpoint tests of ``tests/server`` (the same suite over a remote store).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OxigraphServer", "backend", "free_port", "oxigraph_binary"]


def backend() -> str:
    """``embedded`` (default) or ``remote``: the store the integration tests run against."""
    return os.environ.get("RELGRAPH_TEST_BACKEND", "embedded").strip().lower() or "embedded"


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI: next to this Python (the venv) or on PATH."""
    here = Path(sys.executable).with_name("oxigraph")
    return str(here) if here.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """Stopping a server started in a process group of its own: terminate, else (or on purpose) SIGKILL."""

    proc: subprocess.Popen[bytes] | None
    #: Seconds a terminated server gets to shut down cleanly before it is killed.
    stop_timeout = 10.0

    def kill(self) -> None:
        """SIGKILL (no clean shutdown: what a crash looks like)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class OxigraphServer(ServerProcess):
    """``oxigraph serve --location DIR`` on 127.0.0.1; restartable on the same directory."""

    location: Path
    log: Path
    timeout_s: float | None = 5.0
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph CLI is not installed (pip install oxigraph)")
        command = [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.timeout_s:
            command += ["--timeout-s", str(int(max(1, self.timeout_s)))]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.proc.returncode}: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/query?query=ASK%7B%7D", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"oxigraph serve did not answer on {self.url}")
