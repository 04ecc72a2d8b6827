"""A small closed-loop HTTP load client for SPARQL endpoints (loopback only).

    python bench/loadclient.py http://127.0.0.1:7878/sparql --query 'ASK {}' -c 4 --duration 5

``concurrency`` connections, each in its own worker **process** (no GIL between
them), each sending GET requests back to back over one keep-alive connection
(re-opened when the server closes it, as a server may after some requests). Requests
are pre-encoded bytes and responses are parsed by hand (Content-Length or
chunked), so the client spends a few tens of microseconds per request; see
``bench/README.md`` for the check that it drives > 5k req/s.

Every response must be ``200`` with a non-empty body; anything else (other
status, empty body, connection error, timeout) counts as an error. Latency is
measured per request from the first byte sent to the last byte read.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import socket
import sys
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, urlsplit

__all__ = ["LoadResult", "build_request", "run_load"]

ACCEPT_SELECT = "application/sparql-results+json"
ACCEPT_GRAPH = "text/turtle"
_MAX_HEADER = 64 * 1024


@dataclass
class LoadResult:
    """What one load run measured (latencies in milliseconds)."""

    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    bytes: int = 0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    error_samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k]

    def merge(self, other: LoadResult) -> None:
        """Pool another run into this one (requests and time add up)."""
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.bytes += other.bytes
        self.latencies_ms.extend(other.latencies_ms)
        self.error_samples.extend(other.error_samples)

    def summary(self) -> dict[str, float | int | list[str]]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 3),
            "p95_ms": round(self.percentile(95), 3),
            "mean_bytes": round(self.bytes / self.requests) if self.requests else 0,
            "error_samples": self.error_samples[:5],
        }


def build_request(url: str, query: str, accept: str) -> tuple[str, int, bytes]:
    """(host, port, request bytes) for ``GET url?query=…`` with keep-alive."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url}: only http:// URLs are supported")
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"{url}: the load client only talks to loopback")
    port = parts.port or 80
    # An empty query means a plain GET of the URL as given (e.g. an HTML page, /search?q=…).
    if query:
        target = f"{parts.path or '/'}?query={quote(query, safe='')}"
    else:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    head = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.hostname}:{port}\r\n"
        f"Accept: {accept}\r\nUser-Agent: relgraph-bench\r\nConnection: keep-alive\r\n\r\n"
    )
    return parts.hostname, port, head.encode("ascii")


class _HttpError(Exception):
    pass


class _Conn:
    """One keep-alive HTTP/1.1 connection with a minimal response reader."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.addr = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buf = b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.addr, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buf = sock, b""
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buf = None, b""

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise _HttpError("connection closed by server")
        self.buf += chunk

    def _read_until(self, marker: bytes) -> bytes:
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + len(marker) :]
                return line
            if len(self.buf) > _MAX_HEADER:
                raise _HttpError("header too long")
            self._fill()

    def _read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def request(self, raw: bytes) -> tuple[int, int]:
        """Send one request; return (status, body length). Reconnects if needed."""
        reused = self.sock is not None
        sock = self.sock or self._connect()
        try:
            sock.sendall(raw)
            return self._response()
        except (_HttpError, OSError):
            if not reused or self.buf:
                self.close()
                raise
            # A keep-alive connection the server had already closed: retry once, fresh.
            self.close()
            self._connect().sendall(raw)
            return self._response()

    def _response(self) -> tuple[int, int]:
        head = self._read_until(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length: int | None = None
        chunked = close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            size = 0
            while True:
                n = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if n == 0:
                    self._read_until(b"\r\n")  # no trailers expected
                    break
                self._read_exact(n + 2)
                size += n
        elif length is not None:
            self._read_exact(length)
            size = length
        else:  # body until close
            while True:
                try:
                    self._fill()
                except _HttpError:
                    break
            size = len(self.buf)
            close = True
        if close:
            self.close()
        return status, size


def _worker(
    host: str,
    port: int,
    raw: bytes,
    deadline: float,
    max_requests: int,
    timeout: float,
    queue: mp.Queue,  # type: ignore[type-arg]
) -> None:
    result = LoadResult()
    conn = _Conn(host, port, timeout)
    started = time.perf_counter()
    perf = time.perf_counter
    lat = result.latencies_ms
    # Bounded loop: stops at the deadline or after max_requests, whichever is first.
    while result.requests + result.errors < max_requests:
        t0 = perf()
        if t0 >= deadline:
            break
        try:
            status, size = conn.request(raw)
        except (OSError, ValueError, _HttpError) as err:
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"{type(err).__name__}: {err}")
            conn.close()
            time.sleep(0.01)
            continue
        t1 = perf()
        if status != 200 or size == 0:
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"status {status}, {size} bytes")
            continue
        result.requests += 1
        result.bytes += size
        lat.append((t1 - t0) * 1000.0)
    result.seconds = perf() - started
    conn.close()
    queue.put(asdict(result))


def run_load(
    url: str,
    query: str,
    *,
    accept: str = ACCEPT_SELECT,
    concurrency: int = 4,
    duration: float = 10.0,
    max_requests: int = 10_000_000,
    timeout: float = 60.0,
) -> LoadResult:
    """Drive ``url`` with ``concurrency`` closed-loop connections for ``duration`` seconds.

    Throughput is total successful requests over the wall time of the slowest
    worker; latencies of all workers are pooled.
    """
    host, port, raw = build_request(url, query, accept)
    ctx = mp.get_context("fork") if sys.platform != "win32" else mp.get_context()
    queue = ctx.Queue()
    per_worker = max(1, max_requests // concurrency)
    # All workers share one deadline, set after they are forked.
    procs = []
    start = time.perf_counter()
    deadline = start + 0.2 + duration
    for _ in range(concurrency):
        p = ctx.Process(target=_worker, args=(host, port, raw, deadline, per_worker, timeout, queue), daemon=True)
        p.start()
        procs.append(p)
    total = LoadResult()
    results = []
    try:
        for _ in procs:
            results.append(queue.get(timeout=duration + timeout + 30))
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
    for r in results:
        part = LoadResult(**r)
        seconds = max(total.seconds, part.seconds)
        total.merge(part)
        total.seconds = seconds
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Closed-loop GET load on a SPARQL endpoint (loopback only).")
    parser.add_argument("url", help="endpoint, e.g. http://127.0.0.1:7878/sparql")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--query", help="SPARQL text")
    group.add_argument("--query-file", metavar="FILE.rq")
    parser.add_argument("--accept", default=None, help=f"default {ACCEPT_SELECT} ({ACCEPT_GRAPH} for DESCRIBE)")
    parser.add_argument("-c", "--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("-n", "--requests", type=int, default=10_000_000, help="stop after this many requests")
    args = parser.parse_args(argv)
    if args.query_file:
        with open(args.query_file, encoding="utf-8") as f:
            query = f.read()
    else:
        query = args.query
    accept = args.accept or (ACCEPT_GRAPH if is_graph_query(query) else ACCEPT_SELECT)
    result = run_load(
        args.url, query, accept=accept, concurrency=args.concurrency, duration=args.duration, max_requests=args.requests
    )
    print(json.dumps(result.summary(), indent=2))
    return 1 if result.errors or not result.requests else 0


def is_graph_query(query: str) -> bool:
    """True for DESCRIBE and CONSTRUCT (answered as RDF, not as a results table)."""
    words = [w.upper() for line in query.splitlines() if not line.lstrip().startswith("#") for w in line.split()]
    for w in words:
        if w in {"SELECT", "ASK"}:
            return False
        if w in {"DESCRIBE", "CONSTRUCT"}:
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
