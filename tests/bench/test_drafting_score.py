"""The drafting bench's scorer (bench/drafting/run.py) on made-up annotations and proposals.

Matching is one-to-one per text and kind of fact: an annotated fact counts at most once, a proposed
one at most once, and the matching is the largest there is (no drafter runs here).
"""

from __future__ import annotations

import importlib.util
import itertools
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("drafting_bench_run", ROOT / "bench" / "drafting" / "run.py")
assert _spec and _spec.loader
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


def _gold(**agreement: Any) -> dict[str, Any]:
    base = {"kind": "cooperation-agreement", "parties": ["Nordstadt", "Südhafen"], "date": "2021-05-04"}
    return {"agreements": [{**base, **agreement}]}


def _proposal(**agreement: Any) -> dict[str, Any]:
    base = {
        "kind": "cooperation-agreement",
        "parties": [{"label": "Nordstadt"}, {"label": "Südhafen"}],
        "date": "2021-05-04",
        "date_basis": "text",
        "signatories": [],
        "fields": [],
    }
    return {"agreements": [{**base, **agreement}]}


def _new(label: str) -> dict[str, Any]:
    return {"concept": None, "label": label}


def test_two_proposed_fields_inside_one_annotated_field_count_once() -> None:
    gold = _gold(new_fields=["maritime Wirtschaft"])
    out = _proposal(fields=[_new("maritime Wirtschaft anschieben"), _new("maritime Wirtschaft")])
    tp, proposed, annotated = run.score_text(gold, out)["fields"]
    assert (tp, proposed, annotated) == (1, 2, 1)
    assert tp <= annotated  # recall never above 1.00


def test_one_proposed_field_does_not_count_for_two_annotated_fields() -> None:
    gold = _gold(new_fields=["Hafenlogistik", "Logistik"])
    out = _proposal(fields=[_new("Hafenlogistik")])  # inside the first, contains the second
    assert run.score_text(gold, out)["fields"] == [1, 1, 2]


def test_the_largest_matching_not_the_first_one_in_reading_order() -> None:
    # "Anna Maria Schmidt" fits both annotated signers, "Maria Schmidt" only the first: taking the first
    # in reading order for the first proposal would leave the second without a match
    gold = _gold(
        signatories=[
            {"name": "Maria Schmidt", "post": "Bürgermeisterin", "on_behalf_of": "Nordstadt"},
            {"name": "Anna Schmidt", "post": "Dezernentin", "on_behalf_of": "Nordstadt"},
        ]
    )
    out = _proposal(
        signatories=[
            {"name": "Anna Maria Schmidt", "on_behalf_of": "Nordstadt"},
            {"name": "Maria Schmidt", "on_behalf_of": "Nordstadt"},
        ]
    )
    assert run.score_text(gold, out)["signatories"] == [2, 2, 2]


def test_a_second_proposal_of_the_same_agreement_is_an_error() -> None:
    gold = _gold(fields=["research"])
    twice = _proposal(fields=[{"concept": "research", "label": "Forschung"}])
    twice["agreements"] *= 2
    counts = run.score_text(gold, twice)
    assert counts["agreements"] == [1, 2, 1]
    assert counts["fields"] == [1, 2, 1]


def test_agreements_of_the_same_parties_pair_by_date_and_parties_one_to_one() -> None:
    gold = {"agreements": [_gold(date=2017)["agreements"][0], _gold(date="2023-06")["agreements"][0]]}
    out = {"agreements": [_proposal(date="2023-06")["agreements"][0], _proposal(date=None)["agreements"][0]]}
    counts = run.score_text(gold, out)
    assert counts["kind+parties"] == [2, 2, 2]
    assert counts["agreements"] == [1, 2, 2]


def test_parties_match_one_to_one_whatever_their_order() -> None:
    # "Universität Nordstadt" also passes for the city "Nordstadt" (lenient names); the parties still
    # match when the university is proposed first
    gold = _gold(parties=["Nordstadt", "Universität Nordstadt"])
    out = _proposal(parties=[{"label": "Universität Nordstadt"}, {"label": "Stadt Nordstadt"}])
    assert run.score_text(gold, out)["kind+parties"] == [1, 1, 1]


def test_assignment_is_a_maximum_weight_matching() -> None:
    rng = random.Random(7)  # noqa: S311 - made-up matrices, not secrets
    for _ in range(300):
        rows, cols = rng.randint(0, 4), rng.randint(0, 4)
        weights = [[rng.choice([0, 0, 1, 3, 4]) for _ in range(cols)] for _ in range(rows)]
        pairs = run.assignment(weights)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        assert all(weights[r][c] > 0 for r, c in pairs)
        k = min(rows, cols)
        best = max(
            (
                sum(weights[r][c] for r, c in zip(chosen, order, strict=True))
                for chosen in itertools.combinations(range(rows), k)
                for order in itertools.permutations(range(cols), k)
            ),
            default=0,
        )
        assert sum(weights[r][c] for r, c in pairs) == best
