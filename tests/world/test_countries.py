"""Countries as entities: ISO codes (pycountry), CLDR names (Babel), the sources' spellings, the country graph."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.namespaces import DCT, RDFS_LABEL, RG, SKOS
from relgraph.world.countries import countries, country_quads, resolve_country

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "data" / "external"
SPELLINGS = Path(__file__).parent / "data" / "country_spellings.tsv"
BASE = "https://w3id.org/relgraph/"
CURATED = ["germany", "canada", "russia", "france", "china", "japan", "nicaragua", "czechia", "united-states",
           "tanzania", "belgium"]  # fmt: skip


def spellings() -> list[dict[str, str]]:
    lines = [line for line in SPELLINGS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def test_curated_country_iris_are_the_cldr_slugs() -> None:
    slugs = {c.slug for c in countries()}
    assert set(CURATED) <= slugs
    used = set()
    for path in (ROOT / "data").rglob("*.trig"):
        used |= set(re.findall(r"id/country/([a-z0-9-]+)", path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"^\s*country:([a-z0-9-]+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert used, "the bundled data names no country"
    assert used <= slugs, f"curated country IRIs without a country entity: {sorted(used - slugs)}"


def test_the_table_lists_every_spelling_of_the_bundled_sources() -> None:
    names = set()
    with (EXTERNAL / "wikipedia_twin_towns_2026.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names |= {row["country1"], row["country2"]}
    with (EXTERNAL / "gpm_declaration_democracy_2025.csv").open(encoding="utf-8") as handle:
        names |= {row["country"] for row in csv.DictReader(handle)}
    members = json.loads((EXTERNAL / "eurocities_members_2025.json").read_text(encoding="utf-8"))["members"]
    names |= {m["country_name"] for m in members}
    assert {s["spelling"] for s in spellings()} == names
    assert len(names) == 245


@pytest.mark.parametrize("row", spellings(), ids=lambda r: r["spelling"] or "(empty)")
def test_every_source_spelling_resolves_as_listed(row: dict[str, str]) -> None:
    match = resolve_country(row["spelling"])
    if row["country"] == "REPORTED":
        assert match is None
        return
    assert match is not None, row
    assert (match.slug, match.region or "", match.region_code or "", match.how) == (
        row["country"],
        row["region"],
        row["region_code"],
        row["how"],
    )


@pytest.mark.parametrize(
    ("spelling", "slug", "region", "code"),
    [
        ("Grece", "greece", None, None),
        ("Kazakhstah", "kazakhstan", None, None),
        ("Madagaskar", "madagascar", None, None),
        ("Surinam", "suriname", None, None),
        ("Moldavia", "moldova", None, None),
        ("Bosnia and Hercegovina", "bosnia-herzegovina", None, None),
        ("Georgia (country)", "georgia", None, None),
        ("Republic of Ireland", "ireland", None, None),
        ("the Netherlands", "netherlands", None, None),
        ("Ivory Coast", "cote-d-ivoire", None, None),
        ("East Timor", "timor-leste", None, None),
        ("England", "united-kingdom", "England", "GB-ENG"),
        ("England, United Kingdom", "united-kingdom", "England", "GB-ENG"),
        ("Wales", "united-kingdom", "Wales", "GB-WLS"),
        ("Algarve, Portugal", "portugal", "Algarve", None),
        ("New York, United States", "united-states", "New York", None),
        ("Brandenburg, Germany", "germany", "Brandenburg", None),
        ("Northern Cyprus", "northern-cyprus", None, None),
        ("West Bank", "palestine", "West Bank", None),
        ("Palestine", "palestine", None, None),
        ("Taiwan", "taiwan", None, None),
        ("Kosovo", "kosovo", None, None),
        ("in Italy", "italy", None, None),
        ("Island", "iceland", None, None),
        ("USA", "united-states", None, None),
        ("UK", "united-kingdom", None, None),
        ("México", "mexico", None, None),
    ],
)
def test_named_cases(spelling: str, slug: str, region: str | None, code: str | None) -> None:
    match = resolve_country(spelling)
    assert match is not None
    assert (match.slug, match.region, match.region_code) == (slug, region, code)


@pytest.mark.parametrize("spelling", ["", "   ", "Atlantis", "Nowhere, Atlantis"])
def test_unknown_countries_are_not_guessed(spelling: str) -> None:
    assert resolve_country(spelling) is None


def _graph() -> ox.Store:
    store = ox.Store()
    store.extend(country_quads(base=BASE))
    return store


def _objects(store: ox.Store, s: str, p: str) -> list[ox.Literal | ox.NamedNode]:
    return [q.object for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]


def test_country_graph_codes_labels_and_no_wikidata_ids() -> None:
    store = _graph()
    germany = BASE + "id/country/germany"
    labels = {(o.value, o.language) for o in _objects(store, germany, RDFS_LABEL)}
    assert labels == {("Deutschland", "de"), ("Germany", "en"), ("Allemagne", "fr")}
    assert [o.value for o in _objects(store, germany, RG + "countryCode")] == ["DE"]
    assert [o.value for o in _objects(store, germany, RG + "countryCode3")] == ["DEU"]
    assert not list(store.quads_for_pattern(None, ox.NamedNode(RG + "wikidataId"), None))
    kosovo = BASE + "id/country/kosovo"
    assert [o.value for o in _objects(store, kosovo, RG + "countryCode")] == ["XK"]
    assert "user-assigned" in _objects(store, kosovo, SKOS + "note")[0].value
    palestine = {(o.value, o.language) for o in _objects(store, BASE + "id/country/palestine", RDFS_LABEL)}
    assert ("Palestine", "en") in palestine
    england = BASE + "id/region/england"
    assert [o.value for o in _objects(store, england, RG + "subdivisionCode")] == ["GB-ENG"]
    assert [o.value for o in _objects(store, england, RG + "country")] == [BASE + "id/country/united-kingdom"]


def test_country_graph_is_described_with_its_licences() -> None:
    store = _graph()
    graph = BASE + "graph/countries"
    licences = {o.value for o in _objects(store, graph, DCT + "license")}
    assert licences == {
        "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
        "https://www.unicode.org/license.txt",
    }
    for p in (DCT + "title", DCT + "publisher", DCT + "issued", DCT + "language"):
        assert _objects(store, graph, p), p
