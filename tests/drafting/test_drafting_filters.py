"""Filters of the fourth round (drafting/filters.py): what is never a fact, on small texts written for them.

The texts (tests/drafting/data/rules/) are made up: real place names, invented people and institutions.
The filters run on proposals built here, as the extractor would have made them, so that each test
checks one filter whatever the sentence rules propose; the counterpart rule runs end to end.
"""

from __future__ import annotations

from pathlib import Path

from relgraph.drafting import draft
from relgraph.drafting.document import read_text
from relgraph.drafting.extract import _Extractor
from relgraph.drafting.filters import (
    clean_parties,
    drop_country_twins,
    drop_non_fields,
    one_signing_each,
    place_of_party,
    post_party,
    resolve_signers,
)
from relgraph.drafting.gazetteer import Gazetteer
from relgraph.drafting.lexicon import lexicon
from relgraph.drafting.model import Agreement, FieldFact, Party, Signatory

RULES = Path(__file__).parent / "data" / "rules"


def _extractor(name: str, lang: str, gazetteer: Gazetteer | None = None) -> _Extractor:
    doc = read_text((RULES / name).read_text(encoding="utf-8"), lang=lang)
    ex = _Extractor(doc, gazetteer or Gazetteer(), lexicon(), None)
    ex.find_people()
    return ex


def _agreement(parties: list[str], fields: list[str] = (), signers: list[tuple[str, str, str | None]] = ()):
    return Agreement(
        "memorandum-of-understanding",
        "memorandum of understanding",
        [Party(p, None, None) for p in parties],
        None,
        None,
        "none",
        signatories=[Signatory(n, post, party) for n, post, party in signers],
        fields=[FieldFact(None, f) for f in fields],
    )


def test_new_fields_that_name_people_posts_parties_or_pointers_are_dropped() -> None:
    ex = _extractor("not-facts-en.txt", "en")
    a = _agreement(
        ["Lakeside University", "Kyoto University"],
        [
            "marine biology",
            "such as aquaculture",
            "Kenji Sato",
            "says Paul Green",
            "the following",
            "Governor",
            "Lakeside University",
            "each city",
            "agreement",
            "Understanding",
        ],
    )
    drop_non_fields(ex, [a])
    assert [f.label for f in a.fields] == ["marine biology", "aquaculture"]


def test_german_new_fields_end_in_their_noun_and_are_no_clause() -> None:
    ex = _extractor("not-facts-de.txt", "de")
    a = _agreement(
        ["München", "Prag"],
        [
            "Technologie mit Eva Kern",
            "bayerische Staatsministerin für Wirtschaft",
            "Tourismus enger zusammenzuarbeiten",
            "z.B. Cleantech",
            "Studierenden und Lehrenden",
            "maritime Wirtschaft anschieben",
            "maritime Wirtschaft",
            "Physio-",
            "BA International Management",
            "Sächsischen Staatsregierung",
        ],
    )
    drop_non_fields(ex, [a])
    # the verb cut: "Tourismus" and "maritime Wirtschaft" (once); the lead-in cut: "Cleantech"
    assert [f.label for f in a.fields] == ["Tourismus", "Cleantech", "maritime Wirtschaft"]


def test_parties_are_cut_before_a_headline_verb_and_are_no_building_or_first_name() -> None:
    ex = _extractor("not-facts-en.txt", "en")
    a = _agreement(
        ["Lakeside University", "Kyoto University Sign International Partnership Agreement", "State Capitol", "Martin"],
        signers=[("Kenji Sato", "President", "Kyoto University Sign International Partnership Agreement")],
    )
    clean_parties(ex, a)
    assert [p.label for p in a.parties] == ["Lakeside University", "Kyoto University"]
    assert a.signatories[0].on_behalf_of == "Kyoto University"


def test_an_agreement_with_the_country_a_party_is_in_is_the_other_agreement_told_again() -> None:
    # "un jumelage entre Boussé au Burkina Faso et Loué en France" read twice: Boussé–Loué and Boussé–France
    right = _agreement(["Lyon", "Bamako"])
    twin = _agreement(["Lyon", "France"])
    other = _agreement(["France", "Mali"])  # two countries: an agreement of its own
    assert drop_country_twins([right, twin, other]) == [right, other]


def test_a_signer_signs_for_the_party_the_post_names_and_the_other_for_the_one_left() -> None:
    a = _agreement(
        ["Communauté urbaine de Lyon", "Dakar"],
        signers=[
            ("Ali Diop", "maire de la commune de Dakar ont signé hier à Lyon", "Communauté urbaine de Lyon"),
            ("Jean Martin", "président", None),
        ],
    )
    resolve_signers(a)
    assert [(s.name, s.on_behalf_of) for s in a.signatories] == [
        ("Ali Diop", "Dakar"),
        ("Jean Martin", "Communauté urbaine de Lyon"),
    ]


def test_the_venue_is_not_the_signers_party_and_the_counterpart_signs_for_it(gazetteer) -> None:
    # "Oberbürgermeister A unterzeichnete in Prag mit seinem Amtskollegen B": A for München, B for Prag
    for name in ("counterpart-venue-de.txt", "counterpart-en.txt"):
        [a] = draft((RULES / name).read_text(encoding="utf-8"), gazetteer=gazetteer).agreements
        signed = {(s.name, s.on_behalf_of) for s in a.signatories}
        assert signed in (
            {("Hans Maier", "München"), ("Jan Novak", "Prag")},
            {("Hans Maier", "Munich"), ("Jan Novak", "Prague")},
        ), name


def test_a_region_named_only_after_en_is_where_the_party_before_it_is() -> None:
    # "Paul Ravel, maire du Lamentin en Martinique": the party is Le Lamentin, not Martinique
    ex = _extractor("place-of-party-fr.txt", "fr")
    a = _agreement(["Martinique", "Kourou"], signers=[("Paul Ravel", "maire", "Martinique")])
    place_of_party(ex, a)
    assert [p.label for p in a.parties] == ["Lamentin", "Kourou"]
    assert a.signatories[0].on_behalf_of == "Lamentin"
    kept = _agreement(["Lyon", "Kourou"])  # named otherwise too: parties
    place_of_party(ex, kept)
    assert [p.label for p in kept.parties] == ["Lyon", "Kourou"]


def test_a_list_after_a_colon_may_be_capitalised() -> None:
    # "dans les domaines suivants : Culture, Sport, Jeunesse, Environnement et développement durable"
    [a] = draft((RULES / "place-of-party-fr.txt").read_text(encoding="utf-8"), gazetteer=Gazetteer()).agreements
    assert {(f.concept or f.label).casefold() for f in a.fields} == {
        "culture",
        "sport",
        "jeunesse",
        "environnement",
        "développement durable",
    }


def test_german_written_without_umlauts_and_people_exchanged_are_no_fields() -> None:
    # "Universitaet Leipzig": an organisation's head without its umlaut; "Austausch von Hochschullehrern,
    # wissenschaftlichen Mitarbeitern und Doktoranden": who is exchanged, not a field
    text = (RULES / "ascii-umlauts-de.txt").read_text(encoding="utf-8")
    [a] = draft(text, lang="de", document_date="1998-03-12", gazetteer=Gazetteer()).agreements
    assert [p.label for p in a.parties] == ["Universitaet Leipzig", "Universitaet Bologna"]
    assert a.date == "1998-03-10"
    assert a.fields == []


def test_the_datelines_party_and_two_signers_of_one_post_for_the_two_parties(gazetteer) -> None:
    # "München – Bürgermeisterin A und …": A signs for München; "Bürgermeisterin B" in the caption, of the same
    # post, for the other party
    text = (RULES / "dateline-same-post-de.txt").read_text(encoding="utf-8")
    [a] = draft(text, lang="de", gazetteer=gazetteer).agreements
    assert {(s.name, s.on_behalf_of) for s in a.signatories} >= {("Anna Berger", "München"), ("Eva Roth", "Prag")}


def test_the_headline_names_the_kind_of_an_agreement_the_text_calls_accord(gazetteer) -> None:
    # "Jumelage entre Munich et Prague" … "la signature de l’accord": the accord is the twinning
    text = (RULES / "headline-kind-fr.txt").read_text(encoding="utf-8")
    [a] = draft(text, lang="fr", gazetteer=gazetteer).agreements
    assert (a.kind, [p.label for p in a.parties]) == ("city-twinning", ["Munich", "Prague"])
    # the headline has no full stop: the name of the next line does not begin in it ("Prague M. Jean Morel")
    assert {s.name for s in a.signatories} == {"Jean Morel", "Paul Ravel"}


def test_a_tally_of_agreements_is_no_agreement() -> None:
    # "57 accords de partenariat ont été signés entre les collectivités …": a count, not one agreement
    ex = _extractor("tally-fr.txt", "fr")
    assert ex.kinds_in(ex.doc.sentences[0]) == []
    assert draft((RULES / "tally-fr.txt").read_text(encoding="utf-8"), gazetteer=Gazetteer()).agreements == []


def test_a_signer_of_the_renewal_did_not_sign_the_agreement_of_1985() -> None:
    renewal = _agreement(["München", "Prag"], signers=[("Hans Maier", "Bürgermeister", "München")])
    renewal.date = "2018-04-13"
    first = _agreement(["München", "Prag"], signers=[("Hans Maier", "Bürgermeister", "München")])
    first.date = "1985"
    one_signing_each([renewal, first])
    assert [s.name for s in renewal.signatories] == ["Hans Maier"]
    assert first.signatories == []


def test_a_signer_without_party_signs_for_what_the_post_names() -> None:
    # "Hans Maier, governor of Bengo Province": for Bengo Province, as written, though no party reads so
    ex = _extractor("post-party-en.txt", "en")
    a = _agreement(["Munich", "Prague"], signers=[("Hans Maier", "governor of Bengo Province", None)])
    post_party(ex, a)
    assert a.signatories[0].on_behalf_of == "Bengo Province"


def test_posts_without_names_are_the_people_named_before_and_a_bare_year_is_not_the_date(gazetteer) -> None:
    # "… durch den Bürgermeister und den Gouverneur": Hans Maier and Jan Novak, named with those posts before;
    # "Bereits 2019 wurden erste Kontakte geknüpft, die am 5. Mai …": 2019 is the contacts', no year is stated
    text = (RULES / "post-references-de.txt").read_text(encoding="utf-8")
    [a] = draft(text, lang="de", gazetteer=gazetteer).agreements
    assert {s.name for s in a.signatories} == {"Hans Maier", "Jan Novak"}
    assert a.date is None


def test_a_post_of_a_place_before_a_name_without_a_comma() -> None:
    # "met with Mayor of Prague Jan Novak": Jan Novak, Mayor of Prague; "the deputy mayor of Munich’s Old Town
    # District" names nobody
    ex = _extractor("post-of-place-name-en.txt", "en")
    assert [(p.name, p.post, p.post_party) for p in ex.people] == [
        ("Hans Maier", "Munich Mayor", None),
        ("Jan Novak", "Mayor of Prague", "Prague"),
    ]


def test_a_city_named_only_for_its_subdivision_is_that_subdivision() -> None:
    # "Munich’s Schwabing District", "Prague’s 2nd District": the parties are the districts
    ex = _extractor("subdivision-en.txt", "en")
    a = _agreement(["Munich", "Prague"], signers=[("Eva Roth", "mayor", "Munich")])
    clean_parties(ex, a)
    assert [p.label for p in a.parties] == ["Schwabing District", "Prague 2nd District"]
    assert a.signatories[0].on_behalf_of == "Schwabing District"
