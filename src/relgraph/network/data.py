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
string table (3–4 µs per IRI cell at a million agreements, whether or not the
IRI repeats) and making strings, so :func:`store_rows` marks its source
``grouped`` and :func:`fetch` then reads parties, kinds and dates in one query
(:data:`Q_GROUPED`) grouped inside the store: one row per agreement (whose IRI
is never decoded) holding short codes only: its party assertions as graph and
party codes of two ``VALUES`` tables (every graph and party IRI is decoded
once, in the lists that make the tables), its types as codes of a third, its
dates (stored inline, cheap). The answer is the same as the plain queries'.
"""

from __future__ import annotations

import contextlib
import ctypes
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

__all__ = ["EngineRows", "RelationData", "RowSource", "StoreRows", "engine_rows", "fetch", "store_rows"]

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
#: The grouped read (see the module's docstring). Every value a row carries is a short code, so that
#: Oxigraph decodes no IRI per row and keeps each value inline (a string of up to 15 bytes is no entry
#: of its string table): each party assertion is "graph:party" (codes of the ``VALUES`` tables of
#: :data:`Q_PARTY_LIST` and :data:`Q_GRAPH_LIST`, joined by hash in subqueries: a ``VALUES`` joined in
#: the pattern itself is evaluated per row, minutes), each type "ti" (:data:`Q_TYPE_LIST`), each date
#: "s" (start) or "u" (end) and the date. One row per agreement, its values space-separated: one
#: grouping over one ``UNION``. Measured at a million agreements: 23 s of CPU (the grouping of the
#: parties per agreement and graph joined to one of everything else: 40–47 s; the same with the graph
#: and party IRIs in the values: 54 s).
Q_GRAPH_LIST = "SELECT ?g WHERE { GRAPH ?g { } }"
Q_TYPE_LIST = _P + "SELECT DISTINCT ?t WHERE { ?a rg:agreementType ?t }"
Q_PARTY_LIST = _P + "SELECT DISTINCT ?p (isIRI(?p) AS ?iri) WHERE { GRAPH ?g { ?a rg:party ?p } %(skip)s }"
Q_GROUPED = _P + (
    """SELECT (GROUP_CONCAT(?v; separator=" ") AS ?vs) WHERE {
  { { SELECT ?a ?p ?g WHERE { GRAPH ?g { ?a rg:party ?p } } }
    { SELECT ?g ?gc WHERE { VALUES (?g ?gc) { %(graphs)s } } }
    { SELECT ?p ?pc WHERE { VALUES (?p ?pc) { %(parties)s } } }
    BIND(CONCAT(?gc, ":", ?pc) AS ?v) }
  UNION { ?a rg:agreementType ?t VALUES (?t ?v) { %(types)s } }
  UNION { { SELECT ?a ?s WHERE { ?a rg:signing ?s } } { SELECT ?s ?d WHERE { ?s rg:date ?d } }
    BIND(CONCAT("s", STR(?d)) AS ?v) }
  UNION { ?a rg:validFrom ?f BIND(CONCAT("s", STR(?f)) AS ?v) }
  UNION { ?a rg:validUntil ?e BIND(CONCAT("u", STR(?e)) AS ?v) }
} GROUP BY ?a"""
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
#: Countries: stated (rg:country), else where the place lies (rg:locatedIn, inferred closure), else itself
#: (the smallest ``how`` wins in :func:`_pick`; a ``FILTER NOT EXISTS`` for the stated ones cost more than
#: the rows it saves: 4.5 s against 2.0 s of CPU at a million agreements).
Q_COUNTRIES = _P + (
    "SELECT ?n ?c ?how WHERE { { ?n rg:country ?c BIND(0 AS ?how) } "
    "UNION { ?n rg:locatedIn ?c . ?c a rg:Country BIND(1 AS ?how) } "
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


class StoreRows:
    """Rows from a :class:`relgraph.store.Store` or :class:`relgraph.store.RemoteStore` (union default graph).

    An embedded store's source is ``grouped`` (see the module's docstring) and
    runs the small queries in a thread beside the big one (pyoxigraph lets go
    of the GIL while it evaluates); a remote one gets the plain queries any
    SPARQL 1.1 engine answers alike, one after the other.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        # A native pyoxigraph store under it (a remote store's ``oxigraph`` is a view that sends SPARQL)
        self.grouped = isinstance(getattr(store, "oxigraph", None), ox.Store)
        self.workers = 1 if self.grouped else 0

    def __call__(self, sparql: str, order: str) -> Iterator[list[str]]:
        yield from tsv_rows(_serialized(lambda: self.store.query(sparql, union=True)))


def store_rows(store: Any) -> RowSource:
    """A :class:`StoreRows` over ``store``."""
    return StoreRows(store)


class EngineRows:
    """Rows through the server's engine: the time limit holds per query; past the row cap, pages in ``order``."""

    grouped = False
    workers = 2  # the engine runs queries side by side

    def __init__(self, engine: Any, *, timeout: float | None = None) -> None:
        self.engine, self.timeout = engine, timeout

    def __call__(self, sparql: str, order: str) -> Iterator[list[str]]:
        engine, timeout = self.engine, self.timeout
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


def engine_rows(engine: Any, *, timeout: float | None = None) -> RowSource:
    """An :class:`EngineRows` over ``engine``."""
    return EngineRows(engine, timeout=timeout)


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

    def __getstate__(self) -> dict[str, Any]:
        """Without the row source (an engine or a store handle): the reader sets its own."""
        return {**self.__dict__, "_rows": None}

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


def _listed(rows: RowSource, sparql: str, order: str) -> list[list[str]]:
    return list(rows(sparql, order))


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
    # read by the grouped query (asked only if it cannot be used)
    lazy = {"types", "starts", "until"} if getattr(rows, "grouped", False) else set()
    workers: int = getattr(rows, "workers", 0)
    pool = ThreadPoolExecutor(max_workers=workers) if workers else None
    futures: dict[str, Future[list[list[str]]]] = {}
    if pool is not None:
        for name, (q, o) in side.items():
            if name not in lazy:
                futures[name] = pool.submit(_listed, rows, q, o)

    def result(name: str) -> Iterable[list[str]]:
        if name in futures:
            return futures[name].result()
        return rows(*side[name])

    try:
        return _read(rows, result, nodes, graphs)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _give_back()


def _give_back() -> None:
    """Return the memory the store's grouping freed to the system (glibc keeps it otherwise).

    The big query's groups take about 1.5 GB at a million agreements; without this
    the process would hold them while it builds and measures the network.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class _Columns:
    """The relations as they are read: party assertions as three columns, kinds and dates per relation."""

    rel: array = field(default_factory=lambda: array("i"))
    party: array = field(default_factory=lambda: array("i"))
    graph: array = field(default_factory=lambda: array("i"))
    kinds: list[frozenset[str]] = field(default_factory=list)
    began: list[str] = field(default_factory=list)
    until: list[str] = field(default_factory=list)
    relations: int = 0
    #: the assertions come relation by relation (no later assertion of an earlier relation)
    ordered: bool = True


def _read_grouped(
    rows: RowSource, nodes: Interner, graphs: Interner, cols: _Columns, shared: dict[frozenset[str], frozenset[str]]
) -> int | None:
    """The agreements through :data:`Q_GROUPED`: their parties, kinds and dates; returns the party assertions.

    None (nothing read) when a party is no IRI: a blank node cannot be named in a ``VALUES`` table.
    """
    every = [g for (g,) in rows(Q_GRAPH_LIST, "ORDER BY ?g")]
    inferred = ", ".join(str(ox.NamedNode(g)) for g in every if g.endswith(_INFERRED))
    stated = [g for g in every if not g.endswith(_INFERRED)]
    party_list: list[str] = []
    for p, iri in rows(Q_PARTY_LIST % {"skip": f"FILTER(?g NOT IN ({inferred}))" if inferred else ""}, "ORDER BY ?p"):
        if iri != "true":
            return None
        party_list.append(p)
    types = [t for (t,) in rows(Q_TYPE_LIST, "ORDER BY ?t") if t.startswith(_TYPE_PREFIX)]
    code_kinds = {f"t{i}": frozenset({t[len(_TYPE_PREFIX) :]}) for i, t in enumerate(types)}
    first = len(nodes.names)  # the parties are the next nodes: party code i is node first + i
    for p in party_list:
        nodes(p)
    query = Q_GROUPED % {
        "graphs": " ".join(f'({ox.NamedNode(g)} "{i}")' for i, g in enumerate(stated)),
        "parties": " ".join(f'({ox.NamedNode(p)} "{i}")' for i, p in enumerate(party_list)),
        "types": " ".join(f'({ox.NamedNode(t)} "t{i}")' for i, t in enumerate(types)),
    }
    del party_list
    graph_of = [-1] * len(stated)  # graph code -> graph id, interned when first used
    by_codes: dict[str, frozenset[str]] = {"": shared[frozenset({"untyped"})]}
    rel_col, party_col, graph_col = cols.rel, cols.party, cols.graph
    kinds, began, until = cols.kinds, cols.began, cols.until
    r = cols.relations
    before = len(rel_col)
    for (cell,) in rows(query, ""):
        held = len(rel_col)
        codes: list[str] = []
        start = end = ""
        for v in cell.split(" "):
            tag = v[:1]
            if tag == "s":
                if len(v) > 1 and (not start or v[1:] < start):
                    start = v[1:]
            elif tag == "u":
                if v[1:] > end:
                    end = v[1:]
            elif tag == "t":
                codes.append(v)
            elif tag:  # "graph:party"
                g, _, p = v.partition(":")
                code = int(g)
                graph = graph_of[code]
                if graph < 0:
                    graph = graph_of[code] = graphs(stated[code])
                rel_col.append(r)
                party_col.append(first + int(p))
                graph_col.append(graph)
        if len(rel_col) == held:
            continue  # dated or typed, but nobody's party (a joint statement, say)
        key = codes[0] if len(codes) == 1 else " ".join(sorted(codes))
        found = by_codes.get(key)
        if found is None:
            found = frozenset().union(*(code_kinds[c] for c in codes))
            found = by_codes[key] = shared.setdefault(found, found)
        kinds.append(found)
        began.append(start)
        until.append(end)
        r += 1
    cols.relations = r
    return len(rel_col) - before


def _read(
    rows: RowSource, result: Callable[[str], Iterable[list[str]]], nodes: Interner, graphs: Interner
) -> RelationData:
    rel_ids: dict[str, int] = {}
    # the relations' IRIs are not kept: a million of them would weigh 100 MB
    cols = _Columns()
    rel_col, party_col, graph_col = cols.rel, cols.party, cols.graph

    def add(rel: str, party: str, graph: str) -> int:
        """Party assertion of ``rel`` (a new relation if unseen); returns the relation's id."""
        r = rel_ids.get(rel)
        if r is None:
            r = rel_ids[rel] = cols.relations
            cols.relations += 1
        elif rel_col and r < rel_col[-1]:
            cols.ordered = False
        rel_col.append(r)
        party_col.append(nodes(party))
        graph_col.append(graphs(graph))
        return r

    untyped = frozenset({"untyped"})
    shared: dict[frozenset[str], frozenset[str]] = {untyped: untyped}  # one object per distinct set of kinds
    grouped = _read_grouped(rows, nodes, graphs, cols, shared) if getattr(rows, "grouped", False) else None
    if grouped is not None:
        total = grouped
    else:
        total = 0
        for a, p, g in rows(Q_PARTIES, "ORDER BY ?a ?p ?g"):
            if not g.endswith(_INFERRED):
                add(a, p, g)
                total += 1
        agreements = cols.relations
        kinds = cols.kinds = [untyped] * agreements
        for a, t in result("types"):
            r = rel_ids.get(a)
            if r is not None and t.startswith(_TYPE_PREFIX):
                slug = frozenset({t[len(_TYPE_PREFIX) :]})
                found = slug if kinds[r] is untyped else kinds[r] | slug
                kinds[r] = shared.setdefault(found, found)
        began = cols.began = [""] * agreements
        until = cols.until = [""] * agreements
        for a, d in result("starts"):
            r = rel_ids.get(a)
            if r is not None and d and (not began[r] or d < began[r]):
                began[r] = d
        for a, d in result("until"):
            r = rel_ids.get(a)
            if r is not None and d > until[r]:
                until[r] = d
    kinds, began, until = cols.kinds, cols.began, cols.until
    # memberships and joint statements: one pseudo-relation per network (or statement) and graph
    for kind in ("co-membership", "co-signature"):
        for group, n, g, d in result(kind):
            key = f"{kind} {group}"
            if key not in rel_ids:
                kinds.append(shared.setdefault(frozenset({kind}), frozenset({kind})))
                began.append("")
                until.append("")
            r = add(key, n, g)
            total += 1
            # a statement's signing date dates it; a membership's attestation is no start
            if kind == "co-signature" and d and (not began[r] or d < began[r]):
                began[r] = d
    # CSR: the party assertions grouped by relation
    relations = cols.relations
    count = [0] * (relations + 1)
    for r in rel_col:
        count[r + 1] += 1
    start = array("i", [0])
    for c in count[1:]:
        start.append(start[-1] + c)
    if cols.ordered:  # already grouped (the grouped read, and the plain one in its ORDER BY)
        party, graph = party_col, graph_col
    else:
        fill = array("i", start[:-1])
        party, graph = array("i", bytes(4 * len(rel_col))), array("i", bytes(4 * len(rel_col)))
        for i, r in enumerate(rel_col):
            j = fill[r]
            party[j], graph[j] = party_col[i], graph_col[i]
            fill[r] = j + 1
        del party_col[:], graph_col[:]  # the grouped copy replaces them
    del rel_col[:]
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
        relation_count=relations,
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
