"""Explanations: every point of an indicator is either earned or lost for a stated cause."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from layak.scoring.engine import Criterion, IndicatorRule, score_framework, score_indicator
from layak.scoring.explain import (
    BELOW_THRESHOLD,
    MISSING_DATA,
    MISSING_EVIDENCE,
    PARTIAL,
    REVIEWER_DOWNGRADE,
    REVIEWER_UPGRADE,
    explain,
    explain_indicator,
)
from layak.scoring.tests.test_engine import BANDS
from layak.scoring.tests.test_engine_properties import answers_strategy, framework_rules

D = Decimal
RULE = IndicatorRule(
    "K1",
    "K",
    D(400),
    (
        Criterion("perda", D("0.5"), "yes_no"),
        Criterion("count", D("0.3"), "bands_up", {"bands": [[1, "0.5"], [3, 1]]}),
        Criterion("docs", D("0.2"), "present"),
    ),
)


def test_each_loss_names_its_cause_and_they_add_up():
    score = score_indicator(RULE, {"perda": False, "count": D(2)})
    explanation = explain_indicator(score, evidence_elements={"docs"})
    causes = {loss.element: (loss.cause, loss.points) for loss in explanation.losses}
    assert causes == {
        "perda": (BELOW_THRESHOLD, D(200)),
        "count": (PARTIAL, D(60)),
        "docs": (MISSING_EVIDENCE, D(80)),
    }
    assert explanation.earned == D(60) and explanation.lost == D(340)


def test_missing_text_is_missing_data_not_evidence():
    score = score_indicator(RULE, {"perda": True, "count": D(5)})
    assert explain_indicator(score).losses[0].cause == MISSING_DATA


def test_a_reviewer_downgrade_is_a_loss_with_the_comment():
    score = score_indicator(RULE, {"perda": True, "count": D(5), "docs": True})
    explanation = explain_indicator(score, points=D(300), comment="Perda belum diundangkan")
    assert explanation.losses == (explanation.losses[0],)
    loss = explanation.losses[0]
    assert (loss.cause, loss.points, loss.note) == (REVIEWER_DOWNGRADE, D(100), "Perda belum diundangkan")
    assert explanation.earned == D(300)


def test_a_reviewer_raise_is_a_negative_loss():
    score = score_indicator(RULE, {"perda": True})
    explanation = explain_indicator(score, points=D(250), comment="Dokumen diserahkan saat VLH")
    assert explanation.losses[-1].cause == REVIEWER_UPGRADE and explanation.losses[-1].points == D(-50)
    assert sum(loss.points for loss in explanation.losses) == explanation.lost == D(150)


@given(
    st.lists(answers_strategy, min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=77, places=2)), min_size=4, max_size=4),
)
def test_earned_plus_lost_is_the_maximum_and_losses_add_up(answers, reviewer_points):
    rules = framework_rules([77, 77, 77, 77])
    score = score_framework(rules, BANDS, {f"X{i}": a for i, a in enumerate(answers)})
    points = {f"X{i}": p for i, p in enumerate(reviewer_points) if p is not None}
    for explanation in explain(score.indicators, points=points):
        assert explanation.earned + explanation.lost == explanation.max_points
        assert sum(loss.points for loss in explanation.losses) == explanation.lost
        assert all(loss.points for loss in explanation.losses)


@given(st.decimals(min_value=0, max_value=100, places=3), st.decimals(min_value=0, max_value=100, places=3))
def test_rounding_never_breaks_the_sum(a, b):
    rule = IndicatorRule(
        "X",
        "K",
        D("33.33"),
        (
            Criterion("a", D("0.333"), "bands_up", {"bands": [[10, "0.333"], [50, "0.777"], [90, 1]]}),
            Criterion("b", D("0.667"), "bands_up", {"bands": [[10, "0.111"], [60, "0.555"], [95, 1]]}),
        ),
    )
    explanation = explain_indicator(score_indicator(rule, {"a": a, "b": b}))
    assert explanation.earned + explanation.lost == explanation.max_points
    assert sum(loss.points for loss in explanation.losses) == explanation.lost
    assert all(loss.points > 0 for loss in explanation.losses)
