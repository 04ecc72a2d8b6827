"""Repairs of the fifth round of issue 17: parties that are no party, signers found by the shape of a name,
agreements signed at one ceremony.

The clean runs of the earlier rounds lost their facts to the same few classes in every new set (see
``bench/drafting/README.md``): parties read from an adjective ("Chinese"), a first name ("Albert"), a phrase
about people ("Vertreter der Landkreise X") or an acronym standing beside its full name; signers named
without a post the lexicon knows ("Representing X, Mr A, Speaker of …", "signed by Mr A"); a second agreement
"also signed" at the ceremony of the first. The functions here look at every proposal of a draft after the
extractor and its earlier passes (``fallbacks``, ``filters``), never at one text's names:

- :func:`drop_false_parties`: demonyms, first names, people and acronyms beside their names are no parties;
- :func:`signers_by_shape`: a capitalised name after "signed by / unterzeichnet von / signé par" or in
  "Representing X / On behalf of X / Au nom de X / Im Namen von X", signing for the party named there;
- :func:`ceremony_agreements`: "also signed a sports exchange pact", "ont également signé une convention":
  one agreement per distinct kind of the same parties.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import normalise_label
from .common import ev, guess_type, never_a_party, same_party
from .common import spells as common_spells
from .dates import fold_text
from .document import Sentence
from .model import Agreement, Draft, Party, Signatory

if TYPE_CHECKING:
    from .extract import _Extractor

__all__ = [
    "ceremony_agreements",
    "counted_agreements",
    "countries_do_not_twin",
    "drop_announced",
    "drop_false_parties",
    "parallel_fields",
    "signer_parties",
    "signers_by_shape",
    "spells",
    "split_plural",
    "twinning_of_organisations",
]

# a phrase about people before a name: who comes from the party, not the party signing
_PEOPLE_OF = re.compile(
    r"(?:vertreter(?:innen)?|delegation|abordnung|representatives?|delegates?|delegation|representants?|"
    r"delegu(?:e|es|ee|ees)|delegation)\s+(?:of|from|der|des|aus|von|de|du|des|d['’])\s*(?:the\s+|la\s+|l['’]\s*)?"
    r"(?:\w+\s+){0,2}$"
)
_SMALL = frozenset(
    {"of", "the", "and", "de", "du", "des", "la", "le", "der", "die", "und", "et", "for", "für", "d", "l"}
)


def spells(acronym: str, label: str) -> bool:
    """``acronym`` is made of the first letters (or first few, up to three) of ``label``'s words in order, the
    small words free ("PUCA": Plan Urbanisme Construction Architecture; "CUN": Communauté Urbaine de Nouakchott)."""
    return common_spells(acronym, label, small=_SMALL, longest=3)


def _another(ex: _Extractor, home: Agreement, kind: str, s: Sentence, span: tuple[int, int]) -> Agreement:
    """A further agreement of ``kind`` between ``home``'s parties, on its date, told in ``span`` of ``s``."""
    return Agreement(
        kind,
        ex.lex.kind_label(kind, ex.doc.language),
        [Party(p.label, p.iri, p.type, list(p.candidates), p.confidence, ev(s), p.store_label) for p in home.parties],
        home.date,
        home.date_precision,
        home.date_basis,
        evidence=[ev(s, span)],
        date_evidence=home.date_evidence,
        confidence=0.5,
        date_not_after=home.date_not_after,
    )


def _is_acronym(label: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", label.strip()))


def _first_name(ex: _Extractor, party: Party) -> bool:
    """A one-word new party that, wherever the text writes it, is followed by another capitalised word that
    heads no organisation: the first name of a person ("Albert Martin"), not a place."""
    label = party.label.strip()
    if party.iri or " " in label or not label[:1].isupper() or _is_acronym(label):
        return False
    found = list(re.finditer(rf"(?<![\w-]){re.escape(label)}(?![\w-])", ex.doc.text))
    if not found:
        return False
    for m in found:
        nxt = re.match(r" ([A-ZÄÖÜÉ][a-zäöüéèàçß’'\-]+)", ex.doc.text[m.end() : m.end() + 40])
        if nxt is None or ex.is_org(nxt.group(1)) or ex.is_post_word(nxt.group(1)):
            return False
        if ex.gaz.names.get(normalise_label(f"{label} {nxt.group(1)}")):
            return False  # "Hong Kong", a place the store knows in two words
    return True


_ALIAS = re.compile(
    r"^\W*(?:\(?\s*(?:popularly |also |better |commonly |formerly )?known as|aka|alias|dite?|genannt|auch)\s+"
    r"(?:the\s+|la\s+|le\s+|l['’]\s*|die\s+|der\s+|das\s+)?$"
)


def _alias_of(ex: _Extractor, p: Party, q: Party) -> bool:
    """``p`` is written right after ``q`` and a "known as / dite / genannt" ("X popularly known as Y")."""
    for m in re.finditer(re.escape(q.label), ex.doc.text):
        rest = ex.doc.text[m.end() : m.end() + 60]
        at = rest.find(p.label)
        if at > 0 and _ALIAS.match(fold_text(rest[:at])):
            return True
    return False


def _about_people(ex: _Extractor, party: Party) -> bool:
    """Every mention of the party follows a phrase about its people ("Vertreter der Landkreise X",
    "representatives of X", "une délégation de X")."""
    found = list(re.finditer(rf"(?<![\w-]){re.escape(party.label)}(?![\w-])", ex.doc.text))
    if not found:
        return False
    return all(_PEOPLE_OF.search(fold_text(ex.doc.text[max(0, m.start() - 60) : m.start()])) for m in found)


# a label that begins with a phrase about people ("Vertreter der Landkreise X"): the people and a plural head go
_PEOPLE_PREFIX = re.compile(
    r"^(?:Vertreter(?:innen)?|Repräsentanten|Delegation|Abordnung|Representatives?|Delegates?|Delegation|"
    r"Représentants?|Délégation|Délégués?)\s+(?:of|from|der|des|aus|von|de|du|d['’])\s*(?:the\s+|la\s+|l['’]\s*)?"
    r"(?:(?:Landkreise|Kreise|Städte|Gemeinden|Regionen|Universitäten|Hochschulen|cities|towns|regions|universities|"
    r"villes|communes|régions|universités)\s+)?"
)


def _strip_people(label: str) -> str:
    return _PEOPLE_PREFIX.sub("", label).strip()


def drop_false_parties(ex: _Extractor, agreement: Agreement) -> None:
    """Remove parties that are no party of any agreement (see the module's docstring) while two stay;
    a signer of a dropped acronym signs for the name it stands for."""
    renamed: dict[str, str] = {}
    for p in agreement.parties:
        bare = _strip_people(p.label)
        if bare != p.label and bare[:1].isupper():
            renamed[p.label] = bare
            p.label, p.iri, p.store_label = bare, ex.gaz.only(bare), None
    parties = list(agreement.parties)
    # an adjective of a people or place, a kind of agreement: never a signing party
    kept = [p for p in parties if not never_a_party(p)]
    if len(kept) == 1 and len(parties) == 2:
        # "University of X signs agreement with Chinese university": the other party is what a signer's post names
        kept += _parties_of_signers(ex, kept[0])[:1]
    if len(kept) >= 2:
        parties = kept
    # a university partnership of a university and the place in its name: the place says where it is
    if agreement.kind == "university-partnership":
        kept = [p for p in parties if not (p.type != "university" and any(_inside(p.label, q.label) for q in parties))]
        if len(kept) < len(parties):
            parties = kept
    # "The University of X popularly known as the University of the Future": one party by two names
    kept = [p for p in parties if not any(q is not p and _alias_of(ex, p, q) for q in parties)]
    if len(kept) < len(parties):
        parties = kept
    kept = [p for p in parties if not _first_name(ex, p)]
    if len(kept) >= 2:
        parties = kept
    if len(parties) > 2:
        # an acronym beside the name it spells is that name told twice
        out: list[Party] = []
        for p in parties:
            whole = next(
                (q for q in parties if q is not p and _is_acronym(p.label) and spells(p.label.strip(), q.label)),
                None,
            )
            if whole is not None:
                renamed[p.label] = whole.label
                continue
            out.append(p)
        if len(out) >= 2:
            parties = out
    if len(parties) > 2:
        kept = [p for p in parties if not _about_people(ex, p)]
        if len(kept) >= 2:
            parties = kept
    agreement.parties = parties
    labels = {p.label for p in parties}
    for s in agreement.signatories:
        if s.on_behalf_of and s.on_behalf_of not in labels:
            s.on_behalf_of = renamed.get(s.on_behalf_of)


def _inside(part: str, whole: str) -> bool:
    """``part``'s words are a run of ``whole``'s words, and fewer ("Rabat" in "Université de Rabat")."""
    a, b = fold_text(part).split(), fold_text(whole).split()
    if not a or len(a) >= len(b):
        return False
    return any(b[i : i + len(a)] == a for i in range(len(b) - len(a) + 1))


def _parties_of_signers(ex: _Extractor, held: Party) -> list[Party]:
    """Places or organisations the posts of people in signing sentences name, other than ``held``."""
    out: list[Party] = []
    for s in ex.doc.sentences:
        if ex.signs(s) is None:
            continue
        for person in ex.people_in(s):
            named = ex.expand(person.post_party)
            if not named or same_party(named, held, ex.gaz) or any(same_party(named, q, ex.gaz) for q in out):
                continue
            out.append(Party(named, ex.gaz.only(named), None, [], 0.5, ev(s, (person.start, person.end))))
    return out


# who signs, as the text says it: "signed by (Mr) A", "unterzeichnet von A", "signé par A"
_SIGNED_BY = re.compile(
    r"\b(?:signed|co-signed|countersigned|inked|endorsed|initialled|unterzeichnet|unterschrieben|signee?s?|cosignee?s?|"
    r"paraphee?s?)\s+"
    r"(?:\w+\s+){0,2}?(?:by|von|par)\s+"
)
# for whom: "Representing X, …", "On behalf of X, …", "Au nom de X, …", "Im Namen (von|der|des) X …", "Für X …"
_FOR_PARTY = re.compile(
    r"(?:\brepresenting|\bon behalf of|\bau nom d[eu]|\bau nom des|\bpour le compte d[eue]s?|"
    r"\bim namen (?:von|der|des)|\bim auftrag (?:von|der|des))\s+"
)
_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|M|Mme|MM|Hon|Sir|Herr|Herrn|Frau|Professor|Professeur|Professeure)\.?\s+)"


def _name_after(ex: _Extractor, at: int, limit: int) -> tuple[int, int, str] | None:
    """A person's name right at ``at`` (titles skipped): two to four capitalised words, none of them an
    organisation's head or a post, and not a name the store knows for a place or organisation."""
    window = ex.doc.text[at:limit].split("\n", 1)[0]
    m = re.match(
        rf"(?:{_HONORIFIC})*((?:[A-ZÄÖÜÉÈ][\w’'\-]+|[A-Z]\.)(?:\s+(?:[A-ZÄÖÜÉÈ][\w’'\-]+|[A-Z]\.|van|von|de|der|bin)){{1,3}})",
        window,
    )
    if not m:
        return None
    words: list[str] = []
    for w in m.group(1).split():
        if ex.is_org(w) or ex.is_post_word(w) or w.lower() in _SMALL:
            break
        words.append(w)
    while words and words[-1].lower() in ("van", "von", "de", "der", "bin"):
        words.pop()
    if len(words) < 2:
        return None
    name = " ".join(words)
    if ex.gaz.names.get(normalise_label(name)) and not any(
        ex.gaz.is_person(e) for e in ex.gaz.names.get(normalise_label(name), set())
    ):
        return None
    a = at + m.start(1)
    return a, a + len(name), name


def _party_named(ex: _Extractor, agreement: Agreement, text: str) -> Party | None:
    """The one party of ``agreement`` that ``text`` names (by name, acronym or a distinctive word)."""
    hits = [q for q in agreement.parties if ex.names_party(text, q)]
    return hits[0] if len(hits) == 1 else None


def _signing_sentences(ex: _Extractor, agreement: Agreement, *, only: bool) -> list[int]:
    """The sentences of the agreement's evidence, and those right after it that sign (any that signs when the
    text proposes one agreement: "A and B, who signed the agreement, …")."""
    out: list[int] = []
    if only:
        return [
            t.index
            for t in ex.doc.sentences
            if ex.signs(t) is not None or _SIGNED_BY.search(ex.folded[t.start : t.end])
        ]
    for e in agreement.evidence:
        s = ex.doc.sentence_at(e.start)
        for t in ex.doc.sentences[s.index : s.index + 3]:
            signs = (t.paragraph == s.paragraph or t.index == s.index + 1) and ex.signs(t) is not None
            if (t.index == s.index or signs) and t.index not in out:
                out.append(t.index)
    return out


def signers_by_shape(ex: _Extractor, agreements: list[Agreement]) -> None:
    """Add signers named without a post the lexicon knows, when the sentence says for whom they sign (a
    "representing/on behalf of/au nom de" clause, or a party named right after the name: "signed by A of X",
    "signé par A, maire de X"). An agreement that has a signer for every party gets none."""
    text = ex.doc.text
    for agreement in agreements:
        if len(agreement.signatories) >= len(agreement.parties):
            continue
        for index in _signing_sentences(ex, agreement, only=len(agreements) == 1):
            s = ex.doc.sentences[index]
            folded = ex.folded[s.start : s.end]
            found: list[tuple[int, int, str, Party | None]] = []
            for m in _FOR_PARTY.finditer(folded):
                # "Representing the state of California, Mr A, Speaker …, signed": the clause up to its comma
                clause_end = folded.find(",", m.end())
                if clause_end < 0:
                    continue
                party = _party_named(ex, agreement, text[s.start + m.end() : s.start + clause_end])
                if party is None:
                    continue
                rest = s.start + clause_end + 1
                # the name right after the clause, or after "by" later in the sentence
                name = _name_after(ex, rest + len(text[rest : s.end]) - len(text[rest : s.end].lstrip()), s.end)
                if name is None:
                    by = _SIGNED_BY.search(folded, clause_end)
                    name = _name_after(ex, s.start + by.end(), s.end) if by else None
                if name is not None:
                    found.append((*name, party))
            for m in _SIGNED_BY.finditer(folded):
                name = _name_after(ex, s.start + m.end(), s.end)
                if name is None:
                    continue
                # "signed by A, Mayor of X", "signé par A, maire de X", "by A (X)", "by A of X": up to the next name
                after = text[name[1] : min(s.end, name[1] + 120)]
                stop = re.search(r"\s(?:and|und|et)\s|;", after)
                party = _party_named(ex, agreement, after[: stop.start()] if stop else after)
                found.append((*name, party))
            for person in ex.people_in(s):
                # "UoV Vice Chancellor Professor A and SCAU Vice President Professor B, who signed the agreement":
                # people of a signing sentence whose post names a party
                if person.post_party:
                    party = _party_named(ex, agreement, ex.expand(person.post_party) or person.post_party)
                    found.append((person.start, person.end, person.name, party))
            for a, b, who, party in found:
                if party is None or any(_same_person(who, x.name) for x in agreement.signatories):
                    continue
                if any(x.on_behalf_of == party.label for x in agreement.signatories):
                    continue
                agreement.signatories.append(Signatory(who, "", party.label, None, 0.6, ev(s, (a, b))))


def _same_person(a: str, b: str) -> bool:
    fa, fb = set(fold_text(a).split()), set(fold_text(b).split())
    return bool(fa and fb) and (fa <= fb or fb <= fa or fold_text(a).split()[-1] == fold_text(b).split()[-1])


# "also", said of a second signing at the same occasion
_ALSO = re.compile(
    r"\b(?:also|as well|in addition|additionally|further|auch|ebenfalls|zudem|außerdem|ausserdem|daruber hinaus|"
    r"egalement|aussi|en outre|par ailleurs)\b"
)


def ceremony_agreements(ex: _Extractor, agreements: list[Agreement]) -> list[Agreement]:
    """A sentence that "also" signs an agreement of another kind than every proposal, naming no parties or
    only those of one proposal ("the two cities also signed a sports exchange pact", "ont également signé
    une convention de …"), is a second agreement of that proposal's parties signed at the same occasion."""
    out = list(agreements)
    if not agreements:
        return out
    told = {a.kind for a in agreements}
    for s in ex.doc.sentences:
        folded = ex.folded[s.start : s.end]
        sign = ex.signs(s)
        if sign is None or not _ALSO.search(folded):
            continue
        kinds = [(a, b, k) for a, b, k in ex.kinds_in(s) if a >= s.start + sign.start()]
        if not kinds:
            continue
        a, b, kind = kinds[0]
        kind = kind.split("*")[0].rstrip("?")
        if kind in told or kind == "partnership":
            continue
        named = ex.parties_in(s, exclude=[(x, y) for x, y, _ in kinds])
        # the proposal of these parties: named in the sentence, else the one before it in the text
        home = None
        if named:
            homes = [
                g for g in agreements if all(any(same_party(p.label, q, ex.gaz) for q in g.parties) for p in named)
            ]
            home = homes[0] if len(homes) == 1 else None
        else:
            before = [g for g in agreements if g.evidence and g.evidence[0].start < s.start]
            home = before[-1] if before else None
        if home is None:
            continue
        out.append(_another(ex, home, kind, s, (a, b)))
        told.add(kind)
    return out


# a kind in the plural, or counted: "two MOUs", "Memoranda of Understanding", "deux conventions", "zwei Abkommen"
_KIND_WORD = (
    r"(?:memorand\w*|mous?|agreements?|accords?|conventions?|ententes?|vereinbarung\w*|abkommen|vertrage?|"
    r"partnerships?|declarations?|pacts?)"
)
_PLURAL_KIND = re.compile(
    rf"(?:\b(?:two|three|four|2|3|4|deux|trois|quatre|zwei|drei|vier)\s+(?:\w+\s+){{0,2}}{_KIND_WORD}|"
    r"\b(?:memoranda|memorandums|mous|agreements|accords|conventions|ententes|\w*vereinbarungen|\w*partnerschaften))\b"
)
_WITH = re.compile(r"\b(?:with|avec|mit)\b")


def _home_party(ex: _Extractor, partners: list[Party], upto: int) -> Party | None:
    """The party the text is about: the first one named, in the headline and the sentences up to ``upto``,
    that is none of ``partners`` nor a country."""
    from .fallbacks import is_country

    for t in ex.doc.sentences[: upto + 1]:
        for p in ex.parties_in(t, exclude=[]):
            if is_country(p) or any(same_party(p.label, q, ex.gaz) or _inside(p.label, q.label) for q in partners):
                continue
            if any(_same_person(p.label, person.name) for person in ex.people):
                continue  # a person's name read as a party
            return p
    return None


def _named(ex: _Extractor, text: str, party: Party) -> bool:
    """``text`` names ``party``: by its name or acronym, or by its longest word ("Chao Shan College")."""
    if ex.names_party(text, party):
        return True
    words = sorted((w for w in fold_text(party.label).split() if not ex.is_org(w) and w not in _SMALL), key=len)
    return bool(words) and len(words[-1]) > 4 and words[-1] in fold_text(text).replace(" ", "")


def _after_with(ex: _Extractor, at: int) -> bool:
    """A "with/avec/mit" stands before offset ``at`` in its sentence, and no signing verb between them."""
    t = ex.doc.sentence_at(at)
    before = ex.folded[t.start : at]
    w = list(_WITH.finditer(before))
    return bool(w) and not ex.trigger.search(before, w[-1].end())


def split_plural(ex: _Extractor, agreement: Agreement, agreements: list[Agreement]) -> list[Agreement]:
    """ "DIU signs two MOUs with A and B", "The MOUs were signed with A and B": an agreement read with the
    partners only (all named after "with") is one agreement per partner, each with the party the text is
    about (the first other party it names). ``agreements``: all proposals of the text; returns what
    ``agreement`` becomes."""
    out: list[Agreement] = []
    split = None
    for s in ex.doc.sentences:
        if any(
            b is not agreement and any(ex.doc.sentence_at(x.start).index == s.index for x in b.evidence)
            for b in agreements
        ):
            continue  # already one agreement per partner ("deux conventions avec X et Y")
        folded = ex.folded[s.start : s.end]
        w = _WITH.search(folded)
        plural = _PLURAL_KIND.search(folded)
        if w is None or plural is None or plural.start() > w.start():
            continue
        after = ex.doc.text[s.start + w.end() : s.end]
        if not all(_named(ex, after, p) for p in agreement.parties):
            continue
        home = _home_party(ex, agreement.parties, s.index)
        if home is not None and not _named(ex, after, home):
            split = (home, s)
            break
    if split is None or len(agreement.parties) < 2:
        return [agreement]
    home, s = split
    for partner in agreement.parties:
        out.append(
            Agreement(
                agreement.kind,
                agreement.kind_label,
                [home, partner],
                agreement.date,
                agreement.date_precision,
                agreement.date_basis,
                signatories=[x for x in agreement.signatories if x.on_behalf_of in (partner.label, home.label)],
                fields=list(agreement.fields),
                evidence=list(agreement.evidence),
                date_evidence=agreement.date_evidence,
                confidence=0.5,
                date_not_after=agreement.date_not_after,
            )
        )
    return out


_COUNT = {"deux": 2, "zwei": 2, "two": 2, "2": 2, "trois": 3, "drei": 3, "three": 3, "3": 3}


def counted_agreements(ex: _Extractor, agreements: list[Agreement]) -> list[Agreement]:
    """ "Le 4 mai, X et Y ont signé deux protocoles d'accord", "A and B signed two agreements": a counted kind
    signed by the two parties of one proposal is that many agreements of theirs; the missing ones are added
    with the counted kind (what each one covers is for the reviewer)."""
    out = list(agreements)
    for s in ex.doc.sentences:
        sign = ex.signs(s)
        if sign is None:
            continue
        for a, b, kind in ex.kinds_in(s):
            if "*" not in kind:
                continue
            # the count right after the verb: "ont signé deux protocoles", "avec la signature de trois conventions",
            # not "… repose sur trois accords"
            between = ex.after_signing(s, sign, a)
            number = re.fullmatch(rf"\s*(?:\w+\s+){{0,2}}?({'|'.join(_COUNT)})\s+(?:\w+\s+){{0,2}}", between)
            if number is None:
                continue
            n = _COUNT[number.group(1)]
            kind = kind.split("*")[0].rstrip("?")
            named = [g for g in agreements if len(g.parties) == 2 and all(ex.names_party(s.text, q) for q in g.parties)]
            if not named and len(agreements) == 1 and len(agreements[0].parties) == 2:
                named = agreements  # the one pair of the text, named in another way here ("les deux universités")
            if len(named) != 1:
                continue
            home = named[0]
            same = [
                g
                for g in out
                if len(g.parties) == 2
                and all(any(same_party(q.label, r, ex.gaz) for r in home.parties) for q in g.parties)
            ]
            for _ in range(n - len(same)):
                out.append(_another(ex, home, kind, s, (a, b)))
    return out


def _stem_words(label: str) -> list[str]:
    """The distinctive words of a party's name, folded ("landkreis pfaffenhofen" → ["pfaffenhofen"])."""
    from .lexicon import lexicon

    lex = lexicon()
    return [
        w
        for w in _name_words(label)
        if len(w) >= 4 and w not in _SMALL and not lex.org_heads.fullmatch(w) and not lex.post.fullmatch(w)
    ]


def _heads(label: str) -> list[str]:
    """The organisation words of a party's name, folded ("Hochschule Anhalt" → ["hochschule"])."""
    from .lexicon import lexicon

    return [w for w in _name_words(label) if len(w) >= 5 and lexicon().org_heads.fullmatch(w)]


def _name_words(label: str) -> list[str]:
    return fold_text(label).replace("-", " ").split()


def signer_parties(ex: _Extractor, agreements: list[Agreement]) -> None:
    """A signer left without a party signs for the party an adjective or possessive of the post names
    or the words right before the name ("der bayerische Heimatminister", "Pfaffenhofens Kreischef A", "Iloilo
    Chamber president", "directeur de l'ESC"), when they name one party of the agreement. Run on the rules'
    parties and again on those the model chose."""
    for agreement in agreements:
        if len(agreement.parties) != 2:
            continue
        for sig in agreement.signatories:
            if sig.on_behalf_of:
                continue
            person = next((p for p in ex.people if p.name == sig.name), None)
            written = sig.post or (person.post if person else "")
            post = fold_text(written)
            around = ""
            if person is not None:
                around = fold_text(ex.doc.text[max(0, person.start - 40) : person.start])
            # an acronym of the post spells a party ("directeur général de l'ESC")
            acronyms = re.findall(r"\b[A-Z]{2,6}\b", written)
            hits = [
                q
                for q in agreement.parties
                if any(re.search(rf"\b{re.escape(w[:5])}\w*", post + " " + around) for w in _stem_words(q.label))
                or any(spells(x, q.label) for x in acronyms)
            ]
            if not hits:
                # "Hochschulpräsident", "University President", "président de l'université": the kind of organisation
                # the post is of, when one party of the agreement is of that kind
                hits = [
                    q
                    for q in agreement.parties
                    if any(re.search(rf"\b{re.escape(w[:6])}", post) for w in _heads(q.label))
                ]
            if len(hits) == 1:
                sig.on_behalf_of, sig.confidence = hits[0].label, 0.5


# "étendus à la formation, à la recherche et à la gouvernance", "in der Lehre, in der Forschung und in der
# Verwaltung", "in research, in teaching and in administration": one preposition and article before each item
_PARALLEL = {
    "fr": r"(?:à|a|dans|pour|sur)\s+(?:la\s+|le\s+|les\s+|l['’]\s*|au\s+|aux\s+)",
    "de": r"(?:in|im|für|auf)\s+(?:der\s+|den\s+|die\s+|dem\s+)?",
    "en": r"(?:in|for|on)\s+(?:the\s+)?",
}
_ITEM = r"([^\W\d_][\w\-’']+(?:\s+(?!(?:et|und|and|sowie|ou|or|oder|ainsi)\b)[^\W\d_][\w\-’']+)?)"


def parallel_fields(ex: _Extractor, agreements: list[Agreement]) -> None:
    """A list of three or more items, each after the same preposition ("à la formation, à la recherche et à la
    gouvernance"), in the paragraph of the text's only agreement or of an agreement it names, gives fields;
    not in quotations, plans or a sentence about people ("auprès de la ministre, de la présidente …")."""
    from .common import PLAN, items_to_facts, merge_fields

    prep = _PARALLEL.get(ex.lang)
    if not prep or not agreements:
        return
    conj = r"(?:,\s*|\s+(?:et|und|and|sowie|ainsi que)\s+)"
    pattern = re.compile(rf"(?<!\w){prep}{_ITEM}(?:{conj}{prep}{_ITEM}){{1,}}(?:{conj}{prep}{_ITEM})")
    item_re = re.compile(rf"(?<!\w){prep}{_ITEM}")
    for s in ex.doc.sentences:
        if PLAN.search(s.text) or re.search(r"[„“\"«»”]", s.text):
            continue
        if len(agreements) == 1:
            target: Agreement | None = agreements[0]
        else:
            named = [a for a in agreements if all(ex.names_party(s.text, q) for q in a.parties)]
            target = named[0] if len(named) == 1 else None
        if target is None:
            continue
        for m in pattern.finditer(s.text):
            items = [(x.start(1), x.group(1)) for x in item_re.finditer(s.text, m.start(), m.end())]
            if len(items) < 3 or any(w[:1].isupper() for _, w in items if ex.lang != "de"):
                continue  # names of people or places, not fields
            if any(ex.is_post_word(w.split()[0]) for _, w in items):
                continue
            merge_fields(target, items_to_facts(ex, s, items))


def drop_announced(ex: _Extractor, agreements: list[Agreement]) -> list[Agreement]:
    """An agreement told only by headlines ("Feierliche Unterzeichnung der neuen Verträge") in a text whose
    body tells the signing in the future ("Höhepunkt wird die Unterzeichnung … sein", "scheduled for signing")
    and signs nothing is announced, not signed."""
    body = [s for s in ex.doc.sentences if not _headline(s.text)]
    future = ex.lex.future[ex.lang]
    if not any(
        future.search(ex.folded[s.start : s.end]) and not _PAST_PURPOSE.search(ex.folded[s.start : s.end]) for s in body
    ):
        return agreements
    if any(ex.signs(s) is not None for s in body):
        return agreements
    return [a for a in agreements if not all(_headline(e.sentence) for e in a.evidence)]


# "welcomed the Tampico Mayor … to city hall to sign an intergovernmental partnership": a purpose told in the past,
# not a signing to come
_PAST_PURPOSE = re.compile(
    r"\b(?:welcomed|came|arrived|gathered|met|travel+ed|visited|hosted|received)\b[^.;]{0,120}\bto sign\b"
)


def _headline(text: str) -> bool:
    """A line without a verb's full stop: a headline or caption."""
    t = text.strip()
    return bool(t) and len(t) < 160 and not re.search(r"[.!?:]$", t) and "\n" not in t


#: the kind a "twinning" of two organisations is: universities are partners, chambers and associations friends
_ORGANISATION_TWINNING = {"university": "university-partnership", "cluster": "cluster-partnership"}
_ORGANISATIONS = {"chamber-of-commerce", "association", "research-centre", "research-consortium", "company"}


def twinning_of_organisations(ex: _Extractor, agreements: list[Agreement]) -> None:
    """Towns twin, organisations do not: "a sisterhood agreement" of two chambers of commerce is a friendship
    agreement, a "jumelage" of two universities a university partnership (session 12)."""
    for a in agreements:
        if a.kind != "city-twinning" or len(a.parties) < 2:
            continue
        types = {p.type or guess_type(p.label) or "" for p in a.parties}  # "": a party of unknown type
        only = next(iter(types)) if len(types) == 1 else ""
        if only in _ORGANISATION_TWINNING:
            a.kind = _ORGANISATION_TWINNING[only]
        elif types <= _ORGANISATIONS | set(_ORGANISATION_TWINNING):
            a.kind = "friendship-agreement"
        elif types == {""} and all(ex.is_org(p.label) for p in a.parties):
            # "Partnerschaftsvertrag" of the Busan and the Hamburg Port Authority: organisations of no known type
            a.kind = "cooperation-agreement"
        else:
            continue
        a.kind_label = ex.lex.kind_label(a.kind, ex.lang)


# countries that are one town, which may twin
_CITY_STATES = frozenset(
    {
        "monaco",
        "singapore",
        "singapur",
        "san marino",
        "saint-marin",
        "vatican",
        "luxembourg",
        "luxemburg",
        "andorra",
        "andorre",
        "liechtenstein",
        "guam",
        "hong kong",
        "macau",
        "macao",
    }
)


def countries_do_not_twin(agreements: list[Agreement], *, final: bool) -> list[Agreement]:
    """A town twinning of countries is a twinning of their towns named elsewhere, or none: no annotated twinning
    of the bench texts has a country for a party but a city-state (Monaco); "Zeichen der Solidarität zwischen
    Deutschland und der Ukraine" lent its two countries to "die Städtepartnerschaft besiegelt". Before the fitted
    choice of parties (not ``final``) a twinning left with fewer than two parties stays for it to choose."""
    from .fallbacks import is_country

    out = []
    for a in agreements:
        if a.kind == "city-twinning":
            kept = [p for p in a.parties if not is_country(p) or normalise_label(p.label) in _CITY_STATES]
            if len(kept) < 2 and final:
                continue
            a.parties = kept if len(kept) >= 2 else a.parties
        out.append(a)
    return out


# German adjectives of a name declined after "der"/"mit der" ("der Technischen Universität Oppeln", "mit der
# Deutsch-Vietnamesischen Universität"): before a feminine head the nominative ends in -e
_DECLINED = re.compile(r"\b([A-ZÄÖÜ][\w\-]{2,}|[A-ZÄÖÜ][\w\-]*(?:isch|lich))(?:en|(?<=isch|lich)er)(?=\s|$)")
_FEMININE_HEAD = re.compile(
    r"\s(?:Universität|Hochschule|Gesellschaft|Akademie|Kammer|Stiftung|Vereinigung|Agentur|Behörde|Bibliothek|"
    r"Klinik|Föderation|Union|Allianz|Konferenz|Kommission|Organisation|Region|Gemeinschaft)\b"
)


def nominative_labels(draft: Draft) -> None:
    """A new party of a German text named as the nominative ("Technische Universität Oppeln"), not in the case the
    sentence declined it to; the signers' parties and the names list follow. Linked parties keep the store's
    label."""
    renamed: dict[str, str] = {}
    for party in [p for a in draft.agreements for p in a.parties] + draft.names:
        head = _FEMININE_HEAD.search(party.label)
        if party.iri is not None or head is None:
            continue
        before = _DECLINED.sub(r"\1e", party.label[: head.start()])
        if before != party.label[: head.start()]:
            renamed[party.label] = before + party.label[head.start() :]
    for party in [p for a in draft.agreements for p in a.parties] + draft.names:
        party.label = renamed.get(party.label, party.label)
    for agreement in draft.agreements:
        for sig in agreement.signatories:
            sig.on_behalf_of = renamed.get(sig.on_behalf_of or "", sig.on_behalf_of)
