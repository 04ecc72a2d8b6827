"""Engine profiles (relgraph.store.engines) and the parts of the remote client they choose, without a server."""

from __future__ import annotations

import pytest

from relgraph.errors import UsageError
from relgraph.store import http as store_http
from relgraph.store.engines import ENGINES, profile
from relgraph.store.http import Digest, summarise_error
from relgraph.store.remote import RemoteEndpoints

URL = "http://127.0.0.1:8890"

# (what the engine answered, its media type, the one line relgraph quotes)
ERROR_PAGES = [
    (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n  <head>\n    <title>SPARQL Graph Protocol '
        "request failed</title>\n  </head>\n  <body>\n    <h1>HTTP/1.1 500 Request Failed</h1>\n    <h3>Error 22023"
        "</h3>\n<xmp>The PUT request for graph <http://ex.org/g1> is rejected: the submitted resource is of "
        "unsupported type text/plain</xmp></body></html>",
        "text/html",
        "Error 22023: The PUT request for graph <http://ex.org/g1> is rejected: the submitted resource is of "
        "unsupported type text/plain",
    ),
    (
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}' before '}'\n\n"
        "SPARQL query:\nSELECT * WHERE { ?s ?p  }",
        "text/plain",
        "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at '}' before '}'",
    ),
    (
        "<html><head><title>Error HTTP/1.1 404 File not found</title></head><body><h3>Error HTTP/1.1 404 File not "
        "found</h3><pre>\nThe requested URL was not found    URI  = '/query'\n  </pre></body></html>",
        "text/html",
        "The requested URL was not found URI = '/query'",
    ),
    ("error at 1:10: expected one of Prefix", "text/plain", "error at 1:10: expected one of Prefix"),
    ("<html><body><p>Gateway\n   timeout</p></body></html>", "text/html", "Gateway timeout"),
    ("x" * 5000, "text/plain", "x" * 299 + "…"),
]


@pytest.mark.parametrize(("text", "media", "line"), ERROR_PAGES)
def test_an_error_page_becomes_one_line(text: str, media: str, line: str) -> None:
    assert summarise_error(text, media) == line


def test_profiles_set_the_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RELGRAPH_ENGINE", "RELGRAPH_REMOTE_USER", "RELGRAPH_REMOTE_TOKEN", "RELGRAPH_QUERY_URL"):
        monkeypatch.delenv(name, raising=False)
    ox = RemoteEndpoints.for_url(URL)
    assert (ox.query_url, ox.update_url, ox.store_url, ox.union_param) == (
        f"{URL}/query",
        f"{URL}/update",
        f"{URL}/store",
        "union-default-graph",
    )
    virt = RemoteEndpoints.for_url(URL, engine="virtuoso")
    assert (virt.query_url, virt.store_url, virt.union_param) == (f"{URL}/sparql", f"{URL}/sparql-graph-crud", "")
    monkeypatch.setenv("RELGRAPH_REMOTE_USER", "dba")
    virt = RemoteEndpoints.for_url(URL, engine="virtuoso")
    assert (virt.query_url, virt.update_url, virt.store_url) == (
        f"{URL}/sparql-auth",
        f"{URL}/sparql-auth",
        f"{URL}/sparql-graph-crud-auth",
    )
    assert virt.profile.auth == "digest" and virt.profile.default_is_union
    monkeypatch.setenv("RELGRAPH_ENGINE", "virtuoso")
    assert RemoteEndpoints.for_url(URL).profile.name == "virtuoso"  # the setting
    monkeypatch.setenv("RELGRAPH_QUERY_URL", "http://elsewhere/q")
    assert RemoteEndpoints.for_url(URL).query_url == "http://elsewhere/q"  # one field overridden


def test_generic_needs_its_endpoints_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RELGRAPH_QUERY_URL", "RELGRAPH_UPDATE_URL", "RELGRAPH_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(UsageError, match="set RELGRAPH_QUERY_URL"):
        RemoteEndpoints.for_url(URL, engine="generic")
    monkeypatch.setenv("RELGRAPH_QUERY_URL", "https://db.example/repositories/r")
    monkeypatch.setenv("RELGRAPH_UPDATE_URL", "https://db.example/repositories/r/statements")
    monkeypatch.setenv("RELGRAPH_STORE_URL", "https://db.example/repositories/r/rdf-graphs/service")
    generic = RemoteEndpoints.for_url(URL, engine="generic")
    assert generic.union_param == "" and generic.profile.query_post == "direct"


def test_unknown_engine_and_scheme_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match="unknown engine 'fuseki': choose one of oxigraph, virtuoso, generic"):
        profile("fuseki")
    monkeypatch.setenv("RELGRAPH_REMOTE_AUTH", "ntlm")
    with pytest.raises(UsageError, match="RELGRAPH_REMOTE_AUTH='ntlm'"):
        profile("oxigraph")
    monkeypatch.setenv("RELGRAPH_REMOTE_AUTH", "digest")
    assert profile("oxigraph").auth == "digest"
    monkeypatch.setenv("RELGRAPH_REMOTE_UNION_PARAM", "")
    assert profile("oxigraph").union_param == ""  # set but empty: the operator's word
    assert set(ENGINES) == {"oxigraph", "virtuoso", "generic"}


def test_digest_answers_the_rfc_2617_example(monkeypatch: pytest.MonkeyPatch) -> None:
    """RFC 2617 section 3.5: Mufasa / "Circle Of Life" gives response 6629fae4…"""
    monkeypatch.setattr(store_http.os, "urandom", lambda n: bytes.fromhex("0a4f113b"))
    digest = Digest("Mufasa", "Circle Of Life")
    assert digest.header("GET", "/dir/index.html") == {}  # no challenge yet
    assert digest.learn(
        'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"'
    )
    header = digest.header("GET", "/dir/index.html")["Authorization"]
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "nc=00000001" in header and 'cnonce="0a4f113b"' in header
    assert 'opaque="5ccc069c403ebaf9f0171e9517f40e41"' in header and 'username="Mufasa"' in header
    assert "nc=00000002" in digest.header("GET", "/dir/index.html")["Authorization"]  # the counter moves
    assert not digest.learn('Basic realm="x"')


def test_virtuoso_results_read_as_standard_terms() -> None:
    """Virtuoso's JSON results (tests/remote/data, as its writer lays them out): its ``nodeID://`` blank nodes
    become plain labels, its booleans stored as ``"1"``/``"0"`` the canonical ``"true"``/``"false"`` (the
    terms of the data, as other engines answer); integers stay as they are."""
    import io
    from pathlib import Path

    import pyoxigraph as ox

    raw = (Path(__file__).parent / "data" / "virtuoso-results.json").read_bytes()
    for chunk in (1 << 16, 7):  # whole lines, and lines cut anywhere
        reader = ENGINES["virtuoso"].results_reader(_Chunks(raw, chunk))
        rows = list(ox.parse_query_results(io.BufferedReader(reader), format=ox.QueryResultsFormat.JSON))
        boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
        assert rows[0]["limited"] == ox.Literal("true", datatype=boolean)
        assert rows[0]["ended"] == ox.Literal("false", datatype=boolean)
        assert rows[0]["count"] == ox.Literal(1) and rows[1]["count"] == ox.Literal(0)
        assert rows[0]["n"] == ox.BlankNode("b10000")
        assert rows[1]["limited"] == ox.Literal("true", datatype=boolean)
    assert ENGINES["oxigraph"].results_reader(raw) is raw


class _Chunks:
    """A response body read ``size`` bytes at a time."""

    def __init__(self, data: bytes, size: int) -> None:
        self._data, self._size = data, size

    def read(self, n: int = -1) -> bytes:
        out, self._data = self._data[: self._size], self._data[self._size :]
        return out
