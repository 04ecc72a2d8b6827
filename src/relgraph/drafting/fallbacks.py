"""General repairs run around the sentence rules of :mod:`.extract` (issue 17, third round).

Rounds of rules written for the phrasing of particular texts raised the texts they were
written on and did not carry to new ones. The functions here look at the proposals as a
whole, not at one phrasing (docs/drafting.md, row "third round", lists what each does):

- :func:`prune_parties`, :func:`drop_countries_in_passing`: one party written two ways is one;
  a name cut at a slash is one name; an agreement of more than two parties loses countries
  named in passing, places inside another party's name, an organisation's head alone and,
  when its signers sign for exactly two parties, the others;
- :func:`signers_name_parties`: two signers whose posts name two places name the parties;
- :func:`borrow_parties`: a signing sentence without two parties, in a text where none has
  two, takes them from the nearest sentence that names an agreement and its parties;
- :func:`fold_into_others`: an agreement left with one party is a later mention of another;
- :func:`more_signers`: people named after a title or "signed by" in any sentence that says
  who signed, for the party named next to them (or "respectively" in order);
- :func:`list_fields`: the items of a list in a sentence about the areas of a cooperation.

Each keeps to proposals the text supports: a name alone is no signatory, a list of names or
clauses is no list of fields, and a text with no agreement gets none.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import normalise_label
from .common import spells
from .dates import fold_text
from .model import Agreement, Evidence, Party, Signatory

if TYPE_CHECKING:
    from .extract import _Candidate, _Extractor

__all__ = [
    "borrow_parties",
    "drop_countries_in_passing",
    "fold_into_others",
    "list_fields",
    "more_signers",
    "prune_parties",
    "signers_name_parties",
]

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


def _proper(label: str) -> bool:
    """A capitalised word besides the organisation's head and articles ("Ecole Mohammadia", not "l’Ecole")."""
    words = [w for w in re.findall(r"[^\W\d_]+", label) if w.lower() not in _FILLER]
    from .lexicon import lexicon

    return sum(1 for w in words if w[:1].isupper() and not lexicon().org_heads.fullmatch(fold_text(w))) > 0


def is_country(party: Party) -> bool:
    from .common import is_country_name

    return party.type == "country" or "/country/" in (party.iri or "") or is_country_name(party.label)


def drop_countries_in_passing(parties: list[Party]) -> list[Party]:
    """More than two parties, some of them countries and at least two not: the countries say where the others
    are ("located in Taraba State of Nigeria", "à Séville (Sud de l'Espagne)")."""
    if len(parties) <= 2:
        return parties
    kept = [p for p in parties if not is_country(p)]
    return kept if len(kept) >= 2 else parties


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
    parties = drop_countries_in_passing(parties)
    if len(parties) > 2:
        # "l’Ecole", "die Universität": an organisation's head alone names none
        kept = [p for p in parties if not (len(_words(p.label)) <= 2 and ex.is_org(p.label) and not _proper(p.label))]
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
    if len(parties) == 2:
        # "Gambia" beside "University of The Gambia": the country is where the other is, not a party
        parties = [p for p in parties if not (is_country(p) and any(_inside(p.label, q.label) for q in parties))]
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
    from .common import guess_type, same_party

    gaz = ex.gaz
    named: list[tuple[str, str]] = []  # (signatory's name, the party in the post as written)
    for s in agreement.signatories:
        person = next((p for p in ex.people if p.name == s.name and p.post_party), None)
        if person is None or person.post_party is None:
            continue
        held = next((q for q in agreement.parties if q.label == s.on_behalf_of), None)
        if held is not None and s.confidence >= 0.8 and not same_party(person.post_party, held, gaz):
            return  # read from the words around the post ("Recteur de X et Président de Y"): that stands
        if not any(normalise_label(person.post_party) == normalise_label(x) for _, x in named):
            named.append((s.name, person.post_party))
    if len(named) != 2:
        return
    matches = [next((q for q in agreement.parties if same_party(x, q, gaz)), None) for _, x in named]
    if len(agreement.parties) != 2:
        return  # more than two: prune_parties keeps the signers' (a third party may be a common one)
    if matches[0] is not None and matches[0] is matches[1]:
        return
    if all(m is not None and not _inside(m.label, x) for m, (_, x) in zip(matches, named, strict=True)):
        return
    parties: list[Party] = []
    for (name, label), match in zip(named, matches, strict=True):
        if match is not None and not _inside(match.label, label):
            parties.append(match)
            continue
        hits = [m for m in gaz.find(label) if normalise_label(m.text) == normalise_label(label)]  # the whole name
        iri = hits[0].iris[0] if hits and len(hits[0].iris) == 1 else None
        sig = next(s for s in agreement.signatories if s.name == name)
        kind = hits[0].types[0] if hits and hits[0].types else guess_type(label)
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
    r"cooperer|zusammenarbeit\w*|kooperation\w*|kooperier\w*|collaboration|partner|partenaire)(?!\w)"
)
# where a list's first item begins: after the last of these words of its clause
_LEAD = re.compile(
    r"(?<!\w)(?:in|on|of|for|as|including|like|such as|de|du|des|en|dans|sur|comme|notamment|auf|im|fur|für|wie|"
    r"von|insbesondere|besonders)(?!\w)\s*(?=\S)|(?<!\w)d['’]\s*(?=\S)|:\s*(?=\S)",
    re.I,
)
# where a list's last item ends
_TAIL_STOP = re.compile(
    r"\s(?:among|ever|since|which|that|who|to|for|in order|with|between|afin|pour|qui|que|avec|entre|mit|um|zu|"
    r"zwischen|der beiden|des deux|of both|of the two|bei|vorantreiben|fordern|entwickeln)\b|[,;:.()]",
    re.I,
)
_CONJ = re.compile(r"\s+(?:and|und|et|sowie|as well as|ainsi que|&)\s+", re.I)


def _list_items(text: str, lang: str = "en") -> list[tuple[int, str]]:
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
                if lang == "de":  # "Forschung, Lehre und Transfer zeigen": a noun phrase ends at its noun
                    noun = re.match(r"(?:[a-zäöüß][\w\-]*\s+)*[A-ZÄÖÜ][\w\-]*(?:\s+[A-ZÄÖÜ][\w\-]*)*", tail)
                    tail = noun.group(0) if noun else tail
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
FORM = re.compile(
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
    from .common import AMBITION, ARTICLE, PLAN, items_to_facts, merge_fields
    from .lexicon import TITLES

    if not agreements:
        return
    for s in ex.doc.sentences:
        folded = ex.folded[s.start : s.end]
        if not _AREA.search(folded) or PLAN.search(s.text) or AMBITION.search(s.text):
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
            main = agreements[0]
            if not here and all(
                a.date and a.date_basis in ("stated", "relative") and (not main.date or a.date < main.date)
                for a in agreements[1:]
            ):
                target = main  # the others are earlier agreements the text recalls, with their dates
        if target is None:
            continue
        items: list[tuple[int, str]] = []
        listed = _list_items(s.text, ex.lang)
        # "dans les domaines suivants : Culture, Sport, Education": after a colon an item may begin with a capital
        after_colon = bool(listed) and ":" in s.text[: listed[0][0]]
        for i, (at, item) in enumerate(listed):
            clean = ARTICLE.sub("", item).strip(" „“\"«»”'’")
            clean = re.sub(r"^(?:l|d)['’]\s*", "", clean, flags=re.I)
            words = fold_text(clean).split()
            if not words:
                continue
            content = [w for w in words if len(w) > 3]
            noun_last = ex.lang != "de" or clean.split()[-1][:1].isupper()  # German: a noun phrase ends in a noun
            names_one = (
                re.search(rf"(?<!\w)(?:{TITLES})(?:\s|$)", clean)
                or ex.is_org(clean)
                or ex.lex.post.search(fold_text(clean))
                or (ex.lang == "de" and _DE_CLAUSE.search(fold_text(clean)))
            )
            if (
                names_one
                or len(content) > 4
                or not noun_last
                or _NOT_ITEM.search(" ".join(words))
                or (ex.lang != "de" and any(w[:1].isupper() for w in clean.split()[0 if not after_colon else 1 :]))
                or any(m.kind == "party" for m in ex.mentions.get(s.index, []) if m.text in clean)
            ):
                if i == 0:
                    continue  # the words before the list ("… dans leur accord, les domaines de …")
                items = []
                break  # a clause or names ("Paris, Lyon and Nice"), not a list of fields
            if len(words) == 1 and FORM.fullmatch(words[0]):
                continue  # "discussions, visites, échanges": forms of a cooperation, not its fields
            items.append((at + item.find(clean) if clean in item else at, clean))
        if len(items) < 2:
            continue
        merge_fields(target, items_to_facts(ex, s, items))


# German function words inside an item: a clause ("um sich mit …", "eine hochrangige Delegation"), not a field
_DE_CLAUSE = re.compile(
    r"(?<!\w)(?:mit|um|der|die|das|den|dem|des|ein|eine|einen|einem|einer|von|aus|zu|sich|im|am|bei|nach|uber)(?!\w)"
)


def _same_paragraph(ex: _Extractor, a: int, b: int) -> bool:
    return ex.doc.sentence_at(a).paragraph == ex.doc.sentence_at(b).paragraph


# a sentence that says who signed: a signing verb (the lexicon's) or one of these words
_SIGNER_CUE = re.compile(
    r"(?<!\w)(?:unterzeichner\w*|signataires?|signatories|signatory|cosign\w*|co-sign\w*|contresign\w*|"
    r"representing|representant\w*|im namen)(?!\w)"
)
# names right after these words sign: "signé par A et B", "signed by A and B", "unterzeichnet von A und B"
_BY = re.compile(
    r"(?<!\w)(?:(?:co)?sign\w*|unterzeichne\w*|unterschrieben|paraphe\w*)\s+(?:par|by|von)\s+"
    r"|(?<!\w)(?:die|les|the) (?:unterzeichner\w*|signataires|signatories)\s+"
)
WITNESSES = re.compile(
    r"(?<!\w)(?:witness\w*|zeugen|temoins?|(?:were|was) present|waren anwesend|etaient presents?|assist\w+ a|"
    r"(?:was|were) (?:also )?attended by)(?!\w)"  # "The signing ceremony was also attended by …: A, B, …"
)
_RESPECTIVELY = re.compile(r"(?<!\w)(?:respectivement|respectively|jeweils)(?!\w)")
_JOIN = re.compile(r"\s*(?:,\s*(?:et|and|und)?|\s(?:et|and|und|sowie|&))\s+")


def _names_from(ex: _Extractor, at: int, stop: int) -> list[tuple[int, int, str]]:
    """A run of names from ``at`` ("A et B", "A, B and C"), each with its titles skipped."""
    out: list[tuple[int, int, str]] = []
    text = ex.doc.text
    while at < stop:
        name = ex.name_at(at, min(stop, at + 90))
        if name is None:
            break
        out.append(name)
        join = _JOIN.match(text, name[1])
        if join is None or join.end() >= stop:
            break
        at = join.end()
    return out


def more_signers(ex: _Extractor, agreements: list[Agreement]) -> None:
    """Signers the post rules miss: in a sentence that says who signed (anywhere in the text), a person
    named after a title ("Professor A von der Hochschule X", "Dr. B, who signed on behalf of … UTG") or right
    after "signed by", "cosigné par" ("Cosigné par A et B, respectivement maire de X et maire de Y") signs for
    the party of the agreement named next to them (or, after "respectively", in the order named). Only when
    a party is found: a name alone is no signatory."""
    from .lexicon import TITLES

    if not agreements:
        return
    text = ex.doc.text
    for s in ex.doc.sentences:
        folded = ex.folded[s.start : s.end]
        if not (ex.signs(s) or _SIGNER_CUE.search(folded)):
            continue
        if WITNESSES.search(folded):
            continue  # "A and B were present as witnesses at the signing ceremony"
        if len(agreements) == 1:
            target = agreements[0]
        else:
            own = [a for a in agreements if any(e.start == s.start for e in a.evidence)]
            named = [a for a in agreements if all(ex.names_party(s.text, q) for q in a.parties)]
            pick = own or named
            if len(pick) != 1:
                continue
            target = pick[0]
        if len(target.signatories) >= 2 * len(target.parties):
            continue
        names: list[tuple[int, int, str]] = []
        for m in _BY.finditer(folded):
            names += _names_from(ex, s.start + m.end(), s.end)
        for m in re.finditer(rf"(?<![\w.])(?:{TITLES})\s+", s.text):
            if any(a <= s.start + m.start() < b for a, b, _ in names):
                continue
            for found in _names_from(ex, s.start + m.start(), s.end):  # "MM. A et B"
                if not any(a <= found[0] < b for a, b, _ in names):
                    names.append(found)
        names.sort()
        if not names:
            continue
        from .common import NOT_SIGNING

        respectively = _RESPECTIVELY.search(folded, names[-1][1] - s.start)
        ordered: list[Party] = []
        if respectively is not None:
            after = text[s.start + respectively.end() : s.end]
            at = {q.label: fold_text(after).find(fold_text(q.label)) for q in target.parties}
            ordered = sorted((q for q in target.parties if at[q.label] >= 0), key=lambda q: at[q.label])
        else:
            # "par le président de X et le président de Y, respectivement MM. A et B": the parties before
            lead = re.search(
                r"(?<!\w)(?:respectivement|respectively|jeweils)\W*(?:(?:mm|mmes?|m|messrs|mr|mrs|ms|dr|prof)\.?\s*)*$",
                fold_text(text[s.start : names[0][0]]),
            )
            if lead is not None:
                respectively = lead
                before = fold_text(text[s.start : s.start + lead.start()])
                at = {q.label: before.rfind(fold_text(q.label)) for q in target.parties}
                ordered = sorted((q for q in target.parties if at[q.label] >= 0), key=lambda q: at[q.label])
        for k, (a, b, name) in enumerate(names):
            if NOT_SIGNING.search(fold_text(text[max(s.start, a - 60) : a])):
                continue  # "in the presence of …"
            twin = next((x for x in target.signatories if _same_person(name, x.name)), None)
            if twin is not None and twin.on_behalf_of:
                continue
            party: Party | None = None
            if respectively is not None and len(ordered) == len(names):
                party = ordered[k]
            else:
                later = [x for x in names if x[0] > a]
                stop = min([s.end, b + 140, *(x[0] for x in later)])
                window = text[b:stop]
                near = [q for q in target.parties if _names(ex, window, q)]
                bracket = re.match(r"\s*\(([^()]{2,40})\)", window)
                if bracket:  # "Prof. Dr. A (Bochum)": the party whose name has that word
                    inside = [
                        q
                        for q in target.parties
                        if _inside(bracket.group(1), q.label) or _words(bracket.group(1)) == _words(q.label)
                    ]
                    near = inside if len(inside) == 1 else near
                if len(near) > 1:
                    near = sorted(near, key=lambda q: fold_text(window).find(fold_text(q.label)))[:1]
                party = near[0] if near else None
                behalf = re.search(
                    r"(?:on behalf of|au nom d\w*|im namen (?:der|des|von))\s+(?:the\s+|la\s+|le\s+|l['’])?"
                    r"([A-ZÄÖÜÉ][\w\-]+(?:\s+[A-ZÄÖÜÉ][\w\-]+){0,4})",
                    window,
                )
                if party is None and behalf:  # "signed the agreement on behalf of Liverpool": a short form
                    short = [q for q in target.parties if _inside(behalf.group(1), q.label)]
                    party = short[0] if len(short) == 1 else None
                before = text[max(s.start, a - 90) : a]
                if party is None:
                    # "… sowie der privaten Fachhochschule X, Prof. Dr. A, unterzeichneten": the organisation in
                    # apposition right before the name
                    earlier = [x for x in names if x[1] <= a]
                    lead_in = text[max(s.start, a - 90, earlier[-1][1] if earlier else s.start) : a]
                    if re.search(rf",\s*(?:(?:{TITLES})\s+)*$", lead_in):
                        apposed = [q for q in target.parties if _names(ex, lead_in, q)]
                        if apposed:
                            party = max(apposed, key=lambda q: fold_text(lead_in).rfind(fold_text(q.label)))
                cues = list(
                    re.finditer(
                        r"(?<!\w)(?:representing|representant\w*|on behalf of|au nom d\w*|im namen (?:der|des|von))\s",
                        fold_text(before),
                    )
                )
                cue = cues[-1] if cues else None
                if party is None and cue is not None:
                    # "Representing UNIMA was the Vice-Chancellor, Professor A"
                    party = next((q for q in target.parties if _names(ex, before[cue.end() :], q)), None)
            if party is None:
                continue
            if twin is not None:
                twin.on_behalf_of = party.label  # a signer whose post named no party
                continue
            sentence = ex.doc.sentence_at(a)
            known = next((p for p in ex.people if _same_person(p.name, name) and p.post), None)
            if known is not None:
                post = known.post
            elif (
                respectively is not None and len(ordered) == len(names) and respectively.end() > names[-1][1] - s.start
            ):
                # "respectivement maire de X et mairesse de Y": the k-th post after the word
                pieces = re.split(r"\s*(?:,|\bet\b|\band\b|\bund\b)\s*", text[s.start + respectively.end() : s.end])
                pieces = [x for x in pieces if x.strip()]
                post = pieces[k].strip() if k < len(pieces) and ex.lex.post.search(fold_text(pieces[k])) else ""
            else:
                post = _post_near(ex, b, s.end)
            target.signatories.append(
                Signatory(
                    name, post, party.label, None, 0.5, Evidence(sentence.text, sentence.start, sentence.end, (a, b))
                )
            )


def _same_person(a: str, b: str) -> bool:
    wa, wb = set(fold_text(a).split()), set(fold_text(b).split())
    return bool(wa and wb) and (wa <= wb or wb <= wa or fold_text(a).split()[-1] == fold_text(b).split()[-1])


def _post_near(ex: _Extractor, at: int, stop: int) -> str:
    """The post written right after a name ("…, maire de X", "(Rektor)"), as written; else empty."""
    m = ex.lex.post.search(ex.folded, at, min(stop, at + 40))
    if m is None or not re.fullmatch(r"[\s,(]*", ex.doc.text[at : m.start()]):
        return ""
    end = re.search(r"[,;()]|\s(?:et|and|und|von|of)\s", ex.doc.text[m.end() : stop])
    return ex.doc.text[m.start() : m.end() + (end.start() if end else 0)].strip()


def _names(ex: _Extractor, text: str, party: Party) -> bool:
    """``text`` names ``party``: by its label, an acronym the text defines, or one its words spell ("UNIMA",
    "UTG" for "University of The Gambia")."""
    if ex.names_party(text, party):
        return True
    return any(_spells(acronym, party.label) for acronym in re.findall(r"(?<![\w-])[A-Z]{3,8}(?![\w-])", text))


_SMALL = frozenset({"of", "the", "and", "de", "du", "des", "la", "le", "der", "die", "und", "et", "for", "für"})


def _spells(acronym: str, label: str) -> bool:
    """Whether ``acronym`` is made of the beginnings of ``label``'s words, in order, each word used
    ("UNIMA": UNIversity of MAlawi; "MUST": Mbarara University of Science and Technology)."""
    return spells(acronym, label, small=_SMALL)


def borrow_parties(ex: _Extractor, cand: _Candidate, parties: list[Party]) -> list[Party]:
    """A signing sentence that names its kind but not two parties ("unterzeichneten A und B, Präsident der
    Hefei University, einen Kooperationsvertrag zwischen den beiden Hochschulen"), in a text where no
    signing sentence names two: the parties of the nearest other sentence that names an agreement and
    two or three parties ("Der Kooperationsvertrag zwischen der Hochschule X und der Deutschen Hochschule Y"),
    one of them the party already found when its distinctive words are the same."""
    from .common import dedupe, same_party

    s = cand.sentence
    best: list[Party] = []
    best_distance = 10**6
    for t in ex.doc.sentences:
        if t.index == s.index or not ex.kinds_in(t):
            continue
        spans = [(a, b) for a, b, _ in ex.kinds_in(t)]
        found = drop_countries_in_passing(ex.parties_in(t, exclude=spans))
        if not 2 <= len(found) <= 3:
            continue
        distance = abs(t.index - s.index)
        if distance < best_distance:
            best, best_distance = found, distance
    if not best:
        return parties
    out = list(parties)
    for p in best:
        if any(same_party(p.label, q, ex.gaz) or _shares_name(p, q) for q in out):
            continue
        out.append(p)
    return dedupe(out)


def _shares_name(a: Party, b: Party) -> bool:
    """ "Hefei University", "Deutsche Hochschule Hefei": organisations of one kind sharing their proper name."""
    generic = {"university", "universitat", "universite", "hochschule", "college", "deutsche", "deutschen", "national"}
    wa = {w for w in _words(a.label) if len(w) > 3 and w not in generic and w not in _FILLER}
    wb = {w for w in _words(b.label) if len(w) > 3 and w not in generic and w not in _FILLER}
    return bool(wa & wb) and (a.type == b.type or None in (a.type, b.type))


def fold_into_others(ex: _Extractor, agreements: list[Agreement]) -> list[Agreement]:
    """An agreement left with one party after :func:`prune_parties` is a later mention of one told before
    with that party (its signatories, fields and evidence join it), or nothing."""
    from .common import merge_fields, same_party

    out = [a for a in agreements if len(a.parties) >= 2]
    for a in agreements:
        if len(a.parties) >= 2:
            continue
        home = next(
            (
                b
                for b in out
                if b.kind == a.kind and any(same_party(p.label, q, ex.gaz) for p in a.parties for q in b.parties)
            ),
            None,
        )
        if home is None:
            continue
        home.evidence += a.evidence
        for sig in a.signatories:
            if not any(_same_person(sig.name, x.name) for x in home.signatories):
                if sig.on_behalf_of and not any(sig.on_behalf_of == q.label for q in home.parties):
                    sig.on_behalf_of = next(
                        (q.label for q in home.parties if same_party(sig.on_behalf_of, q, ex.gaz)), None
                    )
                home.signatories.append(sig)
        merge_fields(home, a.fields)
    return out
