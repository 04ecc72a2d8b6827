"""Reading an announcement: plain text or HTML in, one plain text with sentence offsets out.

Every offset the drafter reports is a character offset into :attr:`Document.text` (the
HTML's text with tags dropped and block elements as line breaks), so the review page
can highlight evidence in exactly the text it shows. Sentences are split by rules: a
line is a segment of its own (headlines, datelines), and inside a line a sentence
ends at ``.!?`` before a capital, except after a number ("am 19. Juni") or a known
abbreviation ("Dr.", "Prof.", "févr.").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import UsageError

__all__ = ["LANGUAGES", "MAX_CHARS", "Document", "DraftInputError", "Sentence", "detect_language", "read_text"]

#: The longest text drafted, in characters (a press release is a few thousand).
MAX_CHARS = 200_000
LANGUAGES = ("de", "en", "fr")


class DraftInputError(UsageError):
    """The text cannot be drafted from (empty, too long, unknown language)."""


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    line_start: bool  # the sentence begins a line (a headline or a paragraph's first sentence)
    whole_line: bool  # the sentence is the whole line (headline, dateline, teaser)


@dataclass
class Document:
    text: str
    language: str
    sentences: list[Sentence] = field(default_factory=list)
    title: str = ""

    def sentence_at(self, offset: int) -> Sentence:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return self.sentences[-1]


_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "title",
    "dd",
    "dt",
}


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript", "template") and self.skip:
            self.skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self._in_title:
            self.title += data
            return
        self.parts.append(data)


def _looks_like_html(raw: str) -> bool:
    head = raw[:2000].lower()
    return "<html" in head or "<body" in head or "<p>" in head or "<p " in head or "<div" in head or "<!doctype" in head


def plain_text(raw: str) -> tuple[str, str]:
    """(text, title) of a plain-text or HTML announcement; HTML loses its tags, keeps its line breaks."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if not _looks_like_html(raw):
        return raw, ""
    parser = _TextOf()
    parser.feed(raw)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:  # at most one empty line between blocks
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip(), " ".join(parser.title.split())


# --- language ------------------------------------------------------------------------------

_STOP = {
    "de": "der die das und ist mit für den dem von zu ein eine sich auf im des nicht wird haben sie zur zum auch "
    "bei nach über wie einer einen als noch werden",
    "en": "the and of to in is with for on that by was has have are from its this which an will their at "
    "were been as be",
    "fr": "le la les et des du un une est pour dans avec sur qui au aux été ont sont cette ses leur par pas d l qu",
    # not ours: a text in one of these is refused rather than drafted as French or English
    "es": "el los las y que por con para una del se lo su al como más pero sus",
    "it": "il gli e che di per con una della è nel alla dei delle sono anche più non",
    "nl": "het een en van op voor met zijn niet dat ook bij naar werd wordt aan",
    "pt": "o os as e que em para com uma do da dos das não por mais ao se",
}
_STOPSETS = {lang: set(words.split()) for lang, words in _STOP.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def language_scores(text: str) -> dict[str, float]:
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if not words:
        return {}
    return {lang: sum(1 for w in words if w in stop) / len(words) for lang, stop in _STOPSETS.items()}


def detect_language(text: str) -> str | None:
    """``de``, ``en`` or ``fr`` by function words; None when the text is too short or in another language."""
    scores = language_scores(text)
    if not scores or len(_WORD.findall(text[:20_000])) < 12:
        return None
    best = max(scores, key=lambda k: scores[k])
    if best not in LANGUAGES or scores[best] < 0.06:
        return None
    return best


# --- sentences -----------------------------------------------------------------------------

_ABBREV = {
    "dr",
    "mm",
    "mme",
    "mmes",
    "messrs",
    "prof",
    "st",
    "mr",
    "mrs",
    "ms",
    "m",
    "nr",
    "bzw",
    "ca",
    "vgl",
    "usw",
    "etc",
    "h",
    "c",
    "hc",
    "jan",
    "feb",
    "febr",
    "mär",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "oct",
    "nov",
    "dez",
    "dec",
    "janv",
    "févr",
    "fév",
    "avr",
    "juil",
    "déc",
    "no",
    "art",
    "abs",
    "inc",
    "ltd",
    "co",
    "vs",
    "z",
    "b",
    "u",
    "a",
    "mio",
    "mrd",
    "jr",
    "hon",
    "sr",
    "gen",
    "dipl",
    "ing",
    "phil",
    "med",
    "rer",
    "nat",
    "pres",
}
# a sentence's end, also without the space a copied page lost ("localities.The agreement"): a word of three
# small letters and a word that starts in capitals
_END = re.compile(r"[.!?…]+[\"“”»’')]*\s+|(?<=[a-zäöüéèàç]{3})[.!?](?=[A-ZÄÖÜÉÈÀ][a-zäöüéèàç])")


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(line):
        cut = m.end()
        nxt = line[cut : cut + 1]
        if not nxt or not (nxt.isupper() or nxt in "„\"“«'‘("):
            continue
        before = line[start : m.start()]
        last = re.split(r"[\s(]", before)[-1] if before else ""
        token = last.lower().rstrip(".")
        if "." in line[m.start() : m.start() + 1] and (
            (token.isdigit() and not re.fullmatch(r"(?:19|20)\d\d", token))  # "am 19. Juni", not "Mai 2021. Die"
            or token in _ABBREV
            or (len(last) == 1 and last.isupper())
            or re.fullmatch(r"(\w\.)+\w", last)
        ):
            continue
        end = m.start() + len(m.group(0).rstrip())
        spans.append((offset + start, offset + end))
        start = cut
    if line[start:].strip():
        spans.append((offset + start, offset + len(line.rstrip())))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    paragraph = 0
    pos = 0
    for line in text.split("\n"):
        if not line.strip():
            paragraph += 1
            pos += len(line) + 1
            continue
        lead = len(line) - len(line.lstrip())
        spans = _split_line(line[lead:], pos + lead)
        for i, (a, b) in enumerate(spans):
            sentences.append(Sentence(len(sentences), a, b, text[a:b], paragraph, i == 0, len(spans) == 1))
        pos += len(line) + 1
        if len(spans) == 1 and not line.rstrip().endswith((".", "!", "?", ":", "“", '"', "»")):
            paragraph += 1  # a headline or dateline is a paragraph of its own
    return sentences


def read_text(raw: str | bytes, *, lang: str | None = None, where: str = "the text") -> Document:
    """A :class:`Document` of ``raw``; :class:`DraftInputError` says what is wrong with it."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_CHARS * 8:
            raise DraftInputError(
                f"{where}: {len(raw):,} bytes is too long to draft (at most {MAX_CHARS:,} characters)"
            )
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            source = raw.decode("cp1252", errors="replace")
    else:
        source = raw
    if lang is not None and lang not in LANGUAGES:
        raise DraftInputError(f"{where}: language {lang!r} is not one the drafter knows; use de, en or fr")
    text, title = plain_text(source)
    # a line broken inside a sentence ("ont signé, mardi" / "dans la capitale française, une convention"): the
    # next line goes on with a word in lower case (not after a comma: "Liebe Freunde aus X,\nliebe …" is a
    # list of lines); one space for the break keeps every offset
    text = re.sub(r"(?<=[^\s.,!?:;\"»“])\n(?=[a-zäöüßàâçéèêëîïôûù]+[\s,])", " ", text)
    if not text.strip():
        raise DraftInputError(f"{where}: the text is empty; nothing to draft")
    if len(text) > MAX_CHARS:
        raise DraftInputError(f"{where}: {len(text):,} characters is too long to draft (at most {MAX_CHARS:,})")
    language = lang or detect_language(text)
    if language is None:
        raise DraftInputError(
            f"{where}: the language is not German, English or French (or the text is too short to tell); "
            "give it with --lang de|en|fr if it is one of them"
        )
    sentences = split_sentences(text)
    if not title:
        title = next((s.text.strip() for s in sentences if s.whole_line and len(s.text.split()) >= 3), "")
    if not title and sentences:  # no headline: the first sentence, cut at a word
        first = sentences[0].text.strip()
        title = first if len(first) <= 150 else first[:150].rsplit(" ", 1)[0] + " …"
    return Document(text, language, sentences, title[:300])
