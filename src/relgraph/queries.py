"""Ready-made questions: the parameterised SPARQL queries in ``queries/*.rq``.

A query file starts with a header in grlc's decorator syntax: lines that begin
with ``#+`` hold YAML (``summary``, ``description``, ``tags``, ``method``,
``defaults``, ``enumerate``) plus relgraph's ``params``: per parameter its
description, or a mapping ``{description: …, max_length: N}`` (text values;
default and most :data:`MAX_STRING`). grlc ignores ``params``.

Translations sit beside the English text under keys grlc ignores:
``summary_de``/``summary_fr``, ``description_de``/``description_fr`` and, in a
parameter's mapping, ``description_de``/``description_fr``; see
:meth:`QueryFile.summary_in`, :meth:`QueryFile.description_in` and
:meth:`Parameter.description_in` (English when a translation is missing).

Parameters are SPARQL variables named as grlc names them:

=====================  ==========================================  ==================
variable               value                                       example
=====================  ==========================================  ==================
``?_name``             required plain string literal               ``?_text``
``?__name``            optional (two underscores)                  ``?__status_iri``
``?_name_iri``         IRI                                         ``?_entity_iri``
``?_name_integer``     ``xsd:integer``                             ``?_limit_integer``
``?_name_number``      ``xsd:integer`` or ``xsd:decimal``
``?_name_xsd_date``    ``xsd:date`` (also ``gYear``, ``gYearMonth``,
                       ``dateTime``, ``decimal``, ``boolean``, …)
``?_name_en``          language-tagged literal (``en``, ``de``, …)
=====================  ==========================================  ==================

Values are never pasted into SPARQL text. Locally (a :class:`~relgraph.store.Store`
or the :class:`~relgraph.engine.Engine`) they are bound with pyoxigraph's
``substitutions=``, which requires every substituted variable to be in the
SELECT projection: query files therefore project their parameters as
``$_name`` (the same variable as ``?_name``; grlc, which rewrites only the
``?`` form, leaves the projection alone). An optional parameter that is not
given stays unbound, so filters on it are written ``COALESCE(test, true)``.

For a remote SPARQL endpoint, where substitutions are impossible,
:func:`values_query` replaces the marker line ``# @values`` (first line of the
outermost WHERE group) with a ``VALUES`` block whose terms are serialised by
pyoxigraph (N-Triples syntax) from the validated values. Query files are
written so that both forms give the same answer (tested).

``defaults`` are example values (they pre-fill forms and are the examples of the
OpenAPI document); they are never applied to a request that leaves a parameter out.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import RelgraphError, UsageError
from .namespaces import XSD
from .resources import bundled_dir

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = [
    "MAX_STRING",
    "RESERVED",
    "VALUES_MARKER",
    "Parameter",
    "ParameterError",
    "QueryFile",
    "QueryFileError",
    "Result",
    "bind",
    "load_queries",
    "parse_query_file",
    "post_query",
    "run",
    "run_remote",
    "values_query",
]

#: The line a query file marks the start of its outermost WHERE group with.
VALUES_MARKER = "# @values"
#: Longest accepted string value, in characters.
MAX_STRING = 4096
#: Longest accepted IRI, in characters.
MAX_IRI = 2048
#: Request parameters of the API that no query may use as a parameter name.
RESERVED = frozenset({"limit", "offset", "format", "lang"})

_VARIABLE = re.compile(r"[?$](_[A-Za-z0-9_]+)")
_PARAM_NAME = re.compile(
    r"(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)"
    r"(?:_(?P<type>iri|number|literal|integer|string)"
    r"|_(?P<prefix>[A-Za-z0-9]+)_(?P<datatype>[A-Za-z0-9]+)"
    r"|_(?P<lang>[a-z]{2}))?"
)
_XSD_TYPES = ("date", "dateTime", "gYear", "gYearMonth", "integer", "decimal", "boolean", "string")
_PATTERNS = {
    "date": re.compile(r"-?\d{4,}-\d{2}-\d{2}"),
    "gYear": re.compile(r"-?\d{4,}"),
    "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"),
    "integer": re.compile(r"[+-]?\d{1,30}"),
    "decimal": re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})"),
    "boolean": re.compile(r"true|false|1|0"),
}


class ParameterError(RelgraphError):
    """A parameter value is missing or malformed, or the parameter is unknown."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__(f"parameter {name!r}: {reason}")


class QueryFileError(RelgraphError):
    """A query file's header or parameters are inconsistent."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a query file."""

    name: str  #: the API name, e.g. ``entity``
    variable: str  #: the SPARQL variable without ``?``, e.g. ``_entity_iri``
    kind: str  #: ``iri``, ``string``, ``integer``, ``number``, ``typed`` or ``lang``
    required: bool
    description: str = ""
    example: str | None = None
    datatype: str | None = None  #: for ``typed``/``integer``: the full datatype IRI
    lang: str | None = None  #: for ``lang``: the language tag
    enum: tuple[str, ...] = ()
    max_length: int = MAX_STRING  #: for text values (``#+ params: {name: {max_length: …}}``)
    #: translated descriptions, ``(lang, text)`` pairs (``description_de``, ``description_fr``)
    translations: tuple[tuple[str, str], ...] = ()

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (``de``, ``fr`` …), else the English one."""
        return dict(self.translations).get(lang) or self.description

    @property
    def label(self) -> str:
        """A short type name for people: ``iri``, ``string``, ``date``, ``integer``, ``string@en`` …"""
        if self.kind == "typed" and self.datatype:
            return self.datatype.removeprefix(XSD)
        if self.kind == "lang":
            return f"string@{self.lang}"
        return self.kind

    def schema(self) -> dict[str, Any]:
        """A JSON Schema (OpenAPI 3.0) of the value."""
        local = (self.datatype or "").removeprefix(XSD)
        if self.kind == "iri":
            out: dict[str, Any] = {"type": "string", "format": "uri", "maxLength": MAX_IRI}
        elif self.kind == "integer" or local == "integer":
            out = {"type": "integer"}
        elif self.kind == "number" or local == "decimal":
            out = {"type": "number"}
        elif local == "date":
            out = {"type": "string", "format": "date"}
        elif local == "dateTime":
            out = {"type": "string", "format": "date-time"}
        elif local == "boolean":
            out = {"type": "boolean"}
        elif local in ("gYear", "gYearMonth"):
            out = {"type": "string", "pattern": _PATTERNS[local].pattern}
        else:
            out = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.enum:
            out["enum"] = list(self.enum)
        return out

    def convert(self, value: str) -> Any:
        """The RDF term for ``value``; raises :class:`ParameterError` when it is malformed."""
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ParameterError(self.name, "is not valid Unicode text") from None
        if self.enum and value not in self.enum:
            raise ParameterError(self.name, f"must be one of {', '.join(self.enum)}")
        if self.kind == "iri":
            if len(value) > MAX_IRI:
                raise ParameterError(self.name, f"an IRI of more than {MAX_IRI:,} characters is not accepted")
            try:
                return ox.NamedNode(value)
            except ValueError as err:
                raise ParameterError(self.name, f"{_shorten(value)!r} is not an absolute IRI ({err})") from None
        if self.kind == "lang":
            return ox.Literal(self._string(value), language=self.lang)
        if self.kind == "string":
            return ox.Literal(self._string(value))
        if self.kind == "integer":
            return self._typed(value, "integer")
        if self.kind == "number":
            kind = "integer" if _PATTERNS["integer"].fullmatch(value) else "decimal"
            return self._typed(value, kind)
        return self._typed(value, (self.datatype or XSD + "string").removeprefix(XSD))

    def _string(self, value: str) -> str:
        if len(value) > self.max_length:
            raise ParameterError(self.name, f"a text of more than {self.max_length:,} characters is not accepted")
        return value

    def _typed(self, value: str, local: str) -> Any:
        if local == "string":
            return ox.Literal(self._string(value))
        pattern = _PATTERNS.get(local)
        ok = pattern.fullmatch(value) is not None if pattern else True
        if ok and local in ("date", "dateTime"):
            try:
                parse = _dt.date.fromisoformat if local == "date" else _dt.datetime.fromisoformat
                parse(value)
            except ValueError:
                ok = False
        if not ok:
            expected = {
                "date": "a date YYYY-MM-DD",
                "dateTime": "a date and time (ISO 8601)",
                "gYear": "a year YYYY",
                "gYearMonth": "a month YYYY-MM",
                "integer": "an integer",
                "decimal": "a decimal number",
                "boolean": "true or false",
            }.get(local, local)
            raise ParameterError(self.name, f"{_shorten(value)!r} is not {expected}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + local))


@dataclass(frozen=True)
class QueryFile:
    """A parsed query file."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    method: str = "GET"
    parameters: tuple[Parameter, ...] = ()
    header: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sparql(self) -> str:
        """The query without its ``#+`` header lines."""
        return "\n".join(line for line in self.text.splitlines() if not line.startswith("#+")) + "\n"

    def summary_in(self, lang: str) -> str:
        """The summary in ``lang`` (``#+ summary_de:`` …), else the English one."""
        return _translated(self.header, "summary", lang) or self.summary

    def description_in(self, lang: str) -> str:
        """The description in ``lang`` (``#+ description_de:`` …), else the English one."""
        return _translated(self.header, "description", lang) or self.description

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def variables(self) -> frozenset[str]:
        """The SPARQL variables of the parameters (without ``?``)."""
        return frozenset(p.variable for p in self.parameters)

    def example_params(self) -> dict[str, str]:
        """The example value of every parameter that has one."""
        return {p.name: p.example for p in self.parameters if p.example is not None}


def _translated(mapping: Mapping[str, Any], key: str, lang: str) -> str:
    """``mapping[key_lang]`` with whitespace runs collapsed ("" when absent or ``lang`` is English)."""
    if not lang or lang == "en":
        return ""
    return " ".join(str(mapping.get(f"{key}_{lang}") or "").split())


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _yaml(text: str) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(text) or {}


def _dict_list(value: Any, key: str, path: Path) -> dict[str, Any]:
    """grlc's ``defaults``/``enumerate`` form: a list of one-key mappings (a mapping is accepted too)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):
        out: dict[str, Any] = {}
        for item in value:
            if isinstance(item, Mapping):
                out.update(item)
            elif isinstance(item, str):
                out[item] = None  # grlc: enumerate from the endpoint; relgraph ignores it
            else:
                raise QueryFileError(f"{path}: {key}: expected a list of `name: value` entries")
        return out
    raise QueryFileError(f"{path}: {key}: expected a list of `name: value` entries")


def parse_query_file(path: str | Path) -> QueryFile:
    """Read one ``.rq`` file; raises :class:`QueryFileError` when header and query disagree."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    header_text = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
    try:
        header = _yaml(header_text)
    except Exception as err:  # yaml.YAMLError and friends
        raise QueryFileError(f"{path}: the #+ header is not valid YAML: {err}") from None
    if not isinstance(header, dict):
        raise QueryFileError(f"{path}: the #+ header must be a YAML mapping")
    summary = str(header.get("summary") or "").strip()
    if not summary:
        raise QueryFileError(f"{path}: the #+ header has no summary")
    declared = header.get("params") or {}
    if not isinstance(declared, Mapping):
        raise QueryFileError(f"{path}: params: expected a mapping of parameter name to description")
    defaults = _dict_list(header.get("defaults"), "defaults", path)
    enums = _dict_list(header.get("enumerate"), "enumerate", path)

    body = "\n".join(
        line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        for line in text.splitlines()
        if not line.startswith("#+")
    )
    found: dict[str, Parameter] = {}
    for variable in sorted(set(_VARIABLE.findall(body))):
        match = _PARAM_NAME.fullmatch(variable)
        if match is None:
            raise QueryFileError(
                f"{path}: ?{variable} starts with _ but is not a parameter name "
                "(_name, __name, _name_iri, _name_xsd_date, _name_en, …)"
            )
        name = match["name"]
        kind, datatype, lang = "string", None, None
        if match["type"]:
            kind = {"literal": "string"}.get(match["type"], match["type"])
            if kind == "integer":
                datatype = XSD + "integer"
        elif match["prefix"]:
            if match["prefix"] != "xsd" or match["datatype"] not in _XSD_TYPES:
                raise QueryFileError(f"{path}: ?{variable}: only xsd datatypes {', '.join(_XSD_TYPES)} are supported")
            kind, datatype = "typed", XSD + match["datatype"]
        elif match["lang"]:
            kind, lang = "lang", match["lang"]
        if name in found and found[name].variable != variable:
            raise QueryFileError(f"{path}: parameter {name!r} is used as ?{found[name].variable} and ?{variable}")
        if name in RESERVED:
            reserved = ", ".join(sorted(RESERVED))
            raise QueryFileError(f"{path}: parameter name {name!r} is reserved by the API ({reserved})")
        if name not in declared:
            raise QueryFileError(f"{path}: ?{variable} is used but parameter {name!r} is not declared under #+ params")
        example = defaults.get(name)
        enum = enums.get(name) or ()
        spec = declared[name] if isinstance(declared[name], Mapping) else {"description": declared[name]}
        max_length = spec.get("max_length", MAX_STRING)
        if not isinstance(max_length, int) or not 0 < max_length <= MAX_STRING:
            raise QueryFileError(f"{path}: params: {name}: max_length must be a whole number up to {MAX_STRING}")
        found[name] = Parameter(
            name=name,
            variable=variable,
            kind=kind,
            required=len(match["required"]) == 1,
            description=str(spec.get("description") or "").strip(),
            example=None if example is None else str(example),
            datatype=datatype,
            lang=lang,
            enum=tuple(str(v) for v in enum),
            max_length=max_length,
            translations=tuple(
                (key.removeprefix("description_"), _translated(spec, "description", key.removeprefix("description_")))
                for key in spec
                if isinstance(key, str) and key.startswith("description_") and spec[key]
            ),
        )
    unused = sorted(set(declared) - set(found))
    if unused:
        raise QueryFileError(f"{path}: parameter(s) {', '.join(unused)} declared under #+ params but not used")
    for name in sorted(set(defaults) | set(enums)):
        if name not in found:
            raise QueryFileError(f"{path}: defaults/enumerate name {name!r}, which is not a parameter")
    params = tuple(sorted(found.values(), key=lambda p: (not p.required, list(declared).index(p.name))))
    tags = header.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    return QueryFile(
        name=path.stem,
        path=path,
        text=text,
        summary=summary,
        description=" ".join(str(header.get("description") or "").split()),
        tags=tuple(str(t) for t in tags),
        method=str(header.get("method") or "GET").upper(),
        parameters=params,
        header=header,
    )


def load_queries(folder: str | Path | None = None) -> dict[str, QueryFile]:
    """Every ``*.rq`` of ``folder`` (default: the bundled ``queries/``), by file stem, sorted."""
    folder = Path(folder) if folder is not None else bundled_dir("queries")
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def bind(query: QueryFile, params: Mapping[str, str]) -> dict[str, Any]:
    """Validate ``params`` (API names → text) and return SPARQL variable → RDF term.

    An empty value counts as not given (HTML forms send empty fields). Raises
    :class:`ParameterError` for an unknown parameter, a missing required one or
    a malformed value. Optional parameters left out are not in the result and
    stay unbound in the query.
    """
    known = {p.name: p for p in query.parameters}
    for name in params:
        if name not in known:
            takes = ", ".join(known) or "no parameters"
            raise ParameterError(name, f"unknown parameter; {query.name} takes {takes}")
    bound: dict[str, Any] = {}
    for p in query.parameters:
        value = params.get(p.name)
        if value is None or value == "":
            if p.required:
                raise ParameterError(p.name, f"is required ({p.description or p.label})")
            continue
        if not isinstance(value, str):
            raise ParameterError(p.name, "must be text")
        bound[p.variable] = p.convert(value)
    return bound


def values_query(query: QueryFile, bindings: Mapping[str, Any]) -> str:
    """The query text with a VALUES block at its ``# @values`` marker, for endpoints without substitutions.

    Every term is one pyoxigraph serialised (N-Triples syntax); literals that
    contain a ``\\u``/``\\U`` escape sequence are refused, because some SPARQL
    parsers unescape those before tokenising.
    """
    lines = query.sparql.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == VALUES_MARKER]
    if len(marks) != 1:
        raise QueryFileError(f"{query.path}: needs exactly one line `{VALUES_MARKER}` to run on a remote endpoint")
    if not bindings:
        return "\n".join(lines) + "\n"
    names, terms = [], []
    for variable, term in bindings.items():
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise UsageError(f"?{variable}: only IRIs and literals can be sent to a remote endpoint")
        if isinstance(term, ox.Literal) and re.search(r"\\[uU]", term.value):
            name = next((p.name for p in query.parameters if p.variable == variable), variable)
            raise ParameterError(name, "a backslash followed by u cannot be sent safely to a remote endpoint")
        names.append(f"?{variable}")
        terms.append(str(term))
    indent = lines[marks[0]][: len(lines[marks[0]]) - len(lines[marks[0]].lstrip())]
    lines[marks[0]] = f"{indent}VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    return "\n".join(lines) + "\n"


# --- results ------------------------------------------------------------------------------


@dataclass
class Result:
    """A SELECT result in SPARQL JSON terms, without the parameter columns."""

    variables: list[str]
    bindings: list[dict[str, dict[str, str]]]

    @classmethod
    def from_sparql_json(cls, data: bytes | str | Mapping[str, Any], hidden: Iterable[str] = ()) -> Result:
        if not isinstance(data, Mapping):
            data = json.loads(data)
            if not isinstance(data, Mapping):
                raise RelgraphError("the endpoint's answer is not a SPARQL JSON result")
        hidden = set(hidden)
        variables = [v for v in data["head"].get("vars", []) if v not in hidden and not v.startswith("_")]
        rows = [{k: v for k, v in b.items() if k in variables} for b in data.get("results", {}).get("bindings", [])]
        return cls(variables, rows)

    def __len__(self) -> int:
        return len(self.bindings)

    def page(self, offset: int, limit: int) -> Result:
        return Result(self.variables, self.bindings[offset : offset + limit])

    def rows(self) -> list[dict[str, str]]:
        """Plain rows: see :func:`plain_row`."""
        return [plain_row(b, self.variables) for b in self.bindings]

    def values(self) -> list[list[str]]:
        """Each row's values in column order, as text ("" where a variable is unbound)."""
        return [[b[v]["value"] if v in b else "" for v in self.variables] for b in self.bindings]

    def sparql_json(self) -> dict[str, Any]:
        return {"head": {"vars": self.variables}, "results": {"bindings": self.bindings}}

    def csv(self) -> str:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.variables)
        writer.writerows(self.values())
        return out.getvalue()


def plain_row(binding: Mapping[str, Mapping[str, str]], variables: Iterable[str]) -> dict[str, str]:
    """One row as plain strings: ``{"col": value}``, plus ``"col@type"`` and ``"col@lang"`` where needed.

    IRIs get ``@type: "iri"`` (blank nodes ``"bnode"``); literals with a datatype
    other than ``xsd:string`` get ``@type`` with the datatype (``xsd:`` prefixed);
    language-tagged literals get ``@lang``. Unbound columns are left out.
    """
    row: dict[str, str] = {}
    for v in variables:
        term = binding.get(v)
        if term is None:
            continue
        row[v] = term["value"]
        kind = term.get("type")
        if kind == "uri":
            row[f"{v}@type"] = "iri"
        elif kind == "bnode":
            row[f"{v}@type"] = "bnode"
        elif "xml:lang" in term:
            row[f"{v}@lang"] = term["xml:lang"]
        elif term.get("datatype") and term["datatype"] != XSD + "string":
            dt = term["datatype"]
            row[f"{v}@type"] = "xsd:" + dt[len(XSD) :] if dt.startswith(XSD) else dt
    return row


def run(
    target: GraphStore | str, query: QueryFile, params: Mapping[str, str], *, timeout: float | None = None
) -> Result:
    """Run ``query`` with ``params`` on a store (embedded or remote, :mod:`relgraph.store`) or (a ``str``)
    the URL of any SPARQL endpoint; parameters are validated first. ``timeout`` applies to the endpoint.

    The web layer runs the ready-made queries through its engine instead (relgraph_server.api).
    """
    bindings = bind(query, params)
    hidden = query.variables
    if isinstance(target, str):
        return run_remote(target, query, bindings, timeout=timeout)
    solutions = target.query(query.sparql, substitutions=bindings)
    body = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    return Result.from_sparql_json(body, hidden)


def run_remote(endpoint: str, query: QueryFile, bindings: Mapping[str, Any], *, timeout: float | None = None) -> Result:
    """POST the query (values in a VALUES block, see :func:`values_query`) to a SPARQL endpoint."""
    _, body = post_query(endpoint, values_query(query, bindings), timeout=timeout)
    return Result.from_sparql_json(body, query.variables)


def post_query(
    endpoint: str,
    sparql: str,
    *,
    accept: str = "application/sparql-results+json",
    timeout: float | None = None,
) -> tuple[str, bytes]:
    """One SPARQL protocol query by POST (form-encoded); returns (media type, body).

    Only ``http`` and ``https`` URLs are used. An HTTP error becomes a
    :class:`~relgraph.errors.UsageError` carrying the endpoint's message.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    scheme = urllib.parse.urlsplit(endpoint).scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"--endpoint {endpoint!r}: only http and https endpoints are supported")
    data = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        endpoint,
        data=data,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout or 60) as response:  # noqa: S310
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace").strip()
        raise UsageError(f"{endpoint} answered {err.code}: {_shorten(detail, 500)}") from None
    except urllib.error.URLError as err:
        raise UsageError(f"cannot reach {endpoint}: {err.reason}") from None
