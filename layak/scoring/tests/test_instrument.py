"""The question-level engine (kla-2024): fractions per answer type, exact sums, the scaling of maxima."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from layak.scoring.engine import Band
from layak.scoring.instrument import (
    EVIDENCE_MISSING,
    INVALID,
    MET,
    MISSING,
    NOT_APPLICABLE,
    NOT_MET,
    PARTIAL,
    QuestionInput,
    QuestionRule,
    scaled_maxima,
    score_instrument,
    score_question,
)

BANDS = [Band("pratama", "Pratama", D(500), D(600)), Band("madya", "Madya", D(601), D(700))]


def rule(answer_type: str, max_points: str = "4", **extra) -> QuestionRule:
    return QuestionRule("1", "12", "III", D(max_points), answer_type, **extra)


@pytest.mark.parametrize(
    ("stated", "target", "expected"),
    [
        (["9", "9"], "17", ["8.50", "8.50"]),
        (["4", "4"], "8", ["4", "4"]),
        (["1", "1", "1"], "2", ["0.67", "0.67", "0.66"]),
        (["0", "0"], "5", ["0", "0"]),
    ],
)
def test_scaled_maxima_sum_exactly_to_the_target(stated, target, expected):
    result = scaled_maxima([D(s) for s in stated], D(target))
    assert result == [D(e) for e in expected]
    if any(D(s) for s in stated):
        assert sum(result) == D(target)


def test_indicator_19_scales_to_51_exactly():
    stated = [D(x) for x in ["4", "3.2", "3.2", "3.2", "3.2", "3.2", "2", "6", "5", "6", "5", "5", "5"]]
    result = scaled_maxima(stated, D(51))
    assert sum(stated) == 54 and sum(result) == 51
    assert all(abs(r - s * 51 / 54) < D("0.01") for r, s in zip(result, stated, strict=True))


def test_yes_no_needs_the_good_answer_and_its_documents():
    asks = rule("yes_no", asks_evidence=True)
    assert score_question(asks, None).reason == MISSING
    assert score_question(asks, QuestionInput(yes=True)).reason == EVIDENCE_MISSING
    assert score_question(asks, QuestionInput(yes=True, evidence=True)).points == D(4)
    assert score_question(asks, QuestionInput(yes=False, evidence=True)).reason == NOT_MET
    sponsor = rule("yes_no", lower_is_better=True)  # "Apakah ... bekerjasama dengan perusahaan rokok?"
    assert score_question(sponsor, QuestionInput(yes=False)).reason == MET
    assert score_question(sponsor, QuestionInput(yes=True)).points == 0


def test_percentage_uses_the_latest_year_and_its_direction():
    pct = rule("percentage", "3", years_asked=2)
    answer = QuestionInput(years={2023: (D(50), D(100)), 2024: (D(912), D(1000))})
    score = score_question(pct, answer)
    assert (score.fraction, score.points, score.reason) == (D("0.912"), D("2.74"), PARTIAL)
    stunting = rule("percentage", "3", lower_is_better=True)
    assert score_question(stunting, QuestionInput(years={2024: (D(20), D(100))})).points == D("2.40")
    assert score_question(pct, QuestionInput(years={2024: (D(0), D(0))})).reason == NOT_APPLICABLE
    assert score_question(pct, QuestionInput(years={2024: (D(101), D(100))})).reason == INVALID
    assert score_question(pct, QuestionInput(years={2024: (D(1), D(3))})).points == D("1.00")


def test_counts_and_lower_is_better_counts():
    count = rule("count")
    assert score_question(count, QuestionInput(years={2024: (D(3), None)})).reason == MET
    assert score_question(count, QuestionInput(years={2024: (D(0), None)})).reason == NOT_MET
    deaths = rule("count", years_asked=2, lower_is_better=True)
    fell = QuestionInput(years={2023: (D(40), None), 2024: (D(31), None)})
    rose = QuestionInput(years={2023: (D(31), None), 2024: (D(40), None)})
    assert score_question(deaths, fell).reason == MET
    assert (score_question(deaths, rose).points, score_question(deaths, rose).reason) == (D(2), PARTIAL)


def test_list_and_matriks():
    assert score_question(rule("list"), QuestionInput(text="  ")).reason == MISSING
    assert score_question(rule("list"), QuestionInput(text="Dinsos, Dinkes")).reason == MET
    matriks = rule("matriks", asks_evidence=True)
    assert score_question(matriks, QuestionInput(matriks_rows=0, evidence=True)).reason == MISSING
    assert score_question(matriks, QuestionInput(matriks_rows=3, evidence=True)).points == D(4)


def test_the_instrument_sums_exactly_to_indicators_groups_and_total_with_a_predicate():
    rules = [
        QuestionRule("1", "1", "K", D("300"), "yes_no"),
        QuestionRule("2", "1", "K", D("0.33"), "percentage"),
        QuestionRule("1", "4", "I", D("699.67"), "yes_no"),
    ]
    answers = {
        ("1", "1"): QuestionInput(yes=True),
        ("1", "2"): QuestionInput(years={2024: (D(1), D(3))}),
        ("4", "1"): QuestionInput(yes=True),
    }
    result = score_instrument(rules, BANDS, answers, {"26": "KD"})
    assert result.max_total == D(1000)
    assert result.total == D("300") + D("0.11") + D("699.67")
    assert result.groups["K"] == (D("300.11"), D("300.33"))
    assert [(i.code, i.answered, i.questions) for i in result.indicators] == [("1", 2, 2), ("4", 1, 1), ("26", 0, 0)]
    assert result.predicate is None  # 999.78 is above every test band
    half = score_instrument(rules[:2], BANDS, answers)
    assert half.total == D("300.11") and half.predicate is None
    assert score_instrument(rules, BANDS, {("4", "1"): QuestionInput(yes=True)}).total == D("699.67")
    assert score_instrument(rules, BANDS, {("4", "1"): QuestionInput(yes=True)}).predicate.code == "madya"
