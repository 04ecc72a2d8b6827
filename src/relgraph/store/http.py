"""The HTTP client of the remote store: streamed bodies, whole-request time limits, Basic/Digest/Bearer.

Credentials come only from the environment (``RELGRAPH_REMOTE_USER`` and
``RELGRAPH_REMOTE_PASSWORD``, or ``RELGRAPH_REMOTE_TOKEN``) and never appear in
a message: URLs are shown without user info (:func:`redact`), an engine's
echo of a credential is scrubbed (:func:`scrub`). Nothing here knows SPARQL.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import http.client
import io
import os
import re
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO, Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..errors import QueryTimeout, StoreError, UsageError

__all__ = ["CHUNK", "Digest", "HttpClient", "RemoteError", "Response", "error_text", "read_all", "redact", "scrub",
           "summarise_error"]  # fmt: skip

#: Bytes per write of a streamed request body (one "batch" of a load).
CHUNK = 1 << 20
#: Longest piece of a remote's error text quoted in a message (one line).
MAX_ERROR_TEXT = 300


def redact(url: str) -> str:
    """``url`` without user info (``user:password@``), for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


class RemoteError(StoreError):
    """The remote store answered with an error status (kept: ``status``, ``text``)."""

    def __init__(self, message: str, *, status: int | None = None, text: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.text = text


def _auth_header() -> dict[str, str]:
    token = os.environ.get("RELGRAPH_REMOTE_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = os.environ.get("RELGRAPH_REMOTE_USER")
    if user:
        password = os.environ.get("RELGRAPH_REMOTE_PASSWORD", "")
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {}


def _secrets() -> list[str]:
    values = [os.environ.get(n, "") for n in ("RELGRAPH_REMOTE_TOKEN", "RELGRAPH_REMOTE_PASSWORD")]
    header = _auth_header().get("Authorization", "")
    return [v for v in (*values, header.partition(" ")[2]) if len(v) >= 3]


def scrub(text: str) -> str:
    """``text`` with any configured credential replaced by ``***`` (a remote may echo headers)."""
    for secret in _secrets():
        text = text.replace(secret, "***")
    return text


class Response:
    """An open HTTP response: ``status``, ``media_type``, a binary ``read``; close when done."""

    def __init__(self, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, deadline: float | None):
        self.conn, self.resp, self.deadline = conn, resp, deadline
        self.status = resp.status
        self.media_type = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()

    def read(self, n: int = -1) -> bytes:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("time limit reached while reading the answer")
            if self.conn.sock is not None:
                self.conn.sock.settimeout(left)
        return self.resp.read(n if n is not None and n >= 0 else None)

    def header(self, name: str) -> str | None:
        """A header of the answer (None when absent)."""
        return self.resp.getheader(name)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.resp.close()
        with contextlib.suppress(Exception):
            self.conn.close()

    def __enter__(self) -> Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Digest:
    """HTTP Digest (RFC 7616, MD5 or SHA-256, ``qop=auth``): the last challenge is reused with a counter."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.challenge: dict[str, str] | None = None
        self.count = 0
        self._lock = threading.Lock()

    def learn(self, header: str) -> bool:
        """Keep a ``WWW-Authenticate: Digest ...`` challenge; False when ``header`` is not one."""
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() != "digest":
            return False
        fields: dict[str, str] = {}
        for key, quoted, bare in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', rest):
            fields[key.lower()] = quoted or bare
        with self._lock:
            self.challenge, self.count = fields, 0
        return "nonce" in fields

    def header(self, method: str, target: str) -> dict[str, str]:
        with self._lock:
            c = self.challenge
            if c is None:
                return {}
            self.count += 1
            nc = f"{self.count:08x}"
        algorithm = c.get("algorithm", "MD5").upper()
        h = hashlib.sha256 if algorithm.startswith("SHA-256") else hashlib.md5

        def digest(text: str) -> str:
            return h(text.encode("utf-8")).hexdigest()

        realm, nonce = c.get("realm", ""), c.get("nonce", "")
        ha1 = digest(f"{self.user}:{realm}:{self.password}")
        ha2 = digest(f"{method}:{target}")
        cnonce = os.urandom(8).hex()
        qop = "auth" if "auth" in [q.strip() for q in c.get("qop", "").split(",")] else ""
        response = digest(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}") if qop else digest(f"{ha1}:{nonce}:{ha2}")
        parts = [f'username="{self.user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{target}"',
                 f'response="{response}"', f"algorithm={algorithm}"]  # fmt: skip
        if "opaque" in c:
            parts.append(f'opaque="{c["opaque"]}"')
        if qop:
            parts += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        return {"Authorization": "Digest " + ", ".join(parts)}


class HttpClient:
    """Minimal HTTP/1.1 over ``http.client`` with streamed bodies and whole-request time limits.

    One connection per request (kept simple and thread-safe); the time limit
    bounds connecting, sending and every read of the answer. ``auth`` is the
    scheme for a user and password (``basic`` or ``digest``; a token is always
    sent as Bearer). Digest needs a challenge first: a request whose body is a
    stream is preceded by a bodiless ``HEAD`` when none is known yet, so a big
    body is not sent twice; any 401 with a fresh challenge is retried once.
    """

    def __init__(self, *, timeout: float, auth: str = "basic") -> None:
        self.timeout = timeout
        self._ssl = ssl.create_default_context()
        self._digest: Digest | None = None
        user = os.environ.get("RELGRAPH_REMOTE_USER")
        if auth == "digest" and user and not os.environ.get("RELGRAPH_REMOTE_TOKEN"):
            self._digest = Digest(user, os.environ.get("RELGRAPH_REMOTE_PASSWORD", ""))

    def _connect(self, url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{redact(url)}: not an http(s) URL")
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        return conn, target

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: bytes | IO[bytes] | None = None,
        length: int | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Response:
        """Send a request and return the open response (any status); raise on network failure/time limit."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        digest = self._digest
        if digest is not None and digest.challenge is None and body is not None and not isinstance(body, bytes):
            self._send("HEAD", url, params, None, None, headers, deadline, limit).close()
        start = body.tell() if body is not None and not isinstance(body, bytes) else 0
        resp = self._send(method, url, params, body, length, headers, deadline, limit)
        if digest is not None and resp.status == 401 and digest.learn(resp.header("WWW-Authenticate") or ""):
            resp.close()
            if body is not None and not isinstance(body, bytes):
                body.seek(start)
            resp = self._send(method, url, params, body, length, headers, deadline, limit)
        return resp

    def _send(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]],
        body: bytes | IO[bytes] | None,
        length: int | None,
        headers: Mapping[str, str] | None,
        deadline: float,
        limit: float,
    ) -> Response:
        conn, target = self._connect(url, max(0.001, deadline - time.monotonic()))
        if params:
            target += ("&" if "?" in target else "?") + urlencode(list(params), quote_via=quote)
        auth = self._digest.header(method, target) if self._digest is not None else _auth_header()
        all_headers = {"User-Agent": "relgraph", **auth, **(headers or {})}
        try:
            if body is None or isinstance(body, bytes):
                conn.request(method, target, body=body, headers=all_headers)
            else:
                if length is not None:
                    all_headers["Content-Length"] = str(length)
                conn.putrequest(method, target, skip_accept_encoding=True)
                for key, value in all_headers.items():
                    conn.putheader(key, value)
                conn.endheaders()
                while True:
                    chunk = body.read(CHUNK)
                    if not chunk:
                        break
                    if time.monotonic() > deadline:
                        raise TimeoutError("time limit reached while sending")
                    conn.send(chunk)
            if conn.sock is not None:
                conn.sock.settimeout(max(0.001, deadline - time.monotonic()))
            resp = conn.getresponse()
        except TimeoutError:
            conn.close()
            raise QueryTimeout(
                f"{redact(url)} did not answer within the time limit of {limit:g} s", timeout=limit
            ) from None
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            raise StoreError(
                f"the remote store at {redact(url)} is unreachable or went away: {scrub(str(err))}"
            ) from None
        return Response(conn, resp, deadline)


def error_text(resp: Response) -> str:
    """The remote's error answer as one line: its own message, never a whole page (see :func:`summarise_error`)."""
    try:
        text = resp.read(64 * 1024).decode("utf-8", "replace").strip()
    except (OSError, TimeoutError, http.client.HTTPException):
        text = ""
    finally:
        resp.close()
    return summarise_error(scrub(text), resp.media_type)


_ECHOED_QUERY = re.compile(r"\n\s*SPARQL (?:query|request):.*", re.S | re.I)  # Virtuoso repeats the query
_HTML_MESSAGE = re.compile(r"<(xmp|pre|p)\b[^>]*>(.*?)</\1>", re.S | re.I)
_HTML_HEADING = re.compile(r"<(h[1-6]|title)\b[^>]*>(.*?)</\1>", re.S | re.I)


def summarise_error(text: str, media_type: str = "") -> str:
    r"""An engine's error body as one line of at most MAX_ERROR_TEXT characters: its own message.

    HTML pages (Virtuoso's, a proxy's) give their first ``<xmp>``/``<pre>``/``<p>``
    text, after the last heading naming an error code; an echo of the query is cut.

    >>> summarise_error("<html><body><h1>HTTP/1.1 500 Request Failed</h1><h3>Error 22023</h3>"
    ...                 "<xmp>The PUT request is rejected</xmp></body></html>", "text/html")
    'Error 22023: The PUT request is rejected'
    >>> summarise_error("Virtuoso 37000 Error SP030: syntax error at 'x'\n\nSPARQL query:\nSELECT x", "text/plain")
    "Virtuoso 37000 Error SP030: syntax error at 'x'"
    """
    if "html" in media_type or re.match(r"\s*<(!doctype|html|head|body)\b", text, re.I):
        found = _HTML_MESSAGE.search(text)
        headings = [_strip_tags(h[1]) for h in _HTML_HEADING.findall(text)]
        # a heading naming the engine's error code ("Error 22023"), not the HTTP status relgraph states itself
        code = next((h for h in reversed(headings) if re.search(r"\berror\b", h, re.I) and "HTTP/" not in h), "")
        if found:
            inner = found.group(2)  # <xmp> holds text as is (IRIs in angle brackets are no tags)
            body = " ".join(html.unescape(inner).split()) if found.group(1).lower() == "xmp" else _strip_tags(inner)
            text = f"{code}: {body}" if code and code not in body else body
        else:
            whole = re.search(r"<body\b[^>]*>(.*)</body>", text, re.S | re.I)
            text = _strip_tags(whole.group(1) if whole else text) or (headings[0] if headings else "")
    text = _ECHOED_QUERY.sub("", text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"


def _strip_tags(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def read_all(resp: Response) -> bytes:
    buf = io.BytesIO()
    while True:
        chunk = resp.read(CHUNK)
        if not chunk:
            return buf.getvalue()
        buf.write(chunk)
