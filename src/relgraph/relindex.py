"""A relation index per snapshot, so that a busy place's page does not join thousands of agreements in SPARQL.

The page of a place or organisation orders, counts and pages its relations
(:func:`relgraph.summary.relation_index`) and counts their fields
(:func:`relgraph.summary.field_counts`). In SPARQL that is two joins over every
agreement of the entity and of the institutions located in it: 17 s for the
busiest city at a million agreements. For the embedded store each published
snapshot (see :mod:`relgraph.engine`) can get a SQLite file next to it::

    <store>.snapshots/19/                    the snapshot (RocksDB checkpoint)
    <store>.snapshots/19.v4.relations.sqlite who is party to what, located where, typed, dated, in which
                                             field; partners' countries and coordinates; every label

Built once per snapshot by streaming nine predicates out of the read-only
snapshot (constant memory), written under a temporary name and renamed, so a
reader sees a complete index or none; the engine deletes it with its snapshot.
It answers exactly what the two SPARQL queries answer (a test compares them):
party, announcer, location and field as the sources state them (the reasoner's
graph left out), type, signing date and start of validity from every graph.
The same tables answer the figures of the page (:func:`figures`: partners with
coordinates, relations per year and per kind, partners' countries) as
:mod:`relgraph.overview` answers them in SPARQL: milliseconds instead of seconds at
a million agreements, and the labels of what the page shows (:func:`labels`) as
:func:`relgraph.summary.labels_of` answers them. A remote store has no snapshots: pages stay with SPARQL there.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .labelindex import build_beside
from .namespaces import RDF_TYPE, RG
from .overview import Counted, Located
from .summary import INFERRED_SUFFIX, LABEL_PROPERTIES, Indexed

__all__ = ["SUFFIX", "PlaceFigures", "build", "field_counts", "figures", "index_path", "labels", "relations"]

#: v2: the figures' tables (country, coordinates); v3: every subject's labels (the map's 4,082 partners' labels in
#: one lookup instead of 17 SPARQL queries, 4.8 s at a million agreements); v4: each agreement's kind and dates folded
#: once (:data:`_FOLDED`: one lookup per relation instead of five, 0.44-0.53 s → 0.16-0.24 s for the busiest city's
#: 11,000 relations at a million agreements). The engine prunes ``*.relations.sqlite`` with its snapshot
SUFFIX = ".v4.relations.sqlite"
_BATCH = 20_000
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

#: table → (predicate, stated only): the facts the page's ordering and counts need
_TABLES: dict[str, tuple[str, bool]] = {
    "party": (RG + "party", True),
    "announced": (RG + "announcedBy", True),
    "located": (RG + "locatedIn", True),
    "field": (RG + "field", True),
    "atype": (RG + "agreementType", False),
    "signing": (RG + "signing", False),
    "date": (RG + "date", False),
    "valid": (RG + "validFrom", False),
    "country": (RG + "country", False),
    "lat": (GEO + "lat", False),
    "long": (GEO + "long", False),
}
_COOPERATION = RG + "Cooperation"
_COUNTRY = RG + "Country"


def index_path(snapshot: str | Path) -> Path:
    """Where the relation index of ``snapshot`` lives (next to it, not inside the RocksDB directory)."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + SUFFIX)


def _rows(store: ox.Store, predicate: str, *, stated: bool, value: str | None = None) -> Iterable[tuple[str, str]]:
    obj = ox.NamedNode(value) if value is not None else None
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), obj, None):
        graph = quad.graph_name
        if stated and (not isinstance(graph, ox.NamedNode) or graph.value.endswith(INFERRED_SUFFIX)):
            continue  # the SPARQL reads these in GRAPH ?g, named graphs only, not the inferred one
        s, o = quad.subject, quad.object
        if isinstance(s, ox.NamedNode | ox.BlankNode) and isinstance(o, ox.NamedNode | ox.BlankNode | ox.Literal):
            yield s.value, o.value  # never an RDF-star triple here


def build(snapshot: str | Path) -> Path:
    """Write the relation index of ``snapshot``; return its path. Nothing is done when it exists."""

    def fill(store: ox.Store, con: sqlite3.Connection) -> None:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        for table, (predicate, stated) in _TABLES.items():
            con.execute(f"CREATE TABLE {table} (s TEXT, o TEXT)")
            insert = f"INSERT INTO {table} VALUES (?, ?)"  # noqa: S608 - table names are ours
            batch: list[tuple[str, str]] = []
            for row in _rows(store, predicate, stated=stated):
                batch.append(row)
                if len(batch) >= _BATCH:
                    con.executemany(insert, batch)
                    batch.clear()
            con.executemany(insert, batch)
        con.execute("CREATE TABLE coop (s TEXT)")
        con.executemany(
            "INSERT INTO coop VALUES (?)",
            ((s,) for s, _ in _rows(store, RDF_TYPE, stated=False, value=_COOPERATION)),
        )
        con.execute("CREATE TABLE countries (s TEXT)")
        con.executemany(
            "INSERT INTO countries VALUES (?)",
            ((s,) for s, _ in _rows(store, RDF_TYPE, stated=False, value=_COUNTRY)),
        )
        for table in ("party", "announced", "located"):
            con.execute(f"CREATE INDEX {table}_o ON {table} (o, s)")
        for table in ("party", "field", "atype", "signing", "date", "valid", "country", "lat", "long"):
            con.execute(f"CREATE INDEX {table}_s ON {table} (s, o)")
        _fill_labels(store, con)
        con.execute("CREATE INDEX coop_s ON coop (s)")
        con.execute("CREATE INDEX countries_s ON countries (s)")
        con.executescript(_FOLDED)

    return build_beside(snapshot, index_path(Path(snapshot)), "relations", fill)


def _fill_labels(store: ox.Store, con: sqlite3.Connection) -> None:
    """Every label literal of every subject, from every graph, as :func:`relgraph.summary.labels_of` reads them.

    In the store's order per subject and property (the order a SPARQL lookup of one subject gives),
    so that a page picks the same label of several in one language.
    """
    con.execute("CREATE TABLE label (s TEXT, p TEXT, text TEXT, lang TEXT, dt TEXT)")
    batch: list[tuple[str, str, str, str, str]] = []
    for prop in LABEL_PROPERTIES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
            s, o = quad.subject, quad.object
            if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal):
                batch.append((s.value, prop, o.value, o.language or "", o.datatype.value))
                if len(batch) >= _BATCH:
                    con.executemany("INSERT INTO label VALUES (?, ?, ?, ?, ?)", batch)
                    batch.clear()
    con.executemany("INSERT INTO label VALUES (?, ?, ?, ?, ?)", batch)
    con.execute("CREATE INDEX label_s ON label (s)")


def labels(index: str | Path, iris: Iterable[str]) -> dict[str, list[tuple[str, ox.Literal]]]:
    """What :func:`relgraph.summary.labels_of` gives for ``iris``, from the index file (one SQLite lookup)."""
    con = _connect(index)
    out: dict[str, list[tuple[str, ox.Literal]]] = {}
    seen: set[tuple[str, str, str, str, str]] = set()
    try:
        con.execute("CREATE TEMP TABLE wanted (s TEXT PRIMARY KEY)")
        con.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in iris))
        rows = con.execute("SELECT l.s, l.p, l.text, l.lang, l.dt FROM wanted w CROSS JOIN label l ON l.s = w.s")
        for row in rows:
            if row in seen:  # the same label in several graphs (labels_of is DISTINCT)
                continue
            seen.add(row)
            s, p, text, lang, dt = row
            literal = ox.Literal(text, language=lang) if lang else ox.Literal(text, datatype=ox.NamedNode(dt))
            out.setdefault(s, []).append((p, literal))
        return out
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.close()


#: per agreement (party or announcer of something): smallest type, cooperation or not, earliest signing date,
#: earliest start of validity; made once when the index is built
_FOLDED = """
CREATE TABLE folded (a TEXT PRIMARY KEY, kind TEXT, coop INTEGER, signed TEXT, valid TEXT) WITHOUT ROWID;
INSERT INTO folded SELECT r.a,
  (SELECT MIN(t.o) FROM atype t WHERE t.s = r.a),
  EXISTS (SELECT 1 FROM coop c WHERE c.s = r.a),
  (SELECT MIN(d.o) FROM signing g JOIN date d ON d.s = g.o WHERE g.s = r.a),
  (SELECT MIN(v.o) FROM valid v WHERE v.s = r.a)
FROM (SELECT s AS a FROM party UNION SELECT s FROM announced) r;
"""
_FOLD = "SELECT r.a, r.holder, f.kind, f.coop, f.signed, f.valid FROM ({rows}) r JOIN folded f ON f.a = r.a"
_OWN = "SELECT DISTINCT s AS a, NULL AS holder FROM party WHERE o = :e UNION SELECT s, NULL FROM announced WHERE o = :e"
_HELD = "SELECT DISTINCT p.s AS a, l.s AS holder FROM located l JOIN party p ON p.o = l.s WHERE l.o = :e AND l.s != :e"


def _connect(index: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(index)}?mode=ro", uri=True)


def relations(index: str | Path, iri: str) -> tuple[list[Indexed], list[Indexed]]:
    """What :func:`relgraph.summary.relation_index` gives for ``iri``, from the index file."""
    con = _connect(index)
    try:
        out: list[list[Indexed]] = []
        for rows in (_OWN, _HELD):
            found = []
            for a, holder, kind, coop, signed, valid in con.execute(_FOLD.format(rows=rows), {"e": iri}):
                kind = kind or ("cooperation" if coop else "other")
                found.append(Indexed(a, kind, signed or valid or "9999", holder))
            out.append(found)
        return out[0], out[1]
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.close()


def field_counts(index: str | Path, agreements: Sequence[str]) -> dict[str, int]:
    """What :func:`relgraph.summary.field_counts` gives, from the index file."""
    con = _connect(index)
    try:
        con.execute("CREATE TEMP TABLE wanted (a TEXT PRIMARY KEY)")
        con.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((a,) for a in agreements))
        rows = con.execute("SELECT f.o, COUNT(DISTINCT f.s) FROM wanted w CROSS JOIN field f ON f.s = w.a GROUP BY f.o")
        return {field: count for field, count in rows}
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.close()


@dataclass(frozen=True)
class PlaceFigures:
    """The counts behind a place page's map and charts (:mod:`relgraph.overview`'s shapes)."""

    partners: list[Located]
    per_year: list[Counted]
    per_kind: list[Counted]
    partner_countries: list[Counted]


#: the entity's own relations (``rg:party``), each once
_AGREEMENTS = "CREATE TEMP TABLE mine AS SELECT DISTINCT s AS a FROM party WHERE o = :e"
_PARTNERS = """SELECT p.o, COUNT(DISTINCT p.s) AS n,
  (SELECT MIN(la.o || ' ' || lo.o) FROM lat la JOIN long lo ON lo.s = la.s WHERE la.s = p.o)
FROM mine m CROSS JOIN party p ON p.s = m.a WHERE p.o != :e GROUP BY p.o ORDER BY n DESC, p.o"""
_FIRST = """SELECT COALESCE(
  (SELECT MIN(d.o) FROM signing g JOIN date d ON d.s = g.o WHERE g.s = m.a),
  (SELECT MIN(v.o) FROM valid v WHERE v.s = m.a)) FROM mine m"""
_KINDS = """SELECT k, COUNT(DISTINCT a) AS n FROM (
  SELECT m.a, t.o AS k FROM mine m JOIN atype t ON t.s = m.a
  UNION SELECT m.a, CASE WHEN EXISTS (SELECT 1 FROM coop c WHERE c.s = m.a) THEN :coop ELSE :agreement END
  FROM mine m WHERE NOT EXISTS (SELECT 1 FROM atype t WHERE t.s = m.a)
) GROUP BY k ORDER BY n DESC, k"""
_COUNTRIES = """SELECT c, COUNT(DISTINCT a) AS n FROM (
  SELECT p.s AS a, c.o AS c FROM mine m JOIN party p ON p.s = m.a JOIN country c ON c.s = p.o WHERE p.o != :e
  UNION SELECT p.s, p.o FROM mine m JOIN party p ON p.s = m.a JOIN countries k ON k.s = p.o WHERE p.o != :e
) GROUP BY c ORDER BY n DESC, c"""


def _located(iri: str, n: int, at: str | None) -> Located:
    lat: float | None = None
    long: float | None = None
    if at:
        try:
            lat, long = (float(x) for x in at.split())
        except ValueError:
            lat = long = None
        if lat is not None and long is not None and not (-90 <= lat <= 90 and -180 <= long <= 180):
            lat = long = None
    return Located(iri, n, lat, long)


def figures(index: str | Path, iri: str) -> PlaceFigures:
    """What :mod:`relgraph.overview`'s ``partners``, ``per_year``, ``per_kind`` and ``partner_countries`` give.

    Ties are ordered by IRI (the SPARQL leaves their order to the store). The reasoner infers no
    ``rg:party``, so the stated parties of the index are every party the SPARQL counts.
    """
    con = _connect(index)
    try:
        con.execute(_AGREEMENTS, {"e": iri})
        partners = [_located(p, n, at) for p, n, at in con.execute(_PARTNERS, {"e": iri})]
        years = Counter(first[:4] for (first,) in con.execute(_FIRST) if first)
        kinds = con.execute(_KINDS, {"coop": _COOPERATION, "agreement": RG + "Agreement"})
        per_kind = [Counted(k, n) for k, n in kinds]
        countries = [Counted(c, n) for c, n in con.execute(_COUNTRIES, {"e": iri})]
        return PlaceFigures(partners, [Counted(y, n) for y, n in sorted(years.items())], per_kind, countries)
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m relgraph.relindex SNAPSHOT``: build in a process of its own (no GIL shared)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m relgraph.relindex SNAPSHOT", file=sys.stderr)
        return 2
    build(args[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
