"""Question-level explanation and what-if: losses per question and stage, and the fewest questions to raise
(checked against brute force on small random instances)."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from layak.scoring.engine import Band, predicate_for
from layak.scoring.questions import (
    DEFAULT_LEVELS,
    QuestionExplanation,
    QuestionNow,
    StagePoints,
    band_floor,
    explain_questions,
    fewest_raises,
    level_points,
    next_band,
    whatif_total,
)

D = Decimal
BANDS = (
    Band("pratama", "Pratama", D(500), D(600)),
    Band("madya", "Madya", D(601), D(700)),
    Band("nindya", "Nindya", D(701), D(800)),
    Band("utama", "Utama", D(801), D(900)),
    Band("kla", "KLA", D(901), D(1000)),
)


def now(key: str, maximum: str, points: str, indicator: str = "1", group: str = "K") -> QuestionNow:
    return QuestionNow(key, indicator, group, D(maximum), D(points))


def test_explanation_groups_questions_by_indicator_and_group_and_says_what_each_lost():
    def question(key, indicator, group, maximum, *stages):
        return QuestionExplanation(key, indicator, group, D(maximum), tuple(stages))

    graded = StagePoints("province", D("1.50"), D(3), "1/2", "SK belum ditandatangani", True)
    found = explain_questions(
        [
            question("1.1", "1", "K", 3, StagePoints("self", D(3), D(3)), graded),
            question("1.2", "1", "K", 2, StagePoints("self", D(2), D(2)), StagePoints("province", D(2), D(2))),
            question("6.1", "6", "I", 5, StagePoints("self", D(1), D(5)), StagePoints("province", D(1), D(5))),
        ]
    )
    assert [g.code for g in found] == ["K", "I"]
    kelembagaan = found[0].indicators[0]
    assert (kelembagaan.max_points, kelembagaan.earned, kelembagaan.lost) == (D(5), D("3.50"), D("1.50"))
    assert [(q.key, q.lost, q.reason) for q in kelembagaan.losing] == [("1.1", D("1.50"), "SK belum ditandatangani")]
    assert found[1].lost == D(4)
    assert [s.lost for s in found[0].indicators[0].questions[0].stages] == [D(0), D("1.50")]


def test_level_points_round_half_up_to_a_cent():
    assert [level_points(level, D(5)) for level in DEFAULT_LEVELS] == [
        D("0.00"),
        D("1.25"),
        D("1.67"),
        D("2.50"),
        D("3.33"),
        D("3.75"),
        D("5.00"),
    ]


def test_band_floor_is_a_cent_above_the_band_below():
    assert band_floor(BANDS[0], BANDS) == D(500)
    assert band_floor(BANDS[1], BANDS) == D("600.01")
    assert predicate_for(D("600.01"), BANDS) == BANDS[1]
    assert next_band(None, BANDS) == BANDS[0]
    assert next_band(BANDS[-1], BANDS) is None


def test_the_plan_takes_the_largest_headroom_then_lowers_each_raise_as_far_as_the_band_allows():
    base = [now("0.1", "470", "470")]  # with 1.2: 500, Pratama
    questions = [*base, now("1.1", "60", "0"), now("1.2", "60", "30"), now("1.3", "40", "0"), now("1.4", "4", "0")]
    plan = fewest_raises(questions, DEFAULT_LEVELS, BANDS)
    assert plan.target == BANDS[1] and plan.needed == D("100.01")
    assert plan.reachable
    # 60 + 40 = 100 < 100.01, so three questions; 1.2 (smallest headroom) is lowered first, to ⅔ of 60
    assert [(r.key, r.level, r.after) for r in plan.raises] == [
        ("1.1", "1", D(60)),
        ("1.3", "1", D(40)),
        ("1.2", "2/3", D(40)),
    ]
    assert plan.total_after == D(610)
    assert predicate_for(plan.total_after, BANDS) == BANDS[1]


def test_a_plan_reaches_the_band_with_the_fewest_questions_and_lowest_levels():
    questions = [now("0.1", "560", "560"), now("1.1", "60", "0"), now("1.2", "60", "30"), now("1.3", "40", "0")]
    plan = fewest_raises(questions, DEFAULT_LEVELS, BANDS)  # 590 → Madya needs 10.01
    assert [(r.key, r.level, r.gain) for r in plan.raises] == [("1.1", "1/4", D("15.00"))]
    assert predicate_for(plan.total_after, BANDS) == BANDS[1]


def test_a_chosen_predicate_further_up_and_an_unreachable_one():
    questions = [now("0.1", "560", "560"), now("1.1", "60", "0"), now("1.2", "60", "30"), now("1.3", "40", "0")]
    assert fewest_raises(questions, DEFAULT_LEVELS, BANDS, BANDS[4]).reachable is False
    nindya = fewest_raises(questions, DEFAULT_LEVELS, BANDS, BANDS[2])  # 110.01 needed: all three
    assert nindya.reachable and len(nindya.raises) == 3 and predicate_for(nindya.total_after, BANDS) == BANDS[2]
    top = fewest_raises([now("0.1", "950", "950")], DEFAULT_LEVELS, BANDS)
    assert top.target is None and top.raises == ()
    lower = fewest_raises(questions, DEFAULT_LEVELS, BANDS, BANDS[0])
    assert lower.reachable and lower.raises == () and lower.needed == 0


def test_whatif_total_sets_levels_up_or_down():
    questions = [now("1.1", "3", "3"), now("1.2", "5", "0")]
    assert whatif_total(questions, {"1.1": "1/2", "1.2": "2/3", "9.9": "1"}) == D("4.83")
    assert whatif_total(questions, {}) == D(3)


# --- Brute force -------------------------------------------------------------------------------------------

SCALES = st.sampled_from([DEFAULT_LEVELS, ("0", "1/2", "1"), ("0", "1/3", "2/3", "1"), ("0", "1")])


@st.composite
def instances(draw):
    """A few questions (max points, points now on or off the scale) and bands over their total maximum."""
    levels = draw(SCALES)
    count = draw(st.integers(1, 6))
    questions = []
    for index in range(count):
        maximum = D(draw(st.integers(1, 4000))) / 100
        if draw(st.booleans()):
            points = level_points(draw(st.sampled_from(levels)), maximum)
        else:
            points = D(draw(st.integers(0, int(maximum * 100)))) / 100
        questions.append(QuestionNow(f"{index // 2}.{index}", str(index // 2), "K", maximum, points))
    top = sum((q.max_points for q in questions), D(0))
    cuts = sorted(set(draw(st.lists(st.integers(0, int(top * 100)), min_size=1, max_size=4))))
    bands, lower = [], D(cuts[0]) / 100
    for i, cut in enumerate([*cuts[1:], 100000]):
        upper = min(D(cut) / 100, D(1000))
        if upper < lower:
            continue
        bands.append(Band(f"b{i}", f"B{i}", lower, upper))
        lower = upper + D("0.01")
    targets = [None, *bands]
    return questions, levels, bands, draw(st.sampled_from(targets))


def brute_force(questions, levels, bands, target):
    """Every assignment (keep, or any level above now) of every question: the fewest raises that reach."""
    ordered = sorted(bands, key=lambda b: b.upper)
    floor = band_floor(target, bands)
    choices = []
    for q in questions:
        above = sorted(
            {level_points(level, q.max_points) for level in levels if level_points(level, q.max_points) > q.points}
        )
        choices.append([q.points, *above])
    best = None
    for combo in product(*choices):
        if sum(combo, D(0)) >= floor:
            raised = sum(1 for c, q in zip(combo, questions, strict=True) if c != q.points)
            best = raised if best is None else min(best, raised)
    assert ordered  # bands exist
    return best


@settings(max_examples=300, deadline=None)
@given(instances())
def test_the_plan_is_exact_against_brute_force(instance):
    questions, levels, bands, target = instance
    plan = fewest_raises(questions, levels, bands, target)
    if plan.target is None:
        assert predicate_for(plan.total, bands) == sorted(bands, key=lambda b: b.upper)[-1]
        return
    fewest = brute_force(questions, levels, bands, plan.target)
    if fewest is None:
        assert not plan.reachable and plan.raises == ()
        return
    assert plan.reachable
    assert len(plan.raises) == fewest
    assert plan.total_after >= plan.floor
    by_key = {q.key: q for q in questions}
    assert whatif_total(questions, {r.key: r.level for r in plan.raises}) == plan.total_after
    for r in plan.raises:
        lower = [
            level_points(level, by_key[r.key].max_points)
            for level in levels
            if r.before < level_points(level, by_key[r.key].max_points) < r.after
        ]
        for points in lower:  # no raise can be one level lower and still reach
            assert plan.total_after - r.after + points < plan.floor
