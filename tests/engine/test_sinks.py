"""The row counters behind the exact row cap, fed the way pyoxigraph feeds them (chunk by chunk)."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

from relgraph.engine.answers import JsonSink, RowLimit

PIECES = ["\\", '"', "}", "{", ",", "[", "]", "a", " ", "\n", '\\"', "},{", "[{", "\\\\", "é", "\t", "\\u00e9"]


def _document(rnd: random.Random) -> tuple[bytes, int]:
    rows = []
    for _ in range(rnd.randint(0, 6)):
        row = {}
        for var in ("a", "b"):
            if rnd.random() < 0.7:
                value = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 12)))
                row[var] = {"type": "literal", "value": value}
        rows.append(row)
    doc = {"head": {"vars": ["a", "b"]}, "results": {"bindings": rows}}
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=rnd.random() < 0.5)
    return text.encode(), len(rows)


def _feed(sink: JsonSink, data: bytes, rnd: random.Random) -> None:
    i = 0
    while i < len(data):
        n = rnd.choice([1, 2, 3, 5, 8, 64, 8192])
        sink.write(data[i : i + n])
        i += n


def test_json_rows_counted_exactly_however_the_chunks_fall() -> None:
    rnd = random.Random(7)  # noqa: S311 - reproducible test data
    for _ in range(3000):
        data, rows = _document(rnd)
        sink = JsonSink(10**9)
        _feed(sink, data, rnd)
        assert (sink.total(), sink.body()) == (rows, data), data


def test_json_count_on_pyoxigraph_output() -> None:
    store = ox.Store()
    ex = "http://example.org/"
    tricky = ['a "q" },{ [{', "back\\slash\\", '\\"', "x" * 20_000 + "},{", ""]
    for i, text in enumerate(tricky * 50):
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(text)))
    result = store.query("SELECT ?s ?o ?none WHERE { ?s ?p ?o }")
    sink = JsonSink(10**9)
    result.serialize(sink, ox.QueryResultsFormat.JSON)
    assert sink.total() == len(tricky) * 50
    assert len(json.loads(sink.body())["results"]["bindings"]) == len(tricky) * 50


def test_json_limit_stops_the_serialization() -> None:
    data, rows = b'{"head":{"vars":["a"]},"results":{"bindings":[' + b",".join([b"{}"] * 11) + b"]}}", 11
    sink = JsonSink(10)
    with pytest.raises(RowLimit):
        for i in range(0, len(data), 4):
            sink.write(data[i : i + 4])
    assert rows == 11
