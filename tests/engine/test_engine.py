"""The query engine with real worker processes on a real on-disk store.
The SHACL gate on updates is off here (``validate_updates=False``): these tests
are about the engine's mechanics on shape-less test data; the gate is tested
through the server (tests/server/test_endpoint_updates.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from engine_support import EX, TRICKY, make_store

from relgraph.engine import Engine, QueryResult, current_snapshot, publish_snapshot, snapshots_dir
from relgraph.errors import (
    NotAcceptable,
    ProtocolError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    TooManyResults,
)
from relgraph.store import Store

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RUNAWAY_GRAPHS = "GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?o }"
SELECT_FORMATS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_FORMATS = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
]


def _count(engine: Engine, where: str = "?s ?p ?o", **kwargs: object) -> int:
    res = engine.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", **kwargs)
    return int(json.loads(res.body)["results"]["bindings"][0]["n"]["value"])


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); it has no CPU and no memory left.
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] in ("Z", "X")


# --- answering ----------------------------------------------------------------------------


def test_select_default_is_json_over_the_union(engine: Engine) -> None:
    res = engine.query(f"SELECT ?o WHERE {{ <{EX}s1> ?p ?o }}")
    assert isinstance(res, QueryResult)
    assert (res.kind, res.media_type, res.rows) == ("select", "application/sparql-results+json", 1)
    assert json.loads(res.body)["results"]["bindings"][0]["o"]["value"] == "value 1"
    assert _count(engine) == 3000 + len(TRICKY)


def test_ask_and_graph_results(engine: Engine) -> None:
    res = engine.query("ASK {}")
    assert (res.kind, res.media_type, res.body, res.rows) == (
        "ask",
        "application/sparql-results+json",
        b'{"head":{},"boolean":true}',
        1,
    )
    assert b"<boolean>true</boolean>" in engine.query("ASK {}", accept="application/sparql-results+xml").body
    res = engine.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}s5>) }}")
    assert (res.kind, res.media_type, res.rows) == ("graph", "text/turtle", 1)
    assert b"value 5" in res.body
    res = engine.query(f"DESCRIBE <{EX}s5>", accept="application/n-triples")
    assert res.body == f'<{EX}s5> <{EX}p5> "value 5" .\n'.encode()


@pytest.mark.parametrize("media_type", SELECT_FORMATS)
def test_rows_are_counted_exactly_in_every_format(engine: Engine, media_type: str) -> None:
    """Literals full of quotes, newlines, `},{` and `<result>` do not fool the row count."""
    query = f"SELECT ?s ?o ?missing WHERE {{ ?s <{EX}tricky> ?o OPTIONAL {{ ?s <{EX}nope> ?missing }} }}"
    res = engine.query(query, accept=media_type)
    assert res.media_type == media_type
    assert res.rows == len(TRICKY)
    if media_type == "text/csv":  # pyoxigraph does not parse CSV results (lossy): use the csv module
        parsed = list(csv.reader(io.StringIO(res.body.decode(), newline="")))[1:]
    else:
        parsed = list(ox.parse_query_results(res.body, ox.QueryResultsFormat.from_media_type(media_type)))
    assert len(parsed) == len(TRICKY)
    empty_rows = engine.query(f"SELECT ?x WHERE {{ <{EX}s1> ?p ?o OPTIONAL {{ ?o ?p ?x }} }}", accept=media_type)
    assert empty_rows.rows == 1
    assert engine.query("SELECT * WHERE { }", accept=media_type).rows == 1
    assert engine.query("SELECT * WHERE { FILTER(false) }", accept=media_type).rows == 0


@pytest.mark.parametrize("media_type", GRAPH_FORMATS)
def test_graph_formats(engine: Engine, media_type: str) -> None:
    res = engine.query(f"CONSTRUCT WHERE {{ ?s <{EX}tricky> ?o }}", accept=media_type)
    assert (res.media_type, res.rows) == (media_type, len(TRICKY))
    fmt = ox.RdfFormat.from_media_type(media_type)
    assert len(list(ox.parse(res.body, fmt))) == len(TRICKY)


def test_aliases_and_not_acceptable(engine: Engine) -> None:
    res = engine.query("SELECT * WHERE { }", accept="application/json")
    assert res.media_type == "application/json"
    assert res.body.startswith(b'{"head"')
    res = engine.query("CONSTRUCT WHERE { }", accept="application/json")
    assert res.media_type == "application/json"  # JSON-LD under its generic name
    with pytest.raises(NotAcceptable) as info:
        engine.query("SELECT * WHERE { }", accept="text/turtle")
    assert "application/sparql-results+json" in info.value.offered
    with pytest.raises(NotAcceptable):
        engine.query("CONSTRUCT WHERE { }", accept="text/csv")


def test_row_cap_is_an_error(engine: Engine) -> None:  # the engine fixture has max_rows=1000
    for media_type in SELECT_FORMATS:
        with pytest.raises(TooManyResults, match=r"1,000 rows.*LIMIT") as info:
            engine.query("SELECT * WHERE { ?s ?p ?o }", accept=media_type)
        assert info.value.limit == 1000
        assert engine.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1000", accept=media_type).rows == 1000
    with pytest.raises(TooManyResults, match="triples"):
        engine.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert engine.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1000").rows == 1000


def test_syntax_error_has_line_and_column(engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        engine.query("SELECT *\nWHERE { ?s ?p }")
    assert info.value.line == 2
    assert info.value.column in (15, 16)  # pyoxigraph's position: at or just after the "}"
    assert f"line 2, column {info.value.column}" in str(info.value)


def test_service_and_load_refused_before_running(engine: Engine) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        engine.query("SELECT * WHERE { SERVICE <http://169.254.169.254/latest> { ?s ?p ?o } }")
    with pytest.raises(QueryRefused, match="LOAD"):
        engine.update("LOAD <http://169.254.169.254/latest>")


def test_allow_listed_service_passes_the_guard(store_path: Path) -> None:
    # Port 9 is refused by pyoxigraph's HTTP client: the error proves the query ran.
    with Engine(store_path, workers=1, service_allowlist=["http://127.0.0.1:9/"]) as eng:
        with pytest.raises(Exception, match="port 9") as info:
            eng.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert not isinstance(info.value, QueryRefused)
        assert eng.query("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }").rows == 1


# --- datasets -----------------------------------------------------------------------------


def test_protocol_dataset(engine: Engine) -> None:
    g = [f"{EX}g{i}" for i in range(4)]
    assert _count(engine, default_graph=[g[0]]) == 1000
    assert _count(engine, default_graph=[g[0], g[1]]) == 2000
    assert _count(engine, "GRAPH ?g { ?s ?p ?o }", named_graphs=[g[2]]) == 1000
    # with only named graphs given, the default graph is empty (the protocol replaces the dataset)
    assert _count(engine, named_graphs=[g[2]]) == 0
    assert _count(engine, "GRAPH ?g { ?s ?p ?o }", default_graph=[g[0]]) == 0
    with pytest.raises(ProtocolError, match="not an absolute IRI"):
        engine.query("ASK {}", default_graph=["not an iri"])


def test_from_in_the_query_and_its_override(engine: Engine) -> None:
    """FROM works without the protocol dataset, and the protocol dataset overrides it."""
    q = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g0> FROM NAMED <{EX}g1> WHERE {{ ?s ?p ?o }}"  # noqa: S608 - SPARQL
    n = lambda res: int(json.loads(res.body)["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert n(engine.query(q)) == 1000
    assert n(engine.query(q, default_graph=[f"{EX}g1", f"{EX}g2"])) == 2000
    q = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g0> FROM NAMED <{EX}g1> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"  # noqa: S608
    assert n(engine.query(q)) == 1000
    assert n(engine.query(q, named_graphs=[f"{EX}g3"])) == len(TRICKY)


# --- timeouts -------------------------------------------------------------------------------


@pytest.mark.slow
def test_runaway_query_is_killed_while_others_answer(store_path: Path) -> None:
    timeout = 2.0
    with Engine(store_path, workers=2, timeout=timeout) as eng:
        before = set(eng.pids)
        answered: list[bool] = []
        stop = threading.Event()

        def ask_loop() -> None:
            while not stop.is_set():
                assert eng.query("ASK {}").body == b'{"head":{},"boolean":true}'
                answered.append(True)
                time.sleep(0.01)

        askers = [threading.Thread(target=ask_loop) for _ in range(2)]
        for t in askers:
            t.start()
        with pytest.raises(QueryTimeout, match="time limit of 2 s") as info:
            eng.query(RUNAWAY)
        stop.set()
        for t in askers:
            t.join(10)
        assert info.value.timeout == timeout  # how soon after the limit: bench/limits.py
        assert len(answered) > 10, "ASK queries kept being answered during the runaway query"
        # the runaway worker is dead and a replacement serves
        deadline = time.monotonic() + 30
        while len(eng.pids) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed = before - set(eng.pids)
        assert len(killed) == 1
        (pid,) = killed
        assert _pid_gone(pid)
        assert len(eng.pids) == 2
        for _ in range(5):
            assert eng.query("ASK {}").rows == 1


@pytest.mark.slow
def test_per_query_timeout_and_busy_pool(store_path: Path) -> None:
    with Engine(store_path, workers=1, timeout=30.0) as eng:
        results: list[BaseException] = []

        def runaway() -> None:
            try:
                eng.query(RUNAWAY, timeout=1.5)
            except QueryTimeout as err:
                results.append(err)

        t = threading.Thread(target=runaway)
        t.start()
        time.sleep(0.3)
        with pytest.raises(QueryTimeout, match="no query worker became free"):
            eng.query("ASK {}", timeout=0.3)  # the only worker is busy: waiting counts
        t.join(10)
        assert len(results) == 1
        assert eng.query("ASK {}", timeout=30).rows == 1  # waits for the replacement


@pytest.mark.slow
def test_runaway_update_is_killed_and_leaves_the_store_unchanged(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=3000)
    with Engine(path, workers=1, timeout=30.0, validate_updates=False) as eng:
        version = eng.version
        with pytest.raises(QueryTimeout):
            eng.update(f"INSERT {{ <{EX}x> <{EX}n> ?o }} WHERE {{ {RUNAWAY_GRAPHS} }}", timeout=1.5)
        assert eng.version == version
        # the write lock and the store's own lock died with the worker: the next update works
        eng.update(f"INSERT DATA {{ <{EX}after> <{EX}p> 1 }}", timeout=30)
        assert _count(eng, f"<{EX}x> ?p ?o") == 0
        assert _count(eng, f"<{EX}after> ?p ?o") == 1


# --- updates and snapshots --------------------------------------------------------------------


def test_update_is_visible_to_the_next_query(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=30)
    with Engine(path, workers=2, validate_updates=False) as eng:
        v0 = eng.version
        eng.update(f"INSERT DATA {{ GRAPH <{EX}new> {{ <{EX}x> <{EX}p> 'new' }} }}")
        assert eng.version == v0 + 1
        for _ in range(4):  # whichever worker answers
            assert eng.query(f"ASK {{ <{EX}x> <{EX}p> 'new' }}").body.endswith(b"true}")
        eng.update(f"DELETE WHERE {{ GRAPH <{EX}new> {{ ?s ?p ?o }} }}")
        for _ in range(4):
            assert eng.query(f"ASK {{ <{EX}x> ?p ?o }}").body.endswith(b"false}")
        with pytest.raises(QuerySyntaxError) as info:
            eng.update("INSERT DATA { <a:b> }")
        assert info.value.line == 1


def test_update_base_iri(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=3)
    with Engine(path, workers=1, validate_updates=False) as eng:
        eng.update("INSERT DATA { <rel> <p> <o> }", base_iri="http://base.example/")
        assert eng.query(
            "ASK { <http://base.example/rel> <http://base.example/p> <http://base.example/o> }"
        ).body.endswith(b"true}")


def test_using_graph_uri(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=6)  # g0: s0, s3; g1: s1, s4; g2: s2, s5
    with Engine(path, workers=1, validate_updates=False) as eng:
        copy = f"INSERT {{ GRAPH <{EX}out> {{ ?s <{EX}seen> true }} }} WHERE {{ ?s ?p ?o }}"
        eng.update(copy, using_graph=[f"{EX}g1"])
        assert _count(eng, f"GRAPH <{EX}out> {{ ?s ?p ?o }}") == 2
        eng.update(f"DROP GRAPH <{EX}out>")
        eng.update(copy.replace("?s ?p ?o }", "GRAPH ?g { ?s ?p ?o } }"), using_named_graph=[f"{EX}g0", f"{EX}g2"])
        assert _count(eng, f"GRAPH <{EX}out> {{ ?s ?p ?o }}") == 4
        eng.update(f"DELETE WHERE {{ ?s <{EX}p1> ?o }}", using_graph=[f"{EX}g0"])  # s1 is in g1: untouched
        assert _count(eng, f"?s <{EX}p1> ?o") == 1
        with pytest.raises(ProtocolError, match="USING or WITH"):
            eng.update(f"WITH <{EX}g0> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", using_graph=[f"{EX}g1"])
        with pytest.raises(ProtocolError, match="not an absolute IRI"):
            eng.update(copy, using_graph=["nope"])


def test_publish_after_an_outside_load_and_two_engines(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=9)
    with Engine(path, workers=1, validate_updates=False) as a, Engine(path, workers=1, validate_updates=False) as b:
        assert _count(a) == _count(b) == 9 + len(TRICKY)
        store = Store(path)  # `relgraph load` while the servers run
        store.oxigraph.add(ox.Quad(ox.NamedNode(f"{EX}late"), ox.NamedNode(f"{EX}p"), ox.Literal("x")))
        assert _count(a) == 9 + len(TRICKY)  # not published yet
        snapshot = publish_snapshot(path, store=store)
        store.close()
        assert snapshot.parent == snapshots_dir(path)
        assert int(snapshot.name) == current_snapshot(path) == a.version == b.version
        assert _count(a) == _count(b) == 10 + len(TRICKY)
        b.update(f"INSERT DATA {{ <{EX}from-b> <{EX}p> 1 }}")
        assert _count(a, f"<{EX}from-b> ?p ?o") == 1  # an update through b is seen by a


def test_old_snapshots_are_pruned(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store", n=3)
    with Engine(path, workers=1, validate_updates=False) as eng:
        for i in range(25):
            eng.update(f"INSERT DATA {{ <{EX}n{i}> <{EX}p> {i} }}")
        kept = sorted(int(p.name) for p in snapshots_dir(path).iterdir() if p.name.isdigit())
        assert kept[-1] == eng.version
        assert len(kept) <= 20
        assert _count(eng, f"?s <{EX}p> ?o") == 25


def test_engine_starts_on_an_empty_directory(tmp_path: Path) -> None:
    with Engine(tmp_path / "fresh", workers=1) as eng:
        assert eng.query("ASK { ?s ?p ?o }").body.endswith(b"false}")
        assert eng.version >= 1


def test_background_workers_yield_the_cpu_to_requests(store_path: Path) -> None:
    """Whole-graph work (home counts, indexes) runs on a background engine whose workers are niced, so that a page's
    queries get the CPU first on a busy machine; a request engine's workers keep the server's priority."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    with Engine(store_path, workers=1, background=True) as background, Engine(store_path, workers=1) as requests:
        assert _count(background) == _count(requests)  # both answer
        (low,) = background.pids
        (normal,) = requests.pids
        assert os.getpriority(os.PRIO_PROCESS, low) == min(own + 10, 19)
        assert os.getpriority(os.PRIO_PROCESS, normal) == own
