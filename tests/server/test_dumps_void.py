"""The gzipped dumps and the VoID description, on both backends.

With ``RELGRAPH_TEST_BACKEND=remote`` the server runs over a real ``oxigraph
serve``: the dumps are then streamed from the remote store (one Graph Store
``GET``) into the cache folder (``$XDG_CACHE_HOME/relgraph/dumps-…``).
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from remote_proc import xfail_on_virtuoso
from sparql_http import TOKEN, Server

from relgraph.deployment import deployment
from relgraph.store.remote import is_url as is_remote

FORMATS = {"relgraph.nq.gz": ox.RdfFormat.N_QUADS, "relgraph.trig.gz": ox.RdfFormat.TRIG}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
NEW_GRAPH = "https://example.org/graph/dump-test"


@pytest.fixture(scope="session")
def dump_server(start_server: Any) -> Server:
    """Updates on without the gate; over a remote store the version moves only with updates (TTL 10⁹ s)."""
    return start_server(
        "dumps", token=TOKEN, env={"RELGRAPH_VALIDATE_UPDATES": "false", "RELGRAPH_REMOTE_VERSION_TTL": "1e9"}
    )


def canonical(quads: Any) -> list[str]:
    """N-Quads lines with blank node labels blanked (the dump and a query label them differently)."""
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", str(q)) for q in quads)


def store_quads(server: Server) -> list[str]:
    """Every quad of the store's named graphs, read with a SPARQL query (the served data has no other)."""
    reply = server.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    solutions = ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON)
    return canonical(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in solutions)  # type: ignore[arg-type, index, union-attr]


def dumped(server: Server, name: str) -> tuple[Any, list[str]]:
    reply = server.get(f"/dumps/{name}", timeout=120)
    assert reply.status == 200, reply.text
    return reply, canonical(ox.parse(gzip.decompress(reply.body), format=FORMATS[name]))


def dump_folder(server: Server, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = server.store.parent
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))  # as the server was started (conftest)
    monkeypatch.delenv("RELGRAPH_DUMPS_DIR", raising=False)
    return deployment(server.store_spec).dumps_dir()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(FORMATS))
@xfail_on_virtuoso("its own graphs (virtrdf#, …) match GRAPH ?g in the test's query; the dump leaves them out")
def test_the_dump_holds_exactly_the_quads_of_the_store(dump_server: Server, name: str) -> None:
    reply, quads = dumped(dump_server, name)
    assert reply.content_type == "application/gzip"
    assert f"filename={name}" in reply.headers["Content-Disposition"]
    assert 'rel="license"' in reply.headers["Link"] and 'rel="describedby"' in reply.headers["Link"]
    assert len(quads) > 2000
    assert quads == store_quads(dump_server)


@xfail_on_virtuoso("DROP GRAPH of a graph INSERT DATA wrote is refused (not explicitly created); DROP SILENT works")
def test_a_dump_is_written_once_per_data_version(dump_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = dump_folder(dump_server, monkeypatch)
    first, quads = dumped(dump_server, "relgraph.nq.gz")
    files = sorted(folder.glob("relgraph-*.nq.gz"))
    assert len(files) == 1, files
    written = files[0].stat().st_mtime_ns
    again, _ = dumped(dump_server, "relgraph.nq.gz")
    assert again.headers["ETag"] == first.headers["ETag"]
    assert sorted(folder.glob("relgraph-*.nq.gz")) == files and files[0].stat().st_mtime_ns == written

    triple = '<https://example.org/s> <https://example.org/p> "in the next dump"'
    assert dump_server.update(f"INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ {triple} }} }}").status == 204
    try:
        changed, after = dumped(dump_server, "relgraph.nq.gz")
        assert changed.headers["ETag"] != first.headers["ETag"]
        assert sorted(set(after) - set(quads)) == [f"{triple} <{NEW_GRAPH}>"]
        newer = sorted(folder.glob("relgraph-*.nq.gz"))
        assert len(newer) == 1 and newer != files  # the old version's file is removed
    finally:
        assert dump_server.update(f"DROP GRAPH <{NEW_GRAPH}>").status == 204


def test_unknown_dump_is_404(dump_server: Server) -> None:
    reply = dump_server.get("/dumps/other.zip")
    assert reply.status == 404 and "relgraph.nq.gz" in reply.text


def test_void_counts_the_store_and_links_dumps_that_work(dump_server: Server) -> None:
    reply = dump_server.get("/.well-known/void")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    ds = next(graph.subjects(rdflib.RDF.type, VOID.Dataset))
    count = int(dump_server.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    assert int(graph.value(ds, VOID.triples)) == count
    assert len(list(graph.objects(ds, VOID.classPartition))) > 10
    linkset = next(graph.subjects(rdflib.RDF.type, VOID.Linkset))
    assert int(graph.value(linkset, VOID.triples)) > 0
    # dct:modified is when the published data changed: known for a store directory, not for a remote
    remote = is_remote(dump_server.store_spec)  # type: ignore[attr-defined]
    assert (graph.value(ds, DCT.modified) is None) == remote
    dumps = sorted(str(u) for u in graph.objects(ds, VOID.dataDump))
    assert [u.rsplit("/", 1)[1] for u in dumps] == ["relgraph.nq.gz", "relgraph.trig.gz"]
    for url in dumps:
        got = dump_server.get(url.removeprefix(dump_server.url), timeout=120)
        assert got.status == 200 and got.content_type == "application/gzip", url
