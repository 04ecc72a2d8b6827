"""The VoID page in three languages, its numbers written per language (Babel), over a real server."""

from __future__ import annotations

import re

import pytest
from sparql_http import Server

NUMBER = {"en": r"\d{1,3}(,\d{3})+", "de": r"\d{1,3}(\.\d{3})+", "fr": r"\d{1,3}(\u202f\d{3})+"}


@pytest.mark.parametrize(("lang", "word"), [("en", "triples"), ("de", "Tripel"), ("fr", "triplets")])
def test_void_page_speaks_the_language_and_writes_its_numbers(staff_server: Server, lang: str, word: str) -> None:
    reply = staff_server.get("/.well-known/void", params={"format": "html", "lang": lang})
    assert reply.status == 200 and reply.content_type == "text/html"
    dd = re.search(rf"<dt>{word}</dt><dd>([^<]+)</dd>", reply.text)
    assert dd is not None, reply.text[:2000]
    assert re.fullmatch(NUMBER[lang], dd.group(1)), dd.group(1)
