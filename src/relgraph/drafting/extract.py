"""The rules: from sentences to proposed agreements, parties, dates, signatories, fields.

An agreement is proposed where a sentence names a kind of agreement (see
:mod:`.lexicon`) together with a signing or concluding verb that is not in the future
("unterzeichnet", "signed", "a été signé", "extended"), or a headline does. Sentences
that sign without naming the kind ("haben sie unterzeichnet", "The document was
signed by ...") add their signatories to the agreement just proposed. Mentions of
the same kind and parties are one agreement with several pieces of evidence.

Parties are the places and organisations of that sentence: names the store knows
(:class:`.gazetteer.Gazetteer`), and, for names it does not know, capitalised phrases
with an organisation's head word ("Lund University", "City of Xaimen"), phrases
joined to a known party ("X und Y", "X-Y") or after "zwischen / between / entre /
mit / with / avec". A name after a locative ("in China", "im Rathaus") is not a party.

People are found next to a post ("Erster Bürgermeister Dr. Peter Tschentscher",
"Martine Biron, Ministerin für ... Québec", "la ministre ..., Martine Biron"); a
later surname ("erklärt Tschentscher") or the post alone ("le premier maire") refers
back to them. The party a signatory signs for is the place or organisation in the
post, else the store's record of the person, else the one party left over.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..text import normalise_label
from .common import (
    AMBITION,
    ARTICLE,
    NOT_SIGNING,
    PLAN,
    STOPCAP,
    dedupe,
    ev,
    guess_type,
    is_country_name,
    items_to_facts,
    merge_fields,
    never_a_party,
    party_key,
    same_party,
    university_key,
)
from .dates import MONTH_NUMBER, MONTH_PATTERN, DateMention, document_date, find_dates, fold_text
from .document import Document, Sentence, detect_language
from .gazetteer import PARTY_CLASSES, Gazetteer, Mention
from .lexicon import TITLES, Lexicon, lexicon
from .model import Agreement, Draft, Evidence, FieldFact, Party, Project, Quote, Signatory

__all__ = ["extract"]

_TOKEN = re.compile(r"[\w][\w'’.\-]*?(?=[a-zäöüéè]{3}[A-ZÄÖÜ])[\w]{3}|[\w][\w'’.\-]*[\w]|[\w]", re.UNICODE)
_CONNECT = {
    "of",
    "for",
    "de",
    "du",
    "des",
    "der",
    "für",
    "la",
    "le",
    "von",
    "van",
    "d’",
    "d'",
    "am",
    "an",
    "upon",
    "et",
    "en",
    "au",
    # session 13: Portuguese, Italian and Spanish names ("Universidade Federal do Rio Grande do Sul")
    "do",
    "dos",
    "di",
    "del",
    "della",
    "degli",
    # session 14: "Gallicano nel Lazio", "Sotto il Monte"
    "nel",
    "nella",
    "sul",
    "sulla",
}
_LOCATIVE = re.compile(
    r"(?:\b(?:in|im|at|à|a|au|aux|en|bei|nach|from|aus|vor|near|nahe|in der n[äa]he von|dans|pr[eè]s de|close to|"
    r"next to|aupr[eè]s de)\s+"
    r"(?:the\s+|der\s+|dem\s+|den\s+|la\s+|le\s+|l['’]\s*)?"
    r"(?-i:[a-zäöü]+ischen\s+)?)$",  # "im polnischen Katowice"
    re.I,
)
_SITE_AFTER = re.compile(r"^[\s-]*(?:city hall|rathaus|hôtel de ville|hotel de ville|campus|town hall|airport)\b", re.I)
_PARTY_BEFORE = re.compile(
    r"(?:\b(?:zwischen|between|entre|with|mit|avec|and|und|et|sowie|as well as)\s+"
    r"(?:the\s+|der\s+|dem\s+|den\s+|die\s+|"
    r"la\s+|le\s+|les\s+|l['’]\s*|city of\s+|stadt\s+|ville de\s+)?)$",
    re.I,
)
_FRENCH_LOWER = (
    r"(?!(?:et|ou|avec|pour|dans|en|à|au|aux|sur|par|qui|que|a|ont|est|sont|sign\w*|le|la|les|de|du|des)\b)"
    r"[a-zéèêàâîôûç][\w’'\-]+"
)
_FRENCH_CAP = r"[A-ZÉÈÎ][\w’'\-]+(?:[ -][A-ZÉÈÎ][\w’'\-]+| d['’][A-ZÉÈÎ][\w’'\-]+)*"
# "des civilisations noires", "des régions de Côte d'Ivoire"
_FRENCH_NAME_REST = re.compile(
    rf" (?:des|du|de la|de l['’]|d['’])\s?{_FRENCH_LOWER}(?: {_FRENCH_LOWER}){{0,2}}"
    rf"(?: (?:de|du|des|de la|d['’])\s?{_FRENCH_CAP})?"
)
_TERRITORIAL = (
    r"provinz|province|region|land|state|etat|canton|kanton|county|prefecture|prefektur|district|bezirk|kreis|"
    r"landkreis|metropolregion|metropole|city|stadt|ville|municipality|commune|gemeinde"
)
_ORG_TYPES = {"university", "research-centre", "research-consortium", "association", "cluster", "chamber-of-commerce"}
_RANK = {"city": 1, "region": 2, "province": 2, "federal-state": 2, "country": 3}
# between a place and the larger territory after it: a comma, after the place's own head word ("Saitama City,")
# and before one unlinked region ("Pittsburgh, Pennsylvania, USA")
_APPOSITION_GAP = re.compile(
    r"(?:\s+(?:City|County|Stadt|Ville))?\s*,\s*(?:[A-ZÄÖÜÉ][\w\-]+(?:\s+[A-ZÄÖÜÉ][\w\-]+)?\s*,\s*)?"
)


def _region_type(m: Mention) -> str | None:
    """The type of a region the store does not know (:func:`relgraph.drafting.gazetteer.subdivisions`)."""
    return m.types[0] if not m.iris and m.types else None


def _drop_countries(parties: list[Party]) -> list[Party]:
    from .fallbacks import drop_countries_in_passing

    return drop_countries_in_passing(parties)


_BETWEEN = re.compile(r"(?<!\w)(?:entre|between|zwischen)\s+")
_BETWEEN_STOP = re.compile(r"[.;:]|\s(?:pour|afin|to|um|in order|qui|which|dont|lors|during|wahrend|im rahmen)\s")
_BULLET = re.compile(r"\s*(?:[•●▪◦·*\-–—]|\d{1,2}[.)])\s+")
_NUMBERS = {"deux": 2, "zwei": 2, "two": 2, "trois": 3, "drei": 3, "three": 3, "quatre": 4, "vier": 4, "four": 4}
_PREP_BEFORE = re.compile(
    r"(?:\b(?:zwischen|between|entre|with|mit|avec)\s+(?:the\s+|der\s+|dem\s+|den\s+|die\s+|"
    r"la\s+|le\s+|les\s+|l['’]\s*|city of\s+|stadt\s+|ville de\s+)?)$",
    re.I,
)
_COOP = re.compile(
    r"(?:zusammenarbeit|kooperation|kooperieren|cooperat|co-operat|collaborat|coopera|bereich|feldern|gebieten|"
    r"fields?\b|areas?\b|domaines?|secteurs?|focus|fokus|schwerpunkt|heart of|coeur|ties\b|themenfeld|"
    r"matiere|projets|projekt|project)",
    re.I,
)
_ENUM_CUES = {
    "de": r"(?:in den bereichen|im bereich|in bereichen wie|in den feldern|auf den gebieten|bereichen wie|"
    r"zusammenarbeit in|kooperation in|kooperieren bereits in|mit fokus auf|fokus auf|schwerpunkte? (?:auf|in)|"
    r"insbesondere in den bereichen|projekte in den bereichen|fur die bereiche|"
    r"in zahlreichen wirtschaftlichen feldern, wie zum beispiel|(?:auf|fur|in) die bereiche|"
    r"(?:gerade|insbesondere|vor allem|besonders) in der|(?:bereiche|feldern|"
    r"themen|themenfelder|gebiete)n? wie)",
    "en": r"(?:focus on the following areas:|the following areas:|fields of interest, including|"
    r"fields? of interest including|in the fields? of|in the areas? of|"
    r"following areas:|areas such as|ties in|cooperation in|co-operation in|co-operate in|cooperate in|"
    r"collaboration in|"
    r"focus(?:ed)? on|focal areas for|emphasized|strengthened through|including|"
    r"(?:especially|particularly|notably) in(?: the)?|"
    r"(?:fields|areas|sectors|domains) (?:such as|like))",
    "fr": r"(?:dans des secteurs comme|dans les secteurs (?:de |du |des )?|dans les domaines? (?:de |du |des )?|"
    r"domaines strategiques comme|dans le domaine (?:de |du |des )?|projets de cooperation|cooperation dans|"
    r"en matiere de|domaines? (?:comme|tels? que|telles? que|dont)|secteurs? (?:comme|tels? que)|"
    r"(?:notamment|en particulier|surtout) (?:dans|en)(?: les?| la| l'| des)?)",
}
_ENUM_STOP = re.compile(
    r"(?:[.;:!?(]| to | um | pour | afin | zu schaffen\b| weiter\b| auszubauen\b| ausgebaut\b| soll\b| sollen\b|"
    r" and other fields\b| et d.autres\b| given | as focal| wurden | wird | ist | sind | werden | which | that | qui |"
    r" given their\b| entre les\b| between | in dem\b| der welt\b| dieser welt\b| geplant\b| planned\b|"
    r" erstreck\w*| umfass\w*| konzentrier\w*| gibt es\b| gibt\b| there (?:is|are)\b| il y a\b|"
    r" ont ete\b| a ete\b| ont\b| sont\b| have been\b| has been\b| were\b| was\b)",
    re.I,
)
_ITEM_SPLIT = re.compile(r"\s*,\s*|\s+(?:und|and|et|sowie|ou|or|as well as|ainsi que)\s+", re.I)
_FR_ORG = re.compile(
    r"(?<!\w)(?:[lL]['’]\s*|[lL]a\s+|[lL]e\s+)((?:Association|Fédération|Conférence|Union|Agence|Communauté|Chambre|"
    r"Institut|Centre|École|Ecole|Office|Conseil|Réseau|Société|Fondation|Université|Ville|Région|Métropole|"
    r"Commune)\s+[^,;:()«»\"]+?)"
    r"(?=\s*(?:,|;|\(|\.|$)|\s+et\s+(?:l['’]|la\s|le\s|les\s)|\s+(?:ont|a|sont|est|signent|signe)\s)"
)
_ACRONYM_THEN_NAME = re.compile(
    r"\s*\([A-Z]{2,8}\)\s+(?!(?:Et|And|Und|A|Ont|Sont|Le|La|Les)\b)[A-ZÉÈ][\w’'\-]+(?:\s+(?:[A-ZÉÈ][\w’'\-]+|[IVX]+))*"
    r"(?:\s+(?:de|du|d['’])\s*[A-ZÉÈ][\w’'\-]+)?"
)
# "les universités Hassan II de Casablanca et Gaston Berger de Saint-Louis", "die Universitäten Erfurt und Jena",
# "the cities of Lyon and Turin", "les communes de Lormes et de Sankt Anton": one plural head, two parties
_NAME_RUN = (
    r"[A-ZÄÖÜÉÈÀÇ][\w’'\-.]*(?:\s+(?:(?:de|du|des|d['’]|de la|la|of|the|von|der|del|di)\s+)?"
    r"(?:[A-ZÄÖÜÉÈÀÇ0-9][\w’'\-.]*|[IVX]+))*"
)
_PLURAL_HEADS = {
    "universit(?:es|és|ies|äten|aten)": {"fr": "Université {}", "en": "University of {}", "de": "Universität {}"},
    "hochschulen": {"de": "Hochschule {}"},
    "(?:villes|communes|municipalit(?:es|és)|cities|towns|municipalities|städte|stadte|gemeinden)": {},
    "(?:r[ée]gions|regions|provinces|provinzen)": {},
}
_PLURAL = re.compile(
    r"(?<!\w)(?i:les|des|aux|the|die|der|den|beide[n]?|both)\s+(?P<head>(?i:"
    + "|".join(_PLURAL_HEADS)
    + r"))\s+(?:of\s+|de\s+|d['’]\s*)?(?P<x>"
    + _NAME_RUN
    + r")\s+(?:et|and|und)\s+(?:of\s+|de\s+|d['’]\s*)?(?P<y>"
    + _NAME_RUN
    + r")",
)
_BOTH = re.compile(
    r"\b(?:the two|both(?: the)?|beide[n]?|die beiden|der beiden|den beiden|les deux|ces deux|des deux|aux deux)"
    r"\s+(?:institutions|universities|cities|towns|"
    r"partners|parties|universitaten|universitaeten|hochschulen|stadte|partner|einrichtungen|villes|universites|etablissements|"
    r"communes|partenaires|regions)\b"
)
# a plural post after a plural determiner: "les présidents", "die Präsidenten", "the mayors", "ihre Rektoren"
_PLURAL_POST = re.compile(
    r"(?<!\w)(?:les|des|aux|the|their|both|die|den|ihre[n]?|beide[n]?|par les|by the)\s+"
    # fifth round: "die ehemaligen Landräte A und B", "the two mayors", "les anciens maires"
    r"(?:(?:ehemaligen|fruheren|beiden|jeweiligen|former|two|respective|anciens|deux)\s+)?(?P<head>"
    r"landrat(?:e|innen)|senator(?:en|innen)|senators|"
    r"(?:vice[- ])?presidents|presidentes|prasident(?:en|innen)|rektor(?:en|innen)|rectors|recteurs|rectrices|"
    r"(?:ober)?burgermeister(?:n|innen)?|maires|mayors|(?:vice[- ])?chancellors|ministers|ministres|"
    r"minister(?:innen|n)|governors|gouverneurs|directeurs|directors|direktor(?:en|innen)|deans|doyens)(?!\w)"
)
_PLURAL_AFTER = re.compile(
    r"(?<=\w),\s+(?:(?:les|the|die)\s+)?(?:(?:respective|jeweiligen)\s+)?"  # "A et B, les maires respectifs des"
    r"(?P<head>mayors|presidents|rectors|chancellors|vice[- ]chancellors|governors|ministers|maires|"
    # not "Bürgermeister": singular too
    r"recteurs|prasidenten|rektoren|landrate)(?:\s+respecti(?:fs|ves))?\s+(?:of|de|des|der|von)\s"
)
_WEEKDAY_FIRST = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|"
    r"samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
)
_TWINNING_COMMITTEE = re.compile(
    r"\b(?:comite|association|commission)s? (?:de|du|des) jumelages?\b|\btwinning (?:committee|association)|"
    r"\bsister cit(?:y|ies) (?:committee|association|commission)|partnerschafts(?:komitee|verein|ausschuss)|"
    r"\bfreundeskreis"
)
# German universities by their acronym, in capitals ("TH Aschaffenburg", "TU Dresden"; not "Tu Hongze")
_UNIVERSITY_ACRONYM = re.compile(r"(?<![\w-])(?:TU|TH|FH|PH|HAW|HTW|RWTH)(?=\s[A-ZÄÖÜ])")
# the small words an acronym skips ("CIPK": complexe industrialo-portuaire de Kribi)
_ACRONYM_SMALL = frozenset(
    {"de", "du", "des", "la", "le", "l", "d", "of", "the", "and", "et", "für", "der", "die", "und"}
)
_ON_THIS_OCCASION = re.compile(
    r"\s*(?:a cette occasion|on (?:this|that|the same) occasion|bei (?:dieser gelegenheit|diesem anlass)|"
    r"lors de (?:cette|sa|leur) visite|during (?:the|this|that) visit|(?:cette|this|that) (?:visite|visit)|"
    r"(?:dieser|dieses) (?:besuch|treffen))\b"
)
_MEMBERS = re.compile(
    r"\b(?:qui (?:regroupe|reunit|rassemble|federe)|(?:which|that) (?:groups|brings together|unites)|bestehend aus|"
    r"(?:der|die|das) sich aus)\s"
)
_VENUE_HEAD = re.compile(
    r"\b(?:Convention|Conference|Exhibition|Congress)\s+(?:Center|Centre|Hall)\b|\b(?:Hall|Hotel|Resort|Palace|Palais|"
    r"Auditorium|Stadium|Rathaus|Festsaal|Saal|Kongresszentrum)$"
)
_HYPHENED_NAME = re.compile(
    r"(?i:association|forum|soci[ée]t[ée]|comit[ée]|chambre|institut|gesellschaft|verein|club|cercle|maison|"
    r"fondation|foundation|stiftung|society)\s+(?:(?i:de|du|des)\s+|d['’])?"
    r"([A-ZÄÖÜÉ][\w’']+(?:[-–][A-ZÄÖÜÉ][\w’']+)+)"
)
_EACH_TITLE = r"(?:(?:M|Mme|Mr|Mrs|Ms|Herr|Frau|Dr|Prof)\.?\s+)?"
_EACH_NAME = r"[A-ZÄÖÜÉ][\w’'\-]+(?:\s+[A-ZÄÖÜÉ][\w’'\-]+){1,3}"
_PLURAL_EACH = re.compile(
    r"(?P<head>(?i:maires|mayors|pr[ée]sidents|recteurs|rectors|b[üu]rgermeister|pr[äa]sidenten))\s+"
    r"(?P<of1>de|of|von|d['’])\s*(?P<p1>[A-ZÄÖÜÉ][\w’'\-]+(?:\s+[A-ZÄÖÜÉ][\w’'\-]+){0,3}),\s+"
    + _EACH_TITLE
    + r"(?P<n1>"
    + _EACH_NAME
    + r"),?\s+(?:et|and|und)\s+(?P<of2>de|of|von|d['’])\s*(?P<p2>[A-ZÄÖÜÉ][\w’'\-]+(?:\s+[A-ZÄÖÜÉ][\w’'\-]+){0,3}),\s+"
    + _EACH_TITLE
    + r"(?P<n2>"
    + _EACH_NAME
    + r")"
)
_PLURAL_OPENING = re.compile(r"(?P<head>mayors|presidents|rectors|governors|maires|landrate)\s+")  # not "Bürgermeister"
_PLACE_WORDS = frozenset({"rathaus", "capitol", "townhall", "schloss", "palais", "palace", "castle", "saal", "hall"})
# words before a name that are not part of it: "Gabon-based", "Delegation der", "Zusammenarbeit der", "Besuch der"
_MODIFIER = re.compile(
    r"[\w\-]+-based|Delegation|Délégation|Delegierte\w*|Vertreter\w*|Representatives?|Officials?|Visitors?|Zusammenarbeit|"
    r"Kooperation|Partnerschaft|Besuch|Cooperation|Collaboration|Coopération|Partnership|Partenariat"
)
# a university named with a lower-case head ("l’université de Lille 3"): its name, not the city
_UNIVERSITY_OF = re.compile(
    r"(?<![\w-])(?P<head>universit[ée]|universität|university)\s+(?:de\s+(?:la\s+)?|d['’]\s*|du\s+|of\s+(?:the\s+)?|von\s+)?"
    r"(?P<name>" + _NAME_RUN + r")"
)
# a territory named after a lower-case head: "la région d'X", "la province vietnamienne de X", "the county of X"
_TERRITORY_OF = re.compile(
    r"(?<![\w-])(?P<head>r[ée]gion|province|pr[ée]fecture|d[ée]partement|commune|ville|municipalit[ée]|county|"
    r"district|city|town|prefecture)\s+(?:[a-zéèêàç]+(?:ne|se|e)\s+(?=de\s|d['’]|du\s))?"
    r"(?:de\s+(?:la\s+)?|d['’]\s*|du\s+|of\s+(?:the\s+)?)?(?P<name>" + _NAME_RUN + r")"
)
_SLASH_PAIR = re.compile(
    r"\s*([A-ZÄÖÜÉ][\w’'\-]+(?:\s[A-ZÄÖÜÉ][\w’'\-]+)?)\s?/\s?([A-ZÄÖÜÉ][\w’'\-]+(?:\s[A-ZÄÖÜÉ][\w’'\-]+)?)(?![\w/])"
)
_PAIR_NAME = r"[A-ZÄÖÜÉ][\w’'\-]+(?:\s(?:d[‘’']\s?|de\s|di\s|del\s|nel\s|am\s)?[A-ZÄÖÜÉ][\w’'\-]+){0,3}"
_BETWEEN_NAMES = re.compile(
    # the kind's complement may stand before: "der Vertrag über die Zusammenarbeit zwischen A und B"
    r"(?:\s+(?:über|on|of|de|sur|zur|zum)\s+(?:die\s+|the\s+|la\s+|l['’]\s*)?[\w-]+)?"
    r"\s+(?:zwischen|between|entre)\s+(?:dem\s+|der\s+|den\s+|the\s+|la\s+|le\s+|l['’]\s*)?(" + _PAIR_NAME + r")"
    r"\s+(?:und|and|et)\s+(?:dem\s+|der\s+|den\s+|the\s+|la\s+|le\s+|l['’]\s*)?(" + _PAIR_NAME + r")"
    r"(?=\s*(?:[,.;:(]|$)|\s+[a-zäöüéè])"
)
_NAME_TERRITORY = re.compile(
    r"(?<![\w-])the\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+(?P<head>district|county|province|prefecture)"
    r"(?![\w-])"
)
_TERRITORY_TYPE = {
    "province": "province",
    "commune": "city",
    "ville": "city",
    "municipalite": "city",
    "city": "city",
    "town": "city",
}
_QUOTE = re.compile(r"[„“\"«]([^„“\"«»”]{12,}?)[“”\"»]")


@dataclass
class _Person:
    name: str
    post: str
    post_party: str | None  # the place or organisation named in the post, as written
    start: int
    end: int
    head: str  # the post's head word, folded ("burgermeister", "mayor")
    surname: str
    respective: int | None = None  # one of two people named together ("the presidents A and B"): first or second
    named_in: str = ""  # the words between the plural post and the names ("of X and Y"): the parties' order


@dataclass
class _Candidate:
    kind: str
    sentence: Sentence
    kind_span: tuple[int, int]
    parties: list[Party]
    signing_sentences: list[Sentence] = field(default_factory=list)
    evidence: list[Sentence] = field(default_factory=list)
    since_year: str | None = None
    generic: bool = False  # named only as "Partnerschaft"/"agreement": the kind is a guess
    plural: int = 0  # "deux conventions": so many agreements, one per partner
    listed: bool = False  # an item of a list of agreements signed ("- un accord entre A et B")


def _ordinal_before(ex: _Extractor, cand: _Candidate) -> str | None:
    """ "first" or "new" before the kind ("leur premier accord", "the new agreement", "den ersten Vertrag")."""
    before = ex.folded[max(cand.sentence.start, cand.kind_span[0] - 40) : cand.kind_span[0]]
    m = re.search(
        r"\b(?:(premiers?|premieres?|first|erste\w*|ancien\w*|former|previous|earlier|fruhere\w*|bisherige\w*)|"
        # "la charte reconduisant les accords": a renewal is a new agreement
        # "les premiers accords de jumelage", not "den ersten Teil der Vereinbarung"
        r"(nouvel|nouveau|nouvelle|new|neue\w*|reconduisant|renouvelant|renewing|extending))\s+"
        r"(?:(?!teil|part|partie|phase)[\w-]+\s+){0,2}$",
        before,
    )
    if m is None:
        # "Cincinnati originally signed the sister city agreement with …"
        if re.search(r"\b(?:originally|ursprunglich\w*|initialement|a l.origine|erstmals)\b[^.]{0,30}$", before):
            return "earlier"
        return None
    return "earlier" if m.group(1) else "new"


def _surname(name: str) -> str:
    """The family name: the last word, but the first of a Chinese name romanised with a hyphenated given name
    ("Cheng Wen-chun", "Feng Szu-chung")."""
    words = name.split()
    if len(words) == 2 and re.fullmatch(r"[A-Z][a-z]+-[a-z]+", words[1]):
        return words[0]
    return words[-1]


def _surname_mentions(surname: str, text: str) -> Iterator[re.Match[str]]:
    """A surname alone in ``text``, not as a word of a name after an article ("University of the West")."""
    for m in re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", text):
        if re.search(r"\b(?:the|of|der|des|de|du|la|le)\s+$", text[max(0, m.start() - 8) : m.start()]):
            continue
        # "Gustavo Díaz Ordaz" (a town) beside "Nataly García Díaz": a word inside another name, not alone
        if re.search(r"[A-ZÄÖÜÉ][\w’'\-]+\s+$", text[max(0, m.start() - 30) : m.start()]) and re.match(
            r"\s+[A-ZÄÖÜÉ][\w’'\-]+", text[m.end() : m.end() + 30]
        ):
            continue
        yield m


def _joined_places(text: str, gaz: Gazetteer, found: list[Mention]) -> list[Mention]:
    """ "Gallicano nel Lazio", "Sotto il Monte": two towns the store knows, joined by an Italian, Spanish or
    Portuguese word, are one town it does not know (a new party, no region of the first)."""
    out: list[Mention] = []
    for m in sorted(found, key=lambda x: x.start):
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == m.kind == "party"
            and re.fullmatch(r" (?:nel|nella|sul|sulla|il|di|del|della|de|do|da) ", text[last.end : m.start])
            and all(gaz.party_type(i) == "city" for i in (*last.iris, *m.iris))
            and last.iris
            and m.iris
        ):
            out[-1] = Mention(last.start, m.end, text[last.start : m.end], (), "party", ("city",))
            continue
        out.append(m)
    return out


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0].islower() and any(c.isupper() for c in word[1:3])))


class _Extractor:
    def __init__(self, doc: Document, gaz: Gazetteer, lex: Lexicon, base: dt.date | None) -> None:
        self.doc, self.gaz, self.lex, self.base = doc, gaz, lex, base
        self.lang = doc.language
        self.folded = fold_text(doc.text)
        self.mentions: dict[int, list[Mention]] = {
            s.index: _joined_places(doc.text, gaz, gaz.find(s.text, offset=s.start)) for s in doc.sentences
        }
        self.people: list[_Person] = []
        self.candidate_sentences: set[int] = set()  # sentences that tell an agreement (set by candidates())
        self.trigger = lex.triggers[self.lang]
        self.future = lex.future[self.lang]
        self.aliases = self.find_acronyms()

    def find_acronyms(self) -> dict[str, str]:
        """ "William V.S. Tubman University (TU)": the acronym stands for the name before it, wherever it recurs."""
        out: dict[str, str] = {}
        text = self.doc.text
        for s in self.doc.sentences:
            for _a, b, chunk in self.org_chunks(s):
                m = re.match(r"\s*\(([A-Z][A-Za-z&\-]{1,9})\)", text[b : b + 14])
                name = chunk
                if m is None:
                    m = re.search(r"\s*\(([A-Z][A-Za-z&\-]{1,9})\)$", chunk)
                    name = chunk[: m.start()] if m else chunk
                if m is None or len(name.split()) < 2:
                    continue
                acronym = m.group(1)
                letters = "".join(w[0] for w in re.findall(r"[\w’'\-]+", name) if w[0].isupper())
                if acronym[0].upper() in letters and acronym not in out:
                    out[acronym] = name.strip()
        # "la CPU (Conférence des Présidents d'Université)": the name in brackets after the acronym
        for m in re.finditer(r"(?<![\w-])([A-Z][A-Z&\-]{1,8})\s+\(([A-ZÄÖÜÉ][^()]{4,90}?)\s*[()]", text):
            acronym, name = m.group(1), m.group(2).strip()
            letters = "".join(w[0] for w in re.findall(r"[\w’'\-]+", name) if w[0].isupper())
            if len(name.split()) >= 2 and acronym[0] in letters:
                out.setdefault(acronym, name)
        # "le complexe industrialo-portuaire de Kribi (CIPK)": words in lower case whose initials spell it
        for m in re.finditer(r"\(([A-Z]{3,8})\)", text):
            if m.group(1) in out:
                continue
            window = max(0, m.start() - 120)
            words = list(re.finditer(r"[^\W\d_]+", text[window : m.start()]))
            for i in range(len(words) - 1, -1, -1):
                used = [w.group(0) for w in words[i:] if w.group(0).lower() not in _ACRONYM_SMALL]
                initials = "".join(w[0] for w in used).upper()
                if not m.group(1).endswith(initials):
                    break
                if initials == m.group(1) and words[i].group(0).lower() not in _ACRONYM_SMALL:
                    name = text[window + words[i].start() : m.start()].strip()
                    if any(w[0].isupper() for w in used) and "," not in name:
                        out[m.group(1)] = name
                    break
        return out

    def names_party(self, text: str, party: Party) -> bool:
        """Whether ``text`` (as written) names ``party``: its label or an acronym the text defines for it."""
        if re.search(rf"(?<!\w){re.escape(fold_text(party.label))}(?!\w)", fold_text(text)):
            return True
        return any(
            name == party.label and re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w])", text)
            for acronym, name in self.aliases.items()
        ) or bool(party.label.isupper() and re.search(rf"(?<![\w-]){re.escape(party.label)}(?!\w)", text))

    def expand(self, label: str | None) -> str | None:
        return self.aliases.get(label.strip(), label) if label else label

    def named_by_head(self, word: str, at: int) -> str | None:
        """The organisation whose name ends in ``word``, written in lower case before a post at ``at`` ("foundation
        chairman A": "Chang Gung Medical Foundation"): the last named before, else the one named after; None when
        there is none, or several after."""
        if not word.islower() or not self.lex.org_heads.fullmatch(fold_text(word)) or len(word) < 4:
            return None
        head = word[:1].upper() + word[1:]
        found = [
            (m.start(), re.sub(r"^(?:The|Die|Der|La|Le|L['’])\s*", "", m.group(0)))
            for m in re.finditer(rf"(?:[A-ZÄÖÜÉ][\w’'\-]+\s+){{1,5}}{re.escape(head)}(?!\w)", self.doc.text)
        ]
        before = [name for x, name in found if x < at]
        after = {name for x, name in found if x >= at}
        return before[-1] if before else (next(iter(after)) if len(after) == 1 else None)

    def acronym_name(self, acronym: str) -> str:
        """The name the text gives an acronym by: its expansion, or the acronym and a name after it ("TH" of "TH
        Aschaffenburg"), else the acronym alone."""
        if acronym in self.aliases:
            return self.aliases[acronym]
        named = re.search(rf"(?<![\w-]){re.escape(acronym)}\s+([A-ZÄÖÜ][\w’'\-]+)", self.doc.text)
        return f"{acronym} {named.group(1)}" if named else acronym

    # -- words and phrases ------------------------------------------------------------------
    def tokens(self, s: Sentence) -> list[tuple[int, int, str]]:
        return [(s.start + m.start(), s.start + m.end(), m.group(0)) for m in _TOKEN.finditer(s.text)]

    def chunks(self, s: Sentence) -> list[tuple[int, int, str]]:
        """Capitalised phrases of a sentence (absolute offsets), connectors kept inside."""
        toks = self.tokens(s)
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(toks):
            if not _is_cap(toks[i][2]) or toks[i][2].lower() in STOPCAP:
                i += 1
                continue
            j = i
            while j + 1 < len(toks):
                nxt = toks[j + 1][2]
                gap = self.doc.text[toks[j][1] : toks[j + 1][0]]
                # "M. A. Smith", "University of St. Louis": initials and a saint's abbreviation stay in the name
                initials = gap.strip() == "." and re.fullmatch(r"[A-Z](?:\.[A-Z])*|St|Ste|Mt|Ft", toks[j][2])
                if (gap.strip() not in ("", "&") and not initials) or "\n" in gap:
                    break
                if _is_cap(nxt) and nxt.lower() not in STOPCAP:
                    j += 1
                elif (
                    nxt.lower() in _CONNECT
                    and (nxt.lower() not in ("et", "en", "au") or self.is_org(self.doc.text[toks[i][0] : toks[j][1]]))
                    and not (nxt.lower() == "et" and re.match(r"[lL]['’]", toks[j + 2][2] if j + 2 < len(toks) else ""))
                    and j + 2 < len(toks)
                    and _is_cap(toks[j + 2][2])
                    and self.doc.text[toks[j + 1][1] : toks[j + 2][0]].strip() in ("", "’", "'")
                ):
                    j += 2
                elif (
                    nxt.lower() in ("of", "de", "von")
                    and j + 3 < len(toks)
                    and toks[j + 2][2].lower() in ("the", "la", "l", "der", "dem")
                    and _is_cap(toks[j + 3][2])
                    and self.doc.text[toks[j + 1][1] : toks[j + 2][0]].strip() == ""
                    and self.doc.text[toks[j + 2][1] : toks[j + 3][0]].strip() in ("", "’", "'")
                    and self.is_org(self.doc.text[toks[i][0] : toks[j][1]])
                ):
                    j += 3  # "University of the West of England"
                elif self.joins_subject_name(toks, i, j):
                    j += 2  # "University of Science and Technology Meghalaya"
                else:
                    break
            a, b = toks[i][0], toks[j][1]
            out.append((a, b, self.doc.text[a:b]))
            i = j + 1
        return out

    def joins_subject_name(self, toks: list[tuple[int, int, str]], i: int, j: int) -> bool:
        """ "University of Science and Technology": "and" inside an organisation's name after "of"/"für", when
        the word before it is no place and what follows has no organisation head of its own ("… and Tubman
        University" is a second party)."""
        text = self.doc.text
        if not (
            j >= 1
            and j + 2 < len(toks)
            and toks[j + 1][2].lower() in ("and", "und")
            and toks[j - 1][2].lower() in ("of", "for", "für", "fur")
            and _is_cap(toks[j + 2][2])
            and text[toks[j][1] : toks[j + 2][0]].strip() == toks[j + 1][2]
            and self.is_org(text[toks[i][0] : toks[j][1]])
            and not self.gaz.names.get(normalise_label(toks[j][2]))
        ):
            return False
        k = j + 2
        while k + 1 < len(toks) and _is_cap(toks[k + 1][2]) and text[toks[k][1] : toks[k + 1][0]].strip() == "":
            k += 1
        return not self.is_org(text[toks[j + 2][0] : toks[k][1]])

    def org_chunks(self, s: Sentence) -> list[tuple[int, int, str]]:
        text = self.doc.text
        out = []
        for a, b, chunk in self.chunks(s):
            elided = re.match(r"[lLdD]['’]", chunk)
            if elided:
                a, chunk = a + 2, chunk[2:]
            if re.search(r"\w['’]s\b", chunk):
                continue  # "China's Inner Mongolia": describes another place
            words = chunk.split()
            while words and (
                words[0].lower() in STOPCAP
                or self.is_post_word(words[0])
                or re.fullmatch(TITLES, words[0])
                or re.fullmatch(_MODIFIER, words[0])
                or (words[0].lower() in _CONNECT and len(words) > 1)
            ):
                # "Gabon-based International University", "Delegation der … University": not the name
                a += len(words[0]) + 1
                words = words[1:]
            cut = next(
                (
                    i
                    for i, w in enumerate(words)
                    if i
                    and (
                        self.is_post_word(w)
                        or re.fullmatch(TITLES, w)
                        # "Liverpool John Moores University Vice Chancellor": a post of two words
                        or (i + 1 < len(words) and self.is_post_word(w + " " + words[i + 1]))
                    )
                ),
                None,
            )
            if cut is not None:
                words = words[:cut]
                while words and words[-1].lower() in _CONNECT:
                    words = words[:-1]
            # "Master Sustainable Textiles der Hochschule Hof", "Entwicklung der Hochschule Hof": what belongs to the
            # organisation after "der", when the words before name none ("Universität der Künste" is one name)
            owners = (i for i, w in enumerate(words) if i and w == "der" and not self.is_org(" ".join(words[:i])))
            owner = next(owners, None) if self.lang == "de" else None
            if owner is not None and self.is_org(" ".join(words[owner + 1 :])):
                a += len(" ".join(words[: owner + 1])) + 1
                words = words[owner + 1 :]
            chunk = " ".join(words)
            b = a + len(chunk)
            if not chunk or not self.is_org(chunk):
                continue
            if re.search(r"\b(?:City Hall|Town Hall|Rathaus|Hôtel de Ville|Campus)$", chunk):
                continue  # "Cincinnati City Hall": where it was signed
            # "Association des villes universitaires de France (AVUF)": through lower-case words to the acronym
            # (not across "et l’…", "and the …": a second name)
            more = re.match(r"((?:\s+[\w’'\-]+){1,8}?)\s*\(([A-Z][A-Za-z&\-]{1,9})\)", text[b : min(s.end, b + 90)])
            second = re.search(r"\b(?:et|and|und)\s+([A-ZÄÖÜÉ].*)$", more.group(1)) if more else None
            if second and self.is_org(second.group(1)):
                more = None  # "Manipal University and University of Wollongong (UOW)": the acronym is the second's
            if more and not re.search(
                r"[,;:]|\b(?:ont|a|est|sont|has|have|is|hat|haben|ist|sign\w*|unterz\w*)\b|"
                r"\b(?:et|and|und)\s+(?:l['’]|la\s|le\s|les\s|the\s|die\s|der\s)",
                more.group(1),
            ):
                b += len(more.group(1))
                chunk = text[a:b]
            if len(words) == 1 and self.lang == "fr":
                # "le Musée des civilisations noires": a French name goes on in lower case after its head
                rest = _FRENCH_NAME_REST.match(text, b, s.end)
                if rest:
                    b = rest.end()
                    chunk = text[a:b]
            if len(chunk.split()) < 2 and not re.match(r"\s*\(", text[b : b + 3]):
                continue
            out.append((a, b, chunk))
        return out

    def is_org(self, text: str) -> bool:
        return bool(self.lex.org_heads.search(fold_text(text)) or _UNIVERSITY_ACRONYM.search(text))

    def is_post_word(self, word: str) -> bool:
        return bool(self.lex.post.fullmatch(fold_text(word)))

    # -- people -----------------------------------------------------------------------------
    def name_at(self, start: int, limit: int, *, backwards: bool = False) -> tuple[int, int, str] | None:
        """A person's name (2-4 capitalised words, titles skipped) starting (or ending) at ``start``."""
        text = self.doc.text
        if backwards:
            window = text[max(0, start - 80) : start]
            window = window[window.rfind("\n") + 1 :]  # a name does not run over a line ("Jumelage … Prague\nM. A")
            m = re.search(
                r"((?:[A-ZÄÖÜÉÈÀÇ][\w’'\-]+|[A-Z]\.?)(?:\s+(?:von|van|de|der|du|la|le|bin|[A-Z]\.?|"
                r"[A-ZÄÖÜÉÈÀÇ][\w’'\-]+)){1,3})\s*(?:\([^()]{1,12}\)\s*)?$",  # "(5.v.l.)": where in the photo
                window,
            )
            if not m:
                return None
            a = start - len(window) + m.start(1)
            name = m.group(1)
            words = name.split()
            titled = [i for i, w in enumerate(words) if i and re.fullmatch(TITLES, w)]
            if titled and titled[-1] == len(words) - 2:
                # "Einladung von Professor Schareck": the name is what follows the title, a surname alone
                a += len(" ".join(words[: titled[-1] + 1])) + 1
                return (a, a + len(words[-1]), words[-1])
            while (
                words
                and (
                    self.is_post_word(words[0])
                    or words[0].lower() in STOPCAP
                    or self.is_org(words[0])
                    or re.fullmatch(TITLES, words[0])
                    # "im Hamburger Rathaus Algis Latakas": where, not who, before a name of two words
                    or (len(words) > 2 and words[0].lower() in _PLACE_WORDS)
                    or (
                        len(words) > 2
                        and words[0].endswith("er")
                        and self.gaz.names.get(normalise_label(words[0][:-2]))
                    )
                )
            ):
                a += len(words[0]) + 1
                words = words[1:]
            if len(words) < 2:
                return None
            name = " ".join(words)
            return (a, a + len(name), name)
        window = text[start:limit].split("\n", 1)[0]
        # a bare initial is a word of the name ("Prof Dr M Rafiqul Alam", "Ian G Campbell"); "M" is a title
        # ("Monsieur") in French only
        titles = TITLES if self.lang == "fr" else TITLES.replace("|M|MM|", "|MM|")
        m = re.match(
            rf"\s*(?:{titles}\s+)*((?:[A-ZÄÖÜÉÈÀÇ][\w’'\-]+|[A-Z]{{2,}}|[A-Z](?=\s+[A-Z]))(?:\s+(?:von|van|de|der|du|la|"
            rf"le|bin|[A-Z]\.|[A-Z](?=\s+[A-Z])|[A-ZÄÖÜÉÈÀÇ][\w’'\-]+|[A-Z]{{2,}})){{1,3}})",
            window,
        )
        if not m:
            return None
        name = m.group(1)
        words = name.split()
        cut: list[str] = []
        for w in words:
            if self.is_org(w) and not self.is_post_word(w) and cut:
                return None  # "Lakeside Technical College": the start of an organisation's name, not a person
            if (
                self.is_post_word(w)
                or self.is_org(w)
                or w.lower() in STOPCAP
                or w.rstrip(".").lower() in ("dr", "prof")
                or (cut and self.trigger.fullmatch(fold_text(w)))  # "A B Signed Historic …" (a headline's case)
            ):
                break
            cut.append(w)
        while cut and cut[-1].lower() in ("von", "van", "de", "der", "du", "la", "le", "bin"):
            cut.pop()
        if len(cut) < 2:
            return None
        name = " ".join(cut)
        if any(
            self.gaz.names.get(normalise_label(name), set())
            - {e for e in self.gaz.names.get(normalise_label(name), set()) if self.gaz.is_person(e)}
        ):
            return None  # a place or organisation the store knows
        a = start + m.start(1)
        return (a, a + len(name), name)

    def find_people(self) -> None:
        text = self.doc.text
        for s in self.doc.sentences:
            folded = self.folded[s.start : s.end]
            for m in self.lex.post.finditer(folded):
                ha, hb = s.start + m.start(), s.start + m.end()
                head = m.group(0)
                # modifiers before the head: "Hamburgs Erster", "TU", "Manila", "ministre bavarois"
                pre = re.search(r"((?:[\w’'\-.]+\s+){0,4})$", text[max(s.start, ha - 60) : ha])
                pre_text = pre.group(1) if pre else ""
                pre_words = pre_text.split()
                keep: list[str] = []
                for i, w in reversed(list(enumerate(pre_words))):
                    if _is_cap(w) and w.lower() not in STOPCAP and w not in ("Die", "Der", "The", "La", "Le"):
                        keep.insert(0, w)
                    elif keep and w.lower() in ("of", "de", "du", "der") and i and _is_cap(pre_words[i - 1]):
                        keep.insert(0, w)  # "University of Memphis President"
                    else:
                        break
                post_start = ha - len(" ".join(keep)) - (1 if keep else 0) if keep else ha
                # "TH-Präsidentin": an acronym joined to the post by a hyphen is its party
                joined = None if keep else re.search(r"(?<![\w-])([A-ZÄÖÜ]{2,6})-$", text[max(s.start, ha - 8) : ha])
                if joined:
                    post_start = ha - len(joined.group(0))
                rest_end = s.end
                # (A) POST [Dr.] NAME; "President MUN Dr Neil Bose", "Vice Chancellor (VC) Prof. Dr. Khalid Mahmood":
                # an acronym between the post and the name is the post's (its organisation, the post's short form)
                after = text[hb:rest_end]
                acronym = re.match(
                    rf"\s+(?:[A-Z]{{2,6}}(?=\s+(?:{TITLES}\s+)+[A-ZÄÖÜÉ])|\([A-Z]{{2,6}}\)(?=\s+(?:{TITLES}\s+)*[A-ZÄÖÜÉ]))",
                    after,
                )  # not "DCCI President MA Momen": initials
                at = hb + (acronym.end() if acronym else 0)
                name = (
                    self.name_at(at, min(rest_end, at + 80))
                    if re.match(rf"\s+(?:{TITLES}\s+)*[A-ZÄÖÜÉ]", text[at:rest_end])
                    else None
                )
                complement = acronym.group(0) if acronym and name is not None else ""
                if name is None:
                    # (A0) POST of PLACE NAME   ("met with Mayor of London Boris Johnson"): the place the store
                    # knows or an organisation, else one word
                    om = re.match(r"\s+(of|von|de|du)\s+((?:[A-ZÄÖÜÉ][\w’'\-]+\s+){1,4})(?=[A-ZÄÖÜÉ])", after)
                    words = om.group(2).split() if om else []
                    of_word = om.group(1) if om else ""
                    for k in range(min(3, len(words)), 0, -1):
                        place = " ".join(words[:k])
                        known_place = self.gaz.names.get(normalise_label(place)) or self.is_org(place)
                        if not known_place and k > 1:
                            continue
                        at = text.index(place, hb) + len(place) + 1
                        found = self.name_at(at, min(rest_end, at + 80))
                        if (
                            found is not None
                            and found[0] == at
                            and len(found[2].split()) >= 2
                            and not place.endswith(("’s", "'s"))  # "the mayor of Tokyo’s Minato Ward"
                            and not self.is_org(found[2])
                            and not self.gaz.names.get(normalise_label(found[2]))
                        ):
                            name, complement = found, f" {of_word} {place}"
                            break
                if name is None:
                    # (A') POST complement, NAME   ("la ministre des Relations internationales ..., Martine Biron")
                    # a full stop inside the complement is an abbreviation's ("… Forschung e.V., Professor Dr. A")
                    cm = re.match(r"((?:[^,;:.()]|\.(?!\s)){0,160}?),\s+", after)
                    if cm and not re.search(
                        r"\b(?:und|and|et)\s+[A-ZÄÖÜ]|\b(?:s['’]est|est|a|ont|ist|hat|haben|has|have|is|"
                        r"was|were|avec|with|mit|signed|signe|sign\w+|unterzeichne\w*)\b",
                        cm.group(1),
                    ):
                        name = self.name_at(hb + cm.end(), min(rest_end, hb + cm.end() + 80))
                        if (
                            name is not None
                            and name[0]
                            == hb + cm.end() + (len(text[hb + cm.end() :]) - len(text[hb + cm.end() :].lstrip()))
                        ) or name is not None:
                            complement = cm.group(1)
                if name is None:
                    # (A'') POST, ORGANISATION, NAME   ("The Vice Chancellor, University of the West of England,
                    # Professor Sir Steve West, expressed …")
                    om = re.match(r"\s*,\s+([A-ZÄÖÜÉ][^,;:.()]{1,80}?)(?:\s*\([A-Z]{2,8}\))?,\s+", after)
                    if om and (
                        om.group(1).isupper()
                        or self.is_org(om.group(1))
                        or self.gaz.names.get(normalise_label(om.group(1)))
                    ):
                        name = self.name_at(hb + om.end(), min(rest_end, hb + om.end() + 80))
                        if name is not None:
                            complement = ", " + om.group(1)
                if name is None:
                    # (B) NAME, POST complement   ("Martine Biron, Ministerin für ... Québec,")
                    before = text[s.start : post_start].rstrip()
                    article = re.search(r",\s*(?:le|la|the|der|die)$", before)
                    before = before[: article.start() + 1] if article else before  # "Angèle Bikme, le maire de X"
                    if before.endswith(","):
                        name = self.name_at(s.start + len(before) - 1, 0, backwards=True)
                        if name is not None:
                            cm = re.match(
                                r"([^,;:()]*?)(?=,|;|:|\)|\(|\s+(?:und|and|et|sowie)\s+[A-ZÄÖÜÉ]|\s+(?:avec|with|mit)\s|"
                                r"\s+(?:ont|a|hat|haben|has|have)\s+(?:\w+\s+)?(?:sign|unterz|paraph)|\s+(?:signed|signent|unterzeichne)|"
                                # "…de la Ville de Cracovie et représentant officiel du …": a second role
                                r"\s+(?:et|and|und)\s+(?!(?:de|du|des|la|le|les|of|the|für|der|die)\b|l['’]|d['’])[a-zà-ÿ]|$)",
                                after,
                            )
                            complement = cm.group(1) if cm else ""
                            org = re.match(
                                r",\s+([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,5})\s*,", after[len(complement) :]
                            )
                            if org and (
                                org.group(1).isupper()
                                or self.is_org(org.group(1))
                                or self.gaz.names.get(normalise_label(org.group(1)))
                            ):
                                complement += ", " + org.group(1)  # "G D Sharma, vice chancellor, USTM, signed"
                            if article and (
                                not re.match(r"\s+(?:of|de|du|des|d['’]|von|der|des)\b", complement)
                                or self.is_org(name[2])
                                or self.gaz.names.get(normalise_label(name[2]))
                            ):
                                name = None  # "lors du Forum Québec-Bavière, la ministre a signé": no one's name
                if name is None:
                    # (C) NAME (POST, organisation)   ("Prof. Luke E. Mumba (Vice Chancellor, University of Zambia)")
                    before = text[s.start : post_start].rstrip()
                    close = re.match(r"([^()]{0,100}?)\)", after)
                    if before.endswith("(") and close:
                        name = self.name_at(s.start + len(before) - 1, 0, backwards=True)
                        complement = close.group(1) if name is not None else ""
                if name is None or self.lex.post.search(fold_text(name[2])):
                    continue  # "Chief Executive Officer (CEO)": a post is nobody's name
                post = text[post_start:hb] + complement
                post = post.strip(" ,.;")
                post = re.sub(rf"\s+(?:{TITLES}\s*)+$", "", post).strip(" ,")
                party = self.expand(self.party_in_post(post, keep))
                if party is None and joined:
                    party = self.acronym_name(joined.group(1))
                if party is None and not keep and pre_words:
                    party = self.named_by_head(pre_words[-1], ha)  # "foundation chairman A": the Foundation
                trailing = re.match(
                    r"\s+(?:of|von|de|du|d['’])\s*((?:the\s+)?[A-ZÄÖÜÉ][\w’'\-]+(?:\s+[A-ZÄÖÜÉ][\w’'\-]+){0,3})",
                    text[name[1] : name[1] + 60],
                )
                if party is None and trailing and name[0] >= hb:
                    party = self.expand(trailing.group(1))  # "Mayor Jane Doe of Dresden"
                surname = _surname(name[2])
                known = next((p for p in self.people if p.surname == name[2].split()[0]), None)
                if known is not None and len(name[2].split()) == 2 and name[0] > known.end:
                    continue  # "Rektor Väänänen Gespräche": the known Rektor by surname, then a noun
                twin = next((p for p in self.people if p.name == name[2]), None)
                if twin is not None:
                    if len(post) > len(twin.post) and not (twin.post_party and not party):
                        twin.post, twin.head = post, head
                    twin.post_party = twin.post_party or party
                    continue
                self.people.append(_Person(name[2], post, party, name[0], name[1], head, surname))
        self.find_plural_signers()

    def find_plural_signers(self) -> None:
        """ "les présidents des deux universités, MM. A et B", "von den Präsidenten Prof. A und Prof. B", "the
        mayors, A and B": two people of one post, who sign for the parties in the order named ("respectively")."""
        text = self.doc.text
        for s in self.doc.sentences:
            for m in _PLURAL_POST.finditer(self.folded, s.start, s.end):
                ha, hb = m.start("head"), m.end("head")
                written = text[ha:hb]
                single = re.sub(r"(?:innen|en|n)$", "", written) if self.lang == "de" else re.sub(r"s$", "", written)
                if self.lang == "de" and re.search(r"meister$", written):
                    single = written
                if self.lang == "de" and written.endswith("räte"):
                    single = written[:-4] + "rat"  # "Landräte" → "Landrat"
                starts = [hb] + [hb + c.end() for c in re.finditer(r",\s*", text[hb : min(s.end, hb + 120)])]
                for at in starts:
                    lead = re.match(r"\s*(?:(?:MM|Messrs|Mmes|Mme|M)\.?\s+)?", text[at : s.end])
                    first = self.name_at(at + (lead.end() if lead else 0), min(s.end, at + 100))
                    if first is None:
                        pair = self.surnames_at(at, s.end) if at == hb else None
                        if pair is not None:
                            self.add_pair(pair, single, written, "")
                            break
                        continue
                    # "les recteurs Annick Castiaux (UNamur) et Vincent Blondel (UCLouvain)": each one's party in
                    # brackets after the name
                    joint = re.match(
                        r"(\s*\(([^()]{2,40})\))?\s*,?\s*(?:und|and|et)\s+(?:(?:Mme|M|Mr|Mrs|Ms|Frau|Herrn?)\.?\s+)?",
                        text[first[1] :],
                    )
                    second = self.name_at(first[1] + joint.end(), min(s.end, first[1] + 100)) if joint else None
                    if second is None:
                        break
                    self.add_pair((first, second), single, written, text[hb:at])
                    after = re.match(r"\s*\(([^()]{2,40})\)", text[second[1] :])
                    if joint and joint.group(2) and after:
                        for (_, _, name), party in ((first, joint.group(2)), (second, after.group(1))):
                            person = next(p for p in self.people if p.name == name)
                            person.post_party = person.post_party or self.expand(party.strip())
                    break
            # "Les Maires de Québec, M. Bruno Marchand et de Namur, M. Maxime Prévot": each with the place before
            for m in _PLURAL_EACH.finditer(text, s.start, s.end):
                single = (
                    re.sub(r"(?:s|en|n)$", "", m.group("head"))
                    if not m.group("head").endswith("meister")
                    else m.group("head")
                )
                for n, pl in (("n1", "p1"), ("n2", "p2")):
                    if any(p.name == m.group(n) for p in self.people):
                        continue
                    self.people.append(
                        _Person(
                            m.group(n),
                            f"{single} {m.group('of' + n[-1])} {m.group(pl)}",
                            m.group(pl),
                            m.start(n),
                            m.end(n),
                            fold_text(single).lower(),
                            _surname(m.group(n)),
                        )
                    )
            # "Mayors A and B Signed …": a plural post opening the sentence
            start = _PLURAL_OPENING.match(self.folded, s.start, s.end)
            if start is not None:
                first = self.name_at(start.end(), min(s.end, start.end() + 100))
                joint = re.match(r"\s*(?:und|and|et)\s+", text[first[1] :]) if first else None
                second = self.name_at(first[1] + joint.end(), min(s.end, first[1] + 100)) if first and joint else None
                if first is not None and second is not None:
                    written = text[s.start : start.end("head")]
                    self.add_pair((first, second), re.sub(r"s$", "", written), written, text[second[1] : s.end])
            # "Tony Martinez and Armando López, Mayors of Brownsville, Texas and Altamira, Tamaulipas, signed":
            # two names, then their post in the plural, then the parties in the same order
            for m in _PLURAL_AFTER.finditer(self.folded, s.start, s.end):
                ha, hb = m.start("head"), m.end("head")
                second = self.name_at(m.start(), 0, backwards=True)
                joint = re.search(r"\s+(?:und|and|et)\s+$", text[s.start : second[0]]) if second else None
                first = self.name_at(s.start + joint.start(), 0, backwards=True) if joint else None
                if second is None or first is None:
                    continue
                written = text[ha:hb]
                self.add_pair((first, second), re.sub(r"s$", "", written), written, text[hb : min(s.end, hb + 80)])

    def surnames_at(self, at: int, end: int) -> tuple[tuple[int, int, str], tuple[int, int, str]] | None:
        """ "die Bürgermeister Schäfer und Brioschi den Vertrag": two surnames alone after a plural post, each a
        word the text uses for no place, organisation or post, and a lower-case word after them."""
        m = re.match(
            r"\s+([A-ZÄÖÜ][a-zäöüßéèàç’'\-]+)\s+(?:und|and|et)\s+([A-ZÄÖÜ][a-zäöüßéèàç’'\-]+)(?=\s+[a-zäöü]|\s*[,.])",
            self.doc.text[at:end],
        )
        if m is None:
            return None
        words = (m.group(1), m.group(2))
        if any(
            w.lower() in STOPCAP
            or self.is_org(w)
            or self.is_post_word(w)
            or self.gaz.names.get(normalise_label(w))
            or any(p.surname == w for p in self.people)  # named in full before ("Landrat Hans-Joachim Weirather")
            for w in words
        ):
            return None
        return (at + m.start(1), at + m.end(1), words[0]), (at + m.start(2), at + m.end(2), words[1])

    def add_pair(
        self, pair: tuple[tuple[int, int, str], tuple[int, int, str]], single: str, written: str, between: str
    ) -> None:
        """Two people of one post in the plural, who sign for the parties in the order ``between`` names them."""
        for order, (a, b, name) in enumerate(pair):
            twin = next((p for p in self.people if p.name == name), None)
            if twin is None:
                twin = _Person(name, single, None, a, b, fold_text(single).lower(), _surname(name))
                self.people.append(twin)
            elif twin.post == written or not twin.post:
                twin.post = single
            if twin.post_party is None:
                twin.respective, twin.named_in = order, between

    def town_of_adjective(self, word: str) -> str | None:
        """The place a German adjective of place names ("Mannheimer" Mannheim, "Bremer" Bremen, "Tiroler"), as the
        store knows it; None for any other word."""
        if self.lang != "de" or not word.endswith("er") or len(word) < 5 or not _is_cap(word):
            return None
        for town in (word[:-2], word[:-2] + "en"):
            if self.gaz.names.get(normalise_label(town)):
                return town
        return None

    def party_in_post(self, post: str, modifiers: list[str]) -> str | None:
        # "président de l'université Paris 13": a French head in lower case before its name
        post = re.sub(r"(?<![\w-])universit[ée](?=\s+[A-Z0-9])", "Université", post)
        tail = re.search(r",\s+([A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){0,5})\s*$", post)
        if tail and (tail.group(1).isupper() or self.is_org(tail.group(1))):
            return tail.group(1)  # "vice chancellor, USTM"
        found = self.gaz.find(post)
        parties = [m for m in found if m.kind == "party"]
        org = re.search(
            r"(?<![\w\-])((?:[A-ZÄÖÜÉÈ][\w’']+(?:\s+|-)){0,3}(?:University|Universität|Université|College|Institute|Institut|Hochschule|"
            r"Association|Fédération|Conférence|Conseil|Council|Agence|Agency|Ministère|Ministry|Ministerium|Chamber|"
            r"Kammer|Consortium|Akademie|Academy|Foundation|Stiftung|Fondation|Zentrum|Centre|Center|Authority|"
            r"Autorité|Behörde)"
            r"(?:\s+(?:of|de|du|der|des|d['’]|la|le|l['’])?\s*[\w’'\-]+){0,8})",
            post,
        )
        if org and (not parties or any(org.start() <= m.start and m.end <= org.end() for m in parties)):
            words = org.group(1).split()
            cut = next(
                (
                    i
                    for i, w in enumerate(words)
                    if i and (self.is_post_word(w) or self.is_post_word(" ".join(words[i : i + 2])))
                ),  # "University of Malaya vice chancellor"
                len(words),
            )
            words = words[:cut]
            while words and words[-1].lower() in _CONNECT:
                words.pop()
            return " ".join(words)
        if parties:
            return parties[-1].text
        matches = list(
            re.finditer(
                r"(?:\bof|\bder|\bdes|\bde la|\bde l['’]|\bdu|\bde|\bd['’]|\bvon|\bfür)\s+(?:the\s+|la\s+|le\s+)?"
                r"((?:[A-ZÄÖÜÉÈ][\w’'\-]+|[a-z][A-Z][\w\-]+)(?:\s+(?:of|de|du|des|der|d['’]|la)?\s*[A-ZÄÖÜÉÈ][\w’'\-]+)*)",
                post,
            )
        )
        for m in reversed(matches):
            cap = m.group(1)
            at_end = not post[m.end() :].strip(" )(").replace("(", "").strip() or re.fullmatch(
                r"\s*\([A-Z]+\)\s*", post[m.end() :]
            )
            cap = re.sub(r"^(?:City|Ville|Stadt) (?:of |de |d['’])", "", cap)
            if not self.is_post_word(cap.split()[0]) and (
                at_end or self.is_org(cap) or self.gaz.names.get(normalise_label(cap))
            ):
                return cap
        joined = " ".join(modifiers)
        if len(modifiers) > 1 and self.is_org(joined) and not self.is_post_word(modifiers[0]):
            return joined
        for w in modifiers:
            town = self.town_of_adjective(w)
            if town is not None:
                return town  # "der Mannheimer Oberbürgermeister", "Der Bremer Senator"
            if not (
                w.isupper()
                or self.is_org(w)
                or self.gaz.names.get(normalise_label(w))
                or (w.endswith("s") and self.gaz.names.get(normalise_label(w[:-1])))
            ):
                continue  # "Executive Vice President": a word of the post, not a party
            if _is_cap(w) and not self.is_post_word(w) and w.lower() not in ("erster", "erste", "first", "premier"):
                if w.endswith("s") and w[:-1] in self.doc.text:
                    return w[:-1]
                if not w.endswith("s") or w in ("TU",):
                    return w
        cap = re.match(r"((?:[A-ZÄÖÜ][\w\-]+\s+){1,4})(?=" + self.lex.post.pattern + ")", post)
        if cap and not self.is_post_word(cap.group(1).split()[0]):
            return cap.group(1).strip()
        return None

    def people_in(self, s: Sentence) -> list[_Person]:
        """People named (full name, surname, or their post alone) in a sentence, in order."""
        found: list[tuple[int, _Person]] = []
        text = s.text
        for p in self.people:
            pos = -1
            if p.start >= s.start and p.end <= s.end:
                pos = p.start
            else:
                m = next(_surname_mentions(p.surname, text), None)
                if m:
                    pos = s.start + m.start()
            if pos >= 0 and not any(q is p for _, q in found):
                found.append((pos, p))
        if True:
            # "le premier maire", "la ministre", "the presidents of both universities"
            folded = fold_text(text)
            own = [p for p in self.people if s.start <= p.start < s.end]
            for m in self.lex.post.finditer(folded):
                if any(
                    p.head == m.group(0)
                    and re.fullmatch(
                        rf"[\s,]*(?:[^,]{{0,80}},\s*)?(?:{TITLES}\s+)*", self.doc.text[s.start + m.end() : p.start]
                    )
                    for p in own
                ):
                    continue  # "The Vice Chancellor, University …, Professor Sir Steve West": the post of who is named
                if re.search(r"(?:\b(?:le|la|the|der|die|l['’])\s+)$", folded[: m.start()]):
                    same = [p for p in self.people if p.head == m.group(0) or p.head.startswith(m.group(0))]
                    same = [p for p in same if not (s.start <= p.start < s.end)]
                    counts = {
                        p.name: len(re.findall(rf"(?<!\w){re.escape(p.surname)}(?!\w)", self.doc.text)) for p in same
                    }
                    ranked = sorted(counts, key=lambda n: -counts[n])
                    if ranked and (len(ranked) == 1 or counts[ranked[0]] > counts[ranked[1]]):
                        found.append((s.start + m.start(), next(p for p in same if p.name == ranked[0])))
            for m in re.finditer(
                r"\b(president|prasident|president|mayor|burgermeister|maire|rector|rektor)(?:s|en|es)?\s+"
                r"(?:of both|beider|des deux)",
                folded,
            ):
                for p in self.people:
                    if p.head.startswith(m.group(1)):
                        found.append((s.start + m.start(), p))
        found.sort(key=lambda t: t[0])
        out: list[_Person] = []
        for pos, p in found:
            # "en présence du recteur de l'Institut des sciences et techniques d'application, A": before the post
            post_at = self.doc.text.find(p.post, max(s.start, pos - len(p.post) - 40), pos) if p.post else -1
            reach = pos - post_at if post_at >= 0 else 0
            if NOT_SIGNING.search(fold_text(self.doc.text[max(s.start, pos - 60 - reach) : pos])):
                continue
            # "La cérémonie de signature a été marquée par la présence du recteur A, le recteur B, ainsi que …":
            # everyone after the cue is a witness when no signing verb follows it
            cues = list(NOT_SIGNING.finditer(self.folded, s.start, pos))
            cue = cues[-1] if cues else None
            if cue is not None and not self.lex.triggers[self.lang].search(self.folded, cue.end(), s.end):
                continue
            if p not in out:
                out.append(p)
        return out

    # -- agreements -------------------------------------------------------------------------
    def kinds_in(self, s: Sentence) -> list[tuple[int, int, str]]:
        folded = self.folded[s.start : s.end]
        out: list[tuple[int, int, str]] = []
        tallied = False
        for pattern, notation, plural in self.lex.kind_patterns:
            for m in pattern.finditer(folded):
                a, b = m.span()
                if any(a < e and x < b for x, e, _ in out):
                    continue
                before = folded[max(0, a - 25) : a]
                if re.search(
                    r"(?:bestehende\w*|existing|(?<!an)other|andere\w*|autres?|dieser art|this kind|ce type|several|"
                    r"mehrere|plusieurs)\s*$",
                    before,
                ):
                    continue
                tally = re.search(r"(?:^|\s)(\d{1,4})\s*$", before)
                if tally and 5 <= int(tally.group(1)) < 1900:
                    tallied = True
                    continue  # "103 accords de partenariat ont été signés": a tally, no agreement of its own
                label = notation
                number = re.search(r"(?:^|\s)(deux|trois|quatre|zwei|drei|vier|two|three|four)\s*$", before)
                if number:  # "deux conventions de coopération": one agreement per partner named after it
                    label = f"{notation}*{_NUMBERS[number.group(1)]}"
                elif plural or re.match(r"(?:memoranda|memorandums|mous\b|accords\s|conventions\s)", folded[a:b]):
                    label = f"{notation}*0"  # "has signed Memoranda of Understanding with A and B": one each
                out.append((s.start + a, s.start + b, label))
        # "Partnerschaft" between universities or clusters; "Abkommen", "Erklärung", "agreement" with its signing
        if not out and not tallied:
            for m in re.finditer(r"(?<!\w)(partnerschaft|partnership|partenariat)(?!\w|en|s)", folded):
                out.append((s.start + m.start(), s.start + m.end(), "partnership"))
            # "Solidaritätspartnerschaften mit Schowkwa und Nischyn": a German compound, in the plural one each
            for m in re.finditer(r"(?<!\w)[a-z]{4,}partnerschaft(en)?(?!\w)", folded):
                out.append((s.start + m.start(), s.start + m.end(), "partnership*0" if m.group(1) else "partnership"))
        if not out and not tallied:
            for m in re.finditer(
                r"(?<!\w)(abkommen|vereinbarung|vertrag|agreement|accord|convention|erklarung|declaration)(?!\w)",
                folded,
            ):
                generic = "joint-declaration" if m.group(1) in ("erklarung", "declaration") else "cooperation-agreement"
                out.append((s.start + m.start(), s.start + m.end(), f"{generic}?"))
        out.sort()
        return out

    def signs(self, s: Sentence) -> re.Match[str] | None:
        folded = self.folded[s.start : s.end]
        if self.future.search(folded):
            return None
        return self.trigger.search(folded)

    def after_signing(self, s: Sentence, sign: re.Match[str], at: int) -> str:
        """The folded words between the last signing word before ``at`` (absolute) and ``at``: "ont signé deux
        protocoles", "scellent un partenariat avec la signature de trois conventions"."""
        verbs = list(self.trigger.finditer(self.folded, s.start + sign.start(), at))
        return self.folded[verbs[-1].end() if verbs else s.start + sign.end() : at]

    def choose(self, m: Mention, before: str) -> str | None:
        """One of several entities sharing a name: by a word before it, then by who signs or holds posts for it."""
        iris = list(m.iris)
        cue = fold_text(before)
        if not re.search(
            r"(?:provinz|province|region|land|state|etat|kanton|canton|stadt|city|ville|municipality)\w*"
            r"\s+(?:of\s+|de\s+|du\s+)?$",
            cue,
        ):
            # the same name with a cue elsewhere in the text ("die kanadische Provinz Québec")
            near = re.search(
                r"(?:provinz|province|region|land|state|etat|kanton|canton|stadt|city|ville|municipality)\w*"
                r"\s+(?:of\s+|de\s+|du\s+)?" + re.escape(fold_text(m.text)) + r"(?!\w)",
                self.folded,
            )
            cue = near.group(0)[: -len(m.text)] if near else cue
        regional = {"region", "federal-state", "province"}
        if re.search(
            r"(?:provinz|province|region|land|state|etat|bundesland|kanton|canton)\w*\s+(?:of\s+|de\s+|du\s+)?$", cue
        ):
            iris = [i for i in iris if self.gaz.party_type(i) in regional] or iris
        elif re.search(r"(?:stadt|city|ville|municipality)\s+(?:of\s+|de\s+)?$", cue):
            iris = [i for i in iris if self.gaz.party_type(i) == "city"] or iris
        if len(iris) > 1:
            signed_for = set().union(*self.gaz.person_parties.values()) if self.gaz.person_parties else set()
            iris = [i for i in iris if i in signed_for] or iris
        if len(iris) > 1:
            iris = [i for i in iris if "/place/" not in i] or iris
        return iris[0] if len(iris) == 1 else None

    def plural_parties(self, s: Sentence) -> list[tuple[int, int, Party]]:
        """ "les universités X et Y", "die Universitäten X und Y", "the cities of X and Y": two parties, each
        named with the head in the singular (a university) or by its name alone (a place)."""
        out: list[tuple[int, int, Party]] = []
        for m in _PLURAL.finditer(self.doc.text, s.start, s.end):
            head = next(h for h in _PLURAL_HEADS if re.fullmatch(h, m.group("head"), re.I))
            pattern = _PLURAL_HEADS[head].get(self.lang)
            for key in ("x", "y"):
                a, b = m.span(key)
                name = m.group(key).rstrip(".")
                b = a + len(name)
                label = pattern.format(name) if pattern else name
                hits = self.gaz.names.get(normalise_label(label)) or set()
                if not hits and pattern:
                    # "Universität Kassel" and "University of Kassel" are one: compare by the university key
                    key_of = university_key(fold_text(label))
                    hits = {
                        iri
                        for folded, iris in self.gaz.names.items()
                        if key_of and "univ" in folded and university_key(folded) == key_of
                        for iri in iris
                    }
                if not hits and not pattern:
                    hits = self.gaz.names.get(normalise_label(name)) or set()
                iri = next(iter(hits)) if len(hits) == 1 else None
                kind = self.gaz.party_type(iri) if iri else ("university" if pattern else guess_type(name) or "city")
                if re.match(r"r[ée]g|prov", m.group("head"), re.I) and not iri:
                    kind = "region"
                out.append((a, b, Party(label, iri, kind, [], 0.85 if iri else 0.55, ev(s, (a, b)))))
        return out

    def universities_in_lower_case(self, s: Sentence) -> list[tuple[int, int, Party]]:
        """ "l'université d'Oran 1", "l'université Mohammed V de Rabat": the university, not the city in its name."""
        out: list[tuple[int, int, Party]] = []
        text = self.doc.text
        for m in _UNIVERSITY_OF.finditer(text, s.start, s.end):
            if not m.group("head")[0].islower():
                continue  # "Université de Lille": the capitalised name is found as an organisation's
            name = m.group("name").rstrip(".")
            a, b = m.start("head"), m.start("name") + len(name)
            label = text[a].upper() + text[a + 1 : b]
            iri = self.gaz.only(label)
            out.append((a, b, Party(label, iri, "university", [], 0.85 if iri else 0.55, ev(s, (a, b)))))
        return out

    def territories_in_lower_case(self, s: Sentence) -> list[tuple[int, int, Party]]:
        """ "la région d'Analanjirofo de Madagascar", "la province vietnamienne de Dong Thap", "la région
        Oriental": the territory after a lower-case head is a party by its name (not inside an organisation's
        name, "Conseil de la région X"; a country after "de" says where it is)."""
        found: list[tuple[int, int, str, str]] = []  # start, end, name, head
        text = self.doc.text
        for m in _TERRITORY_OF.finditer(text, s.start, s.end):
            if re.search(
                r"[A-ZÄÖÜÉ][\w’'\-]+\s+(?:de la|de|du|des|of the|of)\s+$",
                text[max(s.start, m.start() - 40) : m.start()],
            ):
                continue
            name = m.group("name").rstrip(".")
            tail = re.match(r"(.+?)\s+(?:de|du|des|d['’]|of)\s+(?:la\s+|l['’]|the\s+)?(\S.*)$", name)
            if tail and (
                is_country_name(tail.group(2))
                or any(
                    self.gaz.party_type(e) == "country" for e in self.gaz.names.get(normalise_label(tail.group(2)), ())
                )
            ):
                name = tail.group(1)
            found.append((m.start("name"), m.start("name") + len(name), name, m.group("head")))
        # "the Yongchuan district in China": an English name before its lower-case head
        for m in _NAME_TERRITORY.finditer(text, s.start, s.end) if self.lang == "en" else ():
            a, b, name = m.start("name"), m.end("name"), m.group("name")
            if any(a < e and x < b for x, e, _, _ in found) or self.is_org(name) or self.is_post_word(name.split()[0]):
                continue
            found.append((a, b, name, m.group("head")))
        out: list[tuple[int, int, Party]] = []
        for a, b, name, head in found:
            iri = self.gaz.only(name)
            kind = _TERRITORY_TYPE.get(fold_text(head), "region")
            out.append((a, b, Party(name, iri, kind, [], 0.8 if iri else 0.55, ev(s, (a, b)))))
        return out

    def person_spans(self, s: Sentence) -> list[tuple[int, int]]:
        """Where ``s`` names people: the people found, their surnames alone ("Cr Walker said"), and a name after a
        title ("(v.l.) Prof. Martin Paul, Prof. Barbara Albert"); no place there."""
        people_spans = [(p.start, p.end) for p in self.people] + [
            (s.start + m.start(), s.start + m.end())
            for p in self.people
            for m in [*_surname_mentions(p.surname, s.text), *re.finditer(rf"(?<!\w){re.escape(p.name)}(?!\w)", s.text)]
        ]  # the whole name again in a later sentence ("Peer Steinbrück" of the headline, then of the text)
        titled = [
            (s.start + m.start(1), s.start + m.end(1))
            for m in re.finditer(rf"(?<!\w)(?:{TITLES}\s+)+((?:[A-ZÄÖÜÉ][\w’'\-]+\s*){{1,3}})", s.text)
        ]
        return people_spans + titled

    def parties_in(self, s: Sentence, *, exclude: list[tuple[int, int]]) -> list[Party]:
        text = self.doc.text
        blocked = exclude + self.person_spans(s)
        dateline = (
            (
                re.match(r"([A-ZÄÖÜÉ][\w .,'’]{1,40}?)(?:\s*\([^)]{1,30}\))?\s*[-–—]\s+", s.text)
                # "Agadir : la région du Brakna signe …": one name and a colon
                or re.match(r"([A-ZÄÖÜÉ][\w’'\-]+)\s*:\s+(?=[a-zà-ÿ])", s.text)
            )
            if s.line_start
            else None
        )
        # "Punjab — Pakistan's second-largest province — and California": dashes around an apposition, no dateline
        if dateline and re.match(r"[^—–]{1,80}\s[—–]\s+(?:and|und|et)\s", s.text[dateline.end() :]):
            dateline = None
        if dateline:
            blocked = [*blocked, (s.start, s.start + dateline.end(1))]  # "Durban - ...": where it was written
        found: list[tuple[int, int, Party]] = []
        for a, b, party in (
            self.plural_parties(s) + self.universities_in_lower_case(s) + self.territories_in_lower_case(s)
        ):
            if not any(a < e and x < b for x, e in blocked):
                found.append((a, b, party))
                blocked = [*blocked, (a, b)]

        def add(a: int, b: int, party: Party) -> None:
            if any(a < e and x < b for x, e in blocked):
                return
            if any(a < e and x < b for x, e, _ in found):
                return
            before = text[max(s.start, a - 30) : a]
            if _LOCATIVE.search(before) and not _PARTY_BEFORE.search(before):
                return
            if _SITE_AFTER.match(text[b : b + 20]):
                return
            if re.search(r"\w['’]s\s+(?:[A-ZÄÖÜ][\w\-]*\s+){0,3}$", before) or re.search(r"['’]s\b", text[a:b]):
                return  # "China's Inner Mongolia", "Ukraine's": a place that describes another
            if text[max(s.start, a - 1) : a] == "(" and text[b : b + 1] == ")":
                return  # "Fès (Maroc)": the country in brackets
            found.append((a, b, party))

        for m in self.mentions[s.index]:
            if m.kind != "party":
                continue
            low = m.text.strip().lower()
            if " " not in low and low != m.text.strip() and re.search(rf"(?<!\w){re.escape(low)}(?!\w)", text):
                continue  # "Mission en Europe" … "une mission en Allemagne": a word this text writes in lower case
            if _function_word_at_start(text, s, m):
                continue  # "Auch die akademische Gemeinschaft …", "Man hat …": not the towns of Auch and Man
            iri = m.iris[0] if len(m.iris) == 1 else self.choose(m, text[max(s.start, m.start - 30) : m.start])
            add(
                m.start,
                m.end,
                Party(
                    m.text,
                    iri,
                    self.gaz.party_type(iri) if iri else _region_type(m),
                    list(m.iris) if len(m.iris) > 1 else [],
                    0.9 if iri else 0.5,
                    ev(s, (m.start, m.end)),
                ),
            )
        # "la CPU et la CORPUHA": an acronym the text defines for a name stands for that organisation
        for short, name in self.aliases.items():
            for written in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", s.text):
                a, b = s.start + written.start(), s.start + written.end()
                if text[max(s.start, a - 1) : a] == "(" or any(x <= a and b <= e for x, e, _ in found):
                    continue  # its definition, "Full Name (ACR)", or inside a name found already
                add(a, b, Party(name, None, guess_type(name, self), [], 0.55, ev(s, (a, b))))
        for a, b, chunk in self.org_chunks(s):
            if any(a < e and x < b for x, e in blocked):
                continue
            acronym = re.match(r"\s*\(([A-Z][\w&\-]{1,9})\)", text[b : b + 14])
            linked = self.gaz.names.get(normalise_label(acronym.group(1))) if acronym else None
            inside = [x for x in found if a <= x[0] and x[1] <= b + (acronym.end() if acronym else 0)]
            if any(x[0] <= a and x[1] >= b for x in inside):
                continue  # the store knows the whole name
            head = self.lex.org_heads.search(fold_text(chunk))
            head_at = a + head.start() if head else a
            territorial = head is not None and bool(re.fullmatch(_TERRITORIAL, head.group(0)))
            if inside and not linked:
                if territorial and any(x[0] > head_at for x in inside):
                    continue  # "Provinz Québec": the place after the head word is the party
                if re.fullmatch(r"(?:city|stadt|ville|municipality|commune)", head.group(0) if head else "") and all(
                    x[2].iri or x[2].candidates for x in inside
                ):
                    continue  # "Hulunbuir City": the known city itself
            # "le Port autonome de Marseille": "Le Port" (a town of Réunion) is the article and the head word
            inside += [
                x
                for x in found
                if x[0] < a < x[1] <= b and re.match(r"(?:l['’]\s?|le |la |les |the |die |der |das )", x[2].label, re.I)
            ]
            for x in inside:
                found.remove(x)
            iri = next(iter(linked)) if linked and len(linked) == 1 else None
            end = b + (acronym.end() if acronym else 0)
            label = re.sub(r"^(?:City|Ville|Stadt) (?:of |de |d['’])", "", chunk) if not iri else chunk
            kind = self.gaz.party_type(iri) if iri else ("city" if label != chunk else guess_type(chunk))
            if label != chunk:
                hits = self.gaz.names.get(normalise_label(label))
                if hits and len(hits) == 1:
                    iri = next(iter(hits))
            found.append((a, end, Party(label, iri, kind, [], 0.85 if iri else 0.6, ev(s, (a, end)))))
        if self.lang == "fr":
            # French names run on in lower case: "l’Association des communautés de France", "la Fédération
            # nationale des agences d’urbanisme": from the article and capitalised head to the next comma or "et la"
            for fm in _FR_ORG.finditer(text, s.start, s.end):
                a, b = fm.start(1), fm.end(1)
                name = fm.group(1).rstrip()
                b = a + len(name)
                # "le Centre hospitalier universitaire (CHU) Yalgado-Ouédraogo": its acronym, then its own name
                if len(name.split()) < 2 or len(name.split()) > 9:
                    continue
                tail = _ACRONYM_THEN_NAME.match(text, b, s.end)
                if tail is not None:
                    b = tail.end()
                    name = text[a:b]
                inside = [x for x in found if a <= x[0] and x[1] <= b]
                if any(x[0] <= a and x[1] >= b for x in found) or any(
                    x[0] < a < x[1] or x[0] < b < x[1] for x in found
                ):
                    continue
                for x in inside:
                    found.remove(x)
                iri = self.gaz.only(name)
                kind = self.gaz.party_type(iri) if iri else guess_type(name)
                add(a, b, Party(name, iri, kind, [], 0.85 if iri else 0.55, ev(s, (a, b))))
        # "Jumelage Etréchy / Dano", "Le jumelage-coopération Dano / Etréchy": a pair right after its kind
        # "Freundschaftsvertrag zwischen Casirate d‘ Adda und dem Markt Regenstauf": the two names right after the
        # kind and "zwischen", whether the store knows them or not
        for _, e in exclude:
            pair = _SLASH_PAIR.match(text, e, s.end) or _BETWEEN_NAMES.match(text, e, s.end)
            if pair is None or any(fold_text(pair.group(i)).lower() in STOPCAP for i in (1, 2)):
                continue
            for i in (1, 2):
                if self.is_org(pair.group(i)):
                    continue  # an organisation's name is read whole above ("zwischen der Presidency University und
                    # dem DHIK": the acronym beside it is the other party)
                iri = self.gaz.only(pair.group(i))
                span = (pair.start(i), pair.end(i))
                add(*span, Party(pair.group(i), iri, self.gaz.party_type(iri) if iri else None, [], 0.8, ev(s, span)))
        known = [(a, b) for a, b, _ in found]
        signing = self.signs(s)
        chunks = self.chunks(s)
        for a, b, chunk in chunks:
            words = chunk.split()
            while words and (
                words[0].lower() in STOPCAP or self.is_post_word(words[0]) or re.fullmatch(TITLES, words[0])
            ):
                a += len(words[0]) + 1
                words = words[1:]
            if not words:
                continue
            chunk = " ".join(words)
            b = a + len(chunk)
            if self.is_post_word(words[-1]) or fold_text(chunk) in STOPCAP:
                continue
            # "Québec-Hambourg": two names joined by a hyphen after a kind
            parts = chunk.split("-")
            known_parts = sum(1 for p in parts if self.gaz.names.get(normalise_label(p)))
            after_kind = any(0 <= a - e <= 2 for _, e in exclude)  # "un accord de coopération Lyon-Brême"
            whole = any(m.start <= a and b <= m.end for m in self.mentions[s.index] if m.kind == "party")
            if (
                len(parts) == 2
                and not whole  # "Marburg-Biedenkopf": one district the store knows
                and (known_parts == 2 or (known_parts == 1 and after_kind))
                and all(p[:1].isupper() for p in parts)
            ):
                pa = a
                for part in parts:
                    part_hits = self.gaz.find(part)
                    hit = part_hits[0] if part_hits else None
                    chosen = (hit.iris[0] if len(hit.iris) == 1 else self.choose(hit, "")) if hit else None
                    add(
                        pa,
                        pa + len(part),
                        Party(
                            part,
                            chosen,
                            self.gaz.party_type(chosen) if chosen else None,
                            [],
                            0.8,
                            ev(s, (pa, pa + len(part))),
                        ),
                    )
                    pa += len(part) + 1
                continue
            before = text[max(s.start, a - 30) : a]
            after = text[b : b + 12]
            org = self.is_org(chunk)
            prep = _PREP_BEFORE.search(before)
            coordinated = (
                (bool(prep) and (self.lang != "de" or org))
                or any(0 <= x - b <= 6 and re.fullmatch(r"\s+(?:und|and|et)\s+", text[b:x]) for x, _ in known)
                or any(0 <= a - e <= 6 and re.fullmatch(r"\s+(?:und|and|et)\s+", text[e:a]) for _, e in known)
            )
            subject = (
                a - s.start < 5
                and signing is not None
                and bool(re.match(r"\s+(?:und|and|et)\s+(?:the\s+|die\s+|la\s+|le\s+)?[A-ZÄÖÜ]", after))
            )
            if not subject and signing is not None:
                first = re.match(r"\s*(?:the\s+|die\s+|der\s+|la\s+|le\s+|l['’])?", s.text)
                lead = s.start + (first.end() if first else 0)
                m2 = re.match(r"(.{2,60}?)\s+(?:und|and|et)\s+(?:the\s+|die\s+|la\s+|le\s+)?", text[lead : s.end])
                if m2 and a == lead + m2.end() and _is_cap(text[lead : lead + 1]):
                    subject = True
            if org or coordinated or subject:
                if len(words) == 1 and (len(chunk) < 3 or self.lex.org_heads.fullmatch(fold_text(chunk))):
                    continue  # "die Universität in Xiamen": a head word alone is no name
                if len(words) > 7:
                    continue
                add(a, b, Party(chunk, None, guess_type(chunk, self), [], 0.6 if org else 0.45, ev(s, (a, b))))
        # "unterzeichneten Burgund, Mittelböhmen, Oppeln und Rheinland-Pfalz": in a signing sentence, a list of
        # three names or more, two of them parties, is a list of parties
        if signing is not None:
            free = [c for c in chunks if not any(x < c[1] and c[0] < e for x, e in blocked)]
            run: list[tuple[int, int, str]] = []
            for c in [*free, (s.end + 10, s.end + 10, "")]:
                joined = run and re.fullmatch(r"\s*,\s*|\s+(?:und|and|et)\s+", text[run[-1][1] : c[0]])
                if joined and c[2]:
                    run.append(c)
                    continue
                known_in_run = [c2 for c2 in run if any(f[0] <= c2[0] and c2[1] <= f[1] for f in found)]
                if (
                    len(run) >= 3
                    and len(known_in_run) >= 2
                    and re.search(r"\s(?:und|and|et)\s", text[run[-2][1] : run[-1][0]])
                ):
                    for item in run:
                        ia, ib, name = item
                        if item not in known_in_run and len(name.split()) <= 3 and fold_text(name) not in STOPCAP:
                            add(ia, ib, Party(name, None, guess_type(name, self), [], 0.45, ev(s, (ia, ib))))
                run = [c] if c[2] else []
        # "l'association France-Pologne", "Forum Québec-Bavière": two names joined by a hyphen after an organisation
        # word name that organisation, not two parties; "L'ensemble portuaire Haropa qui regroupe les ports du
        # Havre, Rouen et Paris, a signé": its members, up to the verb, are no parties
        named_by = [(m.start(1), m.end()) for m in _HYPHENED_NAME.finditer(text, s.start, s.end)]
        # "during a simple ceremony at the Cebu International Convention Center": where, not who
        named_by += [
            (a, b)
            for a, b, p in found
            if p.iri is None and _VENUE_HEAD.search(p.label) and _LOCATIVE.search(text[max(s.start, a - 30) : a])
        ]
        members = _MEMBERS.search(self.folded, s.start, s.end)
        if members:
            end = s.start + signing.start() if signing and s.start + signing.start() > members.end() else s.end
            named_by.append((members.end(), end))
        found = [t for t in found if not any(x <= t[0] and t[1] <= y for x, y in named_by)]
        found.sort(key=lambda t: t[0])
        found = self.drop_appositions(found)
        for _, _, party in found:
            if party.iri is None and party.label in self.aliases:
                party.label = self.aliases[party.label]
        return dedupe([p for _, _, p in found])

    def territorial_rank(self, party: Party) -> int:
        """1 a city, 2 a region, province or state, 3 a country; 0 anything else (the largest the store records)."""
        types = {PARTY_CLASSES.get(t, t) for t in self.gaz.types.get(party.iri or "", ())} | {party.type or ""}
        if party.iri is None and is_country_name(party.label):
            types.add("country")
        return max((_RANK.get(t, 0) for t in types), default=0)

    def drop_appositions(self, found: list[tuple[int, int, Party]]) -> list[tuple[int, int, Party]]:
        """ "The City of Pittsburgh, Pennsylvania, USA and Saitama City, Saitama Prefecture, Japan": a larger
        territory right after a place, joined by a comma only, says where that place is; it is not a party."""
        out: list[tuple[int, int, Party]] = []
        prev: tuple[int, int, int] | None = None  # (start, end, rank) of the last place, kept or dropped
        last_org: int | None = None  # end of the last organisation
        text = self.doc.text
        for a, b, party in found:
            rank = self.territorial_rank(party)
            if prev is not None and rank > prev[2] >= 1 and _APPOSITION_GAP.fullmatch(text[prev[1] : a]):
                prev = (a, b, rank)
                continue
            if (
                (rank == 3 or (rank == 2 and prev is not None and prev[2] == 1))
                and out
                and re.fullmatch(r"\s+(?:de|du|d['’]|of)\s+(?:la\s+|l['’]|the\s+)?", text[out[-1][1] : a])
            ):
                continue  # "la région d'Analanjirofo de Madagascar", "Sunnyvale of California": where the party is
            if (
                rank
                and last_org is not None
                and re.fullmatch(r"\s*,\s*(?:the\s+)?", text[last_org:a], flags=re.I)
                and (rank == 3 or re.match(r"\s*(?:\(|,)", text[b : b + 3]))
            ):
                # "the University of the West of England, Bristol (UWE)": where the organisation is
                prev = (a, b, rank)
                continue
            prev = (a, b, rank) if rank else None
            last_org = b if not rank and (party.type in _ORG_TYPES or self.is_org(party.label)) else None
            out.append((a, b, party))
        return out

    def between_pair(
        self, s: Sentence, parties: list[Party], kind_span: tuple[int, int], sign: re.Match[str] | None
    ) -> list[Party]:
        """ "une convention-cadre a été signée entre la CORPUCA et la CPU", "signed between X and Y": the two
        names after "between" right after the kind or the signing verb are the parties; the organisations the
        long sentence names before (an assembly, its umbrella body, a country) are not."""
        anchor = max(kind_span[1], s.start + sign.end() if sign else 0)
        m = _BETWEEN.search(self.folded, anchor, min(s.end, anchor + 60))
        if m is None or len(parties) <= 2:
            return parties
        stop = _BETWEEN_STOP.search(self.folded, m.end(), s.end)
        end = stop.start() if stop else s.end
        inside = []
        segment = self.doc.text[m.end() : end]
        flat = re.sub(r"\([^()]*\)", " ", re.sub(r"\([^()]*\([^()]*\)[^()]*\)", " ", segment))
        for p in parties:
            if not (p.evidence and p.evidence.span and m.end() <= p.evidence.span[0] < end):
                # "entre la CRM et …" where CRM stands for a name found earlier in the sentence
                if any(
                    name == p.label and re.search(rf"(?<![\w-]){re.escape(a)}(?!\w)", flat)
                    for a, name in self.aliases.items()
                ):
                    inside.append(p)
                continue
            gap = self.doc.text[m.end() : p.evidence.span[0]]
            depth = gap.count("(") - gap.count(")")
            # "la CPU (Conférence des Présidents d'Université (de la France))": the name in brackets stands for the
            # acronym before it; a country in brackets, or anything in brackets within brackets, describes it
            if depth >= 2 or (depth == 1 and self.territorial_rank(p) == 3):
                continue
            inside.append(p)
        return inside if len(inside) == 2 else parties

    def candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        last: _Candidate | None = None
        for s in self.doc.sentences:
            kinds = self.kinds_in(s)
            sign = self.signs(s)
            folded = self.folded[s.start : s.end]
            since = re.search(
                rf"\b(?:since|seit|depuis)\s+(?:(?:le\s+)?(?:\d{{1,2}}\.?\s+)?({MONTH_PATTERN})\s+)?"
                r"((?:19|20)\d\d)\b",
                folded,
            )
            # "Signature de 4 accords pour la recherche scientifique" … "- un accord cadre entre l'IRD et la Cité des
            # Sciences de Tunis,": an item of a list after a signing names one of the agreements signed
            # the signing sentences a list item may follow, the nearest first
            leads = (
                [t for t in reversed(self.doc.sentences[max(0, s.index - 10) : s.index]) if self.signs(t)]
                if kinds and not sign and _BULLET.match(s.text) is not None
                else []
            )
            listed = bool(leads)
            if since and kinds and not sign:
                # "active in exchanges since 2019, and the MOU would be the latest": another clause's year
                x, y = sorted((s.start + since.start(), kinds[0][0]))
                if re.search(r"[;]|,\s*(?:and|und|et|but|aber|mais)\s", self.folded[x:y]):
                    since = None
            if kinds and (sign or since or listed):
                a, b, kind = kinds[0]
                if sign and len(kinds) > 1:  # the kind right after the verb is what was signed
                    after = [k for k in kinds if k[0] >= s.start + sign.start()]
                    a, b, kind = after[0] if after else kinds[0]
                spans = [(x, y) for x, y, _ in kinds]
                parties = self.between_pair(s, self.parties_in(s, exclude=spans), (a, b), sign)
                parties = _drop_countries(parties)
                if listed and not (sign or since) and len(parties) < 2:
                    continue  # an item without its two parties: a highlight of the text, not one of its agreements
                witness = NOT_SIGNING.search(folded, sign.end()) if sign else None
                if witness is not None:
                    # "The MoU was signed in the presence of a delegation comprising …, Nigeria, …, India": who
                    # comes after the cue watched the signing
                    parties = [
                        p
                        for p in parties
                        if p.evidence is None
                        or p.evidence.span is None
                        or p.evidence.span[0] < s.start + witness.start()
                    ]
                plural = 0
                kind_plural_unknown = False
                if "*" in kind:
                    kind, n = kind.split("*")
                    plural = int(n)
                    kind_plural_unknown = plural == 0
                guessed = kind.endswith("?")
                kind = kind.rstrip("?")
                cand = _Candidate(kind, s, (a, b), parties, evidence=[s], plural=plural, generic=guessed, listed=listed)
                if listed:  # dated by the signing the list follows
                    cand.signing_sentences = leads
                if not sign and since:
                    month = MONTH_NUMBER.get((since.group(1) or "").rstrip("."))
                    cand.since_year = f"{since.group(2)}-{month:02d}" if month else since.group(2)
                if kind == "partnership":
                    cand.generic = True
                    types = {p.type for p in parties}
                    if parties and types <= {"university"}:
                        cand.kind = "university-partnership"
                    elif parties and types <= {"cluster"}:
                        cand.kind = "cluster-partnership"
                    elif (
                        (
                            len(parties) == 2 or (kind_plural_unknown and len(parties) > 2)
                        )  # "…partnerschaften mit A und B"
                        and types <= {"city", "region"}
                        and self.lang == "de"
                        and sign
                    ):
                        cand.kind = "city-twinning"  # "erneuerten die Partnerschaft zwischen dem Landkreis X und Y"
                    elif len(parties) < 2 and re.search(r"(?:universit|hochschul)", (_BOTH.search(folded) or [""])[0]):
                        cand.kind = "university-partnership"  # "beide Universitäten … ihre Partnerschaft"
                    else:
                        continue
                if kind_plural_unknown:
                    plural = len(parties) - 1 if len(parties) > 2 else 0  # two parties: one agreement
                elif (
                    plural
                    and len(parties) == 2
                    and sign
                    and re.fullmatch(r"\s*(?:\w+\s+){0,3}", self.after_signing(s, sign, a))
                    and all(
                        p.evidence is not None
                        and p.evidence.span is not None
                        and p.evidence.span[0] < s.start + sign.start()
                        for p in parties
                    )
                ):
                    # "X et Y ont signé deux protocoles d'accord": both between the two (repairs.counted_agreements)
                    plural = 0
                if plural:
                    if len(parties) != plural + 1:
                        # "Le document, paraphé par A et B, repose sur trois accords …": it signs the last one
                        if sign and last is not None and self.people_in(s) and s.index - last.sentence.index <= 6:
                            last.signing_sentences.append(s)
                        continue
                    posts = [p.post_party for p in self.people_in(s) if p.post_party]
                    common = next((q for q in parties for x in posts if same_party(x, q, self.gaz)), parties[0])
                    for other in (q for q in parties if q is not common):
                        twin = _Candidate(cand.kind, s, (a, b), [common, other], evidence=[s], plural=plural)
                        out.append(twin)
                        last = twin
                    continue
                out.append(cand)
                last = cand
            elif sign and last is not None and self.people_in(s) and s.index - last.sentence.index <= 6:
                last.signing_sentences.append(s)
        self.candidate_sentences = {c.sentence.index for c in out}
        return out


def head_surface(text: str, a: int, b: int) -> str:
    return text[a:b]


def _enumeration(text: str, lang: str) -> list[tuple[int, str]]:
    """Items after a field cue: (offset in text, item as written)."""
    folded = fold_text(text)
    out: list[tuple[int, str]] = []
    for cue in re.finditer(rf"(?<!\w)(?:{_ENUM_CUES[lang]})", folded):  # not "ties in" inside "Cities International"
        start = cue.end()
        stop = _ENUM_STOP.search(folded, start)
        end = stop.start() if stop else len(text)
        segment = text[start:end]
        pos = start
        for piece in _ITEM_SPLIT.split(segment):
            at = text.find(piece, pos) if piece else pos
            pos = max(pos, at + len(piece))
            item = piece.strip(" „“\"«»”'’").strip()
            item = re.sub(r"^(?:and|und|et|or|ou|sowie)\s+", "", item, flags=re.I)
            item = ARTICLE.sub("", item).strip(" „“\"«»”'’")
            item = re.sub(r"^(?:l|d)['’]\s*", "", item, flags=re.I)
            if not item or item.lower() in ("interest", "other fields", "fields", "areas", "domaines"):
                continue
            if len(item.split()) > 4:
                # "les schémas locaux de l'Enseignement supérieur": the named domain after the last "de"/"of"
                tail = re.match(r".*\s(?:de|du|des|of|der)\s+(?:la\s+|the\s+|l['’]\s*)?([^\s].*)$", item)
                if tail is None or len(tail.group(1).split()) > 3:
                    break
                item = tail.group(1)
            if not re.search(r"[^\W\d]", item):
                break
            found_at = text.find(item, at)
            hit = (found_at if found_at >= 0 else at, item)
            if hit not in out:  # two cues before one list ("coopération dans différents domaines comme")
                out.append(hit)
    return out


# "cultural, social, educational, economic and sports activities", "wirtschaftliche und kulturelle Zusammenarbeit",
# "les échanges culturels, économiques et scientifiques": the kinds of a cooperation named by adjectives
_ADJ = r"[^\W\d_]+(?:al|ic|ical|ive|ique|iques|el|elle|els|elles|isch|ische|ischen|lich|liche|lichen)"
_COOP_NOUN = (
    r"(?:activities|cooperation|co-operation|collaboration|exchanges?|relations|ties|partnership|"
    r"zusammenarbeit|kooperation|austausch|beziehungen|cooperation|collaboration|echanges|relations|liens)"
)
_ADJECTIVE_LIST = re.compile(
    rf"(?<!\w)((?:{_ADJ}\s*,\s*)+{_ADJ}\s+(?:and|und|et|as well as|sowie)\s+[^\W\d_]+)\s+{_COOP_NOUN}(?!\w)"
    rf"|(?<!\w){_COOP_NOUN}\s+((?:{_ADJ}\s*,\s*)+{_ADJ}\s+(?:et|and)\s+{_ADJ})(?!\w)"
)


# "promoting academic, cultural, sports and other co-curricular activities", "culturels, sportifs et autres
# échanges": a list of single words closed by "and other …" before a word for cooperation
_OTHER_LIST = re.compile(
    rf"(?<!\w)((?:[^\W\d_]+\s*,\s*)+[^\W\d_]+),?\s+(?:and other|et autres|et d.autres|und andere\w*)\s+"
    rf"(?:[\w\-]+\s+)?{_COOP_NOUN}(?!\w)"
)


def _adjective_list(text: str) -> list[tuple[int, str]]:
    """Items of a list of three or more adjectives before or after a word for cooperation."""
    folded = fold_text(text)
    out: list[tuple[int, str]] = []
    for m in [*_ADJECTIVE_LIST.finditer(folded), *_OTHER_LIST.finditer(folded)]:
        group = 1 if m.group(1) else 2
        start = m.start(group)
        pos = start
        for piece in _ITEM_SPLIT.split(text[start : m.end(group)]):
            item = piece.strip()
            if not item:
                continue
            at = text.find(item, pos)
            pos = at + len(item)
            out.append((at, item))
    return out


def extract(
    doc: Document,
    *,
    gazetteer: Gazetteer | None = None,
    document_date: str | None = None,
    learned: bool = True,
) -> Draft:
    """Propose agreements from ``doc``; every fact with its evidence and a confidence.

    ``learned=False``: the rules' proposals alone, without the fitted choice of parties and the calibrated
    confidence of :mod:`.learned` (whose training reads them).
    """
    lex = lexicon()
    gaz = gazetteer or Gazetteer()
    basis = "given" if document_date else "unknown"
    if not document_date:
        found = _document_date(doc)
        if found:
            document_date = found[0]
            basis = "text"
    base = dt.date.fromisoformat(document_date) if document_date and len(document_date) == 10 else None
    ex = _Extractor(doc, gaz, lex, base)
    ex.find_people()
    draft = Draft(doc.text, doc.language, document_date, basis, doc.title)
    if basis == "unknown":
        draft.notice("no_document_date")

    from .fallbacks import (
        borrow_parties,
        drop_countries_in_passing,
        fold_into_others,
        list_fields,
        more_signers,
        prune_parties,
        signers_name_parties,
    )

    merged: list[tuple[_Candidate, Agreement]] = []
    existing: list[_Candidate] = []  # "have had a contract since 2017": its paragraph speaks of the new one
    cands = ex.candidates()
    # no signing sentence names two parties: one that names the kind may borrow them from another that does
    borrow = not any(len(c.parties) >= 2 for c in cands)
    for cand in cands:
        s = cand.sentence
        parties = list(cand.parties)
        people = ex.people_in(s)
        for extra in cand.signing_sentences:
            people += [p for p in ex.people_in(extra) if p not in people]
        if len(parties) < 2:
            # the posts of its signatories, then the sentence before (same paragraph), then the headline
            for p in people:
                if p.post_party:
                    hits = [
                        m for m in gaz.find(p.post_party) if normalise_label(m.text) == normalise_label(p.post_party)
                    ]
                    iri = hits[0].iris[0] if hits and len(hits[0].iris) == 1 else None
                    parties.append(
                        Party(
                            p.post_party,
                            iri,
                            hits[0].types[0] if hits and hits[0].types else guess_type(p.post_party),
                            [],
                            0.7 if iri else 0.5,
                            ev(s, (p.start, p.end)),
                        )
                    )
                else:
                    for iri in sorted(gaz.person_parties.get(_person_iri(gaz, p.name) or "", set())):
                        parties.append(Party(gaz.label(iri, doc.language), iri, gaz.party_type(iri), [], 0.6, ev(s)))
            parties = dedupe(parties)
        if len(parties) < 2 and s.index > 0:
            prev = doc.sentences[s.index - 1]
            if prev.paragraph == s.paragraph or (s.line_start and prev.whole_line):
                more = ex.parties_in(prev, exclude=[])
                for p in ex.people_in(prev):
                    if p.post_party and p not in people:
                        hits = [
                            m
                            for m in gaz.find(p.post_party)
                            if normalise_label(m.text) == normalise_label(p.post_party)
                        ]
                        iri = hits[0].iris[0] if hits and len(hits[0].iris) == 1 else None
                        more.append(Party(p.post_party, iri, guess_type(p.post_party), [], 0.5, ev(prev)))
                for p in ex.people_in(s) + ex.people_in(prev):
                    for iri in sorted(gaz.person_parties.get(_person_iri(gaz, p.name) or "", set())):
                        more.append(Party(gaz.label(iri, doc.language), iri, gaz.party_type(iri), [], 0.6, ev(s)))
                joined = drop_countries_in_passing(dedupe(parties + more))
                if len(joined) <= 3:  # not a list of places ("8 sister cities, which includes …")
                    parties = joined
                    if len(parties) >= 2:
                        cand.evidence.append(prev)
        both = _BOTH.search(ex.folded[s.start : s.end]) if len(parties) < 2 else None
        if both is not None:
            # "the two institutions", "beide Universitäten": the nearest sentence before that names two parties;
            # "les deux communes" are no countries ("l'association France-Pologne" in the sentence before)
            towns = re.search(r"(?:cities|towns|stadte|villes|communes)$", both.group(0))
            for back in range(1, 8):
                if s.index - back < 0:
                    break
                earlier = ex.parties_in(doc.sentences[s.index - back], exclude=[])
                if towns and any(p.type == "country" for p in earlier):
                    continue
                if len(dedupe(parties + earlier)) == 2:
                    parties = dedupe(parties + earlier)
                    cand.evidence.append(doc.sentences[s.index - back])
                    break
        if len(parties) < 2:
            for head in doc.sentences[:3]:
                if (head.whole_line and head.index != s.index and ex.signs(head) is not None) or (
                    head.whole_line and head.text.strip() == doc.title
                ):
                    parties = dedupe(parties + ex.parties_in(head, exclude=[]))
                    if len(parties) >= 2:
                        break
        if len(parties) == 1 and cand.kind == "city-twinning":
            # "Bei einem Festakt in X besiegelten …": a twinning is sealed in one of its towns
            venue = [
                Party(m.text, m.iris[0] if len(m.iris) == 1 else None, "city", [], 0.5, ev(s, (m.start, m.end)))
                for m in ex.mentions[s.index]
                if m.kind == "party"
                and _LOCATIVE.search(doc.text[max(s.start, m.start - 30) : m.start])
                and not same_party(m.text, parties[0], gaz)
            ]
            if len(venue) == 1:
                parties = [*parties, venue[0]]
        if len(parties) < 2 and cand.kind == "city-twinning":
            # "Bei einem Festakt in X besiegelten die Bürgermeister A und B die Städtepartnerschaft", the towns
            # named as a pair earlier ("die Repräsentanten von Y und X"): that pair, when it has the venue
            venue_names = [
                m.text
                for m in ex.mentions[s.index]
                if m.kind == "party" and _LOCATIVE.search(doc.text[max(s.start, m.start - 30) : m.start])
            ]
            for earlier_s in reversed(doc.sentences[: s.index]):
                pair = ex.parties_in(earlier_s, exclude=[])
                if (
                    len(pair) == 2
                    and all(p.type in (None, "city") for p in pair)
                    and (
                        any(same_party(v, q, gaz) for v in venue_names for q in pair)
                        or any(same_party(p.label, q, gaz) for p in parties for q in pair)
                    )
                ):
                    parties = dedupe(parties + pair)
                    cand.evidence.append(earlier_s)
                    break
        if len(parties) < 2 and borrow:
            parties = borrow_parties(ex, cand, parties)
            if len(parties) >= 2:
                borrow = False
        if len(parties) < 2 and _retold(ex, cand, parties, merged, document_date, people):
            continue
        if len(parties) < 2:
            # the first such kind with its date: the fitted choice of parties (learned.apply) may propose it
            first = not any(code == "too_few_parties" for code, _ in draft.notices)
            dated = _date_of(ex, cand, document_date) if first else None
            draft.notice("too_few_parties", kind=cand.kind, start=s.start, end=s.end, date=dated)
            continue
        kind = cand.kind
        # one agreement per kind and parties: a second mention adds evidence
        date, precision, date_basis, date_ev = _date_of(ex, cand, document_date)
        # "Wolfsburg hat Solidaritätspartnerschaften mit Schowkwa und Nischyn unterzeichnet. … haben der
        # Oberbürgermeister sowie die Bürgermeister von Schowkwa und Nischyn … unterzeichnet": the partners again
        twins = [(o, a) for o, a in merged if o.plural and a.kind == cand.kind and len(a.parties) == 2]
        if (
            not cand.plural
            and len(parties) == 2
            and len(twins) >= 2
            and {party_key(p) for p in parties} == {party_key(a.parties[1]) for _, a in twins}
        ):
            for _, a in twins:
                if a.date_basis == "none" and date_basis in ("stated", "relative"):
                    _dated(a, (date, precision, date_basis, date_ev))
                a.evidence.append(ev(s, cand.kind_span))
                _add_signatories(ex, a, people, s)
            continue
        same = None
        for other, agreement in merged:
            keys_a = {party_key(p) for p in agreement.parties}
            keys_b = {party_key(p) for p in parties}
            shared = sum(1 for p in parties if any(same_party(p.label, q, gaz) for q in agreement.parties))
            if cand.plural or other.plural:
                shared, keys_a = 0, keys_a | {"-plural-"}
            if cand.listed and other.listed and keys_a != keys_b:
                continue  # two items of a list of agreements signed
            generic = cand.generic or getattr(other, "generic", False)
            if (agreement.kind == kind or generic) and (
                keys_a <= keys_b
                or keys_b <= keys_a
                or len(keys_a & keys_b) >= 2
                or (shared and _date_of(ex, cand, None)[2] == "none")
                or (shared and cand.sentence.index - other.sentence.index <= 3)
                or shared >= 2
                # "La convention CPU-CORPUCA a été signée entre M. A, Président de la CORPUCA, et M. B, … de la CPU":
                # the sentence names every party of the earlier agreement of its kind (in posts, by acronyms)
                or (
                    agreement.kind == kind
                    and not (cand.plural or other.plural)
                    and s.index != other.sentence.index
                    and all(ex.names_party(s.text, q) for q in agreement.parties)
                )
            ):
                same = (other, agreement)
                break
        if same is None and merged and not cand.plural:
            # "La cérémonie de signature de cette convention …", "this agreement": the agreement told before
            before_kind = ex.folded[max(s.start, cand.kind_span[0] - 12) : cand.kind_span[0]]
            if re.search(r"\b(?:cette|cet|ce|this|diese[rsmn]?)\s+$", before_kind):
                same = next(((o, a) for o, a in reversed(merged) if a.kind == kind and not o.plural), None)
        held = None
        if same is not None:
            held = same[1].date if same[1].date_basis in ("stated", "relative") else same[1].date_not_after
        if same is not None and date_basis in ("stated", "relative") and held and held[:4] != (date or "")[:4]:
            same = None  # "unterzeichneten 2017 ein Abkommen": not the agreement of the headline or of 2023
        ordinals = {_ordinal_before(ex, cand), _ordinal_before(ex, same[0])} if same is not None else set()
        if "earlier" in ordinals and len(ordinals) == 2:
            same = None  # "leur premier accord de coopération" … "un nouvel accord": two agreements
        if same is not None:
            other, agreement = same
            if other.generic and not cand.generic:  # the specific kind wins over "partnership"
                agreement.kind, agreement.kind_label = kind, lex.kind_label(kind, doc.language)
                other.generic = False
            agreement.evidence.append(ev(s, cand.kind_span))
            borrowed = [p for p in agreement.parties if not any(party_key(p) == party_key(q) for q in other.parties)]
            if len(other.parties) < 2 <= len(cand.parties) and borrowed and all(p.type == "country" for p in borrowed):
                # countries borrowed from sentences around ("entre la France et le Maroc") give way to a sentence
                # that names its own two parties ("officialise un partenariat avec l'université X")
                agreement.parties = dedupe(list(parties))
                agreement.kind, agreement.kind_label = kind, lex.kind_label(kind, doc.language)
            if len(agreement.parties) < 2:
                agreement.parties = dedupe(
                    agreement.parties
                    + [p for p in parties if not any(same_party(p.label, q, gaz) for q in agreement.parties)]
                )
            if agreement.date_basis == "none" and date_basis in ("stated", "relative"):
                _dated(agreement, (date, precision, date_basis, date_ev))
            other.signing_sentences += [cand.sentence, *cand.signing_sentences]
            _add_signatories(ex, agreement, people, s)
            if cand.since_year:
                existing.append(cand)
            else:
                _add_fields(ex, agreement, cand)
            continue
        agreement = Agreement(
            kind,
            lex.kind_label(kind, doc.language),
            parties,
            date,
            precision,
            date_basis,
            evidence=[ev(s, cand.kind_span)],
            date_evidence=date_ev,
            date_not_after=None if date else document_date,
        )
        _add_signatories(ex, agreement, people, s)
        _add_passive_signer(ex, agreement, s)
        _add_pronoun_signer(ex, agreement, s)
        if cand.since_year:
            existing.append(cand)
        else:
            _add_fields(ex, agreement, cand)
        agreement.confidence = round(
            0.5
            + (0.2 if ex.signs(s) else 0)
            + (0.2 if sum(1 for p in parties if p.iri) >= 2 else 0.1)
            + (0.1 if date_basis == "stated" else 0),
            2,
        )
        merged.append((cand, agreement))
    for cand in existing:
        current = [a for c, a in merged if not c.since_year]
        target = current[0] if current else next((a for c, a in merged if c is cand), None)
        if target is not None:
            _add_fields(ex, target, cand)
    merged = _merge_same_parties(ex, merged)
    merged += _listed_pairs(ex, merged, document_date)
    from .filters import (
        clean_parties,
        counterparts,
        drop_country_twins,
        drop_non_fields,
        one_signing_each,
        place_of_party,
        post_party,
        post_references,
        resolve_signers,
    )
    from .repairs import (
        ceremony_agreements,
        counted_agreements,
        drop_announced,
        drop_false_parties,
        parallel_fields,
        signer_parties,
        signers_by_shape,
        split_plural,
        twinning_of_organisations,
    )

    for _, a in merged:
        clean_parties(ex, a)
        place_of_party(ex, a)
        prune_parties(ex, a)
        drop_false_parties(ex, a)
        signers_name_parties(ex, a)
    kept = drop_country_twins(fold_into_others(ex, [a for _, a in merged]))
    merged = [(c, a) for c, a in merged if any(a is k for k in kept)]
    merged = [(c, b) for c, a in merged for b in split_plural(ex, a, [x for _, x in merged])]
    more_signers(ex, [a for _, a in merged])
    for _, a in merged:
        post_references(ex, a)
        counterparts(ex, a)
        resolve_signers(a)
        post_party(ex, a)
    kept = drop_announced(ex, [a for _, a in merged])
    merged = [(c, a) for c, a in merged if any(a is k for k in kept)]
    _date_told_later(ex, merged, document_date)
    signers_by_shape(ex, [a for _, a in merged])
    signer_parties(ex, [a for _, a in merged])
    for _, a in merged:  # once the signers the fallbacks found have their parties
        sign_for_the_last_party(a)
    one_signing_each([a for _, a in merged])
    for _, a in merged:
        # "Martin Nadeau, président du comité de jumelage": the committee's, present at the signing, not signing
        a.signatories = [x for x in a.signatories if not _TWINNING_COMMITTEE.search(fold_text(x.post or ""))]
    twinning_of_organisations(ex, [a for _, a in merged])
    draft.agreements = [a for _, a in merged]
    if len(merged) == 1 and merged[0][0].generic:
        # "Jumelage …" over "la signature de l'accord": the headline names the kind the text calls "accord"
        heads = [h for h in doc.sentences[:2] if h.whole_line or h.text.strip() == doc.title][:1]
        named = {k.split("*")[0] for h in heads for _, _, k in ex.kinds_in(h) if not k.endswith("?")} - {"partnership"}
        if len(named) == 1:
            only = merged[0][1]
            only.kind = named.pop()
            only.kind_label = lex.kind_label(only.kind, doc.language)
    for a in draft.agreements:
        for party in a.parties:
            if party.iri:
                party.store_label = gaz.label(party.iri, doc.language)
    if draft.agreements:
        _add_subtitle_fields(ex, draft.agreements[0])
        _add_named_fields(ex, draft.agreements)
        list_fields(ex, draft.agreements)
        parallel_fields(ex, draft.agreements)
        drop_non_fields(ex, draft.agreements)
        _add_projects(ex, draft)
        # after the fields: a second agreement of one ceremony takes none of the first one's lists
        draft.agreements = counted_agreements(ex, ceremony_agreements(ex, draft.agreements))
    elif all(code == "no_document_date" for code, _ in draft.notices):
        draft.notice("no_agreement")
    from .repairs import countries_do_not_twin

    draft.agreements = countries_do_not_twin(draft.agreements, final=False)
    draft.quotes = _quotes(ex)
    draft.names = _names_found(ex, draft)
    draft.people = [
        Signatory(p.name, p.post, p.post_party, None, 0.5, ev(doc.sentence_at(p.start), (p.start, p.end)))
        for p in ex.people
    ]
    if learned:
        from .learned import apply, calibrate

        apply(draft, doc)
        signer_parties(ex, draft.agreements)  # signers still without a party, on the parties chosen
        calibrate(draft)
    if doc.language == "de":
        from .repairs import nominative_labels

        nominative_labels(draft)
    return draft


def _function_word_at_start(text: str, s: Sentence, m: Mention) -> bool:
    """A sentence's first word that is a function word ("Auch", "Man", "So"), read as a town the store knows."""
    word = fold_text(m.text.strip())
    at_start = not re.sub(r"[\W_]", "", text[s.start : m.start])
    return at_start and " " not in word and (word == "man" or (word in STOPCAP and not is_country_name(m.text)))


def _names_found(ex: _Extractor, draft: Draft) -> list[Party]:
    """Every party the text names, once, in reading order: the proposals' parties first, then each
    sentence's parties, then the places and organisations the store knows that no sentence made a party
    ("in China", a dateline's town). The reviewer's list to pick from, not proposals."""
    out: list[Party] = []
    seen: set[str] = set()

    def add(party: Party) -> None:
        key = party_key(party)
        if never_a_party(party):
            return  # "Chinese", "bayerische", "Free": an adjective, not a name; "MoU": a kind
        if key and key not in seen and not any(same_party(party.label, q, ex.gaz) for q in out if not party.iri):
            seen.add(key)
            out.append(party)

    for a in draft.agreements:
        for party in a.parties:
            add(party)
    spans: dict[int, list[tuple[int, int]]] = {}
    for s in ex.doc.sentences:
        for party in ex.parties_in(s, exclude=[]):
            add(party)
            if party.evidence and party.evidence.span:
                spans.setdefault(s.index, []).append(party.evidence.span)
    for s in ex.doc.sentences:
        people = ex.person_spans(s)  # "Mayor Peter Walker", "Cr Walker said": not the town of Walker
        # "le Port autonome de Marseille": not the town of Le Port, half in a longer name
        named = spans.get(s.index, [])
        for m in ex.mentions[s.index]:
            if any(a < m.end and m.start < b for a, b in people):
                continue
            if any(m.start < a < m.end < b for a, b in named):
                continue
            if m.kind == "party" and not _function_word_at_start(ex.doc.text, s, m):
                iri = m.iris[0] if len(m.iris) == 1 else None
                several = list(m.iris) if len(m.iris) > 1 else []
                add(Party(m.text, iri, ex.gaz.party_type(iri) if iri else _region_type(m), several, 0.3))
    for party in out:
        if party.iri and not party.store_label:
            party.store_label = ex.gaz.label(party.iri, ex.doc.language)
    return out


# between the two of a pair: "A and B", "A vs. B" (an address of the first may stand between: "A of California")
_PAIR_JOIN = re.compile(
    r"(?:,?\s*(?:of\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,2})?\s+(?:and|und|et|vs\.?|versus)\s+"
)
# between two pairs: "; ", ", ", "; and " (the second's address before it: "B, Kazakhstan; ")
_PAIR_SEPARATOR = re.compile(
    r"(?:,?\s*(?:of\s+)?[A-Z][\w.’'\-]*(?:[\s,]+[A-Z][\w.’'\-]*){0,3})?\s*[;,]\s*(?:and\s+|und\s+|et\s+)?"
)


def _listed_pairs(
    ex: _Extractor, merged: list[tuple[_Candidate, Agreement]], document_date: str | None
) -> list[tuple[_Candidate, Agreement]]:
    """ "The MoUs were signed between A and B, US; C and D, Kazakhstan; and E and F, Malaysia", "They are: A of
    California vs. B of Anhui, C of California vs. D of Henan": a list of pairs, each one agreement of the kind
    the sentence or the two before it name, signed in this sentence or the one before. Pairs the rules told
    already are left as they are."""
    doc, gaz = ex.doc, ex.gaz
    out: list[tuple[_Candidate, Agreement]] = []
    told = [{party_key(p) for p in a.parties} for _, a in merged]
    for s in doc.sentences:
        if ex.signs(s) is None and not (s.index and ex.signs(doc.sentences[s.index - 1])):
            continue
        spans = sorted(
            (p.evidence.span, p) for p in ex.parties_in(s, exclude=[]) if p.evidence is not None and p.evidence.span
        )
        if len(spans) < 4:
            continue  # two pairs at least
        pairs: list[tuple[Party, Party]] = []
        last_end = -1  # where the last pair (with its address) ends
        i = 0
        while i + 1 < len(spans):
            (a_span, a), (b_span, b) = spans[i], spans[i + 1]
            if not _PAIR_JOIN.fullmatch(doc.text[a_span[1] : b_span[0]]):
                if pairs:
                    break
                i += 1
                continue
            if pairs and not _PAIR_SEPARATOR.fullmatch(doc.text[last_end : a_span[0]]):
                break
            pairs.append((a, b))
            last_end = b_span[1]
            i += 2
            # an address after the pair's second ("B, Kazakhstan;"): no party of the next pair
            while i < len(spans) and re.fullmatch(r",\s*", doc.text[last_end : spans[i][0][0]]):
                last_end = spans[i][0][1]
                i += 1
        if len(pairs) < 2:
            continue
        near = [x for x in doc.sentences[max(0, s.index - 2) : s.index + 1] if x.paragraph >= s.paragraph - 1]
        kinds = [re.sub(r"[*?].*$", "", k) for x in reversed(near) for _, _, k in ex.kinds_in(x)]
        if not kinds:
            continue
        # the date of the list, or of the sentence before that counts or names the agreements
        dated = [_date_of(ex, _Candidate(kinds[0], x, (x.start, x.start), []), document_date) for x in reversed(near)]
        date, precision, basis, date_ev = next((d for d in dated if d[2] != "none"), dated[0])
        for a, b in pairs:
            if same_party(a.label, b, gaz):
                continue
            keys = {party_key(a), party_key(b)}
            if keys in told:
                for _, agreement in merged:  # told by its signers, undated: the list's date
                    if {party_key(p) for p in agreement.parties} == keys and agreement.date_basis == "none":
                        _dated(agreement, (date, precision, basis, date_ev))
                continue
            cand = _Candidate(kinds[0], s, (s.start, s.start), [a, b], evidence=[s])
            agreement = Agreement(
                kinds[0],
                ex.lex.kind_label(kinds[0], doc.language),
                [a, b],
                date,
                precision,
                basis,
                evidence=[ev(s)],
                date_evidence=date_ev,
                date_not_after=None if date else document_date,
                confidence=0.6,
            )
            _add_fields(ex, agreement, cand)
            out.append((cand, agreement))
            told.append({party_key(a), party_key(b)})
    return out


def _respective_order(named_in: str, parties: list[Party]) -> list[Party] | None:
    """Two parties in the order the words by a plural post name them ("Mayors of X, Texas and Y, Tamaulipas":
    a name right after another and a comma is its address), else the two parties as they are."""
    named = fold_text(named_in)
    spots = []
    for q in parties:
        last = fold_text(q.label).split()[-1] if q.label.strip() else ""
        at = named.find(last) if last else -1
        if at >= 0:
            spots.append((at, at + len(last), q))
    spots.sort(key=lambda t: t[0])
    kept = [t for i, t in enumerate(spots) if not (i and re.fullmatch(r",\s*", named[spots[i - 1][1] : t[0]]))]
    if len(kept) == 2:
        return [q for _, _, q in kept]
    return parties if len(parties) == 2 else None


_CEREMONY_HELD = re.compile(
    r"\b(?:ceremony|signing|ceremonie|signature|unterzeichnung|festakt|zeremonie)\b[^.]{0,80}?"
    r"\b(?:took place|was held|were held|happened|s.est (?:deroulee|tenue)|a eu lieu|fand\b[^.]{0,80}\bstatt)"
)


def _dated(agreement: Agreement, dated: tuple[str | None, str | None, str, Evidence | None]) -> None:
    """Give ``agreement`` a date found for it (value, precision, basis, evidence): no longer only bounded."""
    agreement.date, agreement.date_precision, agreement.date_basis, agreement.date_evidence = dated
    if agreement.date:
        agreement.date_not_after = None


def _date_told_later(ex: _Extractor, merged: list[tuple[_Candidate, Agreement]], document_date: str | None) -> None:
    """ "… have signed a sisterhood agreement" (no date), then "The agreement, signed on Aug. 14, 2024, marked …",
    "Heute (03.10.2023) unterzeichnete Landesrat Amon …": the one agreement of the text, undated where it is told,
    takes the date of the first other sentence that signs and states one (not a date since which a relation
    exists, nor one of an agreement the text tells apart)."""
    if len(merged) != 1 or merged[0][1].date_basis != "none":
        return
    cand, agreement = merged[0]
    told = {ex.doc.sentence_at(e.start).index for e in agreement.evidence}
    for s in ex.doc.sentences:
        if s.index in told or ex.signs(s) is None or _ONCE_EARLIER.search(ex.folded[s.start : s.end]):
            continue
        date, precision, basis, date_ev = _date_of(ex, _Candidate(cand.kind, s, (s.start, s.start), []), None)
        if basis == "none" or date_ev is None or date_ev.start != s.start:
            continue
        if document_date and date and date > document_date:
            continue
        _dated(agreement, (date, precision, basis, date_ev))
        return


# a signing the text tells as an earlier or another one: "the original partnership signed in 1979", "erstmals 1996
# unterzeichnet", "Die 1965 … geschlossene Partnerschaft", "signed another MoU"
_ONCE_EARLIER = re.compile(
    r"\b(?:first|original\w*|initially|another|anniversary|erstmals|ursprunglich\w*|damals|jubilaum\w*|"
    r"initialement|pour la premiere fois|anniversaire|already|bereits|deja|"
    r"(?:geschlossene|unterzeichnete|besiegelte)[nrs]?\s+(?:partnerschaft|vertrag|abkommen|freundschaft))\b"
)


def _retold(
    ex: _Extractor,
    cand: _Candidate,
    parties: list[Party],
    merged: list[tuple[_Candidate, Agreement]],
    document_date: str | None,
    people: list[_Person],
) -> bool:
    """ "Freundschaftsvertrag unterzeichnet" (the headline, its parties found) and then "am 20. Februar 2019
    unterzeichneten die Bürgermeister A und B den Freundschaftsvertrag zwischen den Gemeinden": a signing that
    names no other party, of the kind of the one agreement told so far with no date, tells that agreement's date
    and signers. Only with a date stated or implied, and only when no other agreement of the kind was told."""
    s = cand.sentence
    if cand.plural or cand.since_year or ex.signs(s) is None:
        return False
    same_kind = [(o, a) for o, a in merged if a.kind == cand.kind]
    if len(same_kind) != 1 or len(merged) != 1 or same_kind[0][1].date_basis != "none":
        return False
    other, agreement = same_kind[0]
    if not all(any(same_party(p.label, q, ex.gaz) for q in agreement.parties) for p in parties):
        return False
    date, precision, basis, date_ev = _date_of(ex, cand, document_date)
    if basis not in ("stated", "relative"):
        return False
    _dated(agreement, (date, precision, basis, date_ev))
    agreement.evidence.append(ev(s, cand.kind_span))
    other.signing_sentences += [s, *cand.signing_sentences]
    _add_signatories(ex, agreement, people, s)
    _add_fields(ex, agreement, cand)
    return True


def _merge_same_parties(
    ex: _Extractor, merged: list[tuple[_Candidate, Agreement]]
) -> list[tuple[_Candidate, Agreement]]:
    """Two mentions of the same parties whose dates do not differ are one agreement told twice ("have entered
    into a cooperation agreement" ... "signed a memorandum of agreement"): the specific kind wins over a
    generic "agreement", the first named otherwise; the stated date wins over none."""
    out: list[tuple[_Candidate, Agreement]] = []
    for cand, agreement in merged:
        into = None
        for other, kept in out:
            if cand.plural or other.plural or len(kept.parties) != len(agreement.parties):
                continue
            if not all(
                any(same_party(p.label, q, ex.gaz) and _compatible(p, q) for q in kept.parties)
                for p in agreement.parties
            ):
                continue
            dated = [a for a in (kept, agreement) if a.date_basis in ("stated", "relative")]
            if len(dated) == 2 and kept.date != agreement.date:
                continue
            ordinals = {_ordinal_before(ex, cand), _ordinal_before(ex, other)}
            if "earlier" in ordinals and len(ordinals) == 2:
                continue  # "leur premier accord de coopération" is not the new one
            into = (other, kept)
            break
        if into is None:
            out.append((cand, agreement))
            continue
        other, kept = into
        if other.generic and not cand.generic:
            kept.kind, kept.kind_label = agreement.kind, agreement.kind_label
            other.generic = False
        if kept.date_basis not in ("stated", "relative") and agreement.date_basis in ("stated", "relative"):
            kept.date, kept.date_precision, kept.date_basis, kept.date_evidence = (
                agreement.date,
                agreement.date_precision,
                agreement.date_basis,
                agreement.date_evidence,
            )
            kept.date_not_after = None
        kept.evidence += agreement.evidence
        for sig in agreement.signatories:
            twin = next((x for x in kept.signatories if x.name == sig.name), None)
            if twin is None:
                kept.signatories.append(sig)
            elif not twin.on_behalf_of and sig.on_behalf_of:
                kept.signatories[kept.signatories.index(twin)] = sig
        merge_fields(kept, agreement.fields)
        kept.confidence = max(kept.confidence, agreement.confidence)
    return out


def _compatible(p: Party, q: Party) -> bool:
    """Not "Trier" and "Universität Trier": a city and an organisation named after it are two parties."""
    kinds = {guess_type(p.label) or p.type, guess_type(q.label) or q.type}
    return len(kinds - {None}) <= 1


def _document_date(doc: Document) -> tuple[str, int] | None:
    """The first full date of the first lines, not one that a sentence tells of the past ("Dresden originally
    signed … back in September 12, 1990", "seit dem 1. Mai 1999")."""
    texts = [
        ""
        if re.search(r"\b(?:originally|back in|since|seit|depuis|ursprunglich|erstmals|first)\b", fold_text(s.text))
        else s.text
        for s in doc.sentences[:12]
    ]
    return document_date(texts, doc.language)


def _person_iri(gaz: Gazetteer, name: str) -> str | None:
    iris = [e for e in gaz.names.get(normalise_label(name), set()) if gaz.is_person(e)]
    return iris[0] if len(iris) == 1 else None


def _date_of(
    ex: _Extractor, cand: _Candidate, document_date: str | None
) -> tuple[str | None, str | None, str, Evidence | None]:
    order = {
        "full": 0,
        "full-en": 0,
        "numeric": 0,
        "iso": 0,
        "day-of": 0,
        "today": 1,
        "weekday": 1,
        "yesterday": 1,
        "hier": 1,
        "day-month": 2,
        "month-day": 2,
        "month-year": 3,
        "last-month": 3,
        "last-month-fr": 3,
        "month": 4,
        "this-week": 4,
        "this-month": 4,
        "last-month-rel": 4,
        "year": 5,
        "last-year": 6,
        "this-year": 6,
    }

    def best(s: Sentence, *, relative_only: bool = False) -> DateMention | None:
        every = find_dates(s.text, ex.lang, base=ex.base, offset=s.start)
        found = [d for d in every if d.value]
        # "konnten 2017 erste Kontakte geknüpft werden, die am 5. Oktober mit der Unterzeichnung … vertieft
        # wurden": a day and month with no year to resolve it against is the date; the bare year is another's
        unresolved = any(not d.value and d.kind in ("day-month", "month-day") for d in every)
        # "announced on Friday that it had signed", "apprend-t-on ce lundi", "for the coming year of 2014": when it
        # was told, or a year ahead, not when it was signed
        found = [
            d
            for d in found
            if not re.search(
                r"\b(?:announced|said|says|reported|told|stated|revealed|confirmed|apprend[\s-]*t?[\s-]*on|"
                r"(?:a|ont)\s+(?:annonce|indique|declare|fait savoir)|teilte\w*|sagte|erklarte|berichtete|"
                r"for\s+the\s+(?:coming\s+|next\s+)?year(?:\s+of)?)\s+(?:on\s+|ce\s+|le\s+|last\s+|this\s+|am\s+)?$",
                fold_text(ex.doc.text[max(s.start, d.start - 40) : d.start]),
            )
        ]
        # the end or the start of a span of days ("from October 28 through November 1"): when a visit lasted
        found = [
            d
            for d in found
            if not re.search(
                r"(?:until|bis|jusqu|through|till|to)\s*$", fold_text(ex.doc.text[max(s.start, d.start - 12) : d.start])
            )
            and not re.match(r"\s*(?:through|until|till|bis|[-–])\s", fold_text(ex.doc.text[d.end : d.end + 12]))
        ]
        # "Rabat, le 14 mars 2022 - ... ont signé mardi": the dateline's date is when it was written, the base of
        # the weekday, not the signing date, when the sentence has a date of its own
        dateline = [
            d
            for d in found
            if s.line_start
            and d.start - s.start <= 50
            and re.match(r"\s*(?:\([^)]{0,30}\)|/[^/\s]{1,12}/)?\s*[-–—]+\s", ex.doc.text[d.end : d.end + 40])
        ]
        if dateline:  # with no other date, the signing date is not stated: the dateline only bounds it
            found = [d for d in found if d not in dateline]
        # "Nachdem der Präsident im vergangenen Jahr … besucht hatte, wird jetzt … unterzeichnet": a date in a
        # leading clause of time before or after is that clause's, not the signing's
        lead = re.match(
            r"\s*(?:nachdem|bevor|after|before|apres|avant|according to|selon|laut|d.apres)\b[^,]{3,200},",
            fold_text(s.text),
        )  # also "According to a statement made available on Monday, …": when it was said
        if lead:
            found = [d for d in found if d.start >= s.start + lead.end()]
        # "… erfolgte als Gegenbesuch, nachdem eine Delegation bereits im vergangenen Oktober … reiste": a trailing
        # clause of time has its own date too
        trail = re.search(r",\s*(?:nachdem|bevor|after|before|apres que|avant que)(?!\w)", fold_text(s.text))
        if trail:
            found = [d for d in found if d.start < s.start + trail.start()]
        # "ever since the formation of the sister city tie in 1994": when the relation began, not this signing
        found = [
            d
            for d in found
            if not re.search(
                r"\b(?:since|seit|depuis)\b[^,.;]{0,60}$", fold_text(ex.doc.text[max(s.start, d.start - 70) : d.start])
            )
        ]
        # "yesterday, Monday 1 April": the day the text spells out right after the relative word, with its
        # weekday or its year (not "hier (10 décembre)": a year guessed for it would be the wrong one)
        found = [
            d
            for d in found
            if not (
                d.kind in ("today", "yesterday", "hier", "weekday")
                and any(
                    o.kind in ("day-month", "month-day", "full", "full-en", "numeric")
                    and re.fullmatch(r"[\s,(]{1,3}", ex.doc.text[d.end : o.start])
                    and (re.search(r"\d{4}", o.text) or _WEEKDAY_FIRST.match(fold_text(o.text)))
                    for o in found
                )
            )
        ]
        if relative_only:
            found = [
                d
                for d in found
                if d.kind in ("today", "weekday", "yesterday", "hier", "full", "full-en", "month-day", "day-month")
            ]
        if not found:
            return None
        found.sort(key=lambda d: (order.get(d.kind, 9), d.start))
        if unresolved and found[0].kind == "year":
            return None
        return found[0]

    s = cand.sentence
    if cand.since_year:  # "depuis mai 1999": the month
        return cand.since_year, "month" if len(cand.since_year) == 7 else "year", "stated", ev(s)
    sentences = [s, *cand.signing_sentences]
    for x in sentences:
        d = best(x)
        if d is not None and not (
            x.whole_line
            and x.index < 6
            and d.kind in ("full", "numeric", "full-en", "iso")
            and len(x.text.strip()) <= len(d.text) + 3
        ):
            basis = "relative" if d.relative else "stated"
            return d.value, d.precision, basis, ev(x, (d.start, d.end))
    for back in (1, 2):
        i = s.index - back
        if i < 0:
            break
        prev = ex.doc.sentences[i]
        # "Une délégation s'est rendue à X en mai dernier. A cette occasion, … ont signé", "Cette visite … a été
        # marquée par la signature": any date of that visit, in the paragraph before too
        occasion = back == 1 and _ON_THIS_OCCASION.match(fold_text(s.text))
        if (prev.paragraph != s.paragraph and not occasion) or i in ex.candidate_sentences:
            break  # the sentence before tells an agreement of its own: its date is that one's
        d = best(prev, relative_only=not occasion)
        if d is not None:
            return d.value, d.precision, "relative" if d.relative else "stated", ev(prev, (d.start, d.end))
    # "The brief ceremony took place in Kumasi on Wednesday June 26, 2024": the signing's ceremony, told next
    for nxt in ex.doc.sentences[s.index + 1 : s.index + 3]:
        if nxt.index in ex.candidate_sentences:
            break
        if _CEREMONY_HELD.search(fold_text(nxt.text)):
            d = best(nxt)
            if d is not None:
                return d.value, d.precision, "relative" if d.relative else "stated", ev(nxt, (d.start, d.end))
    # a signature block: "This agreement is hereby signed ..." and then a line that is only a date
    after_body = s.index >= 3 and s.text.rstrip().endswith((".", ":"))  # not a headline over a dateline
    for nxt in ex.doc.sentences[s.index + 1 : s.index + 3] if after_body else []:
        d = best(nxt)
        if (
            d is not None
            and nxt.whole_line
            and d.kind in ("full", "full-en", "day-of", "numeric", "iso")
            and len(re.sub(r"\W", "", fold_text(nxt.text))) <= len(re.sub(r"\W", "", fold_text(d.text))) + 8
        ):
            return d.value, d.precision, "stated", ev(nxt, (d.start, d.end))
    # no date stated or implied: none proposed (the announcement's date only bounds it: Agreement.date_not_after)
    return None, None, "none", None


def sentence_end(ex: _Extractor, at: int) -> int:
    return ex.doc.sentence_at(at).end


def _add_signatories(ex: _Extractor, agreement: Agreement, people: list[_Person], s: Sentence) -> None:
    from .fallbacks import WITNESSES

    gaz = ex.gaz
    for p in people:
        if any(normalise_label(x.name) == normalise_label(p.name) for x in agreement.signatories):
            continue
        own = ex.doc.sentence_at(p.start)
        if WITNESSES.search(ex.folded, p.end, own.end):
            continue  # "A and B were present as witnesses at the signing ceremony"
        party = next((q for q in agreement.parties if same_party(p.post_party, q, gaz)), None)
        if party is None and p.respective is not None:
            ordered = _respective_order(p.named_in, agreement.parties)
            party = ordered[p.respective] if ordered else None
        if party is None:
            # "Recteur de l'Université Quisqueya et Président de la CORPUCA": the post names one of the parties
            # up to the next person, and before that person's post when it stands before the name
            later = [x for x in people if x.start > p.start]
            stop = min([p.end + 150, sentence_end(ex, p.start), *(x.start for x in later)])
            for x in later:
                post_at = ex.doc.text.find(x.post, p.end, x.start) if x.post else -1
                stop = min(stop, post_at) if post_at >= 0 else stop
            # "Governor A and the Chinese delegation led by Mr. B, the … Governor of X": another person's title
            titled = re.search(r"\s(?:Mr|Mrs|Ms|Dr|M|Mme|Herr|Frau)\.?\s+[A-Z]", ex.doc.text[p.end : stop])
            stop = p.end + titled.start() if titled else stop
            window = ex.doc.text[p.start : stop]
            in_post = [q for q in agreement.parties if ex.names_party(window, q)]
            party = in_post[0] if len(in_post) == 1 else None
            if party is not None and len(agreement.parties) == 2:
                at = window.find(party.label)
                before = window[:at] if at >= 0 else ""
                if re.search(r"\s(?:with|mit|avec)\s+(?:the\s+|der\s+|dem\s+|la\s+|le\s+|l['’])?(?:\w+\s+)?$", before):
                    # "Governor A counter-signs an agreement with Hualien County": the other party is his
                    party = next(q for q in agreement.parties if q is not party)
        if party is None:
            iri = _person_iri(gaz, p.name)
            known = gaz.person_parties.get(iri or "", set())
            party = next((q for q in agreement.parties if q.iri in known), None)
        sentence = ex.doc.sentence_at(p.start)
        agreement.signatories.append(
            Signatory(
                p.name,
                p.post,
                party.label if party else None,
                _person_iri(gaz, p.name),
                0.8 if party else 0.6,
                ev(sentence, (p.start, p.end)),
            )
        )
    sign_for_the_last_party(agreement)


def sign_for_the_last_party(agreement: Agreement) -> None:
    """The one signer without a party signs for the one party without a signer."""
    free = [q for q in agreement.parties if not any(x.on_behalf_of == q.label for x in agreement.signatories)]
    unassigned = [x for x in agreement.signatories if x.on_behalf_of is None]
    if len(free) == 1 and len(unassigned) == 1:
        unassigned[0].on_behalf_of = free[0].label
        unassigned[0].confidence = 0.6


_SIGNED_WITH = re.compile(
    r"\b(?:a ete|ont ete|was|were|has been|have been|wurde|wurden)\s+(?:\w+\s+){0,2}"
    r"(?:signee?s?|signed|unterzeichnet|conclue?s?|concluded|geschlossen)\s+(?:avec|with|mit)\b"
)


_PRONOUN_SIGNS = re.compile(
    r"\b(?:unterzeichnete|unterschrieb|signed|signa|signait)\s+(?:er|sie|he|she|il|elle)\b|"
    r"\b(?:er|sie|he|she|il|elle)\s+(?:(?:also|then|auch|dann|a|hat)\s+)?(?:signed|signa|unterzeichnete|signe|"
    r"unterzeichnet)\b"
)


def _add_pronoun_signer(ex: _Extractor, agreement: Agreement, s: Sentence) -> None:
    """ "Am 7. November war der Vizekanzler der X, Prof. A, zu Gast. Gemeinsam mit B unterzeichnete er ein MoU":
    the one person named in the sentence before signs too."""
    if not _PRONOUN_SIGNS.search(ex.folded[s.start : s.end]):
        return
    before = _unsigned_before(ex, agreement, s, line=False)
    if before is not None and len(before[1]) == 1:
        _add_signatories(ex, agreement, before[1], before[0])


def _unsigned_before(
    ex: _Extractor, agreement: Agreement, s: Sentence, *, line: bool
) -> tuple[Sentence, list[_Person]] | None:
    """The sentence before ``s`` in its paragraph (or a whole line before it, when ``line``) and the people it names
    who do not sign ``agreement`` yet; None at the start of the text or of a paragraph."""
    if s.index == 0:
        return None
    prev = ex.doc.sentences[s.index - 1]
    if prev.paragraph != s.paragraph and not (line and prev.whole_line):
        return None
    signed = {normalise_label(x.name) for x in agreement.signatories}
    return prev, [p for p in ex.people_in(prev) if normalise_label(p.name) not in signed]


def _add_passive_signer(ex: _Extractor, agreement: Agreement, s: Sentence) -> None:
    """ "Un partenariat ... a été signé avec le premier maire": the other signer is who the paragraph is about,
    the first person of the sentence before ("la ministre s'est entretenue avec le premier maire")."""
    if len(agreement.parties) != 2 or len(agreement.signatories) != 1:
        return
    if not _SIGNED_WITH.search(ex.folded[s.start : s.end]):
        return
    before = _unsigned_before(ex, agreement, s, line=True)
    if before is not None and before[1] and not before[1][0].post_party:
        _add_signatories(ex, agreement, before[1][:1], before[0])


def _field_facts(ex: _Extractor, s: Sentence, *, known_anywhere: bool) -> list[FieldFact]:
    text = s.text
    out: list[FieldFact] = []
    if PLAN.search(text) or AMBITION.search(text):
        return out
    out = items_to_facts(ex, s, _enumeration(text, ex.lang) + _adjective_list(text))
    if known_anywhere and not out and _COOP.search(fold_text(text)):
        folded = fold_text(text)
        names = ex.org_chunks(s)
        for label, concept in ex.lex.fields.items():
            if len(label) < 4:
                continue
            # German compounds: "Technologieprojekte", "Forschungs- und ..." (a suspended hyphen) name the field
            compound = (
                r"(?:s?-(?=\s+(?:und|oder)\s)|(?=(?:projekt|vorhaben|kooperation|zusammenarbeit|partnerschaft|"
                r"bereich|feld|themen|schwerpunkt)))"
                if ex.lang == "de"
                else r"(?!\w)"
            )
            spelled = r"[\s\-]+".join(map(re.escape, label.split()))
            for m in re.finditer(rf"(?<!\w)(?:{spelled}(?!\w)|{spelled}{compound})", folded):
                if any(a <= s.start + m.start() < b for a, b, _ in names):
                    continue  # "University of Science and Technology Meghalaya": a word of a name
                out.append(
                    FieldFact(concept, text[m.start() : m.end()], 0.6, ev(s, (s.start + m.start(), s.start + m.end())))
                )
    return out


def _add_fields(ex: _Extractor, agreement: Agreement, cand: _Candidate) -> None:
    s = cand.sentence
    sentences = [s]
    doc = ex.doc
    if (
        s.index > 0
        and doc.sentences[s.index - 1].paragraph == s.paragraph
        and not re.search(r"[„“\"«»”]", doc.sentences[s.index - 1].text)
        and not ex.kinds_in(doc.sentences[s.index - 1])
    ):
        sentences.insert(0, doc.sentences[s.index - 1])
    headline = s.whole_line and not s.text.rstrip().endswith(".")
    if s.text.rstrip().endswith(":"):
        # "… in order to achieve the following common objectives:" and a list of bullets: the objectives
        for nxt in doc.sentences[s.index + 1 : s.index + 12]:
            if not _BULLET.match(nxt.text):
                break
            sentences.append(nxt)
    for k, nxt in enumerate(doc.sentences[s.index + 1 : s.index + 3]):
        if nxt.whole_line and not nxt.text.rstrip().endswith("."):
            if headline and k == 0 and not ex.kinds_in(nxt):
                sentences.append(nxt)  # a headline's subtitle: "… – mit Fokus auf „Planetary Health“"
            break
        if ex.kinds_in(nxt) and ex.signs(nxt):
            break
        sentences.append(nxt)
    for x in sentences:
        merge_fields(agreement, _field_facts(ex, x, known_anywhere=True))


_REFERS = re.compile(
    r"\b(?:memo|memorandum|mou|agreement|accord|abkommen|vereinbarung|erklarung|partnership|partnerschaft|"
    r"partenariat|convention|contrat|vertrag|jumelage|twinning|stadtepartnerschaft|the two cities|beiden stadte|"
    r"les deux villes|(?:ces|les) deux communes|beiden gemeinden|the two (?:universities|institutions)|"
    r"beiden universitaten|beiden universitaeten|les deux universites|the partners|die partner|les partenaires)\b"
)


def _add_named_fields(ex: _Extractor, agreements: list[Agreement]) -> None:
    """Fields listed elsewhere in the text: "L'accord avec Fès vise ... dans le domaine de ...", "Hamburg und
    Kopenhagen wollen Projekte in den Bereichen ...": for the agreement whose parties the sentence names (all
    of them, or one that only that agreement has), or the only agreement when the sentence refers to "the memo",
    "das Abkommen"; the next sentence continues the list when it has a cue of its own."""
    previous: Agreement | None = None
    for s in ex.doc.sentences:
        items = _enumeration(s.text, ex.lang)
        if not items:
            previous = None
            continue
        if any(a.evidence and a.evidence[0].start == s.start for a in agreements):
            previous = None
            continue  # the signing sentence itself: done by _add_fields
        folded = ex.folded[s.start : s.end]
        named = []
        for a in agreements:
            hits = [p for p in a.parties if re.search(rf"(?<!\w){re.escape(fold_text(p.label))}", folded)]
            own = [
                p
                for p in hits
                if not any(same_party(p.label, q, ex.gaz) for b in agreements if b is not a for q in b.parties)
            ]
            if len(hits) == len(a.parties) or own:
                named.append(a)
        if len(named) != 1 and len(agreements) == 1:
            # "Die Kooperation zwischen den beiden Universitäten umfasst … Gerade in der Literaturwissenschaft, …":
            # the sentence, or the one before it in its paragraph, refers to the agreement or its partners
            before = ex.doc.sentences[s.index - 1] if s.index > 0 else None
            context = folded
            if before is not None and before.paragraph == s.paragraph:
                context = ex.folded[before.start : before.end] + " " + folded
            if _REFERS.search(context):
                named = list(agreements)
        if len(named) != 1 and previous is not None:
            named = [previous]
        if len(named) != 1:
            previous = None
            continue
        if re.search(r"\b(?:bereits|already|deja|seit jahren|for years|hinzukommen|in form von)\b", folded):
            previous = None
            continue  # what exists already, or projects
        facts = _field_facts(ex, s, known_anywhere=False)
        merge_fields(named[0], facts)
        previous = named[0] if facts else None


def _add_subtitle_fields(ex: _Extractor, agreement: Agreement) -> None:
    """A subtitle among the first lines ("Zusammenarbeit in Wirtschaft, ... soll ausgebaut werden")."""
    for s in ex.doc.sentences[:6]:
        if s.whole_line and not ex.kinds_in(s):
            facts = [f for f in _field_facts(ex, s, known_anywhere=False) if f.concept]
            merge_fields(agreement, facts)


def _add_projects(ex: _Extractor, draft: Draft) -> None:
    for s in ex.doc.sentences:
        if not PLAN.search(s.text) or s.whole_line:
            continue
        target = draft.agreements[0]
        for a in draft.agreements:
            if a.evidence and a.evidence[0].start <= s.start:
                target = a
        m = re.search(
            r"(?:unter anderem|beispielsweise|in form von|e\.g\.,?|such as|notamment|par exemple)\s+", s.text, re.I
        )
        body = s.text[m.end() :] if m else s.text
        body = re.sub(r"\s+(?:geplant|vorgesehen|planned|prévus?)\.?\s*$", "", body.rstrip(". "))
        items = [i.strip() for i in re.split(r",\s+|\s+sowie\s+|\s+as well as\s+|\s+ainsi que\s+", body) if i.strip()]
        for item in items or [body]:
            at = s.text.find(item)
            span = (s.start + at, s.start + at + len(item)) if at >= 0 else None
            target.projects.append(Project(item, 0.5, ev(s, span)))


def _quotes(ex: _Extractor) -> list[Quote]:
    out: list[Quote] = []
    text = ex.doc.text
    for m in _QUOTE.finditer(text):
        a, b = m.span()
        quote = m.group(1).strip()
        if len(quote.split()) < 3:
            continue
        s = ex.doc.sentence_at(a)
        context_start = max(0, a - 200)
        para = [x for x in ex.doc.sentences if x.paragraph == s.paragraph]
        context_start = max(context_start, para[0].start if para else context_start)
        before, after = text[context_start:a], text[b : min(len(text), b + 60)]
        speaker = None
        best = -1
        for p in ex.people:
            sur = re.escape(p.surname)
            if re.match(
                rf"[\s,]*(?:erklärt|erklärte|sagt|sagte|so|betont|betonte|said|says|added|a déclaré|explique|"
                rf"ajoute|selon)\s+(?:[\w.]+\s+){{0,4}}{sur}(?!\w)",
                after,
            ):
                speaker, best = p.name, 10**9
                break
            for pm in re.finditer(rf"(?<!\w){sur}(?!\w)", before):
                if pm.start() > best:
                    best, speaker = pm.start(), p.name
        lang = detect_language(quote) or ex.lang
        out.append(Quote(quote, speaker, lang, 0.7 if speaker else 0.4, Evidence(s.text, s.start, s.end, (a, b))))
    return out
