"""Properties of the scoring engine that must hold for any data (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from layak.scoring.engine import Criterion, IndicatorRule, predicate_for, score_framework, score_indicator
from layak.scoring.tests.test_engine import BANDS

D = Decimal
scores = st.decimals(min_value=0, max_value=1000, places=2)
percentages = st.decimals(min_value=0, max_value=100, places=2)
UP_BANDS = [[50, "0.25"], [75, "0.5"], [90, "0.75"], [98, 1]]
DOWN_BANDS = [[1, 1], [5, "0.6"], [10, "0.3"], [20, "0.1"]]
ORDER = [None, "pratama", "madya", "nindya", "utama", "kla"]


def rank(score: Decimal) -> int:
    band = predicate_for(score, BANDS)
    return ORDER.index(band.code if band else None)


@given(scores, scores)
def test_more_points_never_lowers_the_band(a, b):
    low, high = sorted((a, b))
    assert rank(low) <= rank(high)


@given(scores)
def test_every_score_from_500_has_a_band_whose_upper_bound_it_does_not_exceed(score):
    band = predicate_for(score, BANDS)
    assert (band is None) == (score < 500)
    if band:
        assert score <= band.upper


def single(method: str, params: dict) -> IndicatorRule:
    return IndicatorRule("X1", "K", D(80), (Criterion("v", D(1), method, params),))


@given(percentages, percentages)
def test_bands_up_is_monotone_rising(a, b):
    r = single("bands_up", {"bands": UP_BANDS})
    low, high = sorted((a, b))
    assert score_indicator(r, {"v": low}).points <= score_indicator(r, {"v": high}).points


@given(percentages, percentages)
def test_bands_down_is_monotone_falling(a, b):
    r = single("bands_down", {"bands": DOWN_BANDS})
    low, high = sorted((a, b))
    assert score_indicator(r, {"v": low}).points >= score_indicator(r, {"v": high}).points


@given(st.integers(1, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_ratio_up_is_monotone_in_the_numerator(denominator, a, b):
    r = IndicatorRule("X1", "I", D(50), (Criterion("n", D(1), "ratio_up", {"denominator": "d", "bands": UP_BANDS}),))
    low, high = sorted((min(a, denominator), min(b, denominator)))
    assert (
        score_indicator(r, {"n": low, "d": denominator}).points
        <= score_indicator(r, {"n": high, "d": denominator}).points
    )


answers_strategy = st.fixed_dictionaries(
    {"a": st.booleans(), "b": percentages, "c": st.sampled_from(["good", "fair", "poor"]), "d": percentages}
)


def framework_rules(maxima: list[int]) -> list[IndicatorRule]:
    criteria = (
        Criterion("a", D("0.25"), "yes_no"),
        Criterion("b", D("0.25"), "bands_up", {"bands": UP_BANDS}),
        Criterion("c", D("0.25"), "choice", {"points": {"good": 1, "fair": "0.5", "poor": 0}}),
        Criterion("d", D("0.25"), "bands_down", {"bands": DOWN_BANDS}),
    )
    groups = ["K", "I", "II", "III", "IV", "V"]
    return [IndicatorRule(f"X{i}", groups[i % 6], D(m), criteria) for i, m in enumerate(maxima)]


@given(st.lists(answers_strategy, min_size=8, max_size=8))
def test_framework_total_is_the_sum_of_indicator_points_and_never_exceeds_max(answers):
    rules = framework_rules([125] * 8)
    score = score_framework(rules, BANDS, {f"X{i}": a for i, a in enumerate(answers)})
    assert score.total == sum(indicator.points for indicator in score.indicators)
    assert score.total <= score.max_total == 1000
    assert sum(points for points, _ in score.groups.values()) == score.total
    assert all(indicator.points <= indicator.max_points for indicator in score.indicators)


@given(answers_strategy)
def test_meeting_a_yes_no_criterion_never_lowers_the_total(answers):
    rules = framework_rules([500, 500])
    worse = score_framework(rules, BANDS, {"X0": {**answers, "a": False}, "X1": answers})
    better = score_framework(rules, BANDS, {"X0": {**answers, "a": True}, "X1": answers})
    assert worse.total <= better.total
    assert rank(worse.total) <= rank(better.total)
