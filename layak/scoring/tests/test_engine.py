"""The pure scoring engine: predicate boundaries, every rubric method, framework totals, rubric validation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layak.scoring.engine import (
    Band,
    Criterion,
    IndicatorRule,
    criteria_from_rubric,
    predicate_for,
    score_framework,
    score_indicator,
    validate_rubric,
)

D = Decimal
BANDS = (
    Band("pratama", "Pratama", D(500), D(600)),
    Band("madya", "Madya", D(601), D(700)),
    Band("nindya", "Nindya", D(701), D(800)),
    Band("utama", "Utama", D(801), D(900)),
    Band("kla", "KLA", D(901), D(1000)),
)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("0", None),
        ("499.99", None),
        ("500", "pratama"),
        ("550.5", "pratama"),
        ("600", "pratama"),
        ("600.01", "madya"),
        ("601", "madya"),
        ("700", "madya"),
        ("700.01", "nindya"),
        ("800", "nindya"),
        ("800.01", "utama"),
        ("900", "utama"),
        ("900.01", "kla"),
        ("1000", "kla"),
    ],
)
def test_predicate_for_every_boundary(score, expected):
    band = predicate_for(D(score), BANDS)
    assert (band.code if band else None) == expected


@pytest.mark.parametrize("score", ["1000.01", "-1", "-0.01"])
def test_predicate_for_refuses_scores_outside_0_to_1000(score):
    with pytest.raises(ValueError, match="outside"):
        predicate_for(D(score), BANDS)


def test_predicate_for_does_not_depend_on_band_order():
    assert predicate_for(D("600.01"), tuple(reversed(BANDS))).code == "madya"


def rule(*criteria: Criterion, max_points: str = "100", code: str = "X1", group: str = "K") -> IndicatorRule:
    return IndicatorRule(code, group, D(max_points), criteria)


def test_yes_no_gives_full_share_when_true_and_nothing_when_false():
    r = rule(Criterion("perda", D("0.5"), "yes_no"), Criterion("sk", D("0.5"), "yes_no"))
    result = score_indicator(r, {"perda": True, "sk": False})
    assert result.points == D(50)
    assert [c.reason for c in result.criteria] == ["met", "below_threshold"]


def test_missing_element_scores_zero_with_reason_missing():
    result = score_indicator(rule(Criterion("perda", D(1), "yes_no")), {})
    assert result.points == 0
    assert result.criteria[0].reason == "missing"


def test_present_accepts_text_documents_and_counts():
    r = rule(Criterion("doc", D("0.5"), "present"), Criterion("note", D("0.5"), "present"))
    assert score_indicator(r, {"doc": True, "note": "RAD KLA 2024"}).points == 100
    assert score_indicator(r, {"doc": 2, "note": "   "}).criteria[1].reason == "missing"
    assert score_indicator(r, {"doc": False, "note": ""}).points == 0


def test_choice_uses_the_points_table():
    r = rule(Criterion("meetings", D(1), "choice", {"points": {"gt4": 1, "1_4": "0.5", "none": 0}}))
    assert score_indicator(r, {"meetings": "gt4"}).criteria[0].reason == "met"
    assert score_indicator(r, {"meetings": "1_4"}).points == 50
    assert score_indicator(r, {"meetings": "1_4"}).criteria[0].reason == "partial"
    assert score_indicator(r, {"meetings": "none"}).criteria[0].reason == "below_threshold"


def test_bands_up_takes_the_highest_band_reached():
    r = rule(Criterion("pct", D(1), "bands_up", {"bands": [[50, "0.25"], [75, "0.5"], [90, "0.75"], [98, 1]]}))
    assert score_indicator(r, {"pct": D(49)}).points == 0
    assert score_indicator(r, {"pct": 50}).points == 25
    assert score_indicator(r, {"pct": 97.9}).points == 75
    assert score_indicator(r, {"pct": D(100)}).points == 100


def test_bands_down_rewards_low_values():
    r = rule(Criterion("marriage", D(1), "bands_down", {"bands": [[2, 1], [5, "0.6"], [10, "0.3"]]}))
    assert score_indicator(r, {"marriage": D("1.5")}).criteria[0].reason == "met"
    assert score_indicator(r, {"marriage": 5}).points == 60
    assert score_indicator(r, {"marriage": D("10.01")}).criteria[0].reason == "below_threshold"


def test_ratio_up_divides_numerator_by_denominator():
    r = rule(Criterion("with_akta", D(1), "ratio_up", {"denominator": "children", "bands": [[80, "0.5"], [95, 1]]}))
    assert score_indicator(r, {"with_akta": 900, "children": 1000}).points == 50
    assert score_indicator(r, {"with_akta": 960, "children": 1000}).points == 100
    assert score_indicator(r, {"with_akta": 960}).criteria[0].reason == "missing"


def test_ratio_up_with_zero_denominator_is_not_applicable():
    params = {"denominator": "cases", "bands": [[50, 1]], "not_applicable": 1}
    result = score_indicator(rule(Criterion("resolved", D(1), "ratio_up", params)), {"resolved": 0, "cases": 0})
    assert result.criteria[0].reason == "not_applicable"
    assert result.points == 100


def test_indicator_points_are_rounded_half_up_once_at_the_end():
    thirds = [Criterion(code, D(1) / D(3), "yes_no") for code in ("a", "b")] + [
        Criterion("c", D(1) - 2 * (D(1) / D(3)), "yes_no")
    ]
    result = score_indicator(rule(*thirds, max_points="25"), {"a": True, "b": False, "c": False})
    assert result.points == D("8.33")
    half_cent = rule(Criterion("a", D("0.5"), "yes_no"), Criterion("b", D("0.5"), "yes_no"), max_points="0.01")
    assert score_indicator(half_cent, {"a": True}).points == D("0.01")


def test_numeric_methods_refuse_booleans_and_text():
    r = rule(Criterion("pct", D(1), "bands_up", {"bands": [[0, 1]]}))
    with pytest.raises(TypeError):
        score_indicator(r, {"pct": True})
    with pytest.raises(TypeError):
        score_indicator(r, {"pct": "lots"})


def test_score_framework_sums_groups_and_finds_the_band():
    rules = [
        rule(Criterion("a", D(1), "yes_no"), max_points="600", code="K1", group="K"),
        rule(Criterion("b", D(1), "yes_no"), max_points="400", code="I4", group="I"),
    ]
    score = score_framework(rules, BANDS, {"K1": {"a": True}, "I4": {"b": False}})
    assert score.total == 600
    assert score.max_total == 1000
    assert score.groups == {"K": (D(600), D(600)), "I": (D(0), D(400))}
    assert score.band.code == "pratama"
    assert score_framework(rules, BANDS, {}).band is None


def test_criteria_from_rubric_keeps_extra_keys_as_params():
    (criterion,) = criteria_from_rubric([{"element": "pct", "share": 1, "method": "bands_up", "bands": [[0, 1]]}])
    assert criterion == Criterion("pct", D(1), "bands_up", {"bands": [[0, 1]]})


TYPES = {"perda": "yes_no", "pct": "percentage", "num": "count", "den": "count", "doc": "document", "lvl": "choice"}


def test_validate_rubric_accepts_a_sound_rubric():
    rubric = [
        {"element": "perda", "share": "0.2", "method": "yes_no"},
        {"element": "pct", "share": "0.2", "method": "bands_down", "bands": [[5, 1], [10, "0.5"]]},
        {"element": "num", "share": "0.2", "method": "ratio_up", "denominator": "den", "bands": [[90, 1]]},
        {"element": "doc", "share": "0.2", "method": "present"},
        {"element": "lvl", "share": "0.2", "method": "choice", "points": {"a": 1, "b": "0.5"}},
    ]
    assert validate_rubric(rubric, TYPES) == []


@pytest.mark.parametrize(
    ("rubric", "problem"),
    [
        ([{"element": "ghost", "share": 1, "method": "yes_no"}], "[0].element: unknown element 'ghost'"),
        ([{"element": "perda", "share": "0.5", "method": "yes_no"}], "shares sum to 0.5, not 1"),
        ([{"element": "pct", "share": 1, "method": "yes_no"}], "[0].method: yes_no does not fit element 'pct'"),
        ([{"element": "perda", "share": 1, "method": "magic"}], "[0].method: unknown method 'magic'"),
        ([{"element": "pct", "share": 1, "method": "bands_up"}], "[0].bands: expected a list"),
        ([{"element": "pct", "share": 1, "method": "bands_up", "bands": [[5, 1], [3, 1]]}], "thresholds must rise"),
        ([{"element": "pct", "share": 1, "method": "bands_up", "bands": [[5, 1], [9, "0.5"]]}], "breaks the order"),
        ([{"element": "pct", "share": 1, "method": "bands_down", "bands": [[5, "0.5"], [9, 1]]}], "breaks the order"),
        ([{"element": "pct", "share": 1, "method": "bands_up", "bands": [[5, 2]]}], "[0].bands[0]: 2 is not between"),
        ([{"element": "pct", "share": 1, "method": "bands_up", "bands": [["x", 1]]}], "threshold 'x' is not a number"),
        ([{"element": "num", "share": 1, "method": "ratio_up", "bands": [[1, 1]]}], "[0].denominator: None"),
        ([{"element": "lvl", "share": 1, "method": "choice"}], "[0].points: a choice criterion needs points"),
        ([{"element": "perda", "method": "yes_no"}], "[0]: missing key(s) share"),
        ([{"element": "perda", "share": "much", "method": "yes_no"}], "[0].share: not a number"),
        ([], "the rubric has no criteria"),
    ],
)
def test_validate_rubric_names_each_problem(rubric, problem):
    problems = validate_rubric(rubric, TYPES)
    assert any(problem in p for p in problems), problems
