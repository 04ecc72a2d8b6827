"""General repairs run after the sentence rules of :mod:`.extract` (issue 17, third round).

Rounds of rules written for the phrasing of particular texts raised the texts they were
written on and did not carry to new ones. The functions here look at the proposals as a
whole, not at a phrasing:

- :func:`prune_parties`: one party written two ways ("Delhi University", "University of
  Delhi") is one; a name cut at a slash ("Hochschule Zittau" + "Görlitz" where the text
  says "Hochschule Zittau/Görlitz") is one name; an agreement with more than two parties
  loses the countries named in passing ("located in Taraba State of Nigeria"), places
  that are part of another party's name ("Lucknow" beside "Lucknow University"), and,
  when its signatories sign for exactly two of them, the others.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import normalise_label
from .dates import fold_text
from .model import Agreement, Party

if TYPE_CHECKING:
    from .extract import _Extractor

__all__ = ["prune_parties"]

# words that do not tell two names of one party apart ("University of Delhi" = "Delhi University")
_FILLER = {"of", "the", "de", "du", "des", "d", "l", "la", "le", "der", "die", "das", "von", "van"}


def _words(label: str) -> list[str]:
    return fold_text(label).replace("-", " ").replace("’", " ").replace("'", " ").split()


def _variant_key(label: str) -> frozenset[str]:
    out = set()
    for w in _words(label):
        if w in _FILLER:
            continue
        out.add("univ" if w.startswith("universit") else w)
    return frozenset(out)


def _inside(part: str, whole: str) -> bool:
    """``part``'s words are a run of ``whole``'s words, and fewer ("Lucknow" in "Lucknow University")."""
    a, b = _words(part), _words(whole)
    if not a or len(a) >= len(b):
        return False
    return any(b[i : i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _is_country(party: Party) -> bool:
    from .extract import _is_country_name

    return party.type == "country" or "/country/" in (party.iri or "") or _is_country_name(party.label)


def _join_slashed(text: str, parties: list[Party]) -> list[Party]:
    """ "Hochschule Zittau/Görlitz": one name, not "Hochschule Zittau" and the town "Görlitz"."""
    out = list(parties)
    changed = len(out) > 2  # a pair "A / B" of a headline stays two
    while changed:
        changed = False
        for a in out:
            for b in out:
                if a is b:
                    continue
                joined = re.search(re.escape(a.label) + "/" + re.escape(b.label) + r"\b", text)
                if joined:
                    label = joined.group(0)
                    merged = Party(label, None, a.type or b.type, [], min(a.confidence, 0.6), a.evidence)
                    out = [merged if p is a else p for p in out if p is not b]
                    changed = len(out) > 2
                    break
            if changed:
                break
    return out


def _unify_variants(parties: list[Party]) -> tuple[list[Party], dict[str, str]]:
    """One party written twice with the same words in another order; the linked (else first) name stays."""
    out: list[Party] = []
    renamed: dict[str, str] = {}
    for p in parties:
        key = _variant_key(p.label)
        twin = next((q for q in out if key and _variant_key(q.label) == key), None)
        if twin is None:
            out.append(p)
            continue
        if p.iri and not twin.iri:
            out[out.index(twin)] = p
            renamed[twin.label] = p.label
        else:
            renamed[p.label] = twin.label
    return out, renamed


def prune_parties(ex: _Extractor, agreement: Agreement) -> None:
    """Repair ``agreement``'s parties in place (see the module's docstring); signatories follow their party."""
    before = list(agreement.parties)
    parties = _join_slashed(ex.doc.text, before)
    parties, renamed = _unify_variants(parties)
    if len(parties) > 2:
        kept = [p for p in parties if not _is_country(p)]
        if len(kept) >= 2:
            parties = kept
    if len(parties) > 2:
        kept = [p for p in parties if not any(q is not p and _inside(p.label, q.label) for q in parties)]
        if len(kept) >= 2:
            for p in parties:
                if p not in kept:
                    whole = next((q for q in kept if _inside(p.label, q.label)), None)
                    if whole is not None:
                        renamed[p.label] = whole.label
            parties = kept
    if len(parties) > 2 and len(agreement.signatories) >= 2:
        signed_for = [
            p
            for p in parties
            if any(
                s.on_behalf_of and normalise_label(s.on_behalf_of) == normalise_label(p.label)
                for s in agreement.signatories
            )
        ]
        if len(signed_for) == 2:
            parties = signed_for
    if parties == before:
        return
    agreement.parties = parties
    labels = {normalise_label(p.label): p.label for p in parties}
    for s in agreement.signatories:
        if not s.on_behalf_of:
            continue
        target = renamed.get(s.on_behalf_of, s.on_behalf_of)
        if normalise_label(target) in labels:
            s.on_behalf_of = labels[normalise_label(target)]
            continue
        # a name joined at a slash or kept as the whole of which it was a part
        container = next((p.label for p in parties if _inside(target, p.label)), None)
        s.on_behalf_of = container


def signers_name_parties(ex: _Extractor, agreement: Agreement) -> None:
    """Two signers whose posts name two places or organisations ("the Mayor of Munich, A, and the Mayor of
    Prague, B") sign for those two: a party of the agreement that no post names (taken from a clause about an
    earlier agreement, "After the agreement signed with X …") gives way to the one a post names."""
    from .extract import _guess_type, _same_party

    gaz = ex.gaz
    named: list[tuple[str, str]] = []  # (signatory's name, the party in the post as written)
    for s in agreement.signatories:
        person = next((p for p in ex.people if p.name == s.name and p.post_party), None)
        if person is None or person.post_party is None:
            continue
        held = next((q for q in agreement.parties if q.label == s.on_behalf_of), None)
        if held is not None and s.confidence >= 0.8 and not _same_party(person.post_party, held, gaz):
            return  # read from the words around the post ("Recteur de X et Président de Y"): that stands
        if not any(normalise_label(person.post_party) == normalise_label(x) for _, x in named):
            named.append((s.name, person.post_party))
    if len(named) != 2:
        return
    matches = [next((q for q in agreement.parties if _same_party(x, q, gaz)), None) for _, x in named]
    if len(agreement.parties) > 3:
        return
    if matches[0] is not None and matches[0] is matches[1]:
        return
    if all(m is not None and not _inside(m.label, x) for m, (_, x) in zip(matches, named, strict=True)):
        return
    parties: list[Party] = []
    for (name, label), match in zip(named, matches, strict=True):
        if match is not None and not _inside(match.label, label):
            parties.append(match)
            continue
        hits = gaz.find(label)
        iri = hits[0].iris[0] if hits and len(hits[0].iris) == 1 else None
        sig = next(s for s in agreement.signatories if s.name == name)
        kind = hits[0].types[0] if hits and hits[0].types else _guess_type(label)
        ev = sig.evidence
        parties.append(Party(label, iri, kind, [], 0.7 if iri else 0.5, ev))
    agreement.parties = parties
    for (name, _), party in zip(named, parties, strict=True):
        for s in agreement.signatories:
            if s.name == name:
                s.on_behalf_of = party.label
    for s in agreement.signatories:
        if s.on_behalf_of and not any(s.on_behalf_of == p.label for p in parties):
            s.on_behalf_of = None


# a sentence that speaks of the areas of a cooperation: a list in it names fields, cue or not
_AREA = re.compile(
    r"(?<!\w)(?:domaines?|secteurs?|axes|thematiques?|themes?|areas?|fields?|sectors?|bereiche\w*|gebiete\w*|"
    r"schwerpunkte?\w*|themen\w*|objectives|objectifs|exchanges?|echanges?|austausch\w*|cooperation|co-operation|"
    r"cooperer|zusammenarbeit|kooperation|collaboration|partner|partenaire)(?!\w)"
)
# where a list's first item begins: after the last of these words of its clause
_LEAD = re.compile(
    r"(?<!\w)(?:in|on|of|for|as|including|like|such as|de|du|des|d['’]|en|dans|sur|comme|notamment|auf|im|fur|wie|"
    r"von|insbesondere|besonders)(?!\w)\s*(?=\S)|:\s*(?=\S)",
    re.I,
)
# where a list's last item ends
_TAIL_STOP = re.compile(
    r"\s(?:among|ever|since|which|that|who|to|for|in order|with|between|afin|pour|qui|que|avec|entre|mit|um|zu|"
    r"zwischen|der beiden|des deux|of both|of the two|bei|vorantreiben|fordern|entwickeln)\b|[,;:.()]",
    re.I,
)
_CONJ = re.compile(r"\s+(?:and|und|et|sowie|as well as|ainsi que|&)\s+", re.I)


def _list_items(text: str) -> list[tuple[int, str]]:
    """The items of the longest list "A, B, C and D" of ``text`` (three items or more; two after a colon)."""
    best: list[tuple[int, str]] = []
    for clause in re.finditer(r"[^;()]+", text):
        body, base = clause.group(0), clause.start()
        colon = body.rfind(":")
        pieces = [(m.start(), m.group(0)) for m in re.finditer(r"[^,]+", body)]
        # runs of comma pieces whose last piece joins two items with a conjunction
        for end in range(len(pieces)):
            last_at, last = pieces[end]
            conj = _CONJ.search(last)
            if conj is None:
                continue
            for begin in range(end, -1, -1):
                run = pieces[begin : end + 1]
                if any(len(p.split()) > 6 for _, p in run[1:-1]):
                    break
                items: list[tuple[int, str]] = []
                first_at, first = run[0]
                if begin == end:
                    first = last[: conj.start()]
                leads = list(_LEAD.finditer(first))
                cut = leads[-1].end() if leads else 0
                if not leads and len(first.split()) > 4:
                    continue
                items.append((first_at + cut, first[cut:]))
                items += [(a, p) for a, p in run[1:-1]]
                if begin != end:
                    items.append((last_at, last[: conj.start()]))
                tail_at = last_at + conj.end()
                tail = last[conj.end() :]
                stop = _TAIL_STOP.search(" " + tail)
                tail = tail[: max(0, stop.start() - 1)] if stop else tail
                items.append((tail_at, tail))
                after_colon = colon >= 0 and first_at + cut > colon
                if (len(items) >= 3 or (after_colon and len(items) >= 2)) and len(items) > len(best):
                    best = [(base + a + (len(p) - len(p.lstrip())), p.strip()) for a, p in items]
    return best


# words of a clause: an item with one of them is no field ("ont été adoptés", "there will be", "promouvoir …")
_NOT_ITEM = re.compile(
    r"(?<!\w)(?:ete|est|sont|ont|a|will|would|be|is|are|was|were|there|these|this|those|each|any|ist|sind|wird|"
    r"werden|wurde|hat|haben|entre autres|among others|unter anderem|leur|their|ihre?|addition)(?!\w)"
    r"|^(?:to|zu|pour|afin)\s|^[^\W\d_]+(?:er|ir|oir)\s"
)
_FORM = re.compile(
    r"discussions?|visits?|visites?|besuche?|meetings?|rencontres?|treffen|exchanges?|echanges?|austausch|"
    r"partnership|partenariat|partnerschaft|agreements?|accords?|documents?|materials?|materiaux|equipment|"
    r"conferences?|workshops?|seminars?|seminaires?|colloques?|delegations?|initiatives?|"
    r"interests?|interets?|fields?|areas?|domaines?|secteurs?|sectors?|bereiche?n?|gebiete?n?"
)


def list_fields(ex: _Extractor, agreements: list[Agreement]) -> None:
    """Lists the field cues do not reach ("exchange on education, trade, medical system, and culture", "les
    domaines de la culture, de la francophonie, du sport …", "thématiques … : échanges sportifs, hygiène …"):
    in a sentence about the areas of a cooperation, in the paragraph of an agreement (any paragraph when
    there is only one agreement), the items of a list of three or more are fields."""
    from .extract import _AMBITION, _ARTICLE, _PLAN, _items_to_facts, _merge_fields

    if not agreements:
        return
    for s in ex.doc.sentences:
        folded = ex.folded[s.start : s.end]
        if not _AREA.search(folded) or _PLAN.search(s.text) or _AMBITION.search(s.text):
            continue
        if re.search(r"[„“\"«»”]", s.text):
            continue  # what someone says of the cooperation, not what the agreement covers
        if len(agreements) == 1:
            target: Agreement | None = agreements[0]
        else:
            here = [
                a
                for a in agreements
                if any(e.start <= s.start < e.end or _same_paragraph(ex, e.start, s.start) for e in a.evidence)
            ]
            target = here[0] if len(here) == 1 else None
        if target is None:
            continue
        items: list[tuple[int, str]] = []
        for i, (at, item) in enumerate(_list_items(s.text)):
            clean = _ARTICLE.sub("", item).strip(" „“\"«»”'’")
            clean = re.sub(r"^(?:l|d)['’]\s*", "", clean, flags=re.I)
            words = fold_text(clean).split()
            if not words:
                continue
            content = [w for w in words if len(w) > 3]
            noun_last = ex.lang != "de" or clean.split()[-1][:1].isupper()  # German: a noun phrase ends in a noun
            if (
                len(content) > 4
                or not noun_last
                or _NOT_ITEM.search(" ".join(words))
                or (ex.lang != "de" and any(w[:1].isupper() for w in clean.split()))
                or any(m.kind == "party" for m in ex.mentions.get(s.index, []) if m.text in clean)
            ):
                if i == 0:
                    continue  # the words before the list ("… dans leur accord, les domaines de …")
                items = []
                break  # a clause or names ("Paris, Lyon and Nice"), not a list of fields
            if len(words) == 1 and _FORM.fullmatch(words[0]):
                continue  # "discussions, visites, échanges": forms of a cooperation, not its fields
            items.append((at + item.find(clean) if clean in item else at, clean))
        if len(items) < 2:
            continue
        _merge_fields(target, _items_to_facts(ex, s, items))


def _same_paragraph(ex: _Extractor, a: int, b: int) -> bool:
    return ex.doc.sentence_at(a).paragraph == ex.doc.sentence_at(b).paragraph
