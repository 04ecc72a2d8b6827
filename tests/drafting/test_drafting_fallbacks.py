"""General repairs of the third round (drafting/fallbacks.py), each on a small text written for it.

The texts (tests/drafting/data/rules/) are made up: real place names the curated data knows, invented
people and institutions, one mechanism each.
"""

from __future__ import annotations

from pathlib import Path

from relgraph.drafting import draft

RULES = Path(__file__).parent / "data" / "rules"


def _draft(name: str, gazetteer, **kw):
    return draft((RULES / name).read_text(encoding="utf-8"), gazetteer=gazetteer, **kw)


def test_a_country_in_passing_a_place_inside_a_name_and_one_party_written_twice(gazetteer) -> None:
    # "located in Nigeria" is where a party is; "Chicago" (a dateline) is part of "Chicago State University";
    # "the Polytechnic University of Lakeside" is "Lakeside Polytechnic University" again
    [agreement] = _draft("parties-in-passing-en.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Chicago State University", "Lakeside Polytechnic University"]


def test_a_name_with_a_slash_is_one_party(gazetteer) -> None:
    # "Hochschule Zwickau/Dresden": one university, not a university and the city of Dresden
    [agreement] = _draft("slash-name-de.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Hochschule Zwickau/Dresden", "Universität Montreal"]


def test_the_signers_posts_name_the_parties(gazetteer) -> None:
    # "After the agreement signed with Shanghai …": an earlier agreement; the two mayors who sign name the
    # parties of this one, and each signs for the town of the post
    [agreement] = _draft("signers-name-parties-en.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Munich", "Prague"]
    assert {(s.name, s.on_behalf_of) for s in agreement.signatories} == {
        ("Hans Maier", "Munich"),
        ("Jan Novak", "Prague"),
    }
