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

On an embedded store most of the time is Oxigraph decoding terms from its
string table (about 5 µs per IRI cell), so :func:`store_rows` marks its source
``grouped`` and :func:`fetch` then reads parties, kinds and dates in one query
(:data:`Q_GROUPED`) grouped inside the store: per agreement, its parties
concatenated (the agreement IRI is never decoded unless its parties lie in
several graphs), its types as small codes of a ``VALUES`` table, its dates
(stored inline, cheap); per source graph, its agreements (the graph decoded once
per graph, not once per agreement). The answer is the same as the plain queries'.
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
#: The grouped read (see the module's docstring): one row per source graph, its agreements joined by
#: RS, each agreement's fields by US: its IRI when its parties lie in several graphs (else ""; it then
#: comes once per graph), its parties in that graph (space-separated), its type codes (``VALUES`` rows
#: "ti" of :data:`Q_TYPE_LIST`), its dates ("s" start, "u" end), joined by GS. The parties per
#: agreement and graph, and everything else per agreement, are grouped in two subqueries and joined
#: once on stored ids (measured at 100,000 agreements: 3.5 s; a join per part 4.0 s, ``SAMPLE(?g)``
#: 0.9 s more, the signing path as a path 0.6 s more; the plain queries 7.8 s).
Q_GRAPH_LIST = "SELECT ?g WHERE { GRAPH ?g { } }"
Q_TYPE_LIST = _P + "SELECT DISTINCT ?t WHERE { ?a rg:agreementType ?t }"
_RS, _US, _GS = "\x1e", "\x1f", "\x1d"
Q_GROUPED = _P + (
    """SELECT ?g (GROUP_CONCAT(?row; separator="\\u001E") AS ?rows) WHERE {
  { SELECT ?a ?g (GROUP_CONCAT(STR(?p); separator=" ") AS ?ps) WHERE { GRAPH ?g { ?a rg:party ?p } %(skip)s }
    GROUP BY ?a ?g }
  { SELECT ?a (COUNT(DISTINCT ?h) AS ?n) (GROUP_CONCAT(?v; separator="\\u001D") AS ?vs) WHERE {
      { GRAPH ?h { ?a rg:party ?q } %(skip_h)s BIND("" AS ?v) }
      UNION { ?a rg:agreementType ?t VALUES (?t ?v) { %(types)s } }
      UNION { { SELECT ?a ?s WHERE { ?a rg:signing ?s } } { SELECT ?s ?d WHERE { ?s rg:date ?d } }
        BIND(CONCAT("s", STR(?d)) AS ?v) }
      UNION { ?a rg:validFrom ?f BIND(CONCAT("s", STR(?f)) AS ?v) }
      UNION { ?a rg:validUntil ?e BIND(CONCAT("u", STR(?e)) AS ?v) }
    } GROUP BY ?a }
  BIND(CONCAT(IF(?n > 1, STR(?a), ""), "\\u001F", ?ps, "\\u001F", ?vs) AS ?row)
} GROUP BY ?g"""
)
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
    """Rows from a :class:`relgraph.store.Store` or :class:`relgraph.store.RemoteStore` (union default graph).

    An embedded store's source is ``grouped`` (see the module's docstring); a remote
    one gets the plain queries any SPARQL 1.1 engine answers alike.
    """

    def rows(sparql: str, order: str) -> Iterator[list[str]]:
        yield from tsv_rows(_serialized(lambda: store.query(sparql, union=True)))

    # A native pyoxigraph store under it (a remote store's ``oxigraph`` is a view that sends SPARQL)
    rows.grouped = isinstance(getattr(store, "oxigraph", None), ox.Store)  # type: ignore[attr-defined]
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
    if getattr(rows, "grouped", False):
        for name in ("types", "starts", "until"):
            del side[name]  # read by the grouped query
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


def _read_grouped(
    rows: RowSource,
    relation: Callable[[str | None], int],
    put: Callable[[int, str, str], None],
    kinds: list[frozenset[str]],
    began: list[str],
    until: list[str],
    shared: dict[frozenset[str], frozenset[str]],
) -> int:
    """The agreements through :data:`Q_GROUPED`: their parties, kinds and dates; returns the party assertions."""
    skip = [g for (g,) in rows(Q_GRAPH_LIST, "ORDER BY ?g") if g.endswith(_INFERRED)]
    types = [t for (t,) in rows(Q_TYPE_LIST, "ORDER BY ?t") if t.startswith(_TYPE_PREFIX)]
    code_kinds = {str(i): frozenset({t[len(_TYPE_PREFIX) :]}) for i, t in enumerate(types)}
    inferred = ", ".join(str(ox.NamedNode(g)) for g in skip)
    query = Q_GROUPED % {
        "skip": f"FILTER(?g NOT IN ({inferred}))" if skip else "",
        "skip_h": f"FILTER(?h NOT IN ({inferred}))" if skip else "",
        "types": " ".join(f'({ox.NamedNode(t)} "t{i}")' for i, t in enumerate(types)),
    }
    by_codes: dict[str, frozenset[str]] = {"": shared[frozenset({"untyped"})]}
    total = 0
    for g, cell in rows(query, "ORDER BY ?g"):
        for row in cell.split(_RS) if cell else ():
            key, parties, values = row.split(_US, 2)
            if key:  # parties in several graphs: one row per graph, the relation once
                r = relation(key)
                fresh = r == len(kinds)
            else:
                r, fresh = relation(None), True
            if fresh:
                codes, first, last = [], "", ""
                for v in values.split(_GS):
                    if not v:
                        continue
                    tag, v = v[0], v[1:]
                    if tag == "t":
                        codes.append(v)
                    elif tag == "s":
                        if v and (not first or v < first):
                            first = v
                    elif v > last:
                        last = v
                found = by_codes.get(" ".join(codes))
                if found is None:
                    found = frozenset().union(*(code_kinds[c] for c in codes))
                    found = by_codes[" ".join(codes)] = shared.setdefault(found, found)
                kinds.append(found)
                began.append(first)
                until.append(last)
            for p in parties.split(" "):
                put(r, p, g)
                total += 1
    return total


def _read(
    rows: RowSource, result: Callable[[str], Iterable[list[str]]], nodes: Interner, graphs: Interner
) -> RelationData:
    rel_ids: dict[str, int] = {}
    relations = [0]  # how many (the IRIs are not kept: a million of them would weigh 100 MB)
    rel_col, party_col, graph_col = array("i"), array("i"), array("i")
    total = 0

    def relation(rel: str | None) -> int:
        """The id of ``rel``, new if unseen (None: a new relation of the grouped read, never looked up)."""
        r = rel_ids.get(rel) if rel is not None else None
        if r is None:
            r = relations[0]
            relations[0] += 1
            if rel is not None:
                rel_ids[rel] = r
        return r

    def put(r: int, party: str, graph: str) -> None:
        rel_col.append(r)
        party_col.append(nodes(party))
        graph_col.append(graphs(graph))

    def add(rel: str, party: str, graph: str) -> None:
        put(relation(rel), party, graph)

    untyped = frozenset({"untyped"})
    shared: dict[frozenset[str], frozenset[str]] = {untyped: untyped}  # one object per distinct set of kinds
    if getattr(rows, "grouped", False):
        kinds, began, until = [], [], []
        total = _read_grouped(rows, relation, put, kinds, began, until, shared)
    else:
        for a, p, g in rows(Q_PARTIES, "ORDER BY ?a ?p ?g"):
            if not g.endswith(_INFERRED):
                add(a, p, g)
                total += 1
        agreements = relations[0]
        kinds = [untyped] * agreements
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
