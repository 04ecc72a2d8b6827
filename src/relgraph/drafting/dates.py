"""Dates in announcements, at the precision the text gives, relative ones resolved.

Finding a date expression is ours (regular expressions over month and weekday names
in de/en/fr); reading a full date ("28. Februar 2024", "le 28 févr. 2024", "February
20, 2024", "2023/6/20") is ``dateparser``'s, which knows the abbreviations and word
orders of each language. Relative expressions are resolved against a base date: the
document's date, or an explicit full date earlier in the same sentence (a quoted
release "vom 8. Februar 2017" whose "heute" is that day):

- "heute", "today", "aujourd'hui" → the base day;
- "gestern", "yesterday", "hier" (fr) → the day before;
- a weekday ("am Dienstag", "Tuesday", "mardi") → the latest such day on or before the base;
- "Last June", "im vergangenen Juni", "en juin dernier", "im Juni" → that month, the latest on or before;
- "im Juni 2023", "June 2023" → the month; "2017", "im Jahr 2020" → the year;
- "this year", "im vergangenen Jahr", "l'an dernier" → the year; "this month", "le mois dernier" → the month;
  "this week", "diese Woche" → the month when the week so far lies in one month (else the year);
- "10 décembre" without a year → that day in the base's year, or the year before if later than the base;
  with its weekday ("dimanche 10 décembre") the one year next to the base's where the weekday fits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["MONTH_NUMBER", "MONTH_PATTERN", "DateMention", "find_dates", "fold_text", "resolve"]

MONTHS = {
    1: "januar jänner january janvier jan janv",
    2: "februar february fevrier feb febr fev fevr",
    3: "marz march mars mar mrz",
    4: "april avril apr avr",
    5: "mai may",
    6: "juni june juin jun",
    7: "juli july juillet jul juil",
    8: "august aout aug",
    9: "september septembre sep sept",
    10: "oktober october octobre okt oct",
    11: "november novembre nov",
    12: "dezember december decembre dez dec",
}
_MONTH_OF = {name: n for n, names in MONTHS.items() for name in names.split()}
WEEKDAYS = {
    0: "montag monday lundi",
    1: "dienstag tuesday mardi",
    2: "mittwoch wednesday mercredi",
    3: "donnerstag thursday jeudi",
    4: "freitag friday vendredi",
    5: "samstag sonnabend saturday samedi",
    6: "sonntag sunday dimanche",
}
_WEEKDAY_OF = {name: n for n, names in WEEKDAYS.items() for name in names.split()}

_M = "(?:" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\.?"
#: for other modules: a month's name (folded, "mai", "févr." as "fevr.") and its number
MONTH_PATTERN = _M
MONTH_NUMBER = _MONTH_OF
_W = "(?:" + "|".join(sorted(_WEEKDAY_OF, key=len, reverse=True)) + ")"
_Y = r"(?:19|20)\d\d"

# patterns run on the folded text (lower case, accents dropped, same length as the original)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # the formal style of signed documents: "the 29th day of October, 2013", "this 3rd day of May 2019"
    (
        "day-of",
        re.compile(rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+({_M})\s*,?\s*(?:in the year\s+)?({_Y})(?!\d)"),
    ),
    (
        "full",
        re.compile(
            rf"(?<!\w)(?:{_W},?\s+)?(?:le\s+)?(\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?:of\s+)?({_M})\s*,?\s*({_Y})(?!\d)"
        ),
    ),
    ("full-en", re.compile(rf"(?<!\w)(?:{_W},?\s+)?({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+({_Y})(?!\d)")),
    ("numeric", re.compile(r"(?<![\w./])(\d{1,2})\.(\d{1,2})\.((?:19|20)?\d\d)(?![\w.]*\d)")),
    ("iso", re.compile(r"(?<![\w/])((?:19|20)\d\d)[-/](\d{1,2})[-/](\d{1,2})(?![\w/])")),
    ("last-month", re.compile(rf"(?<!\w)(?:last|im vergangenen|im letzten|letzten)\s+({_M})(?!\w)")),
    ("last-month-fr", re.compile(rf"(?<!\w)(?:en|au mois de)\s+({_M})\s+dernier(?!\w)")),
    ("month-year", re.compile(rf"(?<!\w)({_M})\s+({_Y})(?!\d)")),
    ("day-month", re.compile(rf"(?<!\w)(?:({_W}),?\s+)?(?:le\s+)?(\d{{1,2}})(?:er)?\.?\s+({_M})(?!\w)")),
    # English: "on December 3", "Monday, Dec. 4th" (no year: the latest before the base, as "3 décembre")
    ("month-day", re.compile(rf"(?<!\w)(?:({_W}),?\s+)?({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])")),
    ("weekday", re.compile(rf"(?<!\w)(?:am\s+|on\s+|last\s+|le\s+|ce\s+|vergangenen\s+)?({_W})(?!\w)")),
    # periods: what the text implies, at the precision the period allows
    (
        "this-year",
        re.compile(
            r"(?<!\w)(?:earlier this year|this year|dieses jahr(?:es)?|in diesem jahr|cette annee|cet an)(?!\w)"
        ),
    ),
    (
        "last-year",
        re.compile(
            r"(?<!\w)(?:last year|im vergangenen jahr|im letzten jahr|letztes jahr|vergangenes jahr|im vorjahr|"
            r"l.an dernier|l.annee derniere|l.an passe|l.annee passee)(?!\w)"
        ),
    ),
    (
        "this-month",
        re.compile(r"(?<!\w)(?:earlier this month|this month|diesen monat|in diesem monat|ce mois.ci)(?!\w)"),
    ),
    (
        "last-month-rel",
        re.compile(
            r"(?<!\w)(?:last month|im vergangenen monat|im letzten monat|letzten monat|vergangenen monat|"
            r"le mois dernier|le mois passe)(?!\w)"
        ),
    ),
    (
        "this-week",
        re.compile(r"(?<!\w)(?:earlier this week|this week|diese woche|in dieser woche|cette semaine)(?!\w)"),
    ),
    ("today", re.compile(r"(?<!\w)(?:heute|heutigen|today|aujourd.hui|ce jour)(?!\w)")),
    ("yesterday", re.compile(r"(?<!\w)(?:gestern|yesterday|vorgestern)(?!\w)")),
    ("hier", re.compile(r"(?<!\w)hier(?!\w)")),
    ("month", re.compile(rf"(?<!\w)(?:im|in|en|au mois de|mitte|anfang|ende|since|seit)\s+({_M})(?!\s*\d)(?!\w)")),
    ("year", re.compile(rf"(?<![\w/.,-])({_Y})(?![\w/-]|\.\d)")),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    kind: str  # which pattern: full, numeric, weekday, today, ...
    value: str | None  # YYYY, YYYY-MM or YYYY-MM-DD once resolved; None when it cannot be
    precision: str  # day, month or year
    relative: bool  # resolved against a base date


def fold_text(text: str) -> str:
    import unicodedata

    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(kept[0].lower() if kept else ch)  # one character per character: offsets stay
    return "".join(out)


def _parse_full(text: str, lang: str) -> dt.date | None:
    import dateparser

    parsed = dateparser.parse(text, languages=[lang, "de", "en", "fr"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


def _latest_weekday(base: dt.date, weekday: int) -> dt.date:
    return base - dt.timedelta(days=(base.weekday() - weekday) % 7)


def _latest_month(base: dt.date, month: int) -> str:
    year = base.year if month <= base.month else base.year - 1
    return f"{year}-{month:02d}"


def _period(kind: str, ref: dt.date | None) -> tuple[str | None, str]:
    """A period named relative to the base, at the precision it allows ("this week" across two months: the year)."""
    precision = "year" if kind.endswith("year") else "month"
    if ref is None:
        return None, precision
    if kind == "this-year":
        return str(ref.year), "year"
    if kind == "last-year":
        return str(ref.year - 1), "year"
    if kind == "this-month":
        return f"{ref.year}-{ref.month:02d}", "month"
    if kind == "last-month-rel":
        before = ref.replace(day=1) - dt.timedelta(days=1)
        return f"{before.year}-{before.month:02d}", "month"
    monday = ref - dt.timedelta(days=ref.weekday())  # this week: from its Monday up to the base
    if monday.month == ref.month:
        return f"{ref.year}-{ref.month:02d}", "month"
    if monday.year == ref.year:
        return str(ref.year), "year"
    return None, "year"


def find_dates(text: str, lang: str, *, base: dt.date | None, offset: int = 0) -> list[DateMention]:
    """Every date expression of ``text`` (one sentence), resolved where it can be, left to right."""
    folded = fold_text(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    sentence_base = base
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            a, b = m.span()
            if any(a < e and s < b for s, e in taken):
                continue
            if (kind == "hier" and lang != "fr") or (kind == "month-day" and lang != "en"):
                continue
            raw = text[a:b]
            value: str | None = None
            precision = "day"
            relative = False
            g = m.groups()
            if kind in ("full", "full-en", "numeric", "iso", "day-of"):
                if kind == "day-of":
                    try:
                        value = dt.date(int(g[2]), _MONTH_OF[g[1].rstrip(".")], int(g[0])).isoformat()
                    except ValueError:
                        continue
                elif kind == "numeric":
                    year = int(g[2]) + (2000 if len(g[2]) == 2 and int(g[2]) < 70 else 1900 if len(g[2]) == 2 else 0)
                    try:
                        value = dt.date(year, int(g[1]), int(g[0])).isoformat()
                    except ValueError:
                        continue
                elif kind == "iso":
                    try:
                        value = dt.date(int(g[0]), int(g[1]), int(g[2])).isoformat()
                    except ValueError:
                        continue
                else:
                    parsed = _parse_full(raw, lang)
                    if parsed is None:
                        continue
                    value = parsed.isoformat()
            elif kind == "month-year":
                value, precision = f"{g[1]}-{_MONTH_OF[g[0].rstrip('.')]:02d}", "month"
            elif kind == "year":
                value, precision = g[0], "year"
            else:
                relative = True
                ref = sentence_base
                if kind in ("this-year", "last-year", "this-month", "last-month-rel", "this-week"):
                    value, precision = _period(kind, ref)
                    if value is None and ref is not None:
                        continue
                elif kind in ("last-month", "last-month-fr", "month"):
                    precision = "month"
                    if ref is not None:
                        value = _latest_month(ref, _MONTH_OF[g[0].rstrip(".")])
                elif ref is None:
                    value = None
                elif kind == "today":
                    value = ref.isoformat()
                elif kind in ("yesterday", "hier"):
                    value = (ref - dt.timedelta(days=2 if raw.lower().startswith("vor") else 1)).isoformat()
                elif kind == "weekday":
                    value = _latest_weekday(ref, _WEEKDAY_OF[g[0]]).isoformat()
                elif kind in ("day-month", "month-day"):
                    if kind == "month-day":
                        g = (g[0], g[2], g[1])
                    month, day = _MONTH_OF[g[2].rstrip(".")], int(g[1])
                    try:
                        guess = dt.date(ref.year, month, day)
                    except ValueError:
                        continue
                    if guess > ref:
                        guess = guess.replace(year=ref.year - 1)
                    if g[0] is not None and guess.weekday() != _WEEKDAY_OF[g[0]]:
                        # "dimanche 10 décembre": the year, next to the base's, in which that day is a Sunday
                        fits = []
                        for year in (ref.year - 1, ref.year, ref.year + 1):
                            try:
                                day_in = dt.date(year, month, day)
                            except ValueError:
                                continue
                            if day_in.weekday() == _WEEKDAY_OF[g[0]]:
                                fits.append(day_in)
                        if len(fits) == 1:
                            guess = fits[0]
                    value = guess.isoformat()
            if (
                value
                and precision == "day"
                and re.search(
                    r"(?<!\d)\d{1,2}(?:er)?\.?\s*(?:et|and|und|au|bis|to|-|–)\s*$", folded[max(0, a - 12) : a]
                )
            ):
                # "les 17 et 18 mars", "du 18 au 20 mai", "17-18 March": a range of days, so the month
                value, precision = value[:7], "month"
            taken.append((a, b))
            found.append(DateMention(offset + a, offset + b, raw, kind, value, precision, relative))
    found.sort(key=lambda d: d.start)
    # a full date earlier in the sentence is the base of the relative ones after it ("vom 8. Februar 2017 ... heute")
    out: list[DateMention] = []
    anchor: str | None = None
    for d in found:
        if d.kind in ("full", "full-en", "numeric", "iso", "day-of"):
            anchor = d.value
        elif d.relative and anchor is not None and d.kind in ("today", "yesterday", "hier", "weekday"):
            d = _rebase(d, dt.date.fromisoformat(anchor), lang)
        out.append(d)
    return out


def _rebase(d: DateMention, base: dt.date, lang: str) -> DateMention:
    again = find_dates(d.text, lang, base=base, offset=d.start)
    return again[0] if again else d


def resolve(text: str, lang: str, *, base: dt.date | None) -> str | None:
    """The first date of ``text``, resolved (for tests and the CLI's --date check)."""
    found = [d for d in find_dates(text, lang, base=base) if d.value]
    return found[0].value if found else None


def document_date(sentences: list[str], lang: str) -> tuple[str, int] | None:
    """The document's own date: the first full date among its first lines (a dateline), and where."""
    seen = 0
    for index, sentence in enumerate(sentences):
        for d in find_dates(sentence, lang, base=None):
            if d.kind in ("full", "full-en", "numeric", "iso", "day-of") and d.value:
                return d.value, index
        seen += len(sentence)
        if seen > 700:
            break
    return None
