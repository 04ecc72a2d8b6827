"""relgraph.overview (the figures of the maps and charts) and relgraph.facets on a small store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph import facets, overview
from relgraph.summary import Runner, store_runner

DATA = Path(__file__).resolve().parent / "data" / "figures.trig"
ID = "https://w3id.org/relgraph/id/"
ALPHA = ID + "city/alpha"


@pytest.fixture(scope="module")
def run() -> Runner:
    store = ox.Store()
    store.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    return store_runner(store)


def test_partners_with_their_relations_and_coordinates(run: Runner) -> None:
    found = {p.iri.removeprefix(ID): p for p in overview.partners(run, ALPHA)}
    assert set(found) == {"city/beta", "city/gamma", "country/bland"}
    assert (found["city/beta"].relations, found["city/beta"].lat, found["city/beta"].long) == (2, -33.9, 151.2)
    assert (found["city/gamma"].relations, found["city/gamma"].lat) == (1, None)  # no coordinates: still a partner
    assert overview.coordinates(run, ALPHA) == (10.5, 20.25)
    assert overview.coordinates(run, ID + "city/gamma") is None


@pytest.mark.parametrize("engine", ["virtuoso", "generic"])
def test_engines_without_lateral_get_the_same_partners_in_sparql_1_1(
    run: Runner, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_lateral = overview.partners(run, ALPHA)
    monkeypatch.setenv("RELGRAPH_ENGINE", engine)
    assert "LATERAL" not in overview.shown_query("partners", ALPHA)
    assert sorted(overview.partners(run, ALPHA), key=lambda p: p.iri) == sorted(with_lateral, key=lambda p: p.iri)
    monkeypatch.delenv("RELGRAPH_ENGINE")
    assert "LATERAL" in overview.shown_query("partners", ALPHA)


def test_years_kinds_and_countries(run: Runner) -> None:
    # the earliest date counts (1990, not the other source's 1991); validFrom when there is no signing
    assert [(c.iri, c.relations) for c in overview.per_year(run, ALPHA)] == [("1990", 1), ("2001", 1)]
    kinds = {c.iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: c.relations for c in overview.per_kind(run, ALPHA)}
    assert kinds == {"city-twinning": 1, "Cooperation": 1, "Agreement": 1}
    countries = {c.iri.removeprefix(ID): c.relations for c in overview.partner_countries(run, ALPHA)}
    assert countries == {"country/bland": 3}  # Beta (two), Gamma and Bland itself in the cooperation
    assert [p.iri for p in overview.top_places(run)][:1] == [ALPHA]  # the whole graph


@pytest.mark.parametrize("name", ["partners", "per_year", "per_kind", "partner_countries", "coordinates"])
def test_the_shown_query_gives_what_the_page_draws(run: Runner, name: str) -> None:
    shown = overview.shown_query(name, ALPHA)
    assert f"VALUES ?x {{ <{ALPHA}> }}" in shown
    assert len(run(shown, {})) == len(run(overview.QUERIES[name], {"x": ox.NamedNode(ALPHA)}))
    with pytest.raises(ValueError, match="not an IRI"):
        overview.shown_query(name, "https://x/> } DROP ALL {")


def test_facets_of_a_type_and_filtered_listing(run: Runner) -> None:
    cities = facets.kind_facets(run, ID, "city")
    assert cities["country"][0] == (ID + "country/bland", 2)
    assert dict(cities["source"]) == {
        "https://w3id.org/relgraph/graph/one": 3,
        "https://w3id.org/relgraph/graph/two": 1,
    }
    listed, total = facets.instances_where(run, ID, "city", {"country": ID + "country/bland"})
    assert sorted(listed) == [ID + "city/beta", ID + "city/gamma"] and total == 2
    listed, total = facets.instances_where(
        run, ID, "city", {"country": ID + "country/bland", "source": "https://w3id.org/relgraph/graph/two"}
    )
    assert (listed, total) == ([], 0)
    with pytest.raises(ValueError, match="unknown facet colour"):
        facets.instances_where(run, ID, "city", {"colour": "red"})


def test_facet_values_and_tally(run: Runner) -> None:
    iris = [ID + "agreement/ab-1", ID + "agreement/ab-2", ALPHA]
    values = facets.facet_values(run, iris)
    assert values[ID + "agreement/ab-1"]["status"] == {"https://w3id.org/relgraph/concept/status/active"}
    counts = facets.tally(values, iris)
    assert dict(counts["source"])["https://w3id.org/relgraph/graph/one"] == 3
    assert counts["kind"] == [("https://w3id.org/relgraph/concept/agreement-type/city-twinning", 1)]
