"""The words the rules look for, per language: kinds of agreement, fields, posts, signing verbs.

Kinds and fields start from the concept scheme's own labels (``ontology/concepts.ttl``:
every prefLabel and altLabel, in de, en and fr), so a concept added there is found
in texts without a code change; the tables below add the inflected forms and
synonyms that press releases use ("Kooperationsvertrag", "entente de collaboration",
"business" for economy). Matching is on :func:`relgraph.text.normalise_label`
forms (case and accents folded).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import pyoxigraph as ox

from ..namespaces import CONCEPT, SKOS
from ..resources import bundled_dir
from ..text import normalise_label

__all__ = ["Lexicon", "base_forms", "lexicon"]

# kind notation → extra surface forms (regex, matched on folded text, word boundaries added)
KIND_FORMS: dict[str, list[str]] = {
    "strategic-partnership": [
        r"strategisch\w* partnerschaft(?!en)",
        r"strategic partnership(?!s)",
        r"partenariat strategique",
    ],
    "city-twinning": [
        r"stadtepartnerschaft(?!en)\w*",
        r"partnerschaftsvertrag\w*",
        r"partnerschaftserklarung",
        r"partnerschaftsschwur",
        r"sister[ -]city (?:agreement|relations?|relationship)",
        # session 13: "entered into a sister province ties", "a sister-state agreement", "sister port relations"
        r"sister[ -](?:province|state|region|county|prefecture|port)s? (?:agreement|relations?|relationship|ties|pact)",
        r"twinning (?:agreement|charter|partnership|deal|link|arrangement|accord)",
        r"town twinning",
        r"(?:accord|contrat|charte|serment|pacte) de jumelage",
        r"jumelage",
        # the state: "are now officially twin towns", "sont désormais villes jumelles", "sind nun Partnerstädte"
        r"(?:sister|twin) (?:cities|towns)",
        r"(?:villes|communes) jumel\w+",
        r"partnerstadte",
        r"twin (?:town|city) (?:agreement|relationship|relations)",
        r"partnerschaftsurkunden?",
        # session 12: a village's, a municipality's, a district's twinning; "a sisterhood agreement" (Philippines)
        r"(?:dorf|gemeinde|kreis|landkreis)partnerschaft(?!en)\w*",
        r"sisterhood (?:agreement|pact|ties|relations?)",
        r"partnerschaftscharta",
        r"serments? de (?:fraternite|jumelage)",
        r"agreement (?:on|of|for) (?:the )?establish\w* (?:of )?(?:sister|twin)[ -](?:city|cities|town|province)",
    ],
    "memorandum-of-understanding": [
        r"memorand(?:a|ums) of understanding",
        r"memorandum of understanding",
        r"\bmou\b",
        r"\bmoa\b",
        r"memorandum of agreement",
        r"protocoles? d.entente",
        r"memorandum(?! of)",
        r"absichtserklarung \(memorandum of understanding\)",
        r"protocoles? d.accord",
        r"memorandum of cooperation",
    ],
    "declaration-of-intent": [
        r"absichtserklarung(?!en)",
        r"declaration of intent",
        r"declaration d.intention",
        r"lettre d.intention",
        r"letter of intent",
        r"statement of intent",
        r"absichtsbekundung",
        r"gemeinsame absichtserklarung",
        r"protocoles? d.intention",
        r"intention conjointe",
    ],
    "cooperation-agreement": [
        r"kooperationsvereinbarung",
        r"kooperationsabkommen",
        r"kooperationsvertrag\w*",
        r"rahmenkooperationsvertrag",
        r"rahmenvereinbarung",
        r"cooperation (?:agreement|contract)",
        r"collaboration agreement",
        r"entente de (?:collaboration|cooperation)",
        r"accord de cooperation",
        r"accords?(?:[ -]cadres?)? de partenariat(?: et de cooperation)?",
        r"accords?[ -]cadres?(?: de cooperation\w*)?",
        r"conventions?(?:[ -]cadre)? de (?:cooperation|partenariat)",
        r"convention[ -]cadre",
        r"academic agreement",
        r"zusammenarbeitsvereinbarung",
        r"vereinbarung uber die zusammenarbeit",
        r"rahmenabkommen",
        r"partnerschaftsabkommen",
        r"cooperation protocol",
        r"protocoles? de (?:cooperation|collaboration)",
        r"ententes? (?:sur|pour) la (?:cooperation|collaboration)",
        r"feuilles? de routes?(?: de cooperation)?",
        r"kooperationsstrategie",
    ],
    "joint-declaration": [
        r"gemeinsame\w* erklarung",
        r"joint (?:declaration|statement|communique)",
        r"declaration commune",
        r"communique conjoint",
    ],
    "university-partnership": [
        r"hochschulpartnerschaft",
        r"universitatspartnerschaft",
        r"university partnership",
        r"partenariat universitaire",
    ],
    "cluster-partnership": [r"clusterpartnerschaft", r"cluster partnership", r"partenariat de grappes"],
    "climate-partnership": [r"klimapartnerschaft", r"climate partnership", r"partenariat (?:pour le )?climat\w*"],
    "friendship-agreement": [
        r"freundschaftsvereinbarung",
        r"freundschaftsvertrag\w*",
        r"freundschaftsabkommen",
        r"(?:pacte|charte) d.(?:echanges? et d.)?amitie",
        r"freundschaftsurkunden?",
        r"friendship[ -]cit(?:y|ies)(?: agreement)?",
        r"friendship (?:agreement|city relationship)",
        r"accord d.amitie",
        r"memorandum of friendly exchange",
        # session 13: "the Agreement on the Establishment of Friendship between Hunan Province and …"
        r"agreement (?:on|of|for) (?:the )?establish\w* (?:of )?(?:friendship|friendly)",
    ],
    "exchange-agreement": [
        r"austauschabkommen",
        r"exchange agreement",
        r"accord d.echange",
        # fifth round: "a sports exchange pact", "ein Austauschvertrag", "une convention d'échange"
        r"(?:\w+ )?exchange (?:pact|accord|deal)",
        r"austauschvertrag",
        r"convention d.echanges?",
    ],
    "development-partnership": [
        r"entwicklungspartnerschaft",
        r"development partnership",
        r"partenariat de developpement",
    ],
}

# signing or concluding (past or present, not future): folded text
TRIGGERS = {
    "de": r"unterzeichn\w*|unterschrieb\w*|unterschrieben|unterschrift(?:en)?|schlie(?:ss|ß)en|schlie(?:ss|ß)t|"
    r"schlossen|geschlossen|abgeschlossen|geschlossene[nr]?|besiegel\w*|vereinbart\w*|verlanger\w*|"
    r"unterzeichnung|bekraftig\w*|erneuer\w*|folgte|verabschiedet(?:e|en)?|getroffen|"
    r"eingegangen|beschlossen(?![^.]{0,150}\b(?:zu\s+\w+en|\w+zu\w+en)\b)|(?:geht|gehen|ging|gingen)\s[^.]{1,100}?\sein(?=\s*[.!]?\s*$)|"
    r"(?:sind|wurden)[\s,]+(?:nun[\s,]+|jetzt[\s,]+)?(?:offiziell[\s,]+)?(?:partnerstadte|partnergemeinden|"
    r"schwesterstadte)",
    "en": r"sign(?:s|ed|ing)?|inked|conclud\w*|entered into|agreed|(?<!invitation was )extend(?:s|ed)?|renew(?:s|ed)?|"
    r"sealed|"
    r"forged|adopted|issued|"
    r"finali[sz]ed|formali[sz]ed|signatures?|reaffirm(?:s|ed)?|"
    # a state rather than a signing: "are now officially twin towns"
    r"(?:are now|have become|became|(?<!to )(?<!will )(?<!shall )become|becomes|are officially)[\s,]+"
    r"(?:officially[\s,]+)?(?:the\s+)?"
    r"(?:sister|twin|partner)\s+"
    r"(?:cities|towns)",
    "fr": r"sign(?:e|ee|es|ees|ent|er|ature|ait|aient|erent|ant)|a signe|ont signe|conclu\w*|scell\w*|"
    r"renouvel(?!abl)\w*|"
    r"paraph\w*|"
    r"reaffirm\w*|proclam\w*|formalis\w*|officialis\w*|adopt(?:e|ee|es|ees|ent)|(?:desormais\s+)?lie(?:e|es|s)?\s+par|"
    r"(?:sont|deviennent|sont devenues?)[\s,]+(?:desormais[\s,]+)?(?:officiellement[\s,]+)?(?:des\s+)?"
    r"(?:villes|communes)\s+jumel\w+",
}
FUTURE = {
    "de": r"\b(?:werden|wird|wollen|will|sollen|soll)\b[^.]{0,60}"
    r"\b(?:unterzeichnen|unterzeichnet werden|schlie(?:ss|ß)en)\b|"
    # a purpose: "kamen nach Innsbruck, um einen Kooperationsvertrag … zu unterzeichnen"
    r"\bum\b[^.]{0,120}\bzu (?:unterzeichnen|schlie(?:ss|ß)en)\b|"
    # fifth round: "Höhepunkt wird die feierliche Unterzeichnung … sein"
    r"\b(?:wird|werden)\b[^.]{0,60}\bunterzeichnung\b",
    "en": r"\b(?:will|to|shall|plan to|plans to|intends? to)\s+(?:be\s+)?(?:sign|signed|conclude|concluded)\b|"
    r"\bscheduled (?:for (?:the )?signing|to be signed|to sign)\b|\b(?:is|are) expected to be signed\b",
    "fr": r"\b(?:signeront|signera|va signer|vont signer|doit signer|doivent signer|sera signe|seront signe)|"
    r"\bsignature (?:est |sera )?prevue\b",
}

POST_HEADS = [
    # de
    r"oberburgermeister(?:in)?",
    r"burgermeister(?:in)?",
    r"ministerprasident(?:in)?",
    r"staatsminister(?:in)?",
    r"minister(?:in)?",
    r"senator(?:in)?",
    r"staatsrat(?:in)?",
    r"staatssekretar(?:in)?",
    r"vizeprasident(?:in)?",
    r"prasident(?:in|en)?",
    r"(?:vize|pro)rektor(?:in)?",
    r"rektor(?:in)?",
    r"kanzler(?:in)?",
    r"landrat(?:in)?",
    r"generalkonsul(?:in)?",
    r"botschafter(?:in)?",
    r"direktor(?:in)?",
    r"geschaftsfuhrer(?:in)?",
    r"vorsitzende[rn]?",
    r"vorstand(?:smitglied|svorsitzende[rn]?|ssprecher(?:in)?)?",  # "Axel Mattern, Vorstand Hafen Hamburg Marketing"
    r"dekan(?:in)?",
    r"regierungschef(?:in)?",
    r"landeshauptmann",
    r"landeshauptfrau",
    r"stadtprasident(?:in)?",
    r"gouverneur(?:in)?",
    # German compounds end in their head ("Kreistagsvorsitzender", "Uni-Rektorin", "Hochschulpräsident"): heads
    # that are German words only, so that no English or French word ends in them
    r"[a-z]{3,}-?(?:vorsitzende[rn]?|prasident(?:in)?|rektor(?:in)?|burgermeister(?:in)?|landrat(?:in)?)",
    # fifth round: "Wirtschafts- und Handelsminister", "Wissenschaftssenatorin", "Landesrat"
    r"[a-z]{3,}-?(?:minister(?:in)?|senator(?:in)?|direktor(?:in)?|kanzler(?:in)?|chef(?:in)?)",
    r"landesrat(?:in)?",
    r"stadtrat(?:in)?",
    # en
    r"lord mayor",
    r"deputy mayor",
    r"vice[- ]mayor",
    r"mayor",
    r"governor",
    r"prime minister",
    r"premier",
    r"vice[- ]president",
    r"president",
    r"vice[- ]chancellor",
    r"chancellor",
    r"rector",
    r"provost",
    r"chairman",
    r"chairwoman",
    r"chair",
    r"chief executive(?: officer)?",  # session 14: "Ms. A, Chief Executive Officer of the Bilateral Chamber"
    r"ceo",
    r"director[- ]general",
    r"deputy director general",
    r"director",
    r"secretary[- ]general",
    r"secretary of state",
    r"consul general",
    r"ambassador",
    r"dean",
    r"registrar",
    r"commissioner",
    r"vice[- ]governor",
    r"speaker",
    r"lieutenant governor",
    r"executive director",
    r"managing director",
    r"secretary",
    # session 13: members of a legislature ("US Congresswoman Sheila Jackson Lee", "Councillor …")
    r"congress(?:wo)?man",
    r"council(?:wo)?man",
    r"council+or",
    r"assembly(?:wo)?man",
    # fr
    r"premier maire",
    r"premiere adjointe",
    r"premier adjoint",
    r"adjointe? au maire",
    r"maire",
    r"mairesse",
    r"premiere? ministre",
    r"ministre",
    r"vice[- ]presidente?",
    r"presidente?",
    r"sous[- ]secretaire",
    r"secretaire d.etat",
    r"secretaire generale?",
    r"recteur",
    r"rectrice",
    r"directeur",
    r"directrice",
    r"gouverneure?",
    r"consule? generale?",
    r"ambassadeur",
    r"ambassadrice",
    r"deleguee? generale?",
    r"doyenn?e?",
    r"prefete?",
    r"wali",
    r"vice[- ]rect(?:eur|rice)",
    r"bourgmestre",
    r"echevine?",
    # session 15: a counterpart, who signs for the other party ("son homologue de la région X, A", "sein
    # Amtskollege B", "her Morlaix counterpart C")
    r"homologue",
    r"counterpart",
    r"amtskolleg(?:e|in)",
]

TITLES = (
    r"(?:(?:Prof|Dr|Dipl|Ing|h\.c|h|Mr|Mrs|Ms|Mme|Mlle|M|MM|Hon|Sir|Dato|Datuk|S\.E|Me|rer|nat|phil|med|habil|jur)\.?|"
    r"Herrn?|Frau|Madame|Monsieur|Professor|Professeure?|Doctor|Docteur)"
)

# field notation → extra surface forms (folded); the concept labels are added from concepts.ttl
FIELD_FORMS: dict[str, list[str]] = {
    "economy": [
        "wirtschaft",
        "wirtschaftlich",
        "wirtschaftliche",
        "okonomie",
        "economy",
        "economic",
        "economics",
        "business",
        "economie",
        "economique",
        "cooperation economique",
        "economic cooperation",
        "wirtschaftsbereiche",
        "economic development",
    ],
    "science": [
        "wissenschaft",
        "wissenschaften",
        "science",
        "sciences",
        "scientific",
        "scientifique",
        "scientifiques",
    ],
    "research": ["forschung", "research", "recherche", "forschungsvorhaben", "joint research", "la recherche"],
    # "sciences et techniques", "Wissenschaft und Technik": technology
    "technology": [
        "technologie",
        "technologien",
        "technology",
        "technologies",
        "technique",
        "techniques",
        "technik",
        # adjectives: "technological cooperation", "coopération technologique", "technologische Zusammenarbeit"
        "technological",
        "technologique",
        "technologiques",
        "technologisch",
        "technologische",
        "technologischen",
    ],
    "culture": [
        "kultur",
        "kulturell",
        "kulturelle",
        "kulturellen",
        "kulturbereich",
        "culture",
        "cultural",
        "culturel",
        "culturelle",
        "cultural exchanges",
        "kunst und kultur",
    ],
    "aerospace": [
        "luft und raumfahrt",
        "luftfahrt",
        "raumfahrt",
        "aerospace",
        "aviation",
        "aeronautics",
        "aeronautique",
        "aerospatiale",
        "luftfahrtforschung",
    ],
    "energy-transition": ["energiewende", "energy transition", "transition energetique"],
    "digitalisation": ["digitalisierung", "digitalisation", "digitalization", "numerique", "numerisation"],
    "planetary-health": ["planetary health", "sante planetaire"],
    "foreign-trade": ["aussenwirtschaft", "foreign trade", "commerce exterieur"],
    "climate-neutrality": ["klimaneutralitat", "climate neutrality", "neutralite climatique"],
    "virtual-reality": ["virtual reality", "virtuelle realitat", "realite virtuelle"],
    "film": ["film", "cinema", "kino"],
    "dance-and-choreography": [
        "tanz und choreographie",
        "tanz und choreografie",
        "dance and choreography",
        "danse et choregraphie",
    ],
    "planetarium": ["planetarium", "planetarien", "planetariums"],
}

ORG_HEADS = (
    # "Universitaet": German written without umlauts (older releases, ASCII mail)
    r"university|universitat|universitaet|universite|universidad|hochschule|college|institute|institut|consortium|centre|center|"
    r"zentrum|association|federation|conference|konferenz|council|municipality|city|ville|stadt|region|province|"
    r"provinz|ministry|ministere|ministerium|cluster|chamber|kammer|metropolregion|metropole|government|"
    r"gouvernement|landesregierung|senat|akademie|academy|agency|agentur|foundation|stiftung|fondation|"
    r"department|bureau|office|commission|kommission|county|prefecture|prefektur|state|etat|land|canton|kanton|"
    r"allianz|alliance|network|netzwerk|reseau|union|port|hafen|airport|flughafen|school|ecole|schule|"
    r"organisation|organization|authority|behorde|communaute|gemeinde|commune|district|bezirk|kreis|landkreis|"
    # German compounds end in their head: "Fachhochschule", "Musikhochschule", "Technologiezentrum"
    r"[a-z]{3,}(?:hochschule|universitat|universitaet|akademie|zentrum|institut|regierung|ministerium|kammer|"
    r"gesellschaft|konsortium)|gesellschaft|konsortium|"
    # session 13: the territories of other countries ("Woiwodschaft Masowien", "Gespanschaft Medimurje", "Edogawa
    # Ward")
    r"wojewodschaft|woiwodschaft|voivodeship|voivodship|gespanschaft|oblast|ward|borough|arrondissement|"
    # chambers by their acronym: "IHK Berlin", "HWK Oberfranken", "CCI de Mayotte"
    r"ihk|hwk|cci|"
    # session 13: museums, hospitals, libraries; universities named in their own language
    r"museum|musee|museo|hospital|hopital|krankenhaus|klinikum|clinic|klinik|library|bibliotheque|bibliothek|"
    r"universidade|universita|universiteit|uniwersytet|universitet|universiti|universitas"
)


# plural and inflection endings (folded), longest first: "sociaux" → "social", "culturels" → "culturel",
# "économiques" → "économique", "wirtschaftlichen" → "wirtschaftlich", "Technologien" → "Technologie"
_ENDINGS = [
    ("aux", "al"),
    ("elles", "el"),
    ("elle", "el"),
    ("els", "el"),
    ("em", ""),
    ("en", ""),
    ("es", ""),
    ("es", "e"),
    ("er", ""),
    ("e", ""),
    ("n", ""),
    ("s", ""),
    ("x", ""),
]


def base_forms(word: str) -> list[str]:
    """Candidate base forms of a folded word, by its plural or inflection ending (no dictionary: the caller
    looks each one up)."""
    out = []
    for ending, repl in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            form = word[: -len(ending)] + repl
            if form not in out:
                out.append(form)
    return out


def plural_forms(form: str) -> list[str]:
    """The plural of a kind's surface form: its first word with "s" (French: "accords de coopération"), its last
    with "s" (English) or "en" (German "-ung"); none for forms that end open ("vertrag\\w*") or refuse a plural
    ("städtepartnerschaft(?!en)": a list of partnerships, not one signed)."""
    out = []
    first = re.match(r"([a-z]+|\(\?:[a-z|]+\))(?=\\ | |\[| ?d\.)", form)
    if first:
        out.append(f"{first.group(1)}s{form[first.end() :]}")
    if "(?!" in form or not re.search(r"[a-z)]$", form) or re.search(r"(?:en|\\b)$", form):
        return out  # "abkommen" is its own plural; "des Abkommens" is one
    out.append(f"{form}en" if form.endswith("ung") else f"{form}s")
    return out


def _concept_labels() -> tuple[dict[str, dict[str, str]], dict[str, set[str]]]:
    """(notation → lang → prefLabel, notation of scheme:kind or field → folded labels)."""
    store = ox.Store()
    store.load(path=str(bundled_dir("ontology") / "concepts.ttl"), format=ox.RdfFormat.TURTLE)
    pref: dict[str, dict[str, str]] = defaultdict(dict)
    forms: dict[str, set[str]] = defaultdict(set)
    query = f"""SELECT ?c ?scheme ?l ?p WHERE {{ ?c <{SKOS}inScheme> ?scheme .
        {{ ?c <{SKOS}prefLabel> ?l BIND("p" AS ?p) }} UNION {{ ?c <{SKOS}altLabel> ?l BIND("a" AS ?p) }} }}"""
    solutions = store.query(query)
    if not isinstance(solutions, ox.QuerySolutions):  # a SELECT query always gives solutions
        raise TypeError("the concept labels query did not return solutions")
    for row in solutions:
        scheme = row["scheme"].value.removeprefix(CONCEPT)
        notation = row["c"].value.rsplit("/", 1)[1]
        if row["p"].value == "p":
            pref[f"{scheme}:{notation}"][row["l"].language or ""] = row["l"].value
        forms[f"{scheme}:{notation}"].add(normalise_label(row["l"].value))
    return dict(pref), dict(forms)


class Lexicon:
    """Compiled patterns for kinds, fields, posts and signing verbs."""

    def __init__(self) -> None:
        self.pref, forms = _concept_labels()
        kinds: dict[str, list[str]] = defaultdict(list)
        for key, labels in forms.items():
            scheme, notation = key.split(":", 1)
            if scheme == "agreement-type":
                kinds[notation] += [re.escape(label) for label in sorted(labels)]  # a set: in one order every run
        for notation, extra in KIND_FORMS.items():
            if notation in kinds or f"agreement-type:{notation}" in self.pref:
                kinds[notation] += extra
        # the longest surface first, so "strategische Partnerschaft" wins over "Partnerschaft"
        alternatives = sorted(((f, n) for n, fs in kinds.items() for f in fs), key=lambda p: -len(p[0]))
        self.kind_patterns = [(re.compile(rf"(?<!\w){form}(?!\w)"), notation, False) for form, notation in alternatives]
        # their plurals ("friendship agreements", "Kooperationsvereinbarungen", "accords de jumelage"): one agreement
        # per partner named after them (session 12)
        plurals = [(plural_forms(form), notation) for form, notation in alternatives]
        self.kind_patterns += [
            (re.compile(rf"(?<!\w)(?:{'|'.join(forms)})(?!\w)"), notation, True) for forms, notation in plurals if forms
        ]
        self.fields: dict[str, str] = {}
        for key, labels in forms.items():
            scheme, notation = key.split(":", 1)
            if scheme == "field":
                for label in sorted(labels):  # a set: the same first label of a field in every run (hash seed)
                    self.fields.setdefault(label, notation)
        for notation, extra in FIELD_FORMS.items():
            if f"field:{notation}" in self.pref:
                for form in extra:
                    self.fields.setdefault(form, notation)
        self.triggers = {lang: re.compile(rf"(?<!\w)(?:{p})(?!\w)") for lang, p in TRIGGERS.items()}
        self.future = {lang: re.compile(p) for lang, p in FUTURE.items()}
        self.post = re.compile(rf"(?<!\w)(?:{'|'.join(sorted(POST_HEADS, key=len, reverse=True))})(?!\w)")
        self.org_heads = re.compile(rf"(?<!\w)(?:{ORG_HEADS})(?!\w)")

    def field(self, folded: str) -> str | None:
        """The field concept of a folded phrase, also in an inflected form ("culturels", "économiques",
        "wirtschaftlichen", "sciences"): each word tried as written, then in its singular/base forms."""
        hit = self.fields.get(folded)
        if hit is not None or not folded:
            return hit
        words = folded.split()
        for form in base_forms(words[-1]):
            hit = self.fields.get(" ".join([*words[:-1], form]))
            if hit is not None:
                return hit
        return None

    def kind_label(self, notation: str, lang: str) -> str:
        labels = self.pref.get(f"agreement-type:{notation}", {})
        return labels.get(lang) or labels.get("en") or notation

    def field_label(self, notation: str, lang: str) -> str:
        labels = self.pref.get(f"field:{notation}", {})
        return labels.get(lang) or labels.get("en") or notation

    def kinds(self) -> list[str]:
        return sorted(k.split(":", 1)[1] for k in self.pref if k.startswith("agreement-type:"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()
