"""A real OpenLink Virtuoso (``virtuoso-t``) on free loopback ports, for the remote-backend tests.

Used by ``tests/remote`` and ``tests/server`` with ``RELGRAPH_TEST_BACKEND=virtuoso``
(the same suite as over ``oxigraph serve``), by the cross-engine agreement test and by
``bench/engines.py``. Each server gets a throwaway database folder with its own
``virtuoso.ini`` (SQL and HTTP ports of its own); relgraph reaches it with
``--engine virtuoso`` and the ``dba`` account over HTTP Digest
(``/sparql-auth``, ``/sparql-graph-crud-auth``). Debian: ``apt install virtuoso-opensource``.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from oxigraph_proc import ServerProcess, free_port

__all__ = ["PASSWORD", "USER", "VirtuosoServer", "virtuoso_binary"]

#: The account of a fresh Virtuoso database (its ``dba`` user); only ever on loopback here.
USER = "dba"
PASSWORD = "dba"  # noqa: S105 - Virtuoso's documented default, of a throwaway database

_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., {dir}
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}
ThreadsPerQuery          = 2
MaxQueryMem              = 1G

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
ServerThreads               = 10
MaxClientConnections        = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = {timeout_s}
DefaultGraph               =
"""


#: A fresh database, made once per process (each pytest-xdist worker its own) and copied for each new
#: server: creating one takes virtuoso-t 5-7 s (its system tables), starting on a copy 1-2 s.
_EMPTY: list[Path] = []


def _copy_empty_database(location: Path) -> None:
    """Put a copy of an empty, cleanly stopped database into ``location`` (made on first use)."""
    if not _EMPTY:
        root = Path(tempfile.mkdtemp(prefix="relgraph-virtuoso-empty-"))
        atexit.register(shutil.rmtree, root, True)
        server = VirtuosoServer(root / "db", from_copy=False)
        server.start()
        server.stop()
        _EMPTY.append(root / "db")
    shutil.copytree(_EMPTY[0], location, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.ini", "*.lck", "*.log"))


def virtuoso_binary() -> str | None:
    """``virtuoso-t`` on PATH (Debian's ``virtuoso-opensource``), or None."""
    return shutil.which("virtuoso-t")


@dataclass
class VirtuosoServer(ServerProcess):
    """``virtuoso-t +foreground`` over a database in ``location``; restartable on the same folder.

    ``kill`` is a crash without a checkpoint; ``stop`` gives Virtuoso 30 s to write its checkpoint.
    """

    stop_timeout = 30.0

    location: Path
    timeout_s: float | None = 5.0
    #: Virtuoso's answer cap (``[SPARQL] ResultSetMaxRows``); above relgraph's own row cap.
    max_rows: int = 1_000_000
    #: 8 KiB pages in memory (``NumberOfBuffers``): 20 000 is ~170 MB, ample for tests.
    buffers: int = 20_000
    http_port: int = field(default_factory=free_port)
    sql_port: int = field(default_factory=free_port)
    #: Start a new database from a copy of an empty one (see ``_copy_empty_database``), not from scratch.
    from_copy: bool = True
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.location / "virtuoso.log"

    @staticmethod
    def settings() -> dict[str, str]:
        """The settings that point relgraph at such a server (engine profile and the dba account)."""
        return {"RELGRAPH_ENGINE": "virtuoso", "RELGRAPH_REMOTE_USER": USER, "RELGRAPH_REMOTE_PASSWORD": PASSWORD}

    def start(self) -> VirtuosoServer:
        binary = virtuoso_binary()
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed (Debian: apt install virtuoso-opensource)")
        if self.from_copy and not (self.location / "virtuoso.db").exists():
            _copy_empty_database(self.location)
        self.location.mkdir(parents=True, exist_ok=True)
        (self.location / "vsp").mkdir(exist_ok=True)
        ini = self.location / "virtuoso.ini"
        timeout = int(max(1, self.timeout_s)) if self.timeout_s else 0
        ini.write_text(
            _INI.format(
                dir=self.location,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty=self.buffers * 3 // 4,
                max_rows=self.max_rows,
                timeout_s=timeout,
            )
        )
        command = [binary, "+foreground", "+configfile", str(ini)]
        with (self.location / "stdout.log").open("ab") as out:
            self.proc = subprocess.Popen(
                command, cwd=self.location, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode}: {self._log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/sparql?query=ASK%7B%7D", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not answer on {self.url}: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"
