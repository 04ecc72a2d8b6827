"""A small SPARQL tokenizer, and the checks and rewrites built on it.

Used by the query engine *before* anything runs:

* refuse ``SERVICE`` (unless the endpoint IRI is allow-listed) and ``LOAD``:
  pyoxigraph would fetch any URL, internal addresses included;
* tell whether a query has its own dataset (``FROM``/``FROM NAMED``);
* add the SPARQL protocol's ``using-graph-uri``/``using-named-graph-uri`` to an
  update as ``USING``/``USING NAMED`` clauses.

The tokenizer follows the SPARQL 1.1 grammar's terminals (IRIREF, the four
string kinds, VAR1/VAR2, PNAME_NS/PNAME_LN, BLANK_NODE_LABEL, numbers,
comments), so ``"SERVICE"``, ``# SERVICE``, ``<http://x/SERVICE>``,
``?service`` and ``ex:service`` are not keywords. Where Oxigraph's parser is
more liberal than a lexer (it reads ``SERVICE:x`` and ``SERVICEx:y`` as the
keyword followed by a prefixed name, and ``1SERVICE`` as a number and the
keyword) the checks err on the side of refusing: a bare word that *contains*
SERVICE or LOAD, or a prefixed name whose prefix *starts* with one, is treated
as the keyword. A string or IRI that is not terminated on the grammar's terms
hides nothing: its opening quote or ``<`` is read as punctuation and scanning
goes on. Oxigraph does not decode ``\\uXXXX`` escapes outside strings and IRIs,
so an escaped keyword is a syntax error there, not a bypass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .errors import ProtocolError, QueryRefused

__all__ = ["Analysis", "Token", "add_using", "analyze", "check_query", "check_update", "tokenize"]

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"

_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>
        \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\r\n]|\\[^\r\n])*"
      | '(?:[^'\\\r\n]|\\[^\r\n])*'
    )
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PREFIX})?:(?:{_LOCAL})?)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: Lower-cased words any of which makes a text worth tokenizing.
_TRIGGERS = ("service", "load", "from")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws comment string iri var bnode pname number word punct
    text: str
    start: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokenize(text: str, *, keep_space: bool = False) -> list[Token]:
    """The tokens of a SPARQL text; whitespace and comments only if ``keep_space``."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if not keep_space and kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start()))
    return out


def _is_service(tok: Token) -> bool:
    if tok.kind == "word":
        return "SERVICE" in tok.upper
    return tok.kind == "pname" and tok.upper.startswith("SERVICE")


def _is_load(tok: Token) -> bool:
    if tok.kind == "word":
        return "LOAD" in tok.upper
    return tok.kind == "pname" and tok.upper.startswith("LOAD")


@dataclass
class Analysis:
    """What the guard found in one query or update text."""

    #: (target, position) per SERVICE: ``<iri>`` text, ``?var``, or the offending token.
    services: list[tuple[str, int]] = field(default_factory=list)
    loads: list[int] = field(default_factory=list)
    has_from: bool = False
    has_using: bool = False
    has_with: bool = False


def analyze(text: str) -> Analysis:
    """Find SERVICE, LOAD, FROM, USING and WITH keywords outside strings, comments and IRIs."""
    result = Analysis()
    lowered = text.lower()
    if not any(t in lowered for t in _TRIGGERS) and "using" not in lowered and "with" not in lowered:
        return result  # the fast path: none of the keywords can be there
    tokens = tokenize(text)
    for i, tok in enumerate(tokens):
        if tok.kind not in ("word", "pname"):
            continue
        if _is_service(tok):
            result.services.append((_service_target(tokens, i), tok.start))
        if _is_load(tok):
            result.loads.append(tok.start)
        if tok.kind == "word":
            word = tok.upper
            if word == "FROM":
                result.has_from = True
            elif word == "USING":
                result.has_using = True
            elif word == "WITH":
                result.has_with = True
    return result


def _service_target(tokens: Sequence[Token], i: int) -> str:
    """What a SERVICE keyword at ``tokens[i]`` calls: ``<iri>``, ``?var`` or the odd token itself."""
    tok = tokens[i]
    if tok.kind != "word" or tok.upper != "SERVICE":
        return tok.text  # SERVICE glued to something: never allow-listed
    j = i + 1
    if j < len(tokens) and tokens[j].kind == "word" and tokens[j].upper == "SILENT":
        j += 1
    if j < len(tokens) and tokens[j].kind in ("iri", "var"):
        return tokens[j].text
    return tokens[j].text if j < len(tokens) else ""


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


#: Texts up to this length have their analysis memoized (a pure function of the text).
_MEMO_MAX_CHARS = 16_384


@functools.lru_cache(maxsize=256)
def _analyze_memo(text: str) -> Analysis:
    return analyze(text)


def _analysis_of(text: str) -> Analysis:
    """:func:`analyze`, memoized per text for the texts an endpoint sees again and again.

    The memo holds what the tokenizer *found*, never a verdict: the checks below
    run on every call. Callers must not change the returned object.
    """
    return _analyze_memo(text) if len(text) <= _MEMO_MAX_CHARS else analyze(text)


def check_query(text: str, *, service_allowlist: Iterable[str] = (), analysis: Analysis | None = None) -> Analysis:
    """Raise :class:`QueryRefused` if the text uses LOAD or a SERVICE not allow-listed.

    Returns the analysis (shared between calls with the same text: read it, do not change it).
    """
    found = analysis or _analysis_of(text)
    allowed = {f"<{iri}>" for iri in service_allowlist}
    for target, pos in found.services:
        if target.startswith("?") or target.startswith("$"):
            raise QueryRefused(
                f"SERVICE {target} at {_where(text, pos)} is refused: this endpoint never calls a "
                "SERVICE whose address comes from a variable"
            )
        if target not in allowed:
            what = f"SERVICE {target}" if target.startswith("<") else f"the SERVICE keyword ({target!r})"
            extra = (
                f"; allowed endpoints: {', '.join(sorted(allowed))} (written as full IRIs)"
                if allowed
                else "; federated queries are off on this endpoint (setting service_allowlist)"
            )
            raise QueryRefused(f"{what} at {_where(text, pos)} is refused{extra}")
    if found.loads:
        raise QueryRefused(
            f"LOAD at {_where(text, found.loads[0])} is refused: this endpoint does not fetch URLs; "
            "load files with `relgraph load` instead"
        )
    return found


def check_update(text: str, *, service_allowlist: Iterable[str] = (), analysis: Analysis | None = None) -> Analysis:
    """As :func:`check_query`, for an update (LOAD and SERVICE in WHERE are refused)."""
    return check_query(text, service_allowlist=service_allowlist, analysis=analysis)


def add_using(text: str, using: Sequence[str] = (), using_named: Sequence[str] = ()) -> str:
    """Give every DELETE/INSERT … WHERE operation of an update the protocol's dataset.

    ``USING <g>`` and ``USING NAMED <n>`` clauses are inserted before each
    top-level WHERE; ``DELETE WHERE { P }`` becomes ``DELETE { P } USING … WHERE { P }``
    (the short form has no USING). The IRIs must already be validated. An update
    that has USING or WITH itself is a protocol error (the two datasets conflict).
    """
    if not using and not using_named:
        return text
    found = analyze(text)
    if found.has_using or found.has_with:
        raise ProtocolError(
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH in the update text"
        )
    clause = " ".join([*(f"USING <{g}>" for g in using), *(f"USING NAMED <{g}>" for g in using_named)])
    tokens = tokenize(text)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.kind == "punct" and tok.text == "{":
            depth += 1
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.upper == "WHERE":
            prev = tokens[i - 1] if i else None
            if prev is not None and prev.kind == "word" and prev.upper == "DELETE":
                body_end = _group_end(tokens, i + 1)
                if body_end is None:
                    continue  # unbalanced: leave it to the parser to report
                start, end = tokens[i + 1].start, tokens[body_end].start + 1
                pattern = text[start:end]
                edits.append((tok.start, end, f"{pattern} {clause} WHERE {pattern}"))
            else:
                edits.append((tok.start, tok.start, f"{clause} "))
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


def _group_end(tokens: Sequence[Token], i: int) -> int | None:
    """Index of the ``}`` closing the group that opens at ``tokens[i]``."""
    if i >= len(tokens) or tokens[i].text != "{":
        return None
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].kind == "punct" and tokens[j].text == "{":
            depth += 1
        elif tokens[j].kind == "punct" and tokens[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    return None
