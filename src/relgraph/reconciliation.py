"""The W3C Reconciliation Service API (version 0.2, what OpenRefine speaks) over places, organisations, people.

OpenRefine users match a spreadsheet column of names ("Hambourg", "Quebec
City", "Universität Hamburg") against a data source and get back its
identifiers. This module answers the protocol's requests from the store and
knows nothing of HTTP; ``relgraph_server.reconcile`` is the thin route.

* Identifiers are IRIs with the ``{base}id/`` prefix left out
  (``city/hamburg``): ``identifierSpace`` + id is the entity's IRI.
  Types are class names of the ontology (``City``, ``Organization``);
  ``schemaSpace`` + type is the class IRI.
* Candidates come from the label search of the pages (the snapshot's label
  index, ranked before its limit, else the store's label scan: every label and
  alternative label in any language, case and diacritics folded), kept if
  they are of an offered type. The name score is 100 for the label itself,
  else the similarity of the folded strings (difflib ratio × 100).
* Property constraints (``country``, ``locatedIn``, ``partnerOf``,
  ``wikidata``) compare each given value with the candidate's values: an id
  (``{"id": "country/germany"}``), an IRI, a label in any language, an ISO
  country code or a Wikidata id. The score is the name score × (½ + ½ ×
  share of the constraints met); each constraint is a feature.
* ``match`` is true for the one candidate with the label itself and every
  constraint met, when no other candidate has the same.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import labelindex
from .errors import UsageError
from .namespaces import RDF_TYPE, RG
from .summary import Runner, label, labels_of, normalize, search_labels

__all__ = [
    "PROPERTIES",
    "TYPES",
    "ReconcileError",
    "Service",
]

#: The types offered (class local names of ``rg:``): (id, {lang: name}, broader ids).
TYPES: tuple[tuple[str, dict[str, str], tuple[str, ...]], ...] = (
    ("Place", {"en": "place", "de": "Ort", "fr": "lieu"}, ()),
    ("City", {"en": "city", "de": "Stadt", "fr": "ville"}, ("Place",)),
    ("Region", {"en": "region", "de": "Region", "fr": "région"}, ("Place",)),
    ("Country", {"en": "country", "de": "Staat", "fr": "pays"}, ("Place",)),
    ("Organization", {"en": "organisation", "de": "Organisation", "fr": "organisation"}, ()),
    ("University", {"en": "university", "de": "Hochschule", "fr": "université"}, ("Organization",)),
    ("GovernmentBody", {"en": "government body", "de": "Behörde", "fr": "organisme public"}, ("Organization",)),
    ("Person", {"en": "person", "de": "Person", "fr": "personne"}, ()),
)
#: Property constraints: id → (predicate IRI, {lang: name}, {lang: description}).
PROPERTIES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "country": (
        RG + "country",
        {"en": "country", "de": "Staat", "fr": "pays"},
        {
            "en": "the country of a place or organisation: its name, ISO code or id",
            "de": "der Staat eines Orts oder einer Organisation: Name, ISO-Code oder Kennung",
            "fr": "le pays d’un lieu ou d’une organisation : nom, code ISO ou identifiant",
        },
    ),
    "locatedIn": (
        RG + "locatedIn",
        {"en": "located in", "de": "liegt in", "fr": "situé dans"},
        {
            "en": "a place it lies in (at any level: region, country)",
            "de": "ein Ort, in dem es liegt (auf jeder Ebene: Region, Staat)",
            "fr": "un lieu où il se trouve (à tout niveau : région, pays)",
        },
    ),
    "partnerOf": (
        RG + "partnerOf",
        {"en": "partner of", "de": "Partner von", "fr": "partenaire de"},
        {
            "en": "a partner by any agreement (a twin town, a partner university)",
            "de": "ein Partner aus einer Vereinbarung (Partnerstadt, Partnerhochschule)",
            "fr": "un partenaire d’un accord (ville jumelle, université partenaire)",
        },
    ),
    "wikidata": (
        RG + "wikidataId",
        {"en": "Wikidata id", "de": "Wikidata-Kennung", "fr": "identifiant Wikidata"},
        {
            "en": "the Wikidata item, e.g. Q1055",
            "de": "das Wikidata-Objekt, z. B. Q1055",
            "fr": "l’élément Wikidata, p. ex. Q1055",
        },
    ),
}
_TYPE_IDS = {t for t, _, _ in TYPES}
_DEFAULT_TYPES = ("Place", "Organization", "Person")
_CODE = RG + "countryCode"
#: Label matches looked at per query (ranked best first by the label search).
CANDIDATE_MATCHES = 200
MAX_LIMIT = 100


class ReconcileError(UsageError):
    """A reconciliation request the protocol does not allow (bad JSON shape, unknown type or property)."""

    status = 400


@dataclass
class _Candidate:
    iri: str
    matched: str  # the label that matched best (as written)
    name_score: float


def _limit(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
        raise ReconcileError(f"limit must be a positive number, not {value!r}")
    return min(int(value), MAX_LIMIT)


def _similarity(needle: str, text: str) -> float:
    folded = normalize(text)
    if folded == needle:
        return 100.0
    return round(difflib.SequenceMatcher(None, needle, folded).ratio() * 100, 1)


class Service:
    """The reconciliation service over one store (a runner) and, where there is one, its label index."""

    def __init__(
        self,
        run: Runner,
        *,
        base: str,
        index: Path | None = None,
        lang: str = "en",
    ) -> None:
        self.run, self.base, self.index, self.lang = run, base, index, lang
        self.prefix = base + "id/"
        self._search_prefixes = (self.prefix,)

    # --- ids ------------------------------------------------------------------------------------

    def entity_id(self, iri: str) -> str:
        return iri[len(self.prefix) :] if iri.startswith(self.prefix) else iri

    def entity_iri(self, entity_id: str) -> str:
        """The IRI of an id (``city/hamburg``), or of an IRI given whole."""
        if entity_id.startswith(("http://", "https://")):
            return entity_id
        return self.prefix + entity_id.lstrip("/")

    def _type_name(self, type_id: str) -> str:
        names = next(n for t, n, _ in TYPES if t == type_id)
        return names.get(self.lang, names["en"])

    # --- the manifest ---------------------------------------------------------------------------

    def manifest(self, *, service_url: str, view_url: str, name: str = "relgraph") -> dict[str, Any]:
        """The service manifest; ``service_url`` is where the service answers, ``view_url`` a ``{{id}}`` template."""
        service_url = service_url.rstrip("/")
        return {
            "versions": ["0.2"],
            "name": name,
            "identifierSpace": self.prefix,
            "schemaSpace": RG,
            "view": {"url": view_url},
            "defaultTypes": [self._type_json(t) for t in _DEFAULT_TYPES],
            "preview": {"url": service_url + "/preview?id={{id}}", "width": 400, "height": 140},
            "suggest": {
                kind: {"service_url": service_url, "service_path": f"/suggest/{kind}"}
                for kind in ("entity", "type", "property")
            },
            "documentation": "https://w3id.org/relgraph/",
        }

    def _type_json(self, type_id: str) -> dict[str, Any]:
        broader = next(b for t, _, b in TYPES if t == type_id)
        out: dict[str, Any] = {"id": type_id, "name": self._type_name(type_id)}
        if broader:
            out["broader"] = [{"id": b, "name": self._type_name(b)} for b in broader]
        return out

    # --- reconcile ------------------------------------------------------------------------------

    def reconcile(self, queries: Mapping[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Answer a query batch ``{"q0": {"query": …, "type": …, "limit": …, "properties": […]}, …}``."""
        if not isinstance(queries, Mapping):
            raise ReconcileError("the queries must be a JSON object of named queries")
        parsed = {key: self._parse_query(key, q) for key, q in queries.items()}
        found = {key: self._candidates(q["query"], CANDIDATE_MATCHES) for key, q in parsed.items()}
        iris = {c.iri for cands in found.values() for c in cands}
        types = self._types_of(iris)
        out: dict[str, dict[str, list[dict[str, Any]]]] = {}
        kept: dict[str, list[_Candidate]] = {}
        for key, q in parsed.items():
            kept[key] = [c for c in found[key] if self._type_ok(types.get(c.iri, set()), q["types"], q["strict"])]
        wanted = {c.iri for cands in kept.values() for c in cands}
        need_values = any(q["properties"] for q in parsed.values())
        values = self._property_values(wanted) if need_values else {}
        labels = labels_of(self.run, wanted) if wanted else {}
        for key, q in parsed.items():
            results = [self._result(c, q, types, values, labels) for c in kept[key]]
            results.sort(key=lambda r: (-r["score"], r["name"].casefold(), r["id"]))
            results = results[: q["limit"]]
            best = [r for r in results if r["score"] == 100 and all(f["value"] is True for f in r["features"][1:])]
            if len(best) == 1:
                best[0]["match"] = True
            out[key] = {"result": results}
        return out

    def _parse_query(self, key: str, q: Any) -> dict[str, Any]:
        if not isinstance(q, Mapping):
            raise ReconcileError(f"query {key!r} must be a JSON object")
        unknown = set(q) - {"query", "type", "limit", "properties", "type_strict"}
        if unknown:
            raise ReconcileError(f"query {key!r}: unknown field(s) {', '.join(sorted(unknown))}")
        text = q.get("query", "")
        if not isinstance(text, str):
            raise ReconcileError(f"query {key!r}: 'query' must be a string")
        raw_types = q.get("type")
        types = [raw_types] if isinstance(raw_types, str) else list(raw_types or [])
        for t in types:
            if t not in _TYPE_IDS:
                raise ReconcileError(f"query {key!r}: unknown type {t!r}; GET suggest/type lists them")
        strict = q.get("type_strict", "any")
        if strict not in ("any", "should", "all"):
            raise ReconcileError(f"query {key!r}: type_strict must be any, should or all")
        props = q.get("properties") or []
        if not isinstance(props, list):
            raise ReconcileError(f"query {key!r}: 'properties' must be a list")
        constraints = []
        for p in props:
            if not isinstance(p, Mapping) or "pid" not in p or "v" not in p:
                raise ReconcileError(f"query {key!r}: each property needs 'pid' and 'v'")
            if p["pid"] not in PROPERTIES:
                raise ReconcileError(f"query {key!r}: unknown property {p['pid']!r}; GET suggest/property lists them")
            given = p["v"] if isinstance(p["v"], list) else [p["v"]]
            constraints.append((p["pid"], [self._value_key(v) for v in given]))
        if not text.strip():
            raise ReconcileError(
                f"query {key!r}: give a name in 'query' (relgraph does not reconcile by properties alone)"
            )
        return {
            "query": text,
            "types": types or list(_DEFAULT_TYPES),
            "strict": strict if types else "any",
            "limit": _limit(q.get("limit"), 10),
            "properties": constraints,
        }

    def _value_key(self, v: Any) -> str:
        if isinstance(v, Mapping):
            if not isinstance(v.get("id"), str):
                raise ReconcileError("a property value object needs an 'id' string")
            return self.entity_iri(v["id"])
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise ReconcileError(f"property value {v!r} is not a string, number or {{'id': …}}")
        return normalize(str(v))

    def _candidates(self, text: str, limit: int) -> list[_Candidate]:
        needle = normalize(text)
        if not needle:
            return []
        if self.index is not None:
            matches = labelindex.search(self.index, text, limit=limit)
        else:
            matches = search_labels(self.run, text, self._search_prefixes, limit=limit)
        best: dict[str, _Candidate] = {}
        for iri, lit in matches:
            score = _similarity(needle, lit.value)
            if iri not in best or score > best[iri].name_score:
                best[iri] = _Candidate(iri, lit.value, score)
        return list(best.values())

    def _types_of(self, iris: Iterable[str]) -> dict[str, set[str]]:
        """The offered types of each IRI (the union graph holds the inferred super-classes)."""
        out: dict[str, set[str]] = defaultdict(set)
        items = sorted(iris)
        classes = " ".join(f"<{RG}{t}>" for t in _TYPE_IDS)
        for start in range(0, len(items), 250):
            chunk = " ".join(str(ox.NamedNode(i)) for i in items[start : start + 250])
            rows = self.run(
                f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {chunk} }} VALUES ?t {{ {classes} }} ?x <{RDF_TYPE}> ?t }}", {}
            )
            for r in rows:
                out[r["x"].value].add(r["t"].value[len(RG) :])
        return out

    @staticmethod
    def _type_ok(have: set[str], wanted: Sequence[str], strict: str) -> bool:
        if not have:
            return False
        if strict == "all":
            return set(wanted) <= have
        if strict == "should":
            return True  # a preference: scored, not filtered
        return bool(have & set(wanted))

    def _property_values(self, iris: Iterable[str]) -> dict[str, dict[str, set[str]]]:
        """``{iri: {pid: {keys}}}``: each value's IRI and folded labels, codes and literals."""
        out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        items = sorted(iris)
        preds = " ".join(f"(<{p}> {ox.Literal(pid)})" for pid, (p, _, _) in PROPERTIES.items())
        for start in range(0, len(items), 100):
            chunk = " ".join(str(ox.NamedNode(i)) for i in items[start : start + 100])
            rows = self.run(
                f"SELECT ?x ?pid ?v ?l WHERE {{ VALUES ?x {{ {chunk} }} VALUES (?p ?pid) {{ {preds} }} ?x ?p ?v "
                f"OPTIONAL {{ ?v <http://www.w3.org/2000/01/rdf-schema#label>|<{_CODE}> ?l }} }}",
                {},
            )
            for r in rows:
                keys = out[r["x"].value][r["pid"].value]
                v = r["v"]
                keys.add(v.value if isinstance(v, ox.NamedNode) else normalize(v.value))
                if "l" in r:
                    keys.add(normalize(r["l"].value))
        return out

    def _result(
        self,
        c: _Candidate,
        q: Mapping[str, Any],
        types: Mapping[str, set[str]],
        values: Mapping[str, Mapping[str, set[str]]],
        labels: Mapping[str, Any],
    ) -> dict[str, Any]:
        have = types.get(c.iri, set())
        features: list[dict[str, Any]] = [{"id": "name", "value": c.name_score}]
        met = 0
        for pid, wanted in q["properties"]:
            ok = bool(set(wanted) & values.get(c.iri, {}).get(pid, set()))
            met += ok
            features.append({"id": pid, "value": ok})
        score = c.name_score
        if q["properties"]:
            score *= 0.5 + 0.5 * met / len(q["properties"])
        if q["strict"] == "should" and not have & set(q["types"]):
            score *= 0.5
        ordered = [t for t, _, _ in TYPES if t in have]
        shown = [t for t in ordered if not any(t in b for x, _, b in TYPES if x in have)] or ordered
        return {
            "id": self.entity_id(c.iri),
            "name": label(labels, c.iri, self.lang),
            "description": self._description(c, shown),
            "score": round(score, 1),
            "match": False,
            "type": [{"id": t, "name": self._type_name(t)} for t in shown],
            "features": features,
        }

    def _description(self, c: _Candidate, shown: Sequence[str]) -> str:
        kinds = ", ".join(self._type_name(t) for t in shown)
        return f"{kinds} · {c.matched}" if c.matched else kinds

    # --- suggest --------------------------------------------------------------------------------

    def suggest_entity(self, prefix: str, *, cursor: int = 0, limit: int = 10) -> dict[str, Any]:
        """Entities whose label contains ``prefix`` (best first), ``limit`` from ``cursor``."""
        if not normalize(prefix):
            return {"result": []}
        batch = self.reconcile({"q": {"query": prefix, "limit": MAX_LIMIT}})["q"]["result"]
        return {
            "result": [
                {"id": r["id"], "name": r["name"], "description": r["description"], "notable": r["type"]}
                for r in batch[cursor : cursor + limit]
            ]
        }

    def suggest_type(self, prefix: str) -> dict[str, Any]:
        needle = normalize(prefix)
        found = [
            t for t, names, _ in TYPES if needle in normalize(t) or any(needle in normalize(n) for n in names.values())
        ]
        return {"result": [self._type_json(t) for t in found]}

    def suggest_property(self, prefix: str) -> dict[str, Any]:
        needle = normalize(prefix)
        result = []
        for pid, (_, names, descriptions) in PROPERTIES.items():
            if needle in normalize(pid) or any(needle in normalize(n) for n in names.values()):
                result.append(
                    {
                        "id": pid,
                        "name": names.get(self.lang, names["en"]),
                        "description": descriptions.get(self.lang, descriptions["en"]),
                    }
                )
        return {"result": result}

    # --- preview --------------------------------------------------------------------------------

    def preview(self, entity_id: str) -> dict[str, Any] | None:
        """What the preview shows of one entity (name, types, country, partners), or None if unknown."""
        iri = self.entity_iri(entity_id)
        types = self._types_of([iri]).get(iri, set())
        if not iri.startswith(self.prefix) or not types:
            return None
        values = self._property_values([iri]).get(iri, {})
        countries = sorted(v for v in values.get("country", set()) if v.startswith(("http://", "https://")))
        partners = sorted(v for v in values.get("partnerOf", set()) if v.startswith(("http://", "https://")))
        labels = labels_of(self.run, [iri, *countries])
        ordered = [t for t, _, _ in TYPES if t in types]
        shown = [t for t in ordered if not any(t in b for x, _, b in TYPES if x in types)] or ordered
        return {
            "id": self.entity_id(iri),
            "iri": iri,
            "name": label(labels, iri, self.lang),
            "types": [self._type_name(t) for t in shown],
            "countries": [label(labels, c, self.lang) for c in countries],
            "partners": len(partners),
            "wikidata": sorted(v.upper() for v in values.get("wikidata", set())),
        }
