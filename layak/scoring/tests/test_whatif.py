"""What it would take: candidate improvements, their gains, and the fewest that reach the next band."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from layak.scoring.engine import Criterion, IndicatorRule, predicate_for, score_framework, score_indicator
from layak.scoring.tests.test_engine import BANDS
from layak.scoring.tests.test_engine_properties import ORDER, answers_strategy, framework_rules
from layak.scoring.whatif import FULL, NEXT, Improvement, band_after, gained, improvements, next_band, plan

D = Decimal
AKTA = {"denominator": "children", "bands": [[50, "0.25"], [75, "0.5"], [98, 1]]}
RATIO = IndicatorRule(
    "I4",
    "I",
    D(50),
    (
        Criterion("akta", D("0.7"), "ratio_up", AKTA),
        Criterion("kia", D("0.3"), "choice", {"points": {"none": 0, "some": "0.5", "all": 1}}),
    ),
)
DOWN = IndicatorRule(
    "III2", "III", D(40), (Criterion("marriage", D(1), "bands_down", {"bands": [[1, 1], [5, "0.6"], [10, "0.3"]]}),)
)


def rank(band) -> int:
    return ORDER.index(band.code if band else None)


def test_each_criterion_offers_the_next_threshold_and_full_marks_with_their_gains():
    answers = {"children": D(1000), "akta": D(600), "kia": "none"}
    found = improvements([RATIO], [score_indicator(RATIO, answers)], owners={"I4": "Disdukcapil"})
    assert [(i.element, i.kind, i.target, i.gain) for i in found] == [
        ("akta", FULL, "98%", D("26.25")),
        ("kia", FULL, "all", D(15)),
        ("akta", NEXT, "75%", D("8.75")),
        ("kia", NEXT, "some", D("7.5")),
    ]
    assert {i.owner for i in found} == {"Disdukcapil"}


def test_lower_is_better_steps_down_to_the_next_allowed_value():
    found = improvements([DOWN], [score_indicator(DOWN, {"marriage": D(12)})])
    assert [(i.kind, i.target, i.gain) for i in found] == [(FULL, "1", D(40)), (NEXT, "10", D(12))]


def test_reaching_a_target_gives_the_promised_gain_in_the_engine():
    before = score_indicator(RATIO, {"children": D(1000), "akta": D(600), "kia": "none"})
    after = score_indicator(RATIO, {"children": D(1000), "akta": D(980), "kia": "none"})
    full = improvements([RATIO], [before])[0]
    assert after.points - before.points == full.gain


def test_a_reviewer_score_above_the_rubric_caps_the_gain_at_the_maximum():
    score = score_indicator(RATIO, {"children": D(1000), "akta": D(600), "kia": "all"})
    found = improvements([RATIO], [score], points={"I4": D(45)})
    assert max(i.gain for i in found) == D(5)


def test_top_band_has_no_next_band():
    assert next_band(BANDS[-1], BANDS) is None
    assert next_band(None, BANDS) == BANDS[0]


def test_plan_picks_the_fewest_improvements_and_says_how_many_points_are_needed():
    rules = framework_rules([125] * 8)
    answers = {f"X{i}": {"a": True, "b": D(95), "c": "fair", "d": D(3)} for i in range(8)}
    score = score_framework(rules, BANDS, answers)
    headroom = {i.code: i.max_points - i.points for i in score.indicators}
    candidates = improvements(rules, score.indicators)
    result = plan(candidates, score.total, BANDS, headroom)
    assert score.band.code == "nindya" and result.target.code == "utama"
    assert result.needed == D("800.01") - score.total
    assert result.reachable and predicate_for(result.total_after, BANDS).code == "utama"
    assert [i.gain for i in result.chosen] == sorted((i.gain for i in result.chosen), reverse=True)


def test_plan_says_when_the_next_band_cannot_be_reached():
    rules = framework_rules([100])
    score = score_framework(rules, BANDS, {"X0": {}})
    headroom = {"X0": D(100)}
    result = plan(improvements(rules, score.indicators), score.total, BANDS, headroom)
    assert not result.reachable and result.chosen == () and result.target == BANDS[0]


@settings(max_examples=60)
@given(st.lists(answers_strategy, min_size=8, max_size=8), st.data())
def test_more_improvements_never_lower_the_score_or_band(answers, data):
    rules = framework_rules([125] * 8)
    score = score_framework(rules, BANDS, {f"X{i}": a for i, a in enumerate(answers)})
    headroom = {i.code: i.max_points - i.points for i in score.indicators}
    candidates = list(improvements(rules, score.indicators))
    some = data.draw(st.lists(st.sampled_from(candidates), unique_by=lambda i: i.key)) if candidates else []
    more = some + [c for c in candidates if c not in some][: data.draw(st.integers(0, len(candidates)))]
    low_total, low_band = band_after(score.total, some, headroom, BANDS)
    high_total, high_band = band_after(score.total, more, headroom, BANDS)
    assert score.total <= low_total <= high_total
    assert rank(score.band) <= rank(low_band) <= rank(high_band)


@settings(max_examples=60)
@given(st.lists(answers_strategy, min_size=8, max_size=8))
def test_the_plan_reaches_the_next_band_whenever_all_improvements_would(answers):
    rules = framework_rules([125] * 8)
    score = score_framework(rules, BANDS, {f"X{i}": a for i, a in enumerate(answers)})
    headroom = {i.code: i.max_points - i.points for i in score.indicators}
    candidates = improvements(rules, score.indicators)
    result = plan(candidates, score.total, BANDS, headroom)
    _total, best_band = band_after(score.total, candidates, headroom, BANDS)
    possible = result.target is not None and rank(best_band) >= rank(result.target)
    assert result.reachable == possible
    if possible:
        assert band_after(score.total, result.chosen, headroom, BANDS)[1] == result.target


gains = st.decimals(min_value="0.01", max_value=60, places=2)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.integers(0, 3), gains), min_size=1, max_size=8),
    st.lists(st.decimals(min_value="0.01", max_value=80, places=2), min_size=4, max_size=4),
    st.decimals(min_value=400, max_value=640, places=2),
)
def test_the_plan_uses_the_minimum_number_of_improvements(items, headrooms, total):
    candidates = [
        Improvement(f"X{ind}:e{n}:full", f"X{ind}", "K", f"e{n}", "yes_no", FULL, D(1), "", min(gain, headrooms[ind]))
        for n, (ind, gain) in enumerate(items)
    ]
    headroom = {f"X{i}": h for i, h in enumerate(headrooms)}
    result = plan(candidates, total, BANDS, headroom)
    target = result.target
    fewest = next(
        (
            k
            for k in range(len(candidates) + 1)
            for subset in combinations(candidates, k)
            if rank(band_after(total, subset, headroom, BANDS)[1]) >= rank(target)
        ),
        None,
    )
    assert result.reachable == (fewest is not None)
    if fewest is not None:
        assert len(result.chosen) == fewest
        assert total + gained(result.chosen, headroom) == result.total_after
