"""The relations of the graph as compact tables, read by streaming a few SPARQL SELECTs.

One read per data version serves every network: the kind, source graph and date
filters and the aggregation by region or country are applied in memory
(:mod:`relgraph.network.graph`), so asking for another kind or graph costs
milliseconds, not another round of queries.

The rows come from a :data:`RowSource`: :func:`store_rows` over a store opened by
the CLI (embedded directory or remote URL, :mod:`relgraph.store`), or
:func:`engine_rows` over the server's query engine (worker processes over
snapshots, or the remote engine), whose row cap is respected by paging.
Memory: the parties are kept as three ``array('i')`` columns (12 bytes per
party-graph assertion) and every IRI once in an intern table.

Measured on the world data (84,503 party assertions, 17,000 places): the
queries take about 2 s on the embedded store.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..namespaces import CONCEPT, RDFS, RG, SKOS

__all__ = ["RelationData", "RowSource", "engine_rows", "fetch", "store_rows"]

#: ``rows(sparql, order)``: the solutions as lists of plain strings ("" when unbound).
#: ``order`` is an ORDER BY clause used only when a source has to page.
RowSource = Callable[[str, str], Iterator[list[str]]]

_TSV = "text/tab-separated-values"
_GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_TYPE_PREFIX = CONCEPT + "agreement-type/"
_INFERRED = "/graph/inferred"

_P = f"""PREFIX rg: <{RG}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX geo: <{_GEO}>
"""

#: Who is party to which agreement, in which graph (the inferred graph states no parties).
Q_PARTIES = _P + "SELECT ?a ?p ?g WHERE { GRAPH ?g { ?a rg:party ?p } }"
Q_TYPES = _P + "SELECT ?a ?t WHERE { ?a rg:agreementType ?t }"
#: The start of an agreement: the earliest of its signing's dates and validFrom (as active-on.rq);
#: its end: the latest validUntil. Plain patterns (the earliest is taken here): a GROUP BY over a
#: million agreements took the store 55 s.
Q_STARTS = _P + "SELECT ?a (STR(?d) AS ?start) WHERE { { ?a rg:signing/rg:date ?d } UNION { ?a rg:validFrom ?d } }"
Q_UNTIL = _P + "SELECT ?a (STR(?d) AS ?until) WHERE { ?a rg:validUntil ?d }"
#: Members of networks (one clique per network and graph).
Q_MEMBERS = _P + (
    "SELECT ?net ?n ?g (SAMPLE(STR(?on)) AS ?date) WHERE { GRAPH ?g { ?m rg:member ?n ; rg:network ?net } "
    "OPTIONAL { ?m rg:attestedOn ?on } } GROUP BY ?net ?n ?g"
)
#: Who signed a joint statement (agreements are linked by their parties) on whose behalf.
Q_SIGNERS = _P + (
    "SELECT ?doc ?n ?g (SAMPLE(STR(?d)) AS ?date) WHERE { ?doc a rg:JointStatement ; rg:signing ?s . "
    "GRAPH ?g { ?s rg:signature ?sig . ?sig rg:onBehalfOf ?n } OPTIONAL { ?s rg:date ?d } } GROUP BY ?doc ?n ?g"
)
#: Countries: stated (rg:country), else where the place lies (rg:locatedIn, inferred closure), else itself.
Q_COUNTRIES = _P + (
    "SELECT ?n ?c ?how WHERE { { ?n rg:country ?c BIND(0 AS ?how) } "
    "UNION { ?n rg:locatedIn ?c . ?c a rg:Country FILTER NOT EXISTS { ?n rg:country ?any } BIND(1 AS ?how) } "
    "UNION { ?n a rg:Country BIND(?n AS ?c) BIND(2 AS ?how) } }"
)
Q_REGIONS = _P + (
    "SELECT ?n ?r ?how WHERE { { ?n rg:locatedIn ?r . ?r a rg:Region BIND(1 AS ?how) } "
    "UNION { ?n a rg:Region BIND(?n AS ?r) BIND(0 AS ?how) } }"
)
Q_COORDS = _P + "SELECT ?n ?lat ?long WHERE { ?n geo:lat ?lat ; geo:long ?long }"
#: Labels of the nodes in a VALUES block (IRIs read from the store, written as N-Triples terms).
Q_LABELS = _P + "SELECT ?n (LANG(?l) AS ?lang) (STR(?l) AS ?label) WHERE { VALUES ?n { %s } ?n rdfs:label ?l }"
#: Nodes whose labels are read per query (a VALUES block of this many IRIs).
LABEL_CHUNK = 1000


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ESCAPED.get(match.group(3), match.group(3))


def tsv_value(cell: str) -> str:
    """The value of one cell of SPARQL TSV results: an IRI without brackets, a literal's text, else as written.

    >>> tsv_value('<https://w3id.org/relgraph/id/city/hamburg>'), tsv_value('"Qu\\u00E9bec \\"QC\\""@fr')
    ('https://w3id.org/relgraph/id/city/hamburg', 'Québec "QC"')
    """
    if not cell:
        return ""
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == '"':
        text = cell[1 : cell.rindex('"')]
        return _ESCAPE.sub(_unescape, text) if "\\" in text else text
    return cell  # numbers, booleans, blank nodes


def tsv_rows(chunks: Iterable[bytes]) -> Iterator[list[str]]:
    """Rows of SPARQL TSV results arriving in pieces (the header line is skipped)."""
    rest = b""
    header = True
    for chunk in chunks:
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            if header:
                header = False
                continue
            yield [tsv_value(cell) for cell in line.decode("utf-8").split("\t")]
    if rest and not header:
        yield [tsv_value(cell) for cell in rest.decode("utf-8").split("\t")]


class _Stop(Exception):
    pass


def _serialized(answer: Callable[[], Any]) -> Iterator[bytes]:
    """The TSV bytes of the solutions ``answer()`` returns, written by a thread and read here as they come.

    Serialising in Rust and splitting lines in Python is several times faster than
    building a pyoxigraph term per cell (2.2 million party rows of the synthetic
    million agreements: 39 s that way).
    """
    pieces: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=64)
    stop = threading.Event()

    class Sink:
        def write(self, data: bytes) -> int:
            if stop.is_set():
                raise _Stop
            pieces.put(bytes(data))
            return len(data)

        def flush(self) -> None:
            pass

    def run() -> None:
        try:
            # pyoxigraph's solutions stay in the thread that asked for them
            answer().serialize(Sink(), ox.QueryResultsFormat.TSV)
        except _Stop:
            return
        except BaseException as err:  # handed to the reader
            pieces.put(err)
            return
        pieces.put(None)

    thread = threading.Thread(target=run, name="relgraph-network-rows", daemon=True)
    thread.start()
    try:
        while True:
            item = pieces.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a blocked writer see the stop
            with contextlib.suppress(queue.Empty):
                pieces.get(timeout=0.05)


def store_rows(store: Any) -> RowSource:
    """Rows from a :class:`relgraph.store.Store` or :class:`relgraph.store.RemoteStore` (union default graph)."""

    def rows(sparql: str, order: str) -> Iterator[list[str]]:
        yield from tsv_rows(_serialized(lambda: store.query(sparql, union=True)))

    return rows


def engine_rows(engine: Any, *, timeout: float | None = None) -> RowSource:
    """Rows through the server's engine: the time limit holds per query; past the row cap, pages in ``order``."""

    def rows(sparql: str, order: str) -> Iterator[list[str]]:
        cap = int(engine.max_rows)
        result = engine.query(f"{sparql}\nLIMIT {cap}", accept=_TSV, timeout=timeout)
        if result.rows < cap:
            yield from tsv_rows((result.body,))
            return
        offset = 0  # more than one page: a stable order, page by page
        while True:
            result = engine.query(f"{sparql}\n{order}\nLIMIT {cap} OFFSET {offset}", accept=_TSV, timeout=timeout)
            yield from tsv_rows((result.body,))
            if result.rows < cap:
                return
            offset += cap

    rows.concurrent = True  # type: ignore[attr-defined]  # the engine runs queries side by side
    return rows


@dataclass
class Interner:
    """IRIs to small integers and back."""

    ids: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    def __call__(self, iri: str) -> int:
        n = self.ids.get(iri)
        if n is None:
            n = self.ids[iri] = len(self.names)
            self.names.append(iri)
        return n


@dataclass
class RelationData:
    """Every relation of the graph with its parties, source graphs, kinds and dates (one data version).

    Relation ``r`` has party assertions ``party[i], graph[i]`` for ``i`` in
    ``range(start[r], start[r+1])``. Its kinds are a set of strings (agreement
    type slugs, ``untyped``, ``co-membership``, ``co-signature``).
    """

    nodes: Interner
    graphs: Interner
    relation_count: int
    kinds: list[frozenset[str]]
    start: array
    party: array
    graph: array
    began: list[str]  # "" when undated
    until: list[str]
    country: dict[int, int]  # node -> node id of its country
    region: dict[int, int]
    coords: dict[int, tuple[float, float]]
    source_rows: int = 0
    _labels: dict[int, dict[str, str]] = field(default_factory=dict)
    _rows: RowSource | None = None

    def load_labels(self, nodes: Iterable[int]) -> None:
        """Read the labels of ``nodes`` not read yet (pages need dozens, exports all of them)."""
        missing = [n for n in dict.fromkeys(nodes) if n not in self._labels]
        if not missing or self._rows is None:
            return
        ids, names = self.nodes.ids, self.nodes.names
        for i in range(0, len(missing), LABEL_CHUNK):
            chunk = missing[i : i + LABEL_CHUNK]
            for n in chunk:
                self._labels[n] = {}
            values = " ".join(str(ox.NamedNode(names[n])) for n in chunk)
            for iri, lang, text in self._rows(Q_LABELS % values, "ORDER BY ?n ?lang ?label"):
                node = ids.get(iri)
                if node is not None:
                    self._labels[node].setdefault(lang, text)

    def label(self, node: int, lang: str = "en") -> str:
        """The node's label in ``lang``, else en, de, fr, any, else the IRI's last segment."""
        if node not in self._labels:
            self.load_labels((node,))
        by_lang = self._labels.get(node, {})
        for key in (lang, "en", "de", "fr", ""):
            if key in by_lang:
                return by_lang[key]
        if by_lang:
            return next(iter(sorted(by_lang.items())))[1]
        iri = self.nodes.names[node]
        return iri.rstrip("/").rsplit("/", 1)[-1]


def _pick(rows: Iterator[list[str]], nodes: Interner) -> dict[int, int]:
    """node -> target, the best ``how`` (smallest), then the smallest IRI, for nodes already known."""
    best: dict[int, tuple[int, str]] = {}
    for n, target, how in rows:
        node = nodes.ids.get(n)
        if node is None or not target:
            continue
        key = (int(how or 9), target)
        if node not in best or key < best[node]:
            best[node] = key
    return {node: nodes(target) for node, (_, target) in best.items()}


def fetch(rows: RowSource) -> RelationData:
    """Read the relations of the graph (see the module's docstring)."""
    nodes, graphs = Interner(), Interner()
    # the other queries run beside the big one where the source allows (the engine's workers)
    side = {
        "types": (Q_TYPES, "ORDER BY ?a ?t"),
        "starts": (Q_STARTS, "ORDER BY ?a ?start"),
        "until": (Q_UNTIL, "ORDER BY ?a ?until"),
        "co-membership": (Q_MEMBERS, "ORDER BY ?net ?n ?g"),
        "co-signature": (Q_SIGNERS, "ORDER BY ?doc ?n ?g"),
        "countries": (Q_COUNTRIES, "ORDER BY ?n ?c ?how"),
        "regions": (Q_REGIONS, "ORDER BY ?n ?r ?how"),
        "coords": (Q_COORDS, "ORDER BY ?n"),
    }
    pool = ThreadPoolExecutor(max_workers=2) if getattr(rows, "concurrent", False) else None
    futures: dict[str, Future[list[list[str]]]] = {}
    if pool is not None:
        futures = {k: pool.submit(lambda q=q, o=o: list(rows(q, o))) for k, (q, o) in side.items()}

    def result(name: str) -> Iterable[list[str]]:
        if name in futures:
            return futures[name].result()
        return rows(*side[name])

    try:
        return _read(rows, result, nodes, graphs)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _read(
    rows: RowSource, result: Callable[[str], Iterable[list[str]]], nodes: Interner, graphs: Interner
) -> RelationData:
    rel_ids: dict[str, int] = {}
    relations = [0]  # how many (the IRIs are not kept: a million of them would weigh 100 MB)
    rel_col, party_col, graph_col = array("i"), array("i"), array("i")
    total = 0

    def add(rel: str, party: str, graph: str) -> None:
        r = rel_ids.get(rel)
        if r is None:
            r = rel_ids[rel] = relations[0]
            relations[0] += 1
        rel_col.append(r)
        party_col.append(nodes(party))
        graph_col.append(graphs(graph))

    for a, p, g in rows(Q_PARTIES, "ORDER BY ?a ?p ?g"):
        if not g.endswith(_INFERRED):
            add(a, p, g)
            total += 1
    agreements = relations[0]
    untyped = frozenset({"untyped"})
    shared: dict[frozenset[str], frozenset[str]] = {untyped: untyped}  # one object per distinct set of kinds
    kinds: list[frozenset[str]] = [untyped] * agreements
    for a, t in result("types"):
        r = rel_ids.get(a)
        if r is not None and t.startswith(_TYPE_PREFIX):
            slug = frozenset({t[len(_TYPE_PREFIX) :]})
            found = slug if kinds[r] is untyped else kinds[r] | slug
            kinds[r] = shared.setdefault(found, found)
    began = [""] * agreements
    until = [""] * agreements
    for a, d in result("starts"):
        r = rel_ids.get(a)
        if r is not None and d and (not began[r] or d < began[r]):
            began[r] = d
    for a, d in result("until"):
        r = rel_ids.get(a)
        if r is not None and d > until[r]:
            until[r] = d
    # memberships and joint statements: one pseudo-relation per network (or statement) and graph
    for kind in ("co-membership", "co-signature"):
        for group, n, g, d in result(kind):
            key = f"{kind} {group}"
            if key not in rel_ids:
                kinds.append(shared.setdefault(frozenset({kind}), frozenset({kind})))
                began.append("")
                until.append("")
            add(key, n, g)
            total += 1
            r = rel_ids[key]
            # a statement's signing date dates it; a membership's attestation is no start
            if kind == "co-signature" and d and (not began[r] or d < began[r]):
                began[r] = d
    # CSR: the party assertions grouped by relation
    count = [0] * (relations[0] + 1)
    for r in rel_col:
        count[r + 1] += 1
    start = array("i", [0])
    for c in count[1:]:
        start.append(start[-1] + c)
    fill = array("i", start[:-1])
    party, graph = array("i", bytes(4 * len(rel_col))), array("i", bytes(4 * len(rel_col)))
    for i, r in enumerate(rel_col):
        j = fill[r]
        party[j], graph[j] = party_col[i], graph_col[i]
        fill[r] = j + 1
    for column in (rel_col, party_col, graph_col):
        del column[:]  # the grouped copy replaces them
    rel_ids.clear()
    country = _pick(iter(result("countries")), nodes)
    region = _pick(iter(result("regions")), nodes)
    coords: dict[int, tuple[float, float]] = {}
    for n, lat, long in result("coords"):
        node = nodes.ids.get(n)
        if node is not None:
            with contextlib.suppress(ValueError):
                coords[node] = (float(lat), float(long))
    return RelationData(
        nodes=nodes,
        graphs=graphs,
        relation_count=relations[0],
        kinds=kinds,
        start=start,
        party=party,
        graph=graph,
        began=began,
        until=until,
        country=country,
        region=region,
        coords=coords,
        source_rows=total,
        _rows=rows,
    )
