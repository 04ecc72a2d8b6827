"""The /draft page over HTTP: drafting, downloading, importing with the token, and bad input."""

from __future__ import annotations

import contextlib
import http.client
import json
import uuid
from pathlib import Path

import yaml
from sparql_http import TOKEN, Server

DATA = Path(__file__).parent / "data"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in (files or {}).items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post_refused_early(server: Server, path: str, body: bytes, ctype: str) -> tuple[int, str]:
    """POST a large body; the server answers before reading it and closes, so stop sending then and read."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.putrequest("POST", path)
        conn.putheader("Content-Type", ctype)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for i in range(0, len(body), 1 << 20):
                conn.send(body[i : i + (1 << 20)])
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def test_the_form_in_three_languages(draft_site: Server) -> None:
    titles = {
        "de": "Fakten aus einer Mitteilung entwerfen",
        "en": "Draft facts from an announcement",
        "fr": "Proposer des faits à partir d’un communiqué",
    }
    for lang, title in titles.items():
        reply = draft_site.get(f"/draft?lang={lang}")
        assert reply.status == 200 and f"<h1>{title}</h1>" in reply.text
        assert f'<html lang="{lang}">' in reply.text


def test_seed_upload_is_reviewed_with_marked_evidence(draft_site: Server) -> None:
    body, ctype = multipart({"text": ""}, {"file": ("seed.txt", (DATA / "seed.txt").read_bytes())})
    reply = draft_site.request("POST", "/draft?lang=en", body=body, headers={"Content-Type": ctype})
    assert reply.status == 200, reply.text
    page = reply.text
    assert '<option value="strategic-partnership" selected>' in page
    assert 'id="ev-a0-kind">strategische Partnerschaft</mark>' in page
    assert 'id="ev-a0-sig1">Martine Biron</mark>' in page
    assert 'id="ev-a0-field0">Wirtschaft</mark>' in page
    assert 'value="Peter Tschentscher"' in page and 'value="Bürgermeister"' in page
    assert 'value="economy; science; research; culture"' in page
    assert 'id="draft-token"' in page  # the server has an update token: direct import is offered
    # the proposal's calibrated confidence, with what it means
    assert 'title="About this share of such proposals had the right kind and parties' in page
    # the empty agreements start with the proposal's kind and a party of it (most further agreements share them),
    # unticked
    n = page.count('<fieldset class="proposal" id="proposal-')
    blank = page.split(f'class="proposal draft-blank" id="proposal-{n}"', 1)[1].split("</fieldset>", 1)[0]
    assert f'<input type="checkbox" name="a{n}_keep"> keep' in blank and "the first proposal" in blank
    assert '<option value="strategic-partnership" selected>' in blank and '<option value="" selected>' not in blank
    assert f'name="a{n}_party_1" value="Hamburg"' in blank and f'name="a{n}_party_2" value=""' in blank


def test_json_twin(draft_site: Server) -> None:
    body, ctype = multipart({"text": (DATA / "seed.txt").read_text(encoding="utf-8"), "date": "2024-02-28"})
    reply = draft_site.request("POST", "/draft.json", body=body, headers={"Content-Type": ctype})
    assert reply.status == 200 and reply.content_type == "application/json"
    data = reply.json()
    assert data["agreements"][0]["kind"] == "strategic-partnership"
    assert data["rows"][0]["party_2"] == "Québec"


def _graphs(server: Server) -> set[str]:
    return {r["g"] for r in server.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def test_bad_input_writes_nothing(draft_site: Server) -> None:
    before = _graphs(draft_site)
    for text, status, message in (
        ("", 400, "the text is empty"),
        ((DATA / "spanish.txt").read_text(encoding="utf-8"), 400, "not German, English or French"),
    ):
        reply = draft_site.form("/draft?lang=en", {"text": text})
        assert reply.status == status and message in reply.text
    reply = draft_site.form("/draft?lang=en", {"text": (DATA / "no-agreement.txt").read_text(encoding="utf-8")})
    assert reply.status == 200 and 'id="draft-none"' in reply.text
    # a 50 MB upload: refused before it is read, with a message on the page
    body, ctype = multipart({}, {"file": ("big.txt", b"x" * 50_000_000)})
    status, page = post_refused_early(draft_site, "/draft?lang=de", body, ctype)
    assert status == 413 and "Die Datei ist zu groß: höchstens 1,048,576 Bytes" in page
    # import without or with a wrong token
    rows = {
        "a0_kind": "strategic-partnership",
        "a0_keep": "on",
        "a0_party_1": "Hamburg",
        "a0_party_2": "Québec",
        "source_title": "t",
        "source_publisher": "p",
        "source_date": "2024-02-28",
        "action": "import",
    }
    assert draft_site.form("/draft/rows", rows).status == 401
    assert draft_site.form("/draft/rows", {**rows, "token": "wrong"}).status == 401
    assert _graphs(draft_site) == before


def test_download_and_import_with_the_token(draft_site: Server) -> None:
    rows = {
        "a0_kind": "strategic-partnership",
        "a0_keep": "on",
        "a0_party_1": "Hamburg",
        "a0_party_2": "Québec",
        "a0_date": "2024-02-20",
        "a0_signatory_1": "Peter Tschentscher",
        "a0_post_1": "Bürgermeister",
        "a0_fields": "economy; culture",
        "a1_kind": "city-twinning",
        "a1_party_1": "Hamburg",
        "a1_party_2": "Marseille",  # not kept: dropped
        "source_title": "Hamburg und Québec unterzeichnen strategische Partnerschaft (test)",
        "source_publisher": "hamburg.de",
        "source_date": "2024-02-28",
        "source_language": "de",
        "source_url": "https://www.hamburg.de/test-draft",
    }
    reply = draft_site.form("/draft/rows", {**rows, "action": "yaml"})
    assert reply.status == 200 and "attachment" in reply.headers["Content-Disposition"]
    parsed = yaml.safe_load(reply.text)
    assert [r["kind"] for r in parsed] == ["strategic-partnership"]
    # a row the authoring checks refuse: nothing written, the problem listed
    bad = draft_site.form("/draft/rows", {**rows, "a0_kind": "no-such-kind", "action": "import", "token": TOKEN})
    assert bad.status == 422 and "unknown kind" in bad.text
    before = _graphs(draft_site)
    reply = draft_site.form("/draft/rows?lang=en", {**rows, "action": "import", "token": TOKEN})
    assert reply.status == 200 and 'id="draft-imported"' in reply.text, reply.text
    new = _graphs(draft_site) - before
    assert len(new) == 1
    graph = new.pop()
    assert draft_site.ask(
        "PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX schema: <https://schema.org/> "
        f"ASK {{ GRAPH <{graph}> {{ ?a rg:party <https://w3id.org/relgraph/id/region/quebec> ; rg:field ?f . "
        "?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc . ?doc schema:url <https://www.hamburg.de/test-draft> } }"
    )
    data = json.loads(draft_site.get("/health").text)
    assert data  # the server still answers after the write


def test_an_agreement_the_draft_missed_is_added_from_the_texts_names(draft_site: Server) -> None:
    text = (DATA / "no-agreement.txt").read_text(encoding="utf-8")
    reply = draft_site.form("/draft?lang=en", {"text": text})
    page = reply.text
    assert reply.status == 200 and 'id="draft-none"' in page
    # empty agreements, none kept unless ticked, their party and signer boxes backed by the text's names: the
    # first open, seven more folded for a text that tells several
    assert 'class="proposal draft-blank" id="proposal-0"' in page
    assert '<input type="checkbox" name="a0_keep"> keep' in page
    assert '<option value="" selected>—</option>' in page and 'name="a0_party_1" value=""' in page  # nothing to copy
    folded = page.split('<details class="draft-more" id="draft-more">', 1)[1].split("</details>", 1)[0]
    assert "proposal-0" not in folded
    assert [f'id="proposal-{i}"' in folded for i in range(1, 9)] == [True] * 7 + [False]
    assert all(f'<input type="checkbox" name="a{i}_keep"> keep' in folded for i in range(1, 8))
    assert 'list="draft-names"' in page and 'list="draft-people"' in page
    names = page.split('<datalist id="draft-names">', 1)[1].split("</datalist>", 1)[0]
    assert '<option value="Hamburg">' in names and "Schleswig-Holstein" in names
    assert 'id="draft-yaml"' in page  # the source and the download are offered without proposals too
    rows = {
        "a0_kind": "joint-declaration",
        "a0_keep": "on",
        "a0_party_1": "Hamburg",
        "a0_party_2": "Schleswig-Holstein",
        "source_title": "Landesregierungen vertiefen Zusammenarbeit",
        "source_publisher": "hamburg.de",
        "source_date": "2021-09-29",
        "action": "yaml",
    }
    parsed = yaml.safe_load(draft_site.form("/draft/rows", rows).text)
    assert [(r["kind"], r["party_1"], r["party_2"]) for r in parsed] == [
        ("joint-declaration", "Hamburg", "Schleswig-Holstein")
    ]
    # two more from the folded ones, one of them ticked: the ticked ones kept, in order
    more = {
        **rows,
        **{"a3_kind": "city-twinning", "a3_keep": "on", "a3_party_1": "Hamburg", "a3_party_2": "Marseille"},
        **{"a5_kind": "city-twinning", "a5_party_1": "Hamburg", "a5_party_2": "León"},
    }
    parsed = yaml.safe_load(draft_site.form("/draft/rows", more).text)
    assert [(r["kind"], r["party_2"]) for r in parsed] == [
        ("joint-declaration", "Schleswig-Holstein"),
        ("city-twinning", "Marseille"),
    ]
    # the empty one left unticked: nothing kept, said so
    untouched = {k: v for k, v in rows.items() if k != "a0_keep"}
    assert draft_site.form("/draft/rows?lang=en", untouched).status == 400
