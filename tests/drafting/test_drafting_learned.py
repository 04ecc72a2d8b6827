"""The learned choice of parties (relgraph.drafting.learned): what it does with a draft, and the shipped model.

Made-up texts and hand-made models show the mechanism (which names, which constraints); the shipped
model's quality is measured in bench/drafting/train.py --cv, not here.
"""

from __future__ import annotations

import json

from relgraph.drafting import Agreement, Draft, Evidence, Party, Signatory, read_text
from relgraph.drafting.extract import extract
from relgraph.drafting.gazetteer import Gazetteer
from relgraph.drafting.learned import (
    _WEIGHTS,
    Calibration,
    Model,
    agreement_features,
    anchors,
    apply,
    calibrate,
    features,
    model,
    name_spots,
)

TEXT = (
    "Lindau und Kalmar unterzeichnen Partnerschaft\n\n"
    "Die Städte Lindau und Kalmar haben am 3. Mai 2021 in Schweden eine Städtepartnerschaft unterzeichnet. "
    "Lindau freut sich, Kalmar auch. Die Universität Kalmar war dabei."
)


def _draft(parties: list[str], *, doc_text: str = TEXT) -> tuple[Draft, object]:
    doc = read_text(doc_text, lang="de")
    s = doc.sentences[2]
    names = {
        label: Party(label, None, kind)
        for label, kind in (
            ("Lindau", "city"),
            ("Kalmar", "city"),
            ("Schweden", "country"),
            ("Universität Kalmar", "university"),
        )
    }
    a = Agreement(
        "city-twinning",
        "Städtepartnerschaft",
        [names[p] for p in parties],
        None,
        None,
        "none",
        evidence=[Evidence(s.text, s.start, s.end, (s.start + 60, s.start + 79))],
    )
    d = Draft(doc.text, "de", None, "unknown", doc.title, agreements=[a])
    d.names = [names[p] for p in parties] + [n for k, n in names.items() if k not in parties]
    return d, doc


def test_the_shipped_model_scores_every_feature_and_only_those() -> None:
    shipped = model()
    assert shipped is not None and shipped.trained_on >= 200
    d, doc = _draft(["Lindau", "Kalmar"])
    a, anchor, at, _ = anchors(d, doc, upto=1)[0]
    spots = name_spots(doc, d.names)
    assert set(shipped.weights) == set(features(doc, anchor, at, a.parties, d.names[0], spots[0]))
    # the file is what to_json writes: a retrained model replaces it whole
    assert Model.from_json(json.loads(_WEIGHTS.read_text(encoding="utf-8"))) == shipped
    assert shipped.calibration is not None
    assert set(shipped.calibration.weights) == set(agreement_features(d, d.agreements[0]))


def test_a_country_the_rules_took_for_a_party_gives_way_to_the_towns() -> None:
    d, doc = _draft(["Lindau", "Schweden", "Kalmar"])
    apply(d, doc)  # the shipped model: a country named once after "in" against two towns named three times
    assert [p.label for p in d.agreements[0].parties] == ["Lindau", "Kalmar"]
    assert all(0 < p.confidence <= 1 for p in d.agreements[0].parties)


def test_a_name_inside_another_chosen_one_is_not_a_second_party() -> None:
    d, doc = _draft(["Lindau", "Kalmar"])
    # a model that only counts words would take the university and "Kalmar" inside it: never both
    wordy = Model({"words": 5.0, "type_university": 5.0}, 0.0)
    apply(d, doc, wordy)
    labels = [p.label for p in d.agreements[0].parties]
    assert "Universität Kalmar" in labels and "Kalmar" not in labels and len(labels) == 2


def test_two_agreements_the_rules_told_apart_stay_apart() -> None:
    d, doc = _draft(["Lindau", "Kalmar"])
    second = Agreement(
        "city-twinning",
        "Städtepartnerschaft",
        [d.names[0], d.names[3]],
        "2019",
        "year",
        "stated",
        evidence=list(d.agreements[0].evidence),
    )
    d.agreements.append(second)
    towns = Model({"type_city": 4.0}, 0.0, upto=2)  # would give both proposals Lindau and Kalmar
    apply(d, doc, towns)
    assert [[p.label for p in a.parties] for a in d.agreements] == [
        ["Lindau", "Kalmar"],
        ["Lindau", "Universität Kalmar"],
    ]


def test_a_kind_told_without_two_parties_becomes_a_proposal() -> None:
    d, doc = _draft(["Lindau", "Kalmar"])
    d.agreements = []
    s = doc.sentences[2]
    d.notice("too_few_parties", kind="city-twinning", start=s.start, end=s.end)
    apply(d, doc, Model({"type_city": 3.0, "mentions": 1.0}, 0.0))
    [made] = d.agreements
    assert made.kind == "city-twinning" and [p.label for p in made.parties] == ["Lindau", "Kalmar"]
    assert made.date is None and made.date_basis == "none"  # no date the rules did not find
    assert made.evidence[0].sentence == s.text
    assert not [c for c, _ in d.notices if c == "too_few_parties"]
    # the shipped model proposes one too, of two of the text's names
    d.agreements, d.notices = [], [("too_few_parties", {"kind": "city-twinning", "start": s.start, "end": s.end})]
    apply(d, doc)
    [made] = d.agreements
    assert len(made.parties) == 2 and {p.label for p in made.parties} <= {n.label for n in d.names}


def test_a_proposal_made_of_a_kind_without_parties_keeps_the_date_the_rules_found(gazetteer: Gazetteer) -> None:
    # "Die Erste Bürgermeisterin unterzeichnete heute, Dienstag, … ein Memorandum of Understanding": no party in
    # reach of the rules, the date in the sentence; the model's proposal of the text's two towns keeps that date
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "rules" / "session14-model-date-de.txt").read_text(encoding="utf-8")
    doc = read_text(text, lang="de")
    d = extract(doc, gazetteer=gazetteer, document_date="2020-09-15", learned=False)
    assert d.agreements == [] and [c for c, _ in d.notices] == ["too_few_parties"]
    apply(d, doc, Model({"type_city": 3.0, "mentions": 1.0}, 0.0))
    [made] = d.agreements
    assert (made.kind, made.date, made.date_basis) == ("memorandum-of-understanding", "2020-09-15", "relative")
    assert made.date_evidence is not None and "heute" in made.date_evidence.sentence


def test_a_cautious_model_leaves_the_rules_parties() -> None:
    d, doc = _draft(["Lindau", "Universität Kalmar", "Kalmar"])
    never = Model({"type_university": -5.0}, 0.0, margin=2.1)  # two scores sum to 2 at most: never instead
    apply(d, doc, never)
    assert [p.label for p in d.agreements[0].parties] == ["Lindau", "Universität Kalmar", "Kalmar"]


def test_whoever_chose_them_countries_do_not_twin() -> None:
    # the same cautious model keeps the rules' parties, but a country is no party of a town twinning
    d, doc = _draft(["Lindau", "Schweden", "Kalmar"])
    apply(d, doc, Model({"type_country": -5.0}, 0.0, margin=2.1))
    assert [p.label for p in d.agreements[0].parties] == ["Lindau", "Kalmar"]


def test_signatories_sign_for_the_chosen_parties() -> None:
    d, doc = _draft(["Lindau", "Schweden", "Kalmar"])
    d.agreements[0].signatories = [
        Signatory("Claudia Alfons", "Oberbürgermeisterin", "Stadt Lindau"),  # the import pairs signers by label
        Signatory("Johan Persson", "Kommunalrat von Kalmar", "Schweden"),  # the rules' party, which the model drops
        Signatory("Anna Berg", "Botschafterin", "Schweden"),
    ]
    apply(d, doc, Model({"type_country": -5.0, "type_city": 3.0}, 0.0))
    a = d.agreements[0]
    assert [p.label for p in a.parties] == ["Lindau", "Kalmar"]
    # nobody signs for a party the agreement lost, and nobody is guessed a party
    assert [(s.name, s.on_behalf_of) for s in a.signatories] == [
        ("Claudia Alfons", "Lindau"),
        ("Johan Persson", "Kalmar"),
        ("Anna Berg", None),
    ]


def test_a_signer_whose_party_was_no_proposed_party_keeps_it() -> None:
    # "Hansestadt L." was none of the rules' parties: no party was lost, so the reviewer keeps the name
    d, doc = _draft(["Lindau", "Schweden", "Kalmar"])
    d.agreements[0].signatories = [
        Signatory("Claudia Alfons", "Oberbürgermeisterin", "Hansestadt L."),
        Signatory("Anna Berg", "Botschafterin", "Schweden"),
    ]
    apply(d, doc, Model({"type_country": -5.0, "type_city": 3.0}, 0.0))
    assert [(s.name, s.on_behalf_of) for s in d.agreements[0].signatories] == [
        ("Claudia Alfons", "Hansestadt L."),
        ("Anna Berg", None),
    ]


def test_three_parties_each_with_its_signer_stay() -> None:
    # "signed by A for X, B for Y and C for Z": the rules' three parties each have a signer; a model that would
    # keep two (here the two towns) leaves them, and drops a third party nobody signs for
    d, doc = _draft(["Lindau", "Universität Kalmar", "Kalmar"])
    d.agreements[0].signatories = [
        Signatory("Claudia Alfons", "Oberbürgermeisterin", "Lindau"),
        Signatory("Eva Lund", "Rektorin", "Universität Kalmar"),
        Signatory("Johan Persson", "Kommunalrat", "Kalmar"),
    ]
    towns = Model({"type_city": 3.0, "type_university": -3.0}, 0.0)
    apply(d, doc, towns)
    assert [p.label for p in d.agreements[0].parties] == ["Lindau", "Universität Kalmar", "Kalmar"]
    d, doc = _draft(["Lindau", "Universität Kalmar", "Kalmar"])
    d.agreements[0].signatories = [Signatory("Claudia Alfons", "Oberbürgermeisterin", "Lindau")]
    apply(d, doc, towns)
    assert [p.label for p in d.agreements[0].parties] == ["Lindau", "Kalmar"]


def test_the_confidence_is_calibrated_from_what_a_proposal_looks_like() -> None:
    # a hand-made calibration: a country among the parties makes a proposal less likely right
    cautious = Model({}, 0.0, calibration=Calibration({"country": -3.0, "linked_all": 1.0}, 0.5))
    towns, _ = _draft(["Lindau", "Kalmar"])
    with_country, _ = _draft(["Lindau", "Schweden"])
    for d in (towns, with_country):
        calibrate(d, cautious)
    assert towns.agreements[0].confidence == 0.62  # 1 / (1 + e^-0.5)
    assert with_country.agreements[0].confidence == 0.08  # 1 / (1 + e^2.5)
    # without a calibration the confidence stays the rules' own
    d, _ = _draft(["Lindau", "Kalmar"])
    d.agreements[0].confidence = 0.9
    calibrate(d, Model({}, 0.0))
    assert d.agreements[0].confidence == 0.9
    assert Model.from_json(cautious.to_json()) == cautious


def test_drafting_sets_the_shipped_calibrated_confidence(gazetteer, seed_text: str) -> None:
    shipped = model()
    assert shipped is not None and shipped.calibration is not None
    doc = read_text(seed_text, lang="de")
    d = extract(doc, gazetteer=gazetteer, document_date="2024-02-28", learned=False)
    rules = [a.confidence for a in d.agreements]
    apply(d, doc)
    expected = [round(shipped.calibration.score(agreement_features(d, a)), 2) for a in d.agreements]
    drafted = extract(doc, gazetteer=gazetteer, document_date="2024-02-28")
    assert [a.confidence for a in drafted.agreements] == expected != rules
