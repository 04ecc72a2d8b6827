"""General repairs of the third round (drafting/fallbacks.py), each on a small text written for it.

The texts (tests/drafting/data/rules/) are made up: real place names the curated data knows, invented
people and institutions, one mechanism each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relgraph.drafting import draft
from relgraph.text import normalise_label

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


def _fields(agreement) -> set[str]:
    return {f.concept or f.label for f in agreement.fields}


def test_a_list_in_a_sentence_about_the_areas_of_the_cooperation_names_fields(gazetteer) -> None:
    # "les domaines de la culture, de la jeunesse, du sport …" (no cue the lexicon lists); "visité Lyon, Nice et
    # Toulon" is a list of names, not of fields
    [agreement] = _draft("list-fields-fr.txt", gazetteer).agreements
    assert _fields(agreement) == {"culture", "jeunesse", "sport", "mobilité douce", "tourisme"}


def test_a_list_after_exchange_on_but_not_in_a_quotation(gazetteer) -> None:
    # "exchange on education, trade, public health, and culture since …": the list ends before "since";
    # what the mayor says ("We will work on housing, transport and climate") is no field of the agreement
    [agreement] = _draft("list-fields-en.txt", gazetteer).agreements
    assert _fields(agreement) == {"education", "trade", "public health", "culture"}


def test_a_german_compound_post(gazetteer) -> None:
    # "Kreistagsvorsitzender", "Uni-Rektorin": compounds that end in a post's head are posts
    [agreement] = _draft("compound-post-de.txt", gazetteer).agreements
    assert [(s.name, s.post) for s in agreement.signatories] == [
        ("Hans Maier", "Kreistagsvorsitzender"),
        ("Eva Huber", "Uni-Rektorin"),
    ]


def test_post_organisation_with_its_acronym_then_a_name_with_an_initial(gazetteer) -> None:
    # "vice chancellor, Osaka University (OU), Prof M Kenji Sato signed": the acronym does not end the
    # organisation, and the bare initial "M" is part of the name (a title "M." only in French)
    [agreement] = _draft("post-org-acronym-initial-en.txt", gazetteer).agreements
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [("M Kenji Sato", "Osaka University")]


def _signers(agreement) -> list[tuple[str, str, str | None]]:
    return [(s.name, s.post, s.on_behalf_of) for s in agreement.signatories]


def test_cosigned_by_two_people_respectively(gazetteer) -> None:
    # "Cosigné par A et B, respectivement maire de X et mairesse de Y", in a sentence after the signing one
    [agreement] = _draft("cosigned-respectively-fr.txt", gazetteer).agreements
    assert _signers(agreement) == [
        ("Paul Girard", "maire de Marseille", "Marseille"),
        ("Anne Tremblay", "mairesse de Montréal", "Montréal"),
    ]


def test_the_signers_named_with_a_title_and_their_university(gazetteer) -> None:
    # "die Unterzeichner Professor A von der Universität X und Professor B von der Universität Y"
    [agreement] = _draft("signers-with-title-de.txt", gazetteer).agreements
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Karl Lang", "Universität Dresden"),
        ("Kenji Mori", "Universität Kyoto"),
    ]


def test_representing_an_acronym_and_not_who_accompanies_or_witnesses(gazetteer) -> None:
    # "Representing UNILA was the Vice-Chancellor, Professor A": UNILA spells "University of Lakeshore"
    # (never defined in the text); the dean who accompanies and the guest "in the presence of" do not sign
    [agreement] = _draft("representing-en.txt", gazetteer).agreements
    assert _signers(agreement) == [("Grace Banda", "Vice-Chancellor", "University of Lakeshore")]


def test_a_name_after_an_elided_article(gazetteer) -> None:
    # "Les villes japonaise d’Osaka et allemande de Munich": "d’Osaka" is the place Osaka
    [agreement] = _draft("elided-names-fr.txt", gazetteer).agreements
    assert sorted(p.label for p in agreement.parties) == ["Munich", "Osaka"]


def test_countries_after_in_the_presence_of_are_no_agreement(gazetteer) -> None:
    # "The MoU was signed in the presence of a delegation comprising …, Tanzania, and …, Japan": witnesses
    # and where they come from, not a second agreement between two countries
    draft_ = _draft("witness-countries-en.txt", gazetteer)
    assert [sorted(p.label for p in a.parties) for a in draft_.agreements] == [
        ["Kyoto University", "University of Lakeshore"]
    ]


def test_a_german_compound_organisation(gazetteer) -> None:
    # "der privaten Fachhochschule Schloss Moritzburg": "Fachhochschule" is an organisation's head
    # "…, sowie der privaten Fachhochschule X, Prof. Dr. med. h. B, unterzeichneten": B signs for X
    [agreement] = _draft("compound-org-de.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Hochschule Dresden", "Fachhochschule Schloss Moritzburg"]
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Karl Lang", "Hochschule Dresden"),
        ("Eva Huber", "Fachhochschule Schloss Moritzburg"),
    ]


def test_a_dateline_with_a_colon_and_respectively_before_the_names(gazetteer) -> None:
    # "Marseille : la région … signe …": where it was written, no party; "signé par le président de X et le
    # premier ministre de Y, respectivement MM. A et B": A signs for X, B for Y
    [agreement] = _draft("colon-dateline-respectively-fr.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Bavière", "Québec"]
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Hans Maier", "Bavière"),
        ("Jean Tremblay", "Québec"),
    ]


def test_parties_borrowed_from_another_sentence_about_the_agreement(gazetteer) -> None:
    # "unterzeichneten A (3.v.r.) und B (2.v.l.), Präsident der Osaka University, einen Kooperationsvertrag
    # zwischen den beiden Hochschulen": one party; "Der Kooperationsvertrag zwischen der Hochschule Dresden und
    # der Osaka University" names both. "(2.v.l.)" (where in the photo) does not hide B's post
    [agreement] = _draft("borrowed-parties-de.txt", gazetteer).agreements
    assert sorted(p.label for p in agreement.parties) == ["Hochschule Dresden", "Osaka University"]
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Eva Huber", "Hochschule Dresden"),
        ("Kenji Mori", "Osaka University"),
    ]


def test_a_german_list_ends_at_its_noun_and_people_are_no_fields(gazetteer) -> None:
    # "Strukturen für Forschung, Lehre und Transfer zeigen, wie eng … zusammenarbeiten"; "um sich mit
    # Wissenschaftlerinnen und Wissenschaftlern … auszutauschen" is a clause, not a list of fields
    [agreement] = _draft("list-fields-de.txt", gazetteer).agreements
    assert _fields(agreement) == {"research", "Lehre", "Transfer"}


def test_an_organisation_head_alone_is_no_third_party(gazetteer) -> None:
    # three parties read from "… avec l’Ecole supérieure polytechnique de l’Université X": "l’Ecole" alone names
    # no organisation; an acronym made of a name's word beginnings stands for it
    from relgraph.drafting.document import read_text
    from relgraph.drafting.extract import _Extractor
    from relgraph.drafting.fallbacks import _spells, prune_parties
    from relgraph.drafting.lexicon import lexicon
    from relgraph.drafting.model import Agreement, Party

    text = "L’Ecole Centrale et l’Ecole de l’Université Laval ont signé une convention de coopération en 1999."
    ex = _Extractor(read_text(text, lang="fr"), gazetteer, lexicon(), None)
    labels = ["Ecole Centrale", "l’Ecole", "Université Laval"]
    agreement = Agreement(
        "cooperation-agreement", "", [Party(x, None, "university") for x in labels], None, None, "none"
    )
    prune_parties(ex, agreement)
    assert [p.label for p in agreement.parties] == ["Ecole Centrale", "Université Laval"]
    assert _spells("UNIMA", "University of Malawi") and _spells("UTG", "University of The Gambia")
    assert not _spells("UNI", "University of Malawi") and not _spells("ABC", "University of Malawi")


def test_a_surname_after_a_title_is_the_whole_name_and_a_noun_after_a_surname_is_not(gazetteer) -> None:
    # "auf Einladung von Professor Lang, Rektor der …": the person is "Lang" (not "Einladung von Professor
    # Lang"); "Rektor Mori Gespräche" is the known Kenji Mori, then a noun
    [agreement] = _draft("surname-noun-de.txt", gazetteer).agreements
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Kenji Mori", "Universität Kyoto"),
        ("Lang", "Universität Dresden"),
    ]


def test_a_district_named_without_its_head_and_a_partnership_of_places(gazetteer) -> None:
    # the store knows "Landkreis Rhön-Grabfeld"; "nach Rhön-Grabfeld" names it without "Landkreis" (and not two
    # towns); "die Partnerschaft zwischen dem Landkreis X und dem Landkreis Y" of two places is their twinning;
    # "in der Nähe von Prag" says where; the date of a trailing clause ("nachdem … im vergangenen Oktober …")
    # is the clause's, not the signing's
    from relgraph.drafting import Gazetteer

    gaz = Gazetteer()
    for iri, label, kind in (
        ("https://example.org/rhoen-grabfeld", "Landkreis Rhön-Grabfeld", "Region"),
        ("https://example.org/rhoen", "Rhön", "Region"),
        ("https://example.org/tabor", "Landkreis Tábor", "Region"),
        ("https://example.org/prag", "Prag", "City"),
    ):
        gaz.names[normalise_label(label)].add(iri)
        gaz.types[iri].add(kind)
        gaz.labels[iri]["de"] = label
    result = _draft("district-partnership-de.txt", gaz, document_date="2019-05-20")
    assert [(a.kind, sorted(p.label for p in a.parties), a.date) for a in result.agreements] == [
        ("city-twinning", ["Landkreis Rhön-Grabfeld", "Landkreis Tábor"], "2019-05-18")
    ]


def test_a_list_outside_the_agreements_paragraphs_goes_to_the_current_agreement(gazetteer) -> None:
    # the re-signed agreement (no date) and the original one of 1994: the list of a later paragraph is the
    # current agreement's
    current, original = _draft("list-fields-main-agreement-en.txt", gazetteer).agreements
    assert original.date == "1994-09-12"
    assert _fields(current) == {"education", "trade", "public health", "culture"}


def test_a_country_inside_the_other_partys_name_and_a_later_mention_of_an_agreement(gazetteer) -> None:
    # "Tanzania" beside "University of Tanzania" is where the university is; the mention left with one party
    # is the memorandum told before with that party: its signatory joins it
    from relgraph.drafting.document import read_text
    from relgraph.drafting.extract import _Extractor
    from relgraph.drafting.fallbacks import fold_into_others, prune_parties
    from relgraph.drafting.lexicon import lexicon
    from relgraph.drafting.model import Agreement, Party, Signatory

    text = "Kyoto University signed a memorandum of understanding with the University of Tanzania."
    ex = _Extractor(read_text(text, lang="en"), gazetteer, lexicon(), None)
    mou = "memorandum-of-understanding"
    first = Agreement(
        mou,
        "",
        [Party("Kyoto University", None, "university"), Party("University of Tanzania", None)],
        None,
        None,
        "none",
    )
    later = Agreement(
        mou, "", [Party("Tanzania", None, "country"), Party("University of Tanzania", None)], None, None, "none"
    )
    later.signatories.append(Signatory("Amani Juma", "Vice Chancellor", "University of Tanzania"))
    prune_parties(ex, later)
    assert [p.label for p in later.parties] == ["University of Tanzania"]
    assert fold_into_others(ex, [first, later]) == [first]
    assert [(s.name, s.on_behalf_of) for s in first.signatories] == [("Amani Juma", "University of Tanzania")]


@pytest.mark.parametrize(
    ("lang", "phrase", "kind"),
    [
        ("en", "statement of intent", "declaration-of-intent"),
        ("en", "memorandum of cooperation", "memorandum-of-understanding"),
        ("en", "cooperation protocol", "cooperation-agreement"),
        ("en", "twin town agreement", "city-twinning"),
        ("en", "friendship city agreement", "friendship-agreement"),
        ("de", "Freundschaftsvertrag", "friendship-agreement"),
        ("de", "Rahmenabkommen", "cooperation-agreement"),
        ("de", "Partnerschaftsurkunde", "city-twinning"),
        ("fr", "protocole d'accord", "memorandum-of-understanding"),
        ("fr", "pacte d'amitié", "friendship-agreement"),
        ("fr", "protocole de coopération", "cooperation-agreement"),
    ],
)
def test_more_written_forms_of_the_kinds(gazetteer, lang: str, phrase: str, kind: str) -> None:
    text = {
        "en": f"Munich and Prague signed a {phrase} on Monday at the city hall of the town.",
        "de": f"München und Prag haben am Montag eine {phrase} im Rathaus der Stadt unterzeichnet.",
        "fr": f"Marseille et Montréal ont signé lundi un {phrase} à l'hôtel de ville de la commune.",
    }[lang]
    [agreement] = draft(text, lang=lang, gazetteer=gazetteer).agreements
    assert agreement.kind == kind


def test_more_posts(gazetteer) -> None:
    text = (
        "Kyoto University and the University of Lakeshore signed a memorandum of understanding on Monday. It was "
        "signed by the Registrar of Kyoto University, Kenji Mori, and the Commissioner of the University of "
        "Lakeshore, Grace Banda."
    )
    [agreement] = draft(text, lang="en", gazetteer=gazetteer).agreements
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Kenji Mori", "Kyoto University"),
        ("Grace Banda", "University of Lakeshore"),
    ]


def test_on_behalf_of_a_short_name_and_witnesses_of_the_signing(gazetteer) -> None:
    # "… Prof Dr A G B signed the agreement on behalf of Lakeshore": a short form of one party's name;
    # "University Vice Chancellor": the organisation's name ends before a post of two words; the people "present
    # as witnesses at the signing ceremony" do not sign
    [agreement] = _draft("behalf-witnesses-en.txt", gazetteer).agreements
    assert [p.label for p in agreement.parties] == ["Kyoto University", "Lakeshore Technical University"]
    assert [(s.name, s.on_behalf_of) for s in agreement.signatories] == [
        ("Kenji Mori", "Kyoto University"),
        ("Anna G Banda", "Lakeshore Technical University"),
    ]


def test_a_list_after_an_elided_article(gazetteer) -> None:
    # "concerne également d’autres domaines, notamment l’animation culturelle et sportive": the list begins
    # after "d’"; "autres domaines" itself is no field
    [agreement] = _draft("list-fields-elided-fr.txt", gazetteer).agreements
    assert _fields(agreement) == {"culture", "sportive"}


def test_an_acronym_the_text_defines_is_a_party(gazetteer) -> None:
    # "lorsque la CPU et l’Association … (AUQ) avaient conclu un accord": "la CPU" is the Conférence defined
    # in the first sentence, so the earlier agreement has its two parties (not the three borrowed)
    facts = [
        (a.kind, sorted(p.label for p in a.parties), a.date)
        for a in _draft("acronym-parties-fr.txt", gazetteer).agreements
    ]
    assert facts == [
        (
            "cooperation-agreement",
            ["Conférence des Présidents d’Université", "Conférence régionale des Recteurs"],
            "2015-05-11",
        ),
        (
            "cooperation-agreement",
            ["Association des universités québécoises", "Conférence des Présidents d’Université"],
            "2014-03",
        ),
    ]


def test_adjectives_of_technology_and_science_name_their_fields(gazetteer) -> None:
    from relgraph.drafting.lexicon import lexicon

    lex = lexicon()
    assert [lex.field(w) for w in ("technological", "technologique", "technologischen", "scientifiques")] == [
        "technology",
        "technology",
        "technology",
        "science",
    ]
