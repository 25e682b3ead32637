"""kla-2024, the ministry's instrument question by question: the data file, its sums rule and its typing."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.db.models import Sum
from django.urls import reverse

from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import LOADED, UNCHANGED, FrameworkFileError, framework_load_file
from layak.frameworks.tests.conftest import SHIPPED
from layak.frameworks.validation import framework_spec_problems

pytestmark = pytest.mark.django_db

TRANSCRIPTION = Path(__file__).resolve().parents[3] / ".." / "shared" / "kla" / "instrument-2024.json"
INDICATOR_CODES = [str(n) for n in range(1, 21)] + ["21A", "21B", "21C", "22A", "22B", "23A", "23B", "24A", "24B"]
INDICATOR_CODES += ["25", "26"]


def spec() -> dict:
    return yaml.safe_load((SHIPPED / "kla-2024.yaml").read_text(encoding="utf-8"))


def test_kla_2024_has_7_groups_31_indicators_and_274_questions_summing_to_1000(kla2024):
    assert [g.code for g in kla2024.groups.order_by("order")] == ["K", "I", "II", "III", "IV", "V", "KD"]
    assert list(kla2024.indicators.order_by("order").values_list("code", flat=True)) == INDICATOR_CODES
    questions = Question.objects.filter(indicator__version=kla2024)
    assert questions.count() == 274
    assert questions.aggregate(total=Sum("max_points"))["total"] == Decimal(1000)
    assert kla2024.indicators.aggregate(total=Sum("max_points"))["total"] == Decimal(1000)
    assert kla2024.certainty == "likely" and "transcription" in kla2024.certainty_note
    assert kla2024.default_for_new_cycles and not kla2024.weights_provisional


def test_the_sums_rule_scales_only_indicators_19_and_21B_and_keeps_the_instrument_figures(kla2024):
    for indicator in kla2024.indicators.prefetch_related("questions"):
        questions = list(indicator.questions.all())
        assert sum(q.max_points for q in questions) == indicator.max_points, indicator.code
        scaled = {q.code for q in questions if q.is_scaled}
        if indicator.code not in ("19", "21B"):
            assert not scaled, indicator.code
    b21 = {q.code: (q.max_points, q.instrument_max_points) for q in Question.objects.filter(indicator__code="21B")}
    assert b21 == {"1": (Decimal("8.50"), Decimal(9)), "2": (Decimal("8.50"), Decimal(9))}
    nineteen = Question.objects.filter(indicator__version=kla2024, indicator__code="19")
    assert nineteen.aggregate(s=Sum("instrument_max_points"))["s"] == 54
    assert nineteen.aggregate(s=Sum("max_points"))["s"] == 51
    klaster_1 = kla2024.groups.get(code="I")
    assert klaster_1.stated_max_points == 150
    assert klaster_1.indicators.aggregate(s=Sum("max_points"))["s"] == 115


@pytest.mark.skipif(not TRANSCRIPTION.exists(), reason="the shared transcription is not beside the checkout")
def test_every_question_matches_the_transcription_text_maximum_sources_and_flags(kla2024):
    data = json.loads(TRANSCRIPTION.read_text(encoding="utf-8"))
    rows = Question.objects.filter(indicator__version=kla2024).select_related("indicator")
    stored = {(q.indicator.code, q.code): q for q in rows}
    seen = 0
    for group in data["groups"]:
        for indicator in group["indicators"]:
            for question in indicator["questions"]:
                row = stored[(indicator["code"], question["code"])]
                assert row.text == question["text"]
                assert row.instrument_max_points == Decimal(str(question["max"]))
                assert row.data_sources == question["data_sources"]
                assert (row.for_kecamatan, row.for_desa) == (question["for_kecamatan"], question["for_desa"])
                seen += 1
    assert seen == 274


def test_every_question_has_a_type_that_fits_its_wording(kla2024):
    questions = list(Question.objects.filter(indicator__version=kla2024).select_related("indicator"))
    assert Counter(q.answer_type for q in questions) == {
        "yes_no": 181,
        "percentage": 60,
        "count": 22,
        "matriks": 9,
        "list": 2,
    }
    for q in questions:
        text = q.text.lower()
        if text.startswith("berapa persentase"):
            assert q.answer_type == "percentage", q
        if text.startswith("berapa jumlah"):
            assert q.answer_type == "count", q
        if q.answer_type in ("matriks",):
            assert q.asks_matriks, q
        assert q.asks_matriks == ("matriks" in text), q
    two_years = {(q.indicator.code, q.code) for q in questions if q.years_asked == 2}
    assert {("4", "1"), ("4", "2"), ("16", "2"), ("12", "4")} <= two_years
    lower = {(q.indicator.code, q.code) for q in questions if q.lower_is_better}
    assert {("13", "3"), ("12", "4"), ("17", "6"), ("24A", "4")} <= lower


def test_the_loader_refuses_a_question_without_a_type(tmp_path):
    data = spec()
    del data["groups"][0]["indicators"][0]["questions"][0]["type"]
    path = tmp_path / "kla-2024.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkFileError) as refused:
        framework_load_file(path)
    assert "groups[0].indicators[0].questions[0].type: missing required key" in "\n".join(refused.value.problems)
    assert not FrameworkVersion.objects.filter(slug="kla-2024").exists()


def test_disagreeing_sums_need_a_documented_rule():
    data = spec()
    del data["sums_rule"]
    problems = framework_spec_problems(data)
    assert len(problems) == 1 and problems[0].startswith("sums_rule:") and "indicators[" in problems[0]


def test_unknown_answer_type_and_years_on_a_yes_no_question_are_refused():
    data = spec()
    question = data["groups"][0]["indicators"][0]["questions"][0]
    question["type"] = "essay"
    data["groups"][0]["indicators"][0]["questions"][1]["years"] = 2
    problems = "\n".join(framework_spec_problems(data))
    assert "questions[0].type: 'essay' is not one of" in problems
    assert "questions[1].years: only percentage and count questions ask for several years" in problems


def test_loading_is_idempotent_and_labels_kla_2021_as_superseded(kla2021):
    assert framework_load_file(SHIPPED / "kla-2024.yaml").outcome == LOADED
    assert framework_load_file(SHIPPED / "kla-2024.yaml").outcome == UNCHANGED
    kla2021.refresh_from_db()
    assert kla2021.superseded_by.slug == "kla-2024" and not kla2021.default_for_new_cycles
    assert kla2021.indicators.count() == 24  # still loadable and whole for past cycles


def test_the_framework_browser_shows_the_questions_sums_rule_and_certainty(client, kla2021, kla2024):
    page = client.get(reverse("frameworks:version_detail", args=["kla-2024"])).content.decode()
    assert "How the sums are resolved" in page and "Klaster I = 115" in page and "Likely" in page
    assert "274" in page
    listing = client.get(reverse("frameworks:version_list")).content.decode()
    assert "For past cycles: superseded by kla-2024" in listing
    old = client.get(reverse("frameworks:version_detail", args=["kla-2021"])).content.decode()
    assert "For past cycles only." in old
    indicator = client.get(reverse("frameworks:indicator_detail", args=["kla-2024", "19"])).content.decode()
    assert "Berapa persentase SRA untuk TK/RA" in indicator and "instrument: 3,2" in indicator.replace("3.2", "3,2")
    assert 'data-testid="scaled-note"' in indicator


def test_new_cycles_start_from_kla_2024(kla2021, kla2024):
    from layak.evaluations.forms import CycleForm

    assert CycleForm().initial["framework"] == kla2024
