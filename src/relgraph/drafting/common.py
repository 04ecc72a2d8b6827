"""What the extractor and its later passes (``fallbacks``, ``filters``) share: word lists, party comparison,
field items, evidence. Its own module so that those passes need nothing of ``extract`` and import no cycle."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..text import normalise_label
from .dates import fold_text
from .document import Sentence
from .gazetteer import Gazetteer
from .model import Agreement, Evidence, FieldFact, Party

if TYPE_CHECKING:
    from .extract import _Extractor


STOPCAP = set(
    [
        "die",
        "der",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "seit",
        "über",
        "unter",
        "vor",
        "zu",
        "zum",
        "zur",
        "und",
        "oder",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        "for",
        "with",
        "by",
        "from",
        "as",
        "to",
        "and",
        "or",
        "this",
        "that",
        "these",
        "those",
        "its",
        "it",
        "his",
        "her",
        "their",
        "our",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "au",
        "aux",
        "en",
        "à",
        "dans",
        "pour",
        "par",
        "sur",
        "avec",
        "et",
        "ou",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "laut",
        "ziel",
        "hier",
        "dort",
        "dies",
        "diese",
        "dieser",
        "dieses",
        "sie",
        "er",
        "es",
        "wir",
        "ihr",
        "auch",
        "so",
        "neben",
        "sowie",
        "mission",
        "allemagne",
        "italie",
        "germany",
        "france",
        "deutschland",
        "kanada",
        "canada",
        "china",
    ]
)


# adjectives of peoples and places, not names ("Chinese", "Bavarian", "bayerische", "française")
DEMONYM = re.compile(
    r"^(?:[A-ZÄÖÜÉ][a-zäöüéèàç]+(?:ese|ian|isch|ische|ischen|ischer|isches|aise|oise|ienne|éenne|ean|can)|"
    # the ones no ending gives ("a French town", "the German partner", "ein belgischer Partner" is -isch)
    r"French|German|British|Dutch|Irish|Spanish|Turkish|Polish|Swiss|Greek|Thai|English|Scottish|Welsh|Danish|"
    r"Swedish|Finnish|Czech|Slovak|Kazakh|Uzbek|Flemish|Cornish|Italien|Allemand|Anglais|Belge|Suisse|Russe|"
    r"Britannique|Américain|Africain|Européen|Marocain|Tunisien|Sénégalais|Mexicain)$"
)
#: the adjective of a title cut from its name ("The Free and Hanseatic City of Hamburg", "Freie und Hansestadt")
_TITLE_ADJECTIVE = re.compile(r"^(?:Free|Freie[nr]?)$")


def adjective_only(p: Party) -> bool:
    """An unlinked name that is an adjective alone ("Chinese", "bayerische", "Free"): never a party."""
    label = p.label.strip()
    return p.iri is None and bool(DEMONYM.match(label) or _TITLE_ADJECTIVE.match(label))


def kind_word(p: Party) -> bool:
    """An unlinked name that is a kind of agreement ("MoU", "Memorandum of Understanding"): never a party."""
    from .lexicon import lexicon

    folded = fold_text(p.label.strip())
    return p.iri is None and any(pattern.fullmatch(folded) for pattern, _, _ in lexicon().kind_patterns)


def post_title(p: Party) -> bool:
    """An unlinked name that is a post alone ("Secrétaire d'État", "Vice Governor"): whose party it is, not one."""
    from .lexicon import lexicon

    return p.iri is None and bool(lexicon().post.fullmatch(fold_text(p.label.strip())))


def generic_reference(p: Party) -> bool:
    """An unlinked article and an organisation word ("l’Université", "le Port", "the University"): a reference back
    to a party named elsewhere, not a name."""
    from .lexicon import lexicon

    m = re.fullmatch(r"(?:l['’]\s?|le\s|la\s|les\s|the\s|die\s|der\s|das\s)\s*([\w\-]+)", p.label.strip(), re.I)
    return p.iri is None and m is not None and bool(lexicon().org_heads.fullmatch(fold_text(m.group(1))))


# a territory's head word alone ("County Commissioner A", "la Région"): the head of some name, no name itself
_TERRITORY_HEAD = re.compile(
    r"(?:county|district|province|provinz|region|kreis|landkreis|bezirk|gemeinde|municipality|commune|prefecture|"
    r"departement|department|canton|kanton|state)"
)


def never_a_party(p: Party) -> bool:
    """A name the rules read that is no name of a party: an adjective alone, a kind of agreement, an article and
    an organisation word, a post, or a territory's head word alone."""
    return (
        adjective_only(p)
        or kind_word(p)
        or generic_reference(p)
        or post_title(p)
        or bool(_TERRITORY_HEAD.fullmatch(fold_text(p.label.strip()).lower()))
    )


def is_country_name(label: str) -> bool:
    """ "USA", "Japan", "Deutschland"? ISO 3166 codes and English names (pycountry's data)."""
    import pycountry

    text = label.strip().replace(".", "")
    if text.isupper() and len(text) in (2, 3):
        return (pycountry.countries.get(alpha_2=text) or pycountry.countries.get(alpha_3=text)) is not None or (
            text == "UK"
        )
    return pycountry.countries.get(name=text) is not None


# words that qualify any cooperation and name no field
GENERIC_FIELDS = {
    "academic",
    "academique",
    "akademisch",
    "akademische",
    "akademischen",
    "mutual",
    "bilateral",
    "bilaterale",
    "international",
    "internationale",
    "internationalen",
    "other",
    "autres",
    "andere",
    "various",
    "divers",
}

NOT_SIGNING = re.compile(
    r"(?:in anwesenheit|im beisein|in the presence|presence|witnessed|accompagn|accompanied|begleitet|represented|"
    r"vertreten|grusswort|sous le regard|unter den augen|"
    r"grußwort|welcomed|begrusste|begrüßte|including|discussions? with|talks with|met with|gesprache? mit|"
    r"entretiens? avec|darunter|parmi lesquels|visite d[ue]|visit (?:of|by)|besuch (?:des|der|von))",
    re.I,
)

PLAN = re.compile(
    r"\b(?:geplant|vorgesehen|planned|foresees?|prevus?|prévus?|envisag\w*|sollen auch neue|prochaine [ée]tape|"
    r"next (?:phase|stage|step)|n[äa]chsten schritt)\b",
    re.I,
)

AMBITION = re.compile(r"\b(?:ambitionen|ambitions?|ambitieux)\b", re.I)

ARTICLE = re.compile(
    r"^(?:(?:in|im|der|die|das|den|dem|the|le|la|les|l['’]|des|du|de|d['’]|de la|comme|such as|including|like|wie|"
    r"insbesondere|vor allem|gerade|especially|particularly|notably|notamment|en particulier|surtout|"
    r"[àa] savoir|namely|nämlich|c'est-[àa]-dire|"
    r"zum beispiel|e\.g\.,?|the following|following|dans|en|auf|a|an|certains?|domaines?|stratégiques|"
    r"strategiques|comme|"
    r"several|fields?|of|interest|areas?|plus|bereichen?|feldern|gebieten|die bereiche)\s+)+",
    re.I,
)


def ev(s: Sentence, span: tuple[int, int] | None = None) -> Evidence:
    return Evidence(s.text, s.start, s.end, span)


def guess_type(label: str, ex: _Extractor | None = None) -> str | None:
    f = fold_text(label)
    for pattern, kind in (
        (r"universit|hochschule|college|\bschool\b|ecole", "university"),
        (r"consortium", "research-consortium"),
        (r"zentrum|centre|center|institut", "research-centre"),
        (r"cluster", "cluster"),
        (r"chamber|kammer|handelskammer", "chamber-of-commerce"),
        (r"ministry|ministere|ministerium", "ministry"),
        (r"government|gouvernement|senat|landesregierung|council|conseil", "government-body"),
        (r"association|federation|conference|konferenz|alliance|allianz|verband", "association"),
        (r"province|provinz", "province"),
        (r"region|metropol|county|prefecture|district|kreis", "region"),
        (r"\bcity\b|stadt|ville|municipality|commune|gemeinde", "city"),
    ):
        if re.search(pattern, f):
            return kind
    return None


def party_key(p: Party) -> str:
    """One party, however the text spells it: its entity when linked, else its normalised name."""
    return p.iri or normalise_label(p.label)


def dedupe(parties: list[Party]) -> list[Party]:
    out: list[Party] = []
    for p in parties:
        key = party_key(p)
        if any(party_key(q) == key for q in out):
            continue
        same = next((q for q in out if normalise_label(q.label) == normalise_label(p.label)), None)
        if same is not None:  # the same name, once linked and once not: the linked one stays
            if p.iri and not same.iri:
                out[out.index(same)] = p
            continue
        if p.iri is None and any(q.iri and normalise_label(p.label) in {normalise_label(q.label)} for q in out):
            continue
        out.append(p)
    return out


UNIVERSITY_WORDS = re.compile(r"\b(?:universit(?:y|at|ät|e|é|ies)|uni|of|de|du|der|d|the|l)\b")


def university_key(folded: str) -> str | None:
    """The name of a university without the word 'university' in any of the three languages, or None."""
    f = fold_text(folded).replace("-", " ")
    if not re.search(r"\buniversit", f):
        return None
    rest = " ".join(UNIVERSITY_WORDS.sub(" ", f).split())
    return rest or None


def same_party(label: str | None, party: Party, gaz: Gazetteer) -> bool:
    if not label:
        return False
    a, b = normalise_label(label), normalise_label(party.label)
    if not a:
        return False
    if a == b:
        return True
    known = {e for e in gaz.names.get(a, set()) if not gaz.is_person(e)}
    if party.iri and known:
        return party.iri in known  # both named entities the store knows: the same entity or not
    if len(a) > 3 and (a in b or b in a):
        return True
    if university_key(a) and university_key(a) == university_key(b):
        return True  # "Kyoto-Universität", "Kyoto University", "Université de Kyoto"
    if party.iri:
        known = gaz.names.get(a, set())
        if party.iri in known:
            return True
        if any(
            normalise_label(lbl) == a or a in normalise_label(lbl) for lbl in gaz.labels.get(party.iri, {}).values()
        ):
            return True
    return False


def items_to_facts(ex: _Extractor, s: Sentence, items: list[tuple[int, str]]) -> list[FieldFact]:
    """Items of a list in ``s`` (offset in the sentence, as written) as fields: concepts, else new fields."""
    out: list[FieldFact] = []
    for at, item in items:
        key = normalise_label(item)
        concept = ex.lex.field(key)
        if concept is None:
            words = key.split()
            # "coopération économique": the adjective names the field
            for w in (words[-1:] + words[:1]) if len(words) > 1 else []:
                found = ex.lex.field(w)
                if found and re.search(r"(?:ique|elle|el|lich|liche|ische|isch|al|ic|ell)(?:e|s|es|en|em|x)?$", w):
                    concept = found
                    break
        span = (s.start + at, s.start + at + len(item))
        if concept is None and ex.lang == "fr" and re.fullmatch(r"[^\W\d_]+aux", item):
            item = item[:-3] + "al"  # a plural adjective ("les domaines culturels, économiques et sociaux")
        if concept:
            out.append(FieldFact(concept, item, 0.8, ev(s, span)))
        elif (
            len(item) > 2
            and item.lower() not in STOPCAP
            and not re.search(r"\d", item)
            and not re.match(
                r"(?:joint|gemeinsame\w*|communs?|conjoint\w*|common|cooperative|collaborative|"
                r"autres?|other|andere\w*)\b",
                key,
            )
            and not re.search(r"\b(?:projects|projets|projekte|initiatives|activities|programmes|programs)$", key)
            and key not in GENERIC_FIELDS
            and not any(m.kind == "party" for m in ex.gaz.find(item))
        ):
            # not "joint initiatives" (a form of cooperation) nor "Toulouse zu Gast" (a place)
            out.append(FieldFact(None, item, 0.45, ev(s, span)))
    return out


def merge_fields(agreement: Agreement, facts: list[FieldFact]) -> None:
    for f in facts:
        key = f.concept or normalise_label(f.label)
        if any((g.concept or normalise_label(g.label)) == key for g in agreement.fields):
            continue
        if f.concept is None and any(
            g.concept and normalise_label(g.label) in normalise_label(f.label).split() for g in agreement.fields
        ):
            continue
        agreement.fields.append(f)


def spells(acronym: str, label: str, *, small: frozenset[str], longest: int | None = None) -> bool:
    """Whether ``acronym`` is made of the beginnings of ``label``'s words in order, each word used, the
    ``small`` words free ("UNIMA": UNIversity of MAlawi; "CUN": Communauté Urbaine de Nouakchott);
    ``longest``: at most that many letters from one word."""
    words = re.findall(r"[^\W\d_]+", label)

    def match(i: int, j: int) -> bool:
        if i == len(acronym):
            return all(w.lower() in small for w in words[j:])
        if j == len(words):
            return False
        w = words[j]
        if w.lower() in small and match(i, j + 1):
            return True
        for n in range(1, min(len(w), longest or len(w)) + 1):
            if i + n > len(acronym) or acronym[i : i + n].lower() != w[:n].lower():
                break
            if match(i + n, j + 1):
                return True
        return False

    return len(words) >= 2 and match(0, 0)
