"""Filters of what is never a fact, in any text (issue 17, fourth round: precision first).

The sealed heldout5 lost most of its precision to proposals that are no fact of any kind: a
"field" that is a person, a post, a party or a clause; a "party" that is a building, the
first name of a person or a headline's words up to its verb; a second agreement with the
country its party is in; signatories signing for nobody while their post names a party. The
functions here look at every proposal of a draft, not at one phrasing (docs/drafting.md,
section "Fourth round", lists them):

- :func:`clean_parties`: cut a party's name before a headline's verb ("X University Sign …"),
  drop buildings ("State Capitol") and words of a person's name ("Van" of "Alexander Van der
  Bellen");
- :func:`drop_country_twins`: an agreement of the same kind sharing one party with another,
  whose other party is a country where the other agreement's is not, is that agreement told
  with the country the place is in;
- :func:`resolve_signers`: the party a signatory signs for from the post ("maire de la commune
  de X") and, of two signers for two parties, the one left;
- :func:`drop_non_fields`: new fields that are not short noun phrases.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import normalise_label
from .dates import fold_text
from .fallbacks import FORM
from .model import Agreement, Evidence, Party

if TYPE_CHECKING:
    from .extract import _Extractor

__all__ = [
    "clean_parties",
    "counterparts",
    "drop_country_twins",
    "drop_non_fields",
    "one_signing_each",
    "place_of_party",
    "post_party",
    "post_references",
    "resolve_signers",
]

# a headline's verb after the parties' names ("Kyushu University Sign International Partnership Agreement")
_HEADLINE_VERB = re.compile(
    r"\s+(?:Sign|Signs|Signed|Signing|Ink|Inks|Inked|Seal|Seals|Sealed|Agree|Agrees|Renew|Renews|Renewed|Launch|"
    r"Launches|Forge|Forges|Unterzeichnen|Unterzeichnet|Unterschreiben|Besiegeln|Schließen|Vereinbaren|Signent|"
    r"Signe|Scellent|Paraphent|Renouvellent)\b.*$"
)
# a building or site where a signing took place, not a party ("at the State Capitol", "im Rathaus")
_BUILDING = re.compile(
    r"(?:^|\s)(?:capitol|city hall|town hall|rathaus|hotel de ville|palais|palace|building|auditorium|"
    r"hall|saal|salle|chateau|schloss|castle)$"
)


def _link(ex: _Extractor, label: str) -> tuple[str | None, str | None]:
    hits = [m for m in ex.gaz.find(label) if normalise_label(m.text) == normalise_label(label)]
    if hits and len(hits[0].iris) == 1:
        return hits[0].iris[0], hits[0].types[0] if hits[0].types else None
    return None, None


def _in_person_name(ex: _Extractor, label: str) -> bool:
    """Every occurrence of the one-word ``label`` lies in the name of a person the text names."""
    if len(label.split()) != 1:
        return False
    from .lexicon import TITLES

    text = ex.doc.text
    spans = [(p.start, p.end) for p in ex.people]
    found = list(re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", text))

    def in_name(m: re.Match[str]) -> bool:
        if any(a <= m.start() < b for a, b in spans):
            return True
        # "Bundespräsident Alexander Van der Bellen", "Landesrat Martin Eichtinger": after a post, before a surname
        before = text[max(0, m.start() - 60) : m.start()].split()[-2:]
        after = re.match(r"\s+(?:(?:der|van|von|de|da|di|du|le|la|ter|ten)\s+)?[A-ZÄÖÜ][a-zäöüß]", text[m.end() :])
        titled = any(ex.is_post_word(w.strip(",.")) or re.fullmatch(rf"(?:{TITLES})", w) for w in before)
        return bool(after and titled)

    return bool(found) and all(in_name(m) for m in found)


# "Tokyo’s Minato Ward", "Paris’ 15th arrondissement": a city's subdivision, the party, after the city's possessive
_SUBDIVISION = re.compile(
    r"[’']s?\s+((?:[A-Z][\w\-]+|\d+(?:st|nd|rd|th|e|er))(?:\s+[A-Z][\w\-]+){0,2}\s+"
    r"(?:Ward|District|Borough|arrondissement|Arrondissement|Bezirk|Stadtbezirk))\b"
)


def _subdivision(ex: _Extractor, agreement: Agreement, party: Party) -> str | None:
    """The text names the party's city only with the possessive of one subdivision: that subdivision."""
    subs = {m.group(1) for m in re.finditer(rf"(?<!\w){re.escape(party.label)}{_SUBDIVISION.pattern}", ex.doc.text)}
    if len(subs) != 1:
        return None
    sub = subs.pop()
    return f"{party.label} {sub}" if sub[:1].isdigit() else sub


def clean_parties(ex: _Extractor, agreement: Agreement) -> None:
    """Parties that are no party: a headline cut at its verb, a building, a word of a person's name; a city
    named for its subdivision ("Tokyo’s Minato Ward") is that subdivision."""
    out: list[Party] = []
    for p in agreement.parties:
        sub = _subdivision(ex, agreement, p)
        if sub and not any(fold_text(sub) == fold_text(q.label) for q in agreement.parties):
            for s in agreement.signatories:
                if s.on_behalf_of == p.label:
                    s.on_behalf_of = sub
            iri, typ = _link(ex, sub)
            p.label, p.iri, p.type, p.candidates = sub, iri, typ or "city", []
        cut = _HEADLINE_VERB.sub("", p.label).strip()
        if cut and cut != p.label:
            iri, typ = _link(ex, cut)
            renamed = {p.label: cut}
            p.label, p.iri, p.candidates = cut, iri, []
            p.type = typ or p.type
            for s in agreement.signatories:
                if s.on_behalf_of in renamed:
                    s.on_behalf_of = renamed[s.on_behalf_of]
        folded = fold_text(p.label)
        if _BUILDING.search(folded) or _in_person_name(ex, p.label):
            for s in agreement.signatories:
                if s.on_behalf_of == p.label:
                    s.on_behalf_of = None
            continue
        out.append(p)
    agreement.parties = out


_WHERE_FR = re.compile(r"(?:^|\s)(?:en|au|aux)\s+$")
_NAME_BEFORE = re.compile(
    r"(?:(?<=\s)(?:du|de la|de l['’]|des|de|d['’])\s*)?((?:[A-ZÉÈÀÇÎ][\w’'\-]+\s+){0,2}[A-ZÉÈÀÇÎ][\w’'\-]+)\s*$"
)


def place_of_party(ex: _Extractor, agreement: Agreement) -> None:
    """ "maire du François en Martinique", "Boussé au Burkina Faso": a region or country named only after "en",
    "au" says where a party is; the name before it is the party (when one is), else it is no party."""
    if ex.lang != "fr" or len(agreement.parties) < 2:
        return
    text = ex.doc.text
    out: list[Party] = []
    for p in agreement.parties:
        hits = list(re.finditer(rf"(?<!\w){re.escape(p.label)}(?!\w)", text))
        if not hits or not all(_WHERE_FR.search(text[max(0, m.start() - 6) : m.start()]) for m in hits):
            out.append(p)
            continue
        names = []
        for m in hits:
            before = _WHERE_FR.sub("", text[max(0, m.start() - 60) : m.start()])
            n = _NAME_BEFORE.search(before)
            if n and not ex.lex.post.search(fold_text(n.group(1))):
                names.append(n.group(1).strip())
        named = [
            n for n in dict.fromkeys(names) if not any(fold_text(n) == fold_text(q.label) for q in agreement.parties)
        ]
        if len(named) == 1:
            iri, typ = _link(ex, named[0])
            for s in agreement.signatories:
                if s.on_behalf_of == p.label:
                    s.on_behalf_of = named[0]
            out.append(Party(named[0], iri, typ or "city", [], 0.5, p.evidence))
        else:
            for s in agreement.signatories:
                if s.on_behalf_of == p.label:
                    s.on_behalf_of = None
    if len(out) >= 2:
        agreement.parties = out


def post_references(ex: _Extractor, agreement: Agreement) -> None:
    """ "mit der Unterzeichnung … durch den Landeshauptmann und den Gouverneur", "the governor and mayor signed":
    posts without a name in a sentence of the agreement are the people named with that post before."""
    from .model import Signatory

    for e in agreement.evidence:
        folded = fold_text(e.sentence)
        if len(folded) != len(e.sentence):
            continue  # offsets would not carry over
        for m in ex.lex.post.finditer(folded):
            after = e.sentence[m.end() : m.end() + 40]
            before = folded[max(0, m.start() - 12) : m.start()]
            if re.match(r"\s*,?\s*(?:[A-ZÄÖÜ]|of\b|de\b|der\b|von\b|du\b)", after):
                continue  # a name or a place follows: the post of someone named here
            if not re.search(r"(?:^|\s)(?:den|dem|der|die|the|le|la|les|and|und|et)\s+$", before):
                continue
            holders = [p for p in ex.people if p.head == m.group(0) and p.start < e.start]
            if len({p.name for p in holders}) != 1:
                continue
            person = holders[0]
            if any(_same_name(person.name, x.name) for x in agreement.signatories):
                continue
            named = [p for p in agreement.parties if person.post_party and _named_in(person.post_party, p)]
            agreement.signatories.append(
                Signatory(person.name, person.post, named[0].label if len(named) == 1 else None, None, 0.5, e)
            )


def post_party(ex: _Extractor, agreement: Agreement) -> None:
    """A signer without party whose post names a place or body ("governor of Bengo Province", "Minato Ward
    Mayor") signs for it, as written, even when the agreement's parties were read otherwise."""
    for s in agreement.signatories:
        if s.on_behalf_of is not None:
            continue
        person = next((p for p in ex.people if p.name == s.name and p.post_party), None)
        if person is None or not person.post_party:
            continue
        named = [p for p in agreement.parties if _named_in(person.post_party, p) is not None]
        s.on_behalf_of = named[0].label if len(named) == 1 else person.post_party


def one_signing_each(agreements: list[Agreement]) -> None:
    """A person named as signing two agreements of one text dated in different years signed the later one
    ("renewed the agreement first signed in 1985": the rector of today did not sign that)."""
    for a in agreements:
        for s in list(a.signatories):
            later = [
                b
                for b in agreements
                if b is not a
                and b.date
                and a.date
                and b.date[:4] > a.date[:4]
                and any(_same_name(s.name, x.name) for x in b.signatories)
            ]
            if later:
                a.signatories.remove(s)


def drop_country_twins(agreements: list[Agreement]) -> list[Agreement]:
    """ "Boussé – Loué" and "Boussé – France" of one kind: the second names the country Loué is in."""
    from .fallbacks import is_country

    out = list(agreements)
    for a in agreements:
        places = [p for p in a.parties if not is_country(p)]
        if len(a.parties) != 2 or len(places) != 1:
            continue
        place = places[0]
        for b in agreements:
            if b is a or b.kind != a.kind or len(b.parties) != 2 or any(is_country(p) for p in b.parties):
                continue
            if any(normalise_label(place.label) == normalise_label(q.label) for q in b.parties):
                out = [x for x in out if x is not a]
                break
    return out


# words of many parties' names that tell none of them apart ("Université de X", "Conseil régional de Y")
_GENERIC_WORDS = {
    "state",
    "city",
    "ville",
    "stadt",
    "land",
    "region",
    "regional",
    "regionale",
    "province",
    "provinz",
    "county",
    "commune",
    "municipality",
    "government",
    "regierung",
    "gouvernement",
    "conseil",
    "council",
    "association",
    "federation",
    "national",
    "nationale",
    "international",
    "internationale",
    "west",
    "east",
    "north",
    "south",
}
_CLAUSE_END = re.compile(r"\s(?:a|ont|est|sont|has|have|had|is|was|were|hat|haben|ist|sind|wird|werden)\s.*$")


def _named_in(post: str, party: Party) -> tuple[int, float] | None:
    """Where the post names ``party`` (by its label's distinctive words) and the share of them it names."""
    from .lexicon import lexicon

    heads = lexicon().org_heads
    words = [
        w
        for w in fold_text(party.label).replace("-", " ").replace("’", " ").replace("'", " ").split()
        if len(w) > 3 and not heads.fullmatch(w) and w not in _GENERIC_WORDS
    ]
    folded = fold_text(post)
    hits = {w: m.start() for w in words for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", folded)}
    return (min(hits.values()), len(hits) / len(set(words))) if hits else None


_LOCATIVE = re.compile(r"(?:\b(?:in|im|at|à|a|au|en|nach|to)\s+(?:der|the|la|le)?\s*)$", re.I)
# "mit seinem Amtskollegen X", "with his counterpart X", "avec son homologue X": X signs for the other party
_COUNTERPART = re.compile(
    r"\b(?:amtskolleg(?:en|in)|counterparts?|homologues?)\b(?:\s+(?:aus|from|de|d['’]|of|von)\s+[^,]{1,40}?)?,?\s+",
    re.I,
)


def _at_venue(sentence: str, label: str) -> bool:
    """``label`` is named in ``sentence`` only as where something happened ("unterzeichnete in Palermo")."""
    hits = list(re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", sentence))
    return bool(hits) and all(_LOCATIVE.search(sentence[max(0, m.start() - 12) : m.start()]) for m in hits)


def counterparts(ex: _Extractor, agreement: Agreement) -> None:
    """ "Oberbürgermeister A unterzeichnete in Y mit seinem Amtskollegen B": A signs for the party that is not
    the venue, B, the counterpart, for the other one."""
    from .model import Signatory

    if len(agreement.parties) != 2:
        return
    for s in list(agreement.signatories):
        if s.evidence is None:
            continue
        sentence = s.evidence.sentence
        if s.on_behalf_of is None:  # of two parties, one named only as the venue: the signer's is the other
            home = [p for p in agreement.parties if not _at_venue(sentence, p.label)]
            if len(home) != 1 or any(x.on_behalf_of == home[0].label for x in agreement.signatories):
                continue
            s.on_behalf_of = home[0].label
        other = next((p for p in agreement.parties if p.label != s.on_behalf_of), None)
        if other is None:
            continue
        holders = [x for x in agreement.signatories if x is not s and x.on_behalf_of == other.label]
        # the counterpart given the party left ("with his counterpart B", B of no party of his own) gives it back
        counterpart = [x for x in holders if x.post and _COUNTERPART.search(x.post + " ")]
        if (
            _at_venue(sentence, s.on_behalf_of)
            and not _named_in(s.post or "", agreement.parties[0])
            and not (_named_in(s.post or "", agreement.parties[1]))
        ) and (not holders or holders == counterpart):
            venue = s.on_behalf_of
            s.on_behalf_of, other = other.label, next(p for p in agreement.parties if p.label == s.on_behalf_of)
            for x in counterpart:
                x.on_behalf_of = venue
        m = _COUNTERPART.search(sentence)
        if m is None or not sentence.count(s.name.split()[-1]):
            continue
        at = s.evidence.start + m.end()
        name = ex.name_at(at, min(s.evidence.end, at + 90))
        if name is None or name[0] != at or any(_same_name(name[2], x.name) for x in agreement.signatories):
            continue
        if any(x.on_behalf_of == other.label for x in agreement.signatories if x is not s):
            continue
        agreement.signatories.append(
            Signatory(name[2], "", other.label, None, 0.5, Evidence(sentence, s.evidence.start, s.evidence.end))
        )


def _same_name(a: str, b: str) -> bool:
    return fold_text(a).split()[-1] == fold_text(b).split()[-1]


def resolve_signers(agreement: Agreement) -> None:
    """A signatory signs for the party their post names first ("maire de la commune de X ont procédé … à Y");
    of two signers for two parties, one assigned and one not, the other signs for the party left."""
    if len(agreement.parties) < 2:
        return
    for s in agreement.signatories:
        post = _CLAUSE_END.sub("", s.post or "")
        named = [(hit, p) for p in agreement.parties if (hit := _named_in(post, p)) is not None]
        if named:  # the party most of whose words the post names, the first named of equals
            s.on_behalf_of = max(named, key=lambda x: (x[0][1], -x[0][0]))[1].label
    for s in agreement.signatories:  # "Marburg-Biedenkopf – Landrätin A und …": the dateline's party
        if s.on_behalf_of is None and s.evidence is not None:
            head = re.match(r"\s*([^–—·:(]{2,60}?)\s*(?:[–—·:]|\s-\s|\(\w+\))", s.evidence.sentence)
            lead = fold_text(head.group(1)) if head else ""
            s.on_behalf_of = next((p.label for p in agreement.parties if lead and fold_text(p.label) == lead), None)
    if len(agreement.parties) == 2:  # two of one post ("Landrätin A", "Landrätin B") sign for the two parties
        for s in agreement.signatories:
            post = fold_text(s.post or "")
            if s.on_behalf_of is not None or not post:
                continue
            peers = [x.on_behalf_of for x in agreement.signatories if x is not s and fold_text(x.post or "") == post]
            taken = {q for q in peers if q}
            if len(peers) == 1 and len(taken) == 1:
                s.on_behalf_of = next((p.label for p in agreement.parties if p.label not in taken), None)
    if len(agreement.parties) == 2 and len(agreement.signatories) == 2:
        a, b = agreement.signatories
        for s, other in ((a, b), (b, a)):
            if s.on_behalf_of is None and other.on_behalf_of:
                left = [p for p in agreement.parties if p.label != other.on_behalf_of]
                if len(left) == 1:
                    s.on_behalf_of = left[0].label


# words before a list item that are no part of it ("z.B. Cleantech", "such as tourism")
_LEAD_IN = re.compile(
    r"^(?:z\s?\.\s?b\s?\.|e\s?\.\s?g\s?\.|such as|like|including|namely|etwa|wie|insbesondere|notamment|comme|dont)\s+",
    re.I,
)
# words that point to a list, or tell, and name no field
_POINTER = re.compile(
    r"(?<!\w)(?:suivants?|suivantes?|ci dessous|following|below|above|folgende[nrs]?|genannte[nrs]?|says?|said|"
    r"sagte?|erklarte?|dit|declare|selon|laut|so|according|each|any|every|jede[rsmn]?|chaque|tout|tous|toutes)(?!\w)"
)
_FORM_HEAD = re.compile(
    r"(?<!\w)(?:bereiche?n?|gebiete?n?|feldern|themen|areas?|fields?|sectors?|domaines?|secteurs?)$"
)
# the agreement itself ("the Memorandum of Understanding"), not what it covers
_KIND_WORD = re.compile(
    r"agreements?|understanding|memorandum|accords?|conventions?|ententes?|abkommen|vereinbarung(?:en)?|vertrag|"
    r"declaration|erklarung|partnerships?|partenariats?|partnerschaft|cooperation|kooperation|zusammenarbeit"
)
_DEGREE = re.compile(r"^(?:BA|MA|BSc|MSc|MBA|PhD|LLM|B\.A\.|M\.A\.)\s")
# nominalised participles that name people, not fields ("Lehrenden", "Graduierten", "Studierenden")
_DE_PEOPLE = re.compile(r"(?<!\w)[A-ZÄÖÜ][a-zäöüß]+(?:enden|ierten)(?!\w)")
# who is exchanged, not in what ("Austausch von Hochschullehrern", "visits by scholars", "des chercheurs"); an
# English or French singular is a modifier ("student" of "student and faculty mobility") and stays
_PEOPLE_HEAD = re.compile(
    r"(?:\w*(?:lehrer|lehrende|mitarbeiter|forscher|wissenschaftler|studenten|studierende|schuler|dozenten|"
    r"absolventen|doktoranden|innen)n?|students|researchers|scholars|teachers|etudiants|enseignants|chercheurs|doctorants|"
    r"eleves)$"
)


# German function words inside a field: a clause or a name ("Regierung von Alberta", "die Partnerschaft")
_DE_CLAUSE = re.compile(r"(?<!\w)(?:mit|um|der|die|das|den|dem|des|ein|eine|einen|einem|einer|von|zu|sich|so)(?!\w)")


def _names_someone(ex: _Extractor, label: str) -> bool:
    from .lexicon import TITLES

    folded = fold_text(label)
    for p in ex.people:
        surname = fold_text(p.surname) if p.surname else ""
        if surname and re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", folded):
            return True
    return bool(re.search(rf"(?<!\w)(?:{TITLES})(?:\s|$)", label)) or bool(ex.lex.post.search(folded))


def drop_non_fields(ex: _Extractor, agreements: list[Agreement]) -> None:
    """New fields are short noun phrases: not a person, a post, a party or organisation, a clause, a pointer."""
    party_names = {fold_text(p.label) for a in agreements for p in a.parties}
    for a in agreements:
        kept = []
        for f in a.fields:
            if f.concept:
                kept.append(f)
                continue
            label = _LEAD_IN.sub("", f.label).strip()
            if ex.lang == "de":  # "maritime Wirtschaft anschieben": a noun phrase ends in its noun
                label = re.sub(r"(?:\s+[a-zäöüß][\w\-]*)+$", "", label)
            f.label = label or f.label
            folded = fold_text(f.label)
            words = f.label.split()
            content = [w for w in folded.replace("’", " ").replace("'", " ").split() if len(w) > 3]
            capitals = sum(1 for w in words if w[:1].isupper())
            if (
                not words
                or len(content) > 4
                or (ex.lang == "de" and _DE_CLAUSE.search(folded))
                or _names_someone(ex, f.label)
                or (ex.is_org(f.label) and (ex.lang == "de" or capitals > 0))
                or any(n and (n == folded or re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded)) for n in party_names)
                or _POINTER.search(folded)
                or (len(words) > 1 and _FORM_HEAD.search(folded))
                or _DEGREE.match(f.label)
                # the head: a German compound's last word; an English or French item that is the people alone
                or (_PEOPLE_HEAD.fullmatch(folded.split()[-1]) and (ex.lang == "de" or len(words) <= 2))
                or (len(words) == 1 and (FORM.fullmatch(folded) or _KIND_WORD.fullmatch(folded)))
                or re.search(r"-$|(?<!\w)[dl]['’]\w{0,3}$", f.label)  # "Physio-" of "Physio- und …", "d’int"
                or (ex.lang == "de" and (not words[-1][:1].isupper() or _DE_PEOPLE.search(f.label)))
                or (ex.lang != "de" and capitals >= 2)
            ):
                continue
            if any(not k.concept and fold_text(k.label) == folded for k in kept):
                continue  # "maritime Wirtschaft" once more, now its verb is cut
            kept.append(f)
        a.fields = kept
