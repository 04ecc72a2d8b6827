"""Import Wikidata P190 ("twinned administrative body") pairs, reconciled with the store.

Two inputs, one result:

- a **SPARQL JSON result** (``application/sparql-results+json``, what
  query.wikidata.org returns), e.g. for
  ``SELECT ?a ?aLabel ?b ?bLabel WHERE { ?a wdt:P190 ?b . SERVICE wikibase:label {…} }``;
- the **TSV edge list + label table** of the 2016 extract
  (``subject_qid<TAB>object_qid`` and ``qid<TAB>label``, no header).

Variables of a SPARQL result (see :func:`read_sparql_json`): the two variables
bound to Wikidata entity IRIs (``http://www.wikidata.org/entity/Q…``) that are
not country variables are the subject and the object, in the order of
``head.vars``. For a variable ``x``, its label is in ``xLabel``, ``x_label``,
``xName`` or ``x_name`` (the ``xml:lang`` tag is kept) and its country in
``xCountry`` or ``x_country`` (an entity IRI). Any other variable is ignored.

What is written: one named graph (``{base}graph/wikidata-p190-2016`` for the
TSV extract), described as an ``rg:SourceGraph``. Every unordered pair becomes
ONE ``rg:Agreement`` of type city twinning with its two parties;
``rg:oneSided`` says whether the reverse statement is missing, and for a
one-sided pair ``rg:statedBy`` names the item that carries the statement.
Places keep their Wikidata id (``rg:wikidataId`` + ``skos:exactMatch wd:Q…``)
and are minted as ``{base}id/place/wd-q1055`` unless reconciled with an existing entity:

1. by Wikidata id (``rg:wikidataId`` or ``skos:exactMatch wd:Q…`` outside the
   graph being replaced), then
2. by normalised label (NFKD, diacritics stripped, case-folded, punctuation as
   spaces; ``rdfs:label`` and ``skos:altLabel`` in any language) among places,
   and by country when both sides know it.

A label match is taken only when it is unique both ways: one existing place
for the imported item, no other imported item claiming that place, and the
place has no *different* Wikidata id. Everything else is reported as
ambiguous and left unmerged. When both parties are reconciled and exactly one
city-twinning agreement between exactly those two parties exists, the pair is
stated about that agreement (no duplicate agreement).

IRIs depend only on the input and the store's entities, so importing the same
file twice gives the same graph; the load replaces the graph in one transaction.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import progress
from .errors import LoadError, UsageError
from .namespaces import CC, CONCEPT, DCT, LANG, PROV, RDF_TYPE, RDFS_LABEL, RG, SCHEMA, SKOS, WD, XSD, graph_iri
from .results import solutions
from .store import GraphStore
from .terms import file_sha256, qid_of, slugify
from .terms import literal as _lit
from .text import normalise_label

if TYPE_CHECKING:
    from .world.gazetteer import Gazetteer
    from .world.reconcile import Reconciler

__all__ = [
    "TSV_SOURCE",
    "EntityIndex",
    "ImportReport",
    "P190Data",
    "SourceInfo",
    "build_quads",
    "import_wikidata",
    "normalise",
    "read_sparql_json",
    "read_tsv",
    "reconcile",
]

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
UNDETERMINED = "und"  # BCP 47: language not determined (the 2016 labels mix de, en, fr, it, es)

_PLACE_CLASSES = ("Place", "Country", "Region", "FederalState", "Province", "City", "Site")


# --- small helpers -----------------------------------------------------------------------


#: Public name kept for callers; the one implementation is :func:`relgraph.text.normalise_label`.
normalise = normalise_label


# --- input -------------------------------------------------------------------------------


@dataclass
class P190Data:
    """Directed P190 statements and what is known about each item."""

    statements: set[tuple[str, str]] = field(default_factory=set)
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    duplicates: int = 0
    self_loops: int = 0
    files: list[Path] = field(default_factory=list)

    def add(self, subject: str, obj: str) -> None:
        self.rows += 1
        if subject == obj:
            self.self_loops += 1
            return
        if (subject, obj) in self.statements:
            self.duplicates += 1
            return
        self.statements.add((subject, obj))

    def add_label(self, qid: str, label: str, lang: str) -> None:
        label = label.strip()
        if label and (label, lang) not in self.labels[qid]:
            self.labels[qid].append((label, lang))

    def pairs(self) -> dict[tuple[str, str], set[str]]:
        """Unordered pairs (in id order) → the item(s) stating them."""
        result: dict[tuple[str, str], set[str]] = defaultdict(set)
        for subject, obj in self.statements:
            result[_ordered(subject, obj)].add(subject)
        return result

    def items(self) -> set[str]:
        return {q for pair in self.statements for q in pair}


def _qnum(qid: str) -> int:
    return int(qid[1:])


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if _qnum(a) < _qnum(b) else (b, a)


def read_tsv(relations: Path, *, labels: Path | None = None) -> P190Data:
    """The TSV edge list (``subject<TAB>object``) and label table (``qid<TAB>label``)."""
    data = P190Data(files=[relations, *([labels] if labels else [])])
    for lineno, row in _tsv_rows(relations):
        if len(row) != 2:
            raise LoadError(f"expected 2 tab-separated columns, found {len(row)}", file=str(relations), line=lineno)
        a, b = qid_of(row[0]), qid_of(row[1])
        if a is None or b is None:
            raise LoadError(f"not a Wikidata item id: {row[0]!r} / {row[1]!r}", file=str(relations), line=lineno)
        data.add(a, b)
    if labels is not None:
        for lineno, row in _tsv_rows(labels):
            if len(row) < 2 or qid_of(row[0]) is None:
                raise LoadError("expected `Q…<TAB>label`", file=str(labels), line=lineno)
            data.add_label(qid_of(row[0]) or "", row[1], UNDETERMINED)
    return data


def _tsv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as handle:
        for lineno, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if row and any(cell.strip() for cell in row):
                yield lineno, row


_LABEL_SUFFIXES = ("Label", "_label", "Name", "_name")
_COUNTRY_SUFFIXES = ("Country", "_country")


def read_sparql_json(path: Path) -> P190Data:
    """A SPARQL JSON result with two entity variables (see the module docstring)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        variables: list[str] = list(doc["head"]["vars"])
        bindings: list[dict[str, Any]] = list(doc["results"]["bindings"])
    except (ValueError, KeyError, TypeError) as err:
        raise LoadError(f"not a SPARQL JSON result ({err})", file=str(path)) from None
    countries = {v for v in variables if v.lower().endswith("country")}
    labels = {v for v in variables if v.endswith(_LABEL_SUFFIXES)}
    entity_vars = [
        v
        for v in variables
        if v not in countries
        and v not in labels
        and any(qid_of(str(b.get(v, {}).get("value", ""))) for b in bindings[:1000])
    ]
    if len(entity_vars) != 2:
        raise LoadError(
            f"expected two variables bound to Wikidata items (subject and object), found {entity_vars or 'none'} "
            f"among {variables}",
            file=str(path),
        )
    subject_var, object_var = entity_vars

    def companion(var: str, suffixes: tuple[str, ...]) -> str | None:
        return next((var + s for s in suffixes if var + s in variables), None)

    data = P190Data(files=[path])
    for number, binding in enumerate(bindings, start=1):
        qids = []
        for var in (subject_var, object_var):
            value = binding.get(var, {}).get("value", "")
            qid = qid_of(str(value))
            if qid is None:
                raise LoadError(f"result row {number}: ?{var} is not a Wikidata item: {value!r}", file=str(path))
            qids.append(qid)
            label_var = companion(var, _LABEL_SUFFIXES)
            if label_var and label_var in binding:
                term = binding[label_var]
                label = str(term.get("value", ""))
                if label and qid_of(label) != qid:  # the label service falls back to the id itself
                    data.add_label(qid, label, term.get("xml:lang") or UNDETERMINED)
            country_var = companion(var, _COUNTRY_SUFFIXES)
            if country_var and country_var in binding:
                country = qid_of(str(binding[country_var].get("value", "")))
                if country:
                    data.countries[qid] = country
        data.add(qids[0], qids[1])
    return data


# --- reconciliation ----------------------------------------------------------------------


@dataclass
class EntityIndex:
    """What the store already knows: Wikidata ids, place labels, countries, twinning agreements."""

    by_qid: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    qids_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_label: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    label_of: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    country_qid: dict[str, str] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)
    twinnings: dict[frozenset[str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_store(cls, store: GraphStore, *, exclude_graphs: Iterable[str] = ()) -> EntityIndex:
        """Index the store, leaving out ``exclude_graphs`` (the graph about to be replaced) and inferences."""
        index = cls()
        exclude_graphs = list(exclude_graphs)
        excluded = [ox.NamedNode(g) for g in exclude_graphs]
        inferred = ox.NamedNode(store.base + "graph/inferred")
        skip = {*excluded, inferred}
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            g for g in store.oxigraph.named_graphs() if g not in skip
        ]
        if not graphs:
            return index

        def select(query: str) -> Iterator[ox.QuerySolution]:
            yield from solutions(store.oxigraph.query(query, default_graph=graphs))

        for row in select(
            f"SELECT ?e ?q WHERE {{ {{ ?e <{RG}wikidataId> ?q }} UNION "
            f'{{ ?e <{SKOS}exactMatch> ?w . FILTER(STRSTARTS(STR(?w), "{WD}")) '
            f'BIND(STRAFTER(STR(?w), "{WD}") AS ?q) }} FILTER(isIRI(?e)) }}'
        ):
            qid = qid_of(row["q"].value)
            if qid:
                index.by_qid[qid].add(row["e"].value)
                index.qids_of[row["e"].value].add(qid)
        classes = " ".join(f"<{RG}{c}>" for c in _PLACE_CLASSES)
        for row in select(f"SELECT DISTINCT ?e WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c FILTER(isIRI(?e)) }}"):
            index.places.add(row["e"].value)
        for row in select(
            f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}>|<{SKOS}altLabel> ?l FILTER(isIRI(?e) && isLiteral(?l)) }}"
        ):
            entity = row["e"].value
            if entity in index.places:
                index.by_label[normalise_label(row["l"].value)].add(entity)
        for row in select(f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}> ?l FILTER(isIRI(?e)) }}"):
            lang = row["l"].language or ""
            index.label_of[row["e"].value].setdefault(lang, row["l"].value)
        for row in select(f"SELECT ?e ?c WHERE {{ ?e <{RG}country> ?c }}"):
            for qid in index.qids_of.get(row["c"].value, ()):
                index.country_qid[row["e"].value] = qid
        from .world.twintowns import twinning_agreements  # city twinning or a narrower kind (León's)

        index.twinnings.update(twinning_agreements(store, exclude_graphs=list(exclude_graphs)))
        return index


@dataclass
class Match:
    qid: str
    entity: str
    how: str  # "wikidata-id" or "label"


@dataclass
class Reconciliation:
    matched: dict[str, Match] = field(default_factory=dict)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def reconcile(
    qids: Iterable[str],
    labels: dict[str, list[tuple[str, str]]],
    index: EntityIndex,
    *,
    countries: dict[str, str] | None = None,
) -> Reconciliation:
    """Match Wikidata items to existing entities: by id first, then by unique normalised label."""
    countries = countries or {}
    result = Reconciliation()
    claims: dict[str, list[str]] = defaultdict(list)  # entity → qids claiming it by label
    candidates_of: dict[str, set[str]] = {}
    for qid in progress.track(sorted(qids, key=_qnum), desc="reconciling items", unit="item"):
        by_id = index.by_qid.get(qid, set())
        if len(by_id) == 1:
            result.matched[qid] = Match(qid, next(iter(by_id)), "wikidata-id")
            continue
        if len(by_id) > 1:
            result.ambiguous.append(
                {
                    "qid": qid,
                    "labels": _label_texts(labels, qid),
                    "reason": "several entities carry this Wikidata id",
                    "candidates": sorted(by_id),
                }
            )
            continue
        found: set[str] = set()
        for label, _lang in labels.get(qid, []):
            found |= index.by_label.get(normalise_label(label), set())
        # a place with a different Wikidata id is a different place; so is one in another country
        found = {e for e in found if not (index.qids_of.get(e, set()) - {qid})}
        if qid in countries:
            found = {e for e in found if index.country_qid.get(e, countries[qid]) == countries[qid]}
        if not found:
            result.unmatched.append(qid)
        elif len(found) > 1:
            result.ambiguous.append(
                {
                    "qid": qid,
                    "labels": _label_texts(labels, qid),
                    "reason": "the label matches several places",
                    "candidates": sorted(found),
                }
            )
        else:
            entity = next(iter(found))
            claims[entity].append(qid)
            candidates_of[qid] = found
    id_matched = {m.entity for m in result.matched.values()}
    for entity, claimants in sorted(claims.items()):
        if len(claimants) == 1 and entity not in id_matched:
            result.matched[claimants[0]] = Match(claimants[0], entity, "label")
            continue
        reason = (
            "the place is already matched by Wikidata id"
            if entity in id_matched
            else f"{len(claimants)} imported items carry this label"
        )
        for qid in claimants:
            result.ambiguous.append(
                {"qid": qid, "labels": _label_texts(labels, qid), "reason": reason, "candidates": [entity]}
            )
    result.ambiguous.sort(key=lambda a: _qnum(a["qid"]))
    result.unmatched.sort(key=_qnum)
    return result


def _label_texts(labels: dict[str, list[tuple[str, str]]], qid: str) -> list[str]:
    return [label for label, _ in labels.get(qid, [])]


# --- output ------------------------------------------------------------------------------


@dataclass
class SourceInfo:
    """How the import graph and its source document are described."""

    slug: str
    title: str
    issued: str  # xsd:date
    document_title: str
    url: str | None = None
    languages: tuple[str, ...] = ("de", "en", "fr", "it", "es")
    attribution: str = "Wikidata contributors"
    note: str = ""


TSV_SOURCE = SourceInfo(
    slug="wikidata-p190-2016",
    title="Wikidata: P190 (twinned administrative body), snapshot of 10 September 2016",
    issued="2016-09-10",
    document_title="sister-cities: relations.tsv and names.tsv (Wikidata P190 crawl, 2016)",
    url="https://github.com/L3viathan/sister-cities",
    attribution="Wikidata contributors, via github.com/L3viathan/sister-cities",
    note=(
        "Crawled from Wikidata through the wbgetentities API by L3viathan/sister-cities; data files last "
        "changed in commit fc3c936b923485c024a24386a96ba763aee636ce (2016-09-10). Labels are in the first "
        "language available from de, en, fr, it, es and are tagged @und. The repository states no licence; "
        "Wikidata's data is CC0."
    ),
)


def json_source(path: Path) -> SourceInfo:
    """The description of a SPARQL JSON result file: named after the file, dated by its mtime."""
    issued = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
    return SourceInfo(
        slug=f"wikidata-p190-{slugify(path.stem)}"[:80].rstrip("-"),
        title=f"Wikidata: P190 (twinned administrative body), query result {path.name}",
        issued=issued,
        document_title=f"Wikidata query result {path.name}",
        url="https://query.wikidata.org/",
        languages=(),
        note="dct:issued is the file's modification date: the date of the query is not in the file.",
    )


class _Quads:
    def __init__(self, graph: ox.NamedNode) -> None:
        self.graph = graph
        self.items: list[ox.Quad] = []

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.items.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, self.graph))


_TWINNING = {"de": "Städtepartnerschaft", "en": "City twinning", "fr": "Jumelage"}


def build_quads(
    data: P190Data,
    rec: Reconciliation,
    index: EntityIndex,
    *,
    base: str,
    source: SourceInfo,
) -> list[ox.Quad]:
    """The import graph as quads: source description, places, one agreement per unordered pair."""
    graph = graph_iri(source.slug, base=base)
    out = _Quads(ox.NamedNode(graph))
    doc = f"{base}id/source/{source.slug}"
    publisher = f"{base}id/org/wikidata"
    for subject in (graph, doc):
        out.add(subject, RDF_TYPE, RG + ("SourceGraph" if subject == graph else "SourceDocument"))
        out.add(subject, DCT + "publisher", publisher)
        out.add(subject, DCT + "issued", _lit(source.issued, datatype=XSD + "date"))
        out.add(subject, DCT + "license", CC0)
        out.add(subject, CC + "attributionName", _lit(source.attribution))
        for lang in source.languages or ("en",):
            out.add(subject, DCT + "language", LANG + lang)
    out.add(graph, PROV + "wasDerivedFrom", doc)
    out.add(graph, DCT + "title", _lit(source.title, "en"))
    out.add(doc, DCT + "title", _lit(source.document_title, "en"))
    out.add(doc, DCT + "source", "https://www.wikidata.org/")
    if source.url:
        out.add(doc, SCHEMA + "url", source.url)
    notes = [source.note] if source.note else []
    notes += [f"sha256 of {p.name}: {file_sha256(p)}" for p in data.files]
    for note in notes:
        out.add(doc, SKOS + "editorialNote", _lit(note, "en"))
    out.add(publisher, RDF_TYPE, RG + "Organization")
    for lang in ("de", "en", "fr"):
        out.add(publisher, RDFS_LABEL, _lit("Wikidata", lang))

    iri: dict[str, str] = {}
    for qid in sorted(data.items(), key=_qnum):
        match = rec.matched.get(qid)
        node = match.entity if match else f"{base}id/place/wd-{qid.lower()}"
        iri[qid] = node
        if not match:
            out.add(node, RDF_TYPE, RG + "Place")
            for label, lang in data.labels.get(qid, []) or [(qid, UNDETERMINED)]:
                out.add(node, RDFS_LABEL, _lit(label, lang))
            country = data.countries.get(qid)
            if country and len(index.by_qid.get(country, ())) == 1:
                out.add(node, RG + "country", next(iter(index.by_qid[country])))
        out.add(node, RG + "wikidataId", _lit(qid))
        out.add(node, SKOS + "exactMatch", WD + qid)
        if match and match.how != "wikidata-id":  # how this source's item was merged, for audits and overrides
            out.add(node, RG + "matchMethod", _lit(match.how))
        if match:  # the item's own name, where the place is not yet known by it ("Warna" for Varna): search finds it
            known = {normalise_label(v) for v in index.label_of.get(node, {}).values()}
            for label, lang in data.labels.get(qid, []):
                if normalise_label(label) not in known:
                    out.add(node, SKOS + "altLabel", _lit(label, lang))

    def name(qid: str, lang: str) -> str:
        entity = iri[qid]
        known = index.label_of.get(entity, {})
        if lang in known:
            return known[lang]
        imported = data.labels.get(qid, [])
        same = [label for label, tag in imported if tag == lang]
        return (same or [label for label, _ in imported] or [qid])[0]

    ordered = sorted(data.pairs().items(), key=lambda kv: (_qnum(kv[0][0]), _qnum(kv[0][1])))
    for (a, b), stated_by in progress.track(ordered, desc="writing relations", unit="pair"):
        existing = index.twinnings.get(frozenset((iri[a], iri[b])), set())
        if a in rec.matched and b in rec.matched and len(existing) == 1:
            agreement = next(iter(existing))  # it keeps its own kind, which may be narrower than twinning
        else:
            agreement = f"{base}id/agreement/wd-p190-{a.lower()}-{b.lower()}"
            for lang, word in _TWINNING.items():
                out.add(agreement, RDFS_LABEL, _lit(f"{word} {name(a, lang)} – {name(b, lang)} (Wikidata)", lang))
            out.add(agreement, RG + "agreementType", CONCEPT + "agreement-type/city-twinning")
        out.add(agreement, RDF_TYPE, RG + "Agreement")
        out.add(agreement, RG + "party", iri[a])
        out.add(agreement, RG + "party", iri[b])
        one_sided = len(stated_by) == 1
        out.add(agreement, RG + "oneSided", _lit("true" if one_sided else "false", datatype=XSD + "boolean"))
        if one_sided:  # a two-sided statement is stated by both parties: no need to say so
            out.add(agreement, RG + "statedBy", iri[next(iter(stated_by))])
    return out.items


# --- the import --------------------------------------------------------------------------


def _confirm_common_names(
    rec: Reconciliation, world: Reconciler, pairs: list[tuple[str, str]], names: dict[str, str]
) -> set[str]:
    """A label match on a name several GeoNames places carry needs a matched partner to confirm it.

    "Maastricht" names one place on Earth; "Mount Pleasant" or "Guadalupe" name dozens, and a
    unique label in the store says only that the store knows one of them. Such a match stands when
    one of the item's partners is matched to a partner of the place; otherwise it is undone and
    reported as ambiguous. Returns the items undone.
    """
    from .world.names import fold

    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    undone: set[str] = set()
    for qid, match in list(rec.matched.items()):
        if match.how != "label":
            continue
        key = fold(names.get(qid, ""))
        if len({p.geonameid for p in world.gazetteer.lookup(key) if p.population >= 1000}) < 2:
            continue
        related = world.index.partners.get(match.entity, set())
        if any(p in rec.matched and rec.matched[p].entity in related for p in neighbours[qid]):
            continue
        del rec.matched[qid]
        undone.add(qid)
        rec.ambiguous.append(
            {
                "qid": qid,
                "labels": [names.get(qid, "")],
                "reason": "the label names several GeoNames places and no matched partner confirms the match",
                "candidates": [match.entity],
            }
        )
    return undone


def _match_partners(
    store: GraphStore, data: P190Data, rec: Reconciliation, graph: str, *, gazetteer: Gazetteer | None = None
) -> None:
    """Match items still unmatched through their matched partners (rule name+partner of the world reconciler)."""
    from .world.gazetteer import Gazetteer
    from .world.names import fold_variants
    from .world.reconcile import Match as WorldMatch
    from .world.reconcile import Mention, PlaceIndex, Reconciler

    places = PlaceIndex.from_store(store, exclude_graphs=[graph])
    blocked = {a["qid"] for a in rec.ambiguous}
    mentions = {q: Mention(q, (data.labels.get(q) or [(q, "")])[0][0], qid=q) for q in data.items()}
    keys = {k for m in mentions.values() for k in fold_variants(m.name)} | set(places.by_key)
    world = Reconciler(places, gazetteer or Gazetteer.for_keys(keys, ids=places.by_geonames))
    world.matched = {q: WorldMatch(m.entity, m.how) for q, m in rec.matched.items()}
    world.ambiguous = {q: "ambiguous by label" for q in blocked}
    pairs = list(data.pairs())
    world.match_partners((mentions[a], mentions[b]) for a, b in pairs)
    unmatched = set(rec.unmatched)
    for qid, match in world.matched.items():
        if qid in unmatched:
            rec.matched[qid] = Match(qid, match.entity, match.how)
            unmatched.discard(qid)
    _confirm_common_names(rec, world, pairs, {q: m.name for q, m in mentions.items()})
    rec.unmatched = sorted(unmatched, key=_qnum)


@dataclass
class ImportReport:
    graph: str
    rows: int
    statements: int
    duplicates: int
    self_loops: int
    pairs: int
    one_sided: int
    places: int
    matched_by_id: int
    matched_by_label: int
    matched_by_partner: int
    minted: int
    agreements_reused: int
    triples: int
    seconds: dict[str, float]
    matches: list[dict[str, str]]
    ambiguous: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]

    def summary(self) -> str:
        lines = [
            f"graph {self.graph}",
            f"  {self.rows:,} rows, {self.statements:,} distinct statements ({self.duplicates:,} duplicate rows, "
            f"{self.self_loops:,} self-loops skipped)",
            f"  {self.pairs:,} partnerships (unordered pairs), {self.one_sided:,} one-sided (flagged rg:oneSided true)",
            f"  {self.places:,} places: {self.matched_by_id:,} matched by Wikidata id, "
            f"{self.matched_by_label:,} by label, {self.matched_by_partner:,} by name and a matched partner, "
            f"{self.minted:,} new (id/place/wd-q…); "
            f"{len(self.ambiguous):,} ambiguous (not merged)",
            f"  {self.agreements_reused:,} pairs stated about an existing twinning agreement",
            f"  {self.triples:,} triples; " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()),
        ]
        for match in self.matches:
            if match["how"] == "label":
                lines.append(f"  matched by label: {match['qid']} {match['label']!r} → <{match['entity']}>")
        for item in self.ambiguous:
            lines.append(
                f"  AMBIGUOUS {item['qid']} {', '.join(item['labels']) or '(no label)'}: {item['reason']}: "
                + ", ".join(f"<{c}>" for c in item["candidates"])
            )
        if self.unmatched:
            shown = ", ".join(f"{u['qid']} {u['label']}" for u in self.unmatched[:10])
            more = f" … and {len(self.unmatched) - 10:,} more (see --report)" if len(self.unmatched) > 10 else ""
            lines.append(f"  unmatched (new places): {shown}{more}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def import_wikidata(
    store: GraphStore,
    *,
    json_file: Path | None = None,
    relations: Path | None = None,
    labels: Path | None = None,
    source: SourceInfo | None = None,
    validate: bool = False,
    partners: bool = True,
    gazetteer: Gazetteer | None = None,
) -> ImportReport:
    """Read, reconcile and write one P190 source into its own graph (replacing it).

    With ``partners`` (the default) an item left unmatched by id and label is matched to a place
    related to its already matched partner whose names meet its label, GeoNames' alternate names
    included ("Warna" is Varna, a partner of Hamburg): :meth:`relgraph.world.reconcile.Reconciler.match_partners`.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if json_file is not None:
        data = read_sparql_json(Path(json_file))
        source = source or json_source(Path(json_file))
    elif relations is not None:
        data = read_tsv(Path(relations), labels=Path(labels) if labels else None)
        source = source or TSV_SOURCE
    else:
        raise UsageError("give a SPARQL JSON file or --relations (and --labels)")
    seconds["read"] = time.perf_counter() - started
    graph = graph_iri(source.slug, base=store.base)

    step = time.perf_counter()
    index = EntityIndex.from_store(store, exclude_graphs=[graph])
    rec = reconcile(data.items(), data.labels, index, countries=data.countries)
    if partners:
        _match_partners(store, data, rec, graph, gazetteer=gazetteer)
    seconds["reconcile"] = time.perf_counter() - step

    step = time.perf_counter()
    quads = build_quads(data, rec, index, base=store.base, source=source)
    seconds["build"] = time.perf_counter() - step

    by_graph = {ox.NamedNode(graph): quads}
    if validate:
        from .validate import gate

        step = time.perf_counter()
        gate(store, by_graph)
        seconds["validate"] = time.perf_counter() - step
    step = time.perf_counter()
    store.replace_graphs(by_graph)
    seconds["load"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - started

    pairs = data.pairs()
    first_label = {q: (data.labels.get(q) or [("", "")])[0][0] for q in data.items()}
    reused = sum(
        1
        for (a, b) in pairs
        if a in rec.matched
        and b in rec.matched
        and len(index.twinnings.get(frozenset((rec.matched[a].entity, rec.matched[b].entity)), ())) == 1
    )
    return ImportReport(
        graph=graph,
        rows=data.rows,
        statements=len(data.statements),
        duplicates=data.duplicates,
        self_loops=data.self_loops,
        pairs=len(pairs),
        one_sided=sum(1 for s in pairs.values() if len(s) == 1),
        places=len(data.items()),
        matched_by_id=sum(1 for m in rec.matched.values() if m.how == "wikidata-id"),
        matched_by_label=sum(1 for m in rec.matched.values() if m.how == "label"),
        matched_by_partner=sum(1 for m in rec.matched.values() if m.how == "name+partner"),
        minted=len(data.items()) - len(rec.matched),
        agreements_reused=reused,
        triples=len(quads),
        seconds={k: round(v, 3) for k, v in seconds.items()},
        matches=[
            {"qid": m.qid, "label": first_label.get(m.qid, ""), "entity": m.entity, "how": m.how}
            for m in sorted(rec.matched.values(), key=lambda m: _qnum(m.qid))
        ],
        ambiguous=rec.ambiguous,
        unmatched=[{"qid": q, "label": first_label.get(q, "")} for q in rec.unmatched],
    )
