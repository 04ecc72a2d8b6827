"""The authoring format: agreements in a spreadsheet (CSV) or YAML, turned into RDF.

One row per agreement; the columns are documented in ``data/templates/README.md``
(:data:`COLUMNS` is the single list the code, the template and the docs share).
Names are matched to entities already in the store by label (any language,
normalised as in :func:`relgraph.text.normalise_label`) or by Wikidata id (a cell
``Q1055``); unknown names become new entities with stable slugs, which needs
their type (``party_N_type``). Every problem is collected with its row and
column, and nothing is written unless the whole file is clean; the SHACL gate
of :mod:`relgraph.validate` then checks the result before it is committed.

Each source (title, publisher, date, URL) becomes one named graph,
``{base}graph/{slug of publisher, date and title}``, described as an
``rg:SourceGraph``; ``--graph`` puts everything in one graph instead (allowed
only when the file cites one source). Importing the same file again replaces
those graphs. :func:`export_rows` turns a graph back into rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import progress, spreadsheet
from .errors import RelgraphError, UsageError
from .namespaces import CONCEPT, DCT, LANG, PROV, RDF_TYPE, RDFS_LABEL, RG, SCHEMA, SKOS, XSD, graph_iri
from .resources import bundled_dir
from .results import solutions
from .spreadsheet import restore
from .store import GraphStore
from .terms import qid_of, slugify
from .text import normalise_label

__all__ = [
    "COLUMNS",
    "PARTY_TYPES",
    "AuthoringError",
    "Problem",
    "export_rows",
    "import_agreements",
    "parse_rows",
    "read_rows",
    "write_csv",
]


#: The columns, in template order: (name, required, what it holds).
COLUMNS: list[tuple[str, bool, str]] = [
    ("kind", True, "agreement type: notation or label of a concept of the agreement-type scheme"),
    ("party_1", True, "first party: a name (any language) or a Wikidata id such as Q1055"),
    ("party_1_type", False, "type of party_1 when it is new (see PARTY_TYPES)"),
    ("party_2", True, "second party"),
    ("party_2_type", False, "type of party_2 when it is new"),
    ("party_3", False, "optional third party"),
    ("party_3_type", False, "type of party_3 when it is new"),
    ("date", False, "signing date: YYYY, YYYY-MM or YYYY-MM-DD (the precision you know)"),
    ("signatory_1", False, "person who signed for party_1"),
    ("post_1", False, "post in which signatory_1 signed (an office of party_1)"),
    ("signatory_2", False, "person who signed for party_2"),
    ("post_2", False, "post in which signatory_2 signed (an office of party_2)"),
    ("fields", False, "thematic fields, separated by semicolons (notations or labels)"),
    ("status", False, "status: notation or label of a concept of the status scheme"),
    ("valid_from", False, "start of validity: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("valid_until", False, "end of validity: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("source_title", True, "title of the source document"),
    ("source_publisher", True, "publisher of the source (a name; matched or created as an organisation)"),
    ("source_date", True, "date of the source: YYYY, YYYY-MM or YYYY-MM-DD"),
    ("source_url", False, "address of the source (http or https)"),
    ("source_language", False, "ISO 639-1 code of the source's language (default de); also tags new names"),
    ("notes", False, "free text for editors (skos:note)"),
]
COLUMN_NAMES = [name for name, _, _ in COLUMNS]

#: Types for new parties: value of party_N_type → (class, IRI type segment).
PARTY_TYPES: dict[str, tuple[str, str]] = {
    "city": ("City", "city"),
    "region": ("Region", "region"),
    "federal-state": ("FederalState", "region"),
    "province": ("Province", "region"),
    "country": ("Country", "country"),
    "organisation": ("Organization", "org"),
    "government-body": ("GovernmentBody", "org"),
    "ministry": ("Ministry", "org"),
    "university": ("University", "org"),
    "research-centre": ("ResearchCentre", "org"),
    "research-consortium": ("ResearchConsortium", "org"),
    "cluster": ("Cluster", "org"),
    "association": ("Association", "org"),
    "chamber-of-commerce": ("ChamberOfCommerce", "org"),
    "international-organisation": ("InternationalOrganization", "org"),
}
_PARTY_CLASSES = sorted({cls for cls, _ in PARTY_TYPES.values()} | {"Place", "Site"})
_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_LANGS = ("de", "en", "fr")


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}, column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class AuthoringError(RelgraphError):
    """The file has problems; nothing was loaded."""

    hint = "nothing was loaded; fix the rows and import again"

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file, self.problems = file, list(problems)
        lines = "\n".join(f"{file}: {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s):\n{lines}\n")


# --- reading -------------------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) from a CSV (row = spreadsheet line) or YAML (row = item number)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        import yaml

        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise AuthoringError(str(path), [Problem(0, "", f"not valid YAML: {err}")]) from None
        if isinstance(doc, dict) and "agreements" in doc:
            doc = doc["agreements"]
        if not isinstance(doc, list) or not all(isinstance(item, dict) for item in doc):
            raise AuthoringError(str(path), [Problem(0, "", "expected a list of agreements (one mapping each)")])
        return [(i, {str(k): _yaml_text(v) for k, v in item.items()}) for i, item in enumerate(doc, start=1)]
    if suffix in {".csv", ".tsv"}:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from spreadsheet programs is fine
        dialect: Any = "excel-tab" if suffix == ".tsv" else _sniff(text)
        reader = csv.reader(io.StringIO(text, newline=""), dialect)  # not splitlines(): a quoted cell may hold ⏎
        rows = list(reader)
        if not rows:
            raise AuthoringError(str(path), [Problem(0, "", "the file is empty")])
        header = [h.strip() for h in rows[0]]
        result = []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            # a cell a spreadsheet export neutralised ('=…) is read as its value
            row = {header[i] if i < len(header) else f"(column {i + 1})": restore(c) for i, c in enumerate(cells)}
            result.append((number, row))
        return result
    raise UsageError(f"{path}: use a .csv, .tsv, .yaml or .yml file")


def _sniff(text: str) -> Any:
    first = text.split("\n", 1)[0]
    return csv.excel if first.count(",") >= first.count(";") else _Semicolon


class _Semicolon(csv.excel):
    delimiter = ";"


def _yaml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_yaml_text(v) for v in value)
    return str(value)


# --- vocabulary and store lookups ---------------------------------------------------------------


@dataclass
class _Vocabulary:
    concepts: dict[str, dict[str, str]]  # scheme → normalised notation/label → concept IRI
    labels: dict[str, dict[str, str]]  # concept IRI → lang → label

    @classmethod
    def load(cls) -> _Vocabulary:
        store = ox.Store()
        store.load(path=str(bundled_dir("ontology") / "concepts.ttl"), format=ox.RdfFormat.TURTLE)
        concepts: dict[str, dict[str, str]] = defaultdict(dict)
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        query = f"""SELECT ?c ?scheme ?v WHERE {{ ?c <{SKOS}inScheme> ?scheme .
            {{ ?c <{SKOS}notation> ?v }} UNION {{ ?c <{SKOS}prefLabel> ?v }} UNION {{ ?c <{SKOS}altLabel> ?v }} }}"""
        for row in solutions(store.query(query)):
            scheme = row["scheme"].value.removeprefix(CONCEPT)
            concepts[scheme].setdefault(normalise_label(row["v"].value), row["c"].value)
        for row in solutions(store.query(f"SELECT ?c ?l WHERE {{ ?c <{SKOS}prefLabel> ?l }}")):
            labels[row["c"].value][row["l"].language or ""] = row["l"].value
        return cls(concepts, labels)

    def find(self, scheme: str, text: str) -> str | None:
        return self.concepts.get(scheme, {}).get(normalise_label(text))

    def choices(self, scheme: str) -> str:
        notations = sorted({iri.rsplit("/", 1)[1] for iri in self.concepts.get(scheme, {}).values()})
        return ", ".join(notations)


@dataclass
class _Entities:
    by_label: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_qid: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    iris: set[str] = field(default_factory=set)
    #: (kind, parties) → [(agreement, signing or "", signing years)]
    agreements: dict[tuple[str, frozenset[str]], list[tuple[str, str, set[str]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    signatures: dict[tuple[str, str], str] = field(default_factory=dict)  # (signing, person) → signature

    @classmethod
    def from_store(cls, store: GraphStore, *, exclude: Iterable[str] = ()) -> _Entities:
        index = cls()
        skip = {ox.NamedNode(g) for g in exclude} | {ox.NamedNode(store.base + "graph/inferred")}
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            g for g in store.oxigraph.named_graphs() if g not in skip
        ]
        if not graphs:
            return index

        def select(query: str) -> ox.QuerySolutions:
            return solutions(store.oxigraph.query(query, default_graph=graphs))

        for row in select(f"SELECT ?e ?t WHERE {{ ?e a ?t FILTER(isIRI(?e) && STRSTARTS(STR(?t), '{RG}')) }}"):
            index.types[row["e"].value].add(row["t"].value.removeprefix(RG))
            index.iris.add(row["e"].value)
        for row in select(f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}>|<{SKOS}altLabel> ?l FILTER(isIRI(?e)) }}"):
            index.by_label[normalise_label(row["l"].value)].add(row["e"].value)
        for row in select(f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}> ?l FILTER(isIRI(?e)) }}"):
            index.labels[row["e"].value].setdefault(row["l"].language or "", row["l"].value)
        for row in select(f"SELECT ?e ?q WHERE {{ ?e <{RG}wikidataId> ?q FILTER(isIRI(?e)) }}"):
            index.by_qid[row["q"].value].add(row["e"].value)
        query = f"""SELECT ?a ?k (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?ps)
            (SAMPLE(?s) AS ?signing) (GROUP_CONCAT(DISTINCT SUBSTR(STR(?d), 1, 4); separator=" ") AS ?years)
            WHERE {{ ?a a <{RG}Agreement> ; <{RG}agreementType> ?k ; <{RG}party> ?p .
              OPTIONAL {{ ?a <{RG}signing> ?s OPTIONAL {{ ?s <{RG}date> ?d }} }} }} GROUP BY ?a ?k"""
        for row in select(query):
            key = (row["k"].value, frozenset(row["ps"].value.split()))
            signing = row["signing"].value if row["signing"] is not None else ""
            years = set(row["years"].value.split()) if row["years"] is not None else set()  # no signing date known
            index.agreements[key].append((row["a"].value, signing, years))
        query = f"SELECT ?s ?p ?sig WHERE {{ ?s <{RG}signature> ?sig . ?sig <{RG}signatory> ?p }}"
        for row in select(query):
            index.signatures[(row["s"].value, row["p"].value)] = row["sig"].value
        return index

    def find(self, name: str, classes: Iterable[str]) -> set[str]:
        wanted = set(classes)
        qid = qid_of(name)
        found = self.by_qid.get(qid, set()) if qid else self.by_label.get(normalise_label(name), set())
        return {e for e in found if self.types.get(e, set()) & wanted}


# --- parsing rows into a model ------------------------------------------------------------------


@dataclass
class _Entity:
    iri: str
    cls: str | None = None  # None: existing entity, nothing to assert
    label: str = ""
    lang: str = "de"
    same_label_all_languages: bool = False
    extra: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    graph: str
    source_key: tuple[str, ...]
    kind: str
    parties: list[str]
    date: tuple[str, str] | None
    signatures: list[tuple[str, str | None, str]]  # person, post, party
    fields: list[str]
    status: str | None
    valid_from: tuple[str, str] | None
    valid_until: tuple[str, str] | None
    notes: str
    agreement: str
    labels: dict[str, str]
    signing: str = ""


def source_slug(row: dict[str, str]) -> str:
    """The graph slug of a row's source: its date and title (not the publisher's spelling).

    >>> source_slug({"source_title": "hamburg.de: Partnerstädte", "source_date": "2026-11-26"})
    '2026-11-26-hamburg-de-partnerstadte'
    """
    slug = slugify(f"{row.get('source_date', '').strip()} {row.get('source_title', '').strip()}")
    return slug[:80].rsplit("-", 1)[0] if len(slug) > 80 else slug


def _date(text: str) -> tuple[str, str] | None:
    """(lexical form, XSD type) of an ISO date at its precision; None if malformed.

    A well-formed day that the calendar lacks (2023-02-31) raises ValueError, so the
    row check reports it rather than the SHACL gate against an IRI later.
    """
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError as err:
            raise ValueError(f"{text.strip()!r} is not a day of the calendar ({err})") from None
    return (text.strip(), "date" if day else "gYearMonth" if month else "gYear")


class _Parser:
    def __init__(self, store: GraphStore, vocabulary: _Vocabulary, entities: _Entities, graph: str | None) -> None:
        self.base = store.base
        self.vocabulary = vocabulary
        self.entities = entities
        self.fixed_graph = graph
        self.problems: list[Problem] = []
        self.new: dict[str, _Entity] = {}
        self.new_by_name: dict[tuple[str, str], str] = {}
        self.sources: dict[tuple[str, ...], dict[str, Any]] = {}
        self.rows: list[_Row] = []
        self.agreement_rows: dict[str, int] = {}

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, column, message))

    # -- entity resolution
    def resolve(self, row: int, column: str, name: str, classes: Sequence[str], *, new: _Entity | None) -> str | None:
        found = self.entities.find(name, classes)
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            listed = ", ".join(f"<{e}>" for e in sorted(found))
            self.problem(row, column, f"{name!r} is ambiguous: it matches {listed}; write the Wikidata id or rename")
            return None
        if qid_of(name):
            self.problem(row, column, f"no entity with Wikidata id {name} in the store; write its name instead")
            return None
        key = (classes[0], normalise_label(name))
        if key in self.new_by_name:
            return self.new_by_name[key]
        if new is None:
            return None
        if new.iri in self.entities.iris or new.iri in self.new:
            self.problem(row, column, f"a new entity for {name!r} would reuse <{new.iri}>, which is another entity")
            return None
        self.new[new.iri] = new
        self.new_by_name[key] = new.iri
        return new.iri

    def party(self, number: int, row: dict[str, str], index: int, lang: str) -> str | None:
        column = f"party_{index}"
        name = row.get(column, "").strip()
        type_name = row.get(f"{column}_type", "").strip().lower()
        if type_name and type_name not in PARTY_TYPES:
            self.problem(number, f"{column}_type", f"unknown type {type_name!r}; use one of {', '.join(PARTY_TYPES)}")
            return None
        found = self.entities.find(name, _PARTY_CLASSES)
        if not found and not qid_of(name) and not type_name:
            key = ("party", normalise_label(name))
            if key in self.new_by_name:
                return self.new_by_name[key]
            self.problem(number, column, f"{name!r} is not in the store; to create it, give its type in {column}_type")
            return None
        cls, segment = PARTY_TYPES.get(type_name, ("Organization", "org"))
        entity = _Entity(f"{self.base}id/{segment}/{slugify(name)}", cls, name, lang)
        iri = self.resolve(number, column, name, _PARTY_CLASSES, new=entity if not found else None)
        if iri and iri in self.new:
            self.new_by_name[("party", normalise_label(name))] = iri
        return iri

    # -- one row
    def parse(self, number: int, row: dict[str, str]) -> None:
        for column in row:
            if column not in COLUMN_NAMES:
                self.problem(number, column, f"unknown column; the columns are: {', '.join(COLUMN_NAMES)}")
        for name, required, _ in COLUMNS:
            if required and not row.get(name, "").strip():
                self.problem(number, name, "required but empty")
        text = {k: v.strip() for k, v in row.items()}
        lang = (text.get("source_language") or "de").lower()
        if not re.fullmatch(r"[a-z]{2}", lang):
            self.problem(number, "source_language", f"{lang!r} is not an ISO 639-1 code such as de, en, fr")
            lang = "de"

        kind = None
        if text.get("kind"):
            kind = self.vocabulary.find("agreement-type", text["kind"])
            if kind is None:
                choices = self.vocabulary.choices("agreement-type")
                self.problem(number, "kind", f"unknown kind {text['kind']!r}; use one of {choices}")
        parties = []
        for index in (1, 2, 3):
            if text.get(f"party_{index}"):
                parties.append(self.party(number, text, index, lang))
            elif text.get(f"party_{index}_type"):
                self.problem(number, f"party_{index}_type", f"given, but party_{index} is empty")
        present = [p for p in parties if p]
        if len([k for k in ("party_1", "party_2", "party_3") if text.get(k)]) == 1:
            self.problem(number, "party_2", "an agreement needs at least two parties")
        if len(set(present)) != len(present):
            self.problem(number, "party_2", "the same party is named twice")

        dates: dict[str, tuple[str, str] | None] = {}
        for column in ("date", "valid_from", "valid_until", "source_date"):
            if text.get(column):
                try:
                    dates[column] = _date(text[column])
                except ValueError as err:
                    dates[column] = None
                    self.problem(number, column, f"{err}; write a date that exists")
                    continue
                if dates[column] is None:
                    self.problem(number, column, f"malformed date {text[column]!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
            else:
                dates[column] = None

        fields = []
        for item in filter(None, (f.strip() for f in text.get("fields", "").split(";"))):
            concept = self.vocabulary.find("field", item)
            if concept is None:
                self.problem(number, "fields", f"unknown field {item!r}; use one of {self.vocabulary.choices('field')}")
            else:
                fields.append(concept)
        status = None
        if text.get("status"):
            status = self.vocabulary.find("status", text["status"])
            if status is None:
                choices = self.vocabulary.choices("status")
                self.problem(number, "status", f"unknown status {text['status']!r}; use one of {choices}")

        signatures = []
        for index in (1, 2):
            person, post = text.get(f"signatory_{index}", ""), text.get(f"post_{index}", "")
            if post and not person:
                self.problem(number, f"post_{index}", f"post given without signatory_{index}")
            if not person:
                continue
            party = parties[index - 1] if len(parties) >= index else None
            person_iri = self.resolve(
                number,
                f"signatory_{index}",
                person,
                ["Person"],
                new=_Entity(f"{self.base}id/person/{slugify(person)}", "Person", person, lang, True),
            )
            post_iri = None
            if post and party:
                post_iri = self.resolve(
                    number,
                    f"post_{index}",
                    post,
                    ["Post"],
                    new=_Entity(
                        f"{self.base}id/post/{slugify(post)}", "Post", post, lang, extra=[(RG + "postIn", party)]
                    ),
                )
            if person_iri and party:
                signatures.append((person_iri, post_iri, party))

        # the source and its graph
        publisher = None
        if text.get("source_publisher"):
            publisher = self.resolve(
                number,
                "source_publisher",
                text["source_publisher"],
                _PARTY_CLASSES,
                new=_Entity(
                    f"{self.base}id/org/{slugify(text['source_publisher'])}",
                    "Organization",
                    text["source_publisher"],
                    lang,
                ),
            )
        url = text.get("source_url", "")
        if url and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            self.problem(number, "source_url", f"{url!r} is not an http(s) address")
        key = (text.get("source_title", ""), publisher or "", text.get("source_date", ""), url, lang)
        slug = source_slug(text)
        graph = self.fixed_graph or graph_iri(slug, base=self.base)
        if key not in self.sources:
            other = next((k for k, s in self.sources.items() if s["graph"] == graph), None)
            if other is not None:
                self.problem(number, "source_title", "--graph given, but the file cites more than one source")
            self.sources[key] = {
                "graph": graph,
                "slug": slug,
                "title": key[0],
                "publisher": publisher,
                "date": dates["source_date"],
                "url": url,
                "lang": lang,
            }

        if kind is None or len(present) < 2 or None in parties:
            return
        year = dates["date"][0][:4] if dates["date"] else "undated"
        slug_parts = [p.rsplit("/", 1)[1] for p in present]
        agreement_slug = "-".join([*slug_parts, kind.rsplit("/", 1)[1], year])
        agreement = f"{self.base}id/agreement/{agreement_slug}"
        signing = agreement.replace("/id/agreement/", "/id/signing/")
        # the same agreement already in the store (same kind and parties, no other year): state about it
        same = [
            (a, s)
            for a, s, years in self.entities.agreements.get((kind, frozenset(present)), [])
            if not dates["date"] or not years or years == {year}
        ]
        if len(same) == 1:
            agreement, signing = same[0][0], same[0][1] or signing
            reused = True
        else:
            reused = False
        if agreement in self.agreement_rows:
            self.problem(number, "kind", f"same parties, kind and year as row {self.agreement_rows[agreement]}")
            return
        self.agreement_rows[agreement] = number
        when = f" ({year})" if dates["date"] else ""
        labels = {
            lng: f"{self.vocabulary.labels[kind].get(lng, '')} " + "–".join(self._name(p, lng) for p in present) + when
            for lng in _LANGS
        }
        labels = {k: v[0].upper() + v[1:] for k, v in labels.items()}
        if reused:  # the agreement has its labels already
            labels = {}
        self.rows.append(
            _Row(
                number,
                graph,
                key,
                kind,
                present,
                dates["date"],
                signatures,
                fields,
                status,
                dates["valid_from"],
                dates["valid_until"],
                text.get("notes", ""),
                agreement,
                labels,
                signing,
            )
        )

    def _name(self, iri: str, lang: str) -> str:
        if iri in self.new:
            return self.new[iri].label
        known = self.entities.labels.get(iri, {})
        return known.get(lang) or next(iter(known.values()), iri.rsplit("/", 1)[1])


def parse_rows(
    rows: Sequence[tuple[int, dict[str, str]]], store: GraphStore, *, graph: str | None = None, file: str = "<rows>"
) -> dict[ox.NamedNode, list[ox.Quad]]:
    """Rows → quads per graph; raises :class:`AuthoringError` listing every problem."""
    vocabulary = _Vocabulary.load()
    if not rows:
        raise AuthoringError(file, [Problem(0, "", "no agreements in the file")])
    # the graphs about to be replaced are left out when matching names
    targets = {graph or graph_iri(source_slug(row), base=store.base) for _, row in rows}
    parser = _Parser(store, vocabulary, _Entities.from_store(store, exclude=targets), graph)
    for number, row in progress.track(rows, desc="checking rows", unit="row"):
        parser.parse(number, row)
    if parser.problems:
        raise AuthoringError(file, parser.problems)
    return _quads(parser)


def _quads(parser: _Parser) -> dict[ox.NamedNode, list[ox.Quad]]:
    out: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)

    def add(graph: str, s: str, p: str, o: str | ox.Literal) -> None:
        node = ox.NamedNode(graph)
        out[node].append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o, node))

    def date(value: tuple[str, str]) -> ox.Literal:
        return ox.Literal(value[0], datatype=ox.NamedNode(XSD + value[1]))

    def entity(graph: str, iri: str) -> None:
        e = parser.new.get(iri)
        if e is not None:
            add(graph, iri, RDF_TYPE, RG + (e.cls or "Organization"))
            for lang in _LANGS if e.same_label_all_languages else (e.lang,):
                add(graph, iri, RDFS_LABEL, ox.Literal(e.label, language=lang))
            for p, o in e.extra:
                add(graph, iri, p, o)

    base = parser.base
    for source in parser.sources.values():
        g = source["graph"]
        doc = f"{base}id/source/{source['slug']}"
        for subject in (g, doc):
            add(g, subject, RDF_TYPE, RG + ("SourceGraph" if subject == g else "SourceDocument"))
            add(g, subject, DCT + "title", ox.Literal(source["title"], language=source["lang"]))
            add(g, subject, DCT + "publisher", source["publisher"])
            add(g, subject, DCT + "issued", date(source["date"]))
            add(g, subject, DCT + "language", LANG + source["lang"])
        add(g, g, PROV + "wasDerivedFrom", doc)
        if source["url"]:
            add(g, doc, SCHEMA + "url", source["url"])
        entity(g, source["publisher"])
    for row in parser.rows:
        g, a = row.graph, row.agreement
        add(g, a, RDF_TYPE, RG + "Agreement")
        for lang, label in row.labels.items():
            add(g, a, RDFS_LABEL, ox.Literal(label, language=lang))
        add(g, a, RG + "agreementType", row.kind)
        for party in row.parties:
            add(g, a, RG + "party", party)
            entity(g, party)
        for f in row.fields:
            add(g, a, RG + "field", f)
        if row.status:
            add(g, a, RG + "status", row.status)
        if row.valid_from:
            add(g, a, RG + "validFrom", date(row.valid_from))
        if row.valid_until:
            add(g, a, RG + "validUntil", date(row.valid_until))
        if row.notes:
            add(g, a, SKOS + "note", ox.Literal(row.notes))
        if row.date or row.signatures:
            signing = row.signing
            add(g, a, RG + "signing", signing)
            add(g, signing, RDF_TYPE, RG + "Signing")
            if row.date:
                add(g, signing, RG + "date", date(row.date))
            for person, post, party in row.signatures:
                person_slug = person.rsplit("/", 1)[1]
                signature = parser.entities.signatures.get((signing, person)) or (
                    f"{base}id/signature/{signing.rsplit('/', 1)[1]}-{person_slug}"
                )
                add(g, signing, RG + "signature", signature)
                add(g, signature, RDF_TYPE, RG + "Signature")
                add(g, signature, RG + "signatory", person)
                add(g, signature, RG + "onBehalfOf", party)
                entity(g, person)
                if post:
                    add(g, signature, RG + "inPost", post)
                    entity(g, post)
                    tenure = f"{base}id/tenure/{person_slug}-{post.rsplit('/', 1)[1]}"
                    add(g, tenure, RDF_TYPE, RG + "Tenure")
                    add(g, tenure, RG + "holder", person)
                    add(g, tenure, RG + "post", post)
                    # the post held on the signing date, or, when the source gives none, on the source's date
                    attested = row.date or parser.sources[row.source_key]["date"]
                    if attested:
                        add(g, tenure, RG + "attestedOn", date(attested))
    # a quad stated twice (the same new entity in two rows) is written once
    return {g: list(dict.fromkeys(qs)) for g, qs in out.items()}


@dataclass
class AuthoringReport:
    file: str
    agreements: int
    graphs: dict[str, int]
    new_entities: list[str]
    warnings: int = 0


def import_agreements(
    store: GraphStore, path: Path, *, graph: str | None = None, validate: bool = True
) -> AuthoringReport:
    """Read, check and load one authoring file; all or nothing."""
    rows = read_rows(Path(path))
    by_graph = parse_rows(rows, store, graph=graph, file=str(path))
    warnings = 0
    if validate:
        from .validate import gate

        report = gate(store, by_graph)
        warnings = len(report.warnings)
    new = sorted(
        {
            q.subject.value
            for qs in by_graph.values()
            for q in qs
            if q.predicate.value == RDF_TYPE and not isinstance(q.subject, ox.Triple)
        }
        - {
            q.subject.value
            for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None)
            if not isinstance(q.subject, ox.Triple)
        }
    )
    store.replace_graphs(by_graph)
    agreement = ox.NamedNode(RG + "Agreement")
    agreements = sum(
        1 for qs in by_graph.values() for q in qs if q.predicate.value == RDF_TYPE and q.object == agreement
    )
    return AuthoringReport(str(path), agreements, {g.value: len(q) for g, q in by_graph.items()}, new, warnings)


# --- back to rows -------------------------------------------------------------------------------


def export_rows(store: GraphStore, graph: str, *, lang: str = "de") -> list[dict[str, str]]:
    """The agreements of one graph as authoring rows (parties in label order)."""
    g = [ox.NamedNode(graph)]
    everything: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        n for n in store.oxigraph.named_graphs() if n.value != store.base + "graph/inferred"
    ]

    def label(iri: ox.NamedNode) -> str:
        rows = list(
            solutions(
                store.oxigraph.query(
                    f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}> ?l }}",
                    default_graph=everything,
                    substitutions={ox.Variable("e"): iri},
                )
            )
        )
        by_lang = {r["l"].language or "": r["l"].value for r in rows}
        return by_lang.get(lang) or by_lang.get("en") or next(iter(sorted(by_lang.values())), iri.value)

    def notation(iri: ox.NamedNode) -> str:
        return iri.value.rsplit("/", 1)[1]

    def values(s: ox.NamedNode, p: str) -> list[Any]:
        return [q.object for q in store.oxigraph.quads_for_pattern(s, ox.NamedNode(p), None, g[0])]

    source = next(iter(values(ox.NamedNode(graph), PROV + "wasDerivedFrom")), None)
    src: dict[str, str] = {}
    if source is not None:
        title = values(source, DCT + "title")
        src = {
            "source_title": title[0].value if title else "",
            "source_publisher": label(values(source, DCT + "publisher")[0])
            if values(source, DCT + "publisher")
            else "",
            "source_date": next((v.value for v in values(source, DCT + "issued")), ""),
            "source_url": next((v.value for v in values(source, SCHEMA + "url")), ""),
            "source_language": next((v.value.rsplit("/", 1)[1] for v in values(source, DCT + "language")), ""),
        }
    result = []
    agreements = sorted(
        q.subject.value
        for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(RG + "Agreement"), g[0])
        if not isinstance(q.subject, ox.Triple)
    )
    for a_iri in agreements:
        a = ox.NamedNode(a_iri)
        row = dict.fromkeys(COLUMN_NAMES, "")
        row.update(src)
        row["kind"] = notation(values(a, RG + "agreementType")[0])
        parties = sorted(values(a, RG + "party"), key=label)
        signing = next(iter(values(a, RG + "signing")), None)
        signed_for: dict[str, tuple[str, str]] = {}
        if signing is not None:
            row["date"] = next((v.value for v in values(signing, RG + "date")), "")
            for signature in values(signing, RG + "signature"):
                person = values(signature, RG + "signatory")[0]
                post = next(iter(values(signature, RG + "inPost")), None)
                party = values(signature, RG + "onBehalfOf")[0]
                signed_for[party.value] = (label(person), label(post) if post is not None else "")
        # parties that signed come first, in the order of their signatures' parties' labels
        parties.sort(key=lambda p: (p.value not in signed_for, label(p)))
        for index, party in enumerate(parties, start=1):
            row[f"party_{index}"] = label(party)
            created = {v.value.removeprefix(RG) for v in values(party, RDF_TYPE)}
            row[f"party_{index}_type"] = next((k for k, (cls, _) in PARTY_TYPES.items() if cls in created), "")
            if index <= 2 and party.value in signed_for:
                row[f"signatory_{index}"], row[f"post_{index}"] = signed_for[party.value]
        row["fields"] = "; ".join(sorted(notation(f) for f in values(a, RG + "field")))
        row["status"] = next((notation(v) for v in values(a, RG + "status")), "")
        row["valid_from"] = next((v.value for v in values(a, RG + "validFrom")), "")
        row["valid_until"] = next((v.value for v in values(a, RG + "validUntil")), "")
        row["notes"] = next((v.value for v in values(a, SKOS + "note")), "")
        result.append(row)
    return result


def write_csv(rows: Iterable[dict[str, str]], output: Any) -> None:
    """Rows as spreadsheet CSV (BOM, formulas neutralised; :func:`read_rows` restores the cells)."""
    spreadsheet.write_rows(output, COLUMN_NAMES, ([row.get(c, "") for c in COLUMN_NAMES] for row in rows))
