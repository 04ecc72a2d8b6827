"""Gzipped dumps of the whole graph (N-Quads, TriG), one set per data version.

A dump is written once per data version into the dumps folder as
``relgraph-<version>.<nq|trig>.gz`` (temporary file, then an atomic rename),
in a separate process (killed at the time limit, so a runaway dump never holds
a web worker), and files of older versions are removed once a newer dump
exists. The folder is the ``dumps_dir`` setting, else (:meth:`relgraph.deployment.Deployment.dumps_dir`):

* **embedded store**: ``<store>.dumps`` next to the store directory; the dump
  is written from the snapshot the engine serves (``<store>.snapshots/<version>``,
  never written after it is published), opened read-only;
* **remote store** (``http(s)://``): ``$XDG_CACHE_HOME/relgraph/dumps-<hash of the
  URL>``; the whole dataset is read with one Graph Store ``GET`` as N-Quads and
  streamed through pyoxigraph's parser and serialiser into the gzip file, so
  memory stays flat whatever the size of the data. The version is the remote
  engine's (see :mod:`relgraph.engine.remote`): a dump is at most
  ``remote_version_ttl`` seconds older than the request that asked for it. The
  file's modification time is when the remote was read; a request that waited
  while another wrote a dump takes that one if it was read after the request
  came in (no second dump of the same data).

No web framework here.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from .errors import StoreError
from .namespaces import PREFIXES
from .store.http import scrub

if TYPE_CHECKING:
    from .deployment import Deployment

__all__ = ["FORMATS", "ensure_dump", "write_dump", "write_remote_dump"]

#: name suffix → (pyoxigraph format name, media type of the uncompressed content)
FORMATS = {"nq": ("N_QUADS", "application/n-quads"), "trig": ("TRIG", "application/trig")}
#: How long one dump may take.
DUMP_TIMEOUT = 600.0


def _rdf_format(fmt: str) -> Any:
    import pyoxigraph as ox

    return getattr(ox.RdfFormat, FORMATS[fmt][0])


def write_dump(snapshot: str | Path, target: str | Path, fmt: str) -> None:
    """Write the dataset of ``snapshot`` (a store directory) as gzipped ``fmt`` to ``target``."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(snapshot))
    tmp = Path(f"{target}.tmp-{os.getpid()}")
    try:
        with gzip.open(tmp, "wb", compresslevel=6) as out:
            store.dump(cast(IO[bytes], out), _rdf_format(fmt), prefixes=PREFIXES if fmt == "trig" else None)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_remote_dump(url: str, target: str | Path, fmt: str, *, timeout: float = DUMP_TIMEOUT) -> None:
    """Write the whole dataset of the remote store at ``url`` as gzipped ``fmt`` to ``target``.

    One Graph Store ``GET`` of the dataset (N-Quads), parsed and serialised as
    it arrives: nothing is held in memory but pyoxigraph's buffers. ``timeout``
    bounds the whole transfer. Credentials come from the environment, as for
    every request to a remote store. The file's modification time is set to
    when the reading began.
    """
    import pyoxigraph as ox

    from .store import RemoteStore

    store = RemoteStore(url, timeout=timeout)
    started = time.time()
    tmp = Path(f"{target}.tmp-{os.getpid()}")
    try:
        with gzip.open(tmp, "wb", compresslevel=6) as out:
            prefixes = PREFIXES if fmt == "trig" else None
            ox.serialize(store.quads(), cast(IO[bytes], out), _rdf_format(fmt), prefixes=prefixes)
        os.utime(tmp, (started, started))
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _run_writer(writer: Callable[..., None], args: tuple[Any, ...], report: Connection) -> None:
    """In the dump process: run ``writer`` and send back None, or the error in words (credentials scrubbed)."""
    try:
        writer(*args)
    except Exception as err:  # every failure goes back to the parent as one line
        report.send(scrub(f"{err}" if isinstance(err, StoreError | OSError) else f"{type(err).__name__}: {err}"))
    else:
        report.send(None)
    finally:
        report.close()


def _fresh_dump(folder: Path, fmt: str, *, since: float) -> Path | None:
    """A dump in ``folder`` whose data was read at or after ``since`` (written while we waited)."""
    for path in sorted(folder.glob(f"relgraph-*.{fmt}.gz")):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime >= since:
                return path
    return None


def ensure_dump(
    where: Deployment,
    version: int,
    fmt: str,
    *,
    timeout: float = DUMP_TIMEOUT,
    folder: str | Path | None = None,
) -> Path:
    """The dump of ``version`` in ``fmt`` (``nq`` or ``trig``), written first if it is missing.

    ``where`` is the deployment (:func:`relgraph.deployment.deployment`); ``folder``
    overrides the dumps folder (:meth:`~relgraph.deployment.Deployment.dumps_dir`). Raises
    :class:`StoreError` (with the reason) when the dump cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown dump format {fmt!r}")
    target = where.dump_path(version, fmt, folder=folder)
    if target.exists():
        return target
    asked = time.time()
    folder_path = target.parent
    folder_path.mkdir(parents=True, exist_ok=True)
    job = where.dump_job(version, fmt, target, timeout=timeout)
    with open(folder_path / "dump.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():  # another request wrote it meanwhile
            return target
        if job.reuse_fresh:
            fresh = _fresh_dump(folder_path, fmt, since=asked)
            if fresh is not None:
                return fresh
        _write_in_child(job.writer, job.args, timeout=timeout, what=job.what, target=target)
        if not target.exists():
            raise StoreError(f"writing {job.what} failed: no file was written")
        for old in folder_path.glob(f"relgraph-*.{fmt}.gz"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
    return target


def _write_in_child(
    writer: Callable[..., None], args: tuple[Any, ...], *, timeout: float, what: str, target: Path
) -> None:
    """Run ``writer(*args)`` (which writes ``target``) in a spawned process, killed at ``timeout``.

    A failure is raised as StoreError with the writer's reason.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_writer, args=(writer, args, send), name="relgraph-dump", daemon=True)
    process.start()
    send.close()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join(5)
        receive.close()
        with contextlib.suppress(OSError):
            Path(f"{target}.tmp-{process.pid}").unlink()  # the half-written file of the killed writer
        raise StoreError(f"writing {what} ran past its time limit of {timeout:g} s and was stopped")
    message = None
    with contextlib.suppress(EOFError, OSError):
        if receive.poll():
            message = receive.recv()
    receive.close()
    if message is not None or process.exitcode != 0:
        reason = message or f"the dump process ended with exit code {process.exitcode}"
        raise StoreError(f"writing {what} failed: {reason}")
