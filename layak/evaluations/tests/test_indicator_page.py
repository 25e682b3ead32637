"""The indicator page of the question-level self-assessment written from precomputed data (one loop, headers
kept per frozen version and language, inputs written without widget templates): the same page as before, in a
fixed number of queries, in the visitor's language, and a refused answer comes back at its question."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from layak.accounts.tests.factories import make_agency
from layak.common.tests.pages import without_csrf_tokens
from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import QuestionAnswer, QuestionAssignment
from layak.frameworks.models import Question

pytestmark = pytest.mark.django_db


def _answer_all(assessment, indicator_code: str | None = None) -> None:
    questions = Question.objects.filter(indicator__version=assessment.cycle.framework)
    if indicator_code:
        questions = questions.filter(indicator__code=indicator_code)
    agency = make_agency("31.71", "DPPPAPPKB", "DP3A")
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(assessment=assessment, question=q, yes=True, text="x", note="n") for q in questions
    )
    QuestionAssignment.objects.bulk_create(
        QuestionAssignment(assessment=assessment, question=q, agency=agency) for q in questions
    )


def test_the_63_question_page_keeps_its_query_count(frozen, region_coordinator, login, django_assert_max_num_queries):
    client = login(region_coordinator)
    url = reverse("evaluations:instrument_indicator", args=[frozen.pk, "1"])
    client.get(url)
    _answer_all(frozen)
    client.get(url)
    # the user, roles, assessment, answers, evidence counts, assignments, evidence links, agencies, the
    # notifications and the indicator's readiness flags: the framework comes from memory
    with django_assert_max_num_queries(10):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and body.count('class="card ev-question') == 63
    assert body.count('name="csrfmiddlewaretoken"') >= 63 * 3  # answer, upload and OPD forms of each question


def test_the_headers_follow_the_visitors_language(frozen, region_coordinator, login):
    client = login(region_coordinator)
    url = reverse("evaluations:instrument_indicator", args=[frozen.pk, "1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "paling banyak" in indonesian and "paling banyak" not in english
    assert "up to" in english


def test_a_refused_answer_comes_back_at_its_question_with_what_was_typed(frozen, region_coordinator, login):
    client = login(region_coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    question = Question.objects.get(indicator__version=frozen.cycle.framework, indicator__code="12", code="1")
    prefix = f"q{question.pk}"
    response = client.post(
        reverse("evaluations:question_save", args=[frozen.pk, question.pk]),
        {f"{prefix}-num_2024": "3000", f"{prefix}-den_2024": "2000", f"{prefix}-expected_revision": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "cannot be larger than the denominator" in body
    assert f'name="{prefix}-num_2024" value="3000"' in body
    assert (
        body.count('class="card ev-question')
        == Question.objects.filter(indicator__version=frozen.cycle.framework, indicator__code="12").count()
    )


def test_each_question_shows_its_own_opd_chosen_among_the_regions_opds(frozen, region_coordinator, login):
    agencies = [make_agency("31.71", f"Dinas {n}", f"D{n}") for n in range(5)]
    questions = list(Question.objects.filter(indicator__version=frozen.cycle.framework, indicator__code="1"))
    QuestionAssignment.objects.bulk_create(
        QuestionAssignment(assessment=frozen, question=q, agency=agencies[n % 3]) for n, q in enumerate(questions[:6])
    )
    body = login(region_coordinator).get(reverse("evaluations:instrument_indicator", args=[frozen.pk, "1"]))
    html = body.content.decode()

    def select_of(question: Question) -> str:
        section = html[html.index(f'id="agency-{question.pk}"') :]
        return section[: section.index("</select>")]

    for n, question in enumerate(questions[:6]):
        assert f'<option value="{agencies[n % 3].pk}" selected>' in select_of(question)
        assert select_of(question).count(" selected") == 1
        assert select_of(question).count("<option") == 6  # "not assigned" and the five OPDs
    assert " selected" not in select_of(questions[6])


def _rendered_questions(monkeypatch) -> list[int]:
    """Counts the questions the page renders (rather than takes as they were last rendered)."""
    from layak.evaluations import question_blocks

    counts: list[int] = []
    real = question_blocks.question_blocks

    def counting(page, framework, bound=None, rows=None, options=None):
        blocks = real(page, framework, bound, rows, options)
        counts.append(len(blocks))
        return blocks

    monkeypatch.setattr(question_blocks, "question_blocks", counting)
    return counts


def test_a_view_renders_only_the_questions_whose_data_changed(frozen, region_coordinator, login, monkeypatch):
    from layak.common.generations import forget_memo

    client = login(region_coordinator)
    url = reverse("evaluations:instrument_indicator", args=[frozen.pk, "1"])
    rendered = _rendered_questions(monkeypatch)
    client.get(url)
    assert rendered == [63]
    again = client.get(url).content.decode()
    assert rendered == [63]  # nothing changed: every question as it was rendered
    question = Question.objects.filter(indicator__version=frozen.cycle.framework, indicator__code="1").first()
    save = reverse("evaluations:question_save", args=[frozen.pk, question.pk])
    p = f"q{question.pk}"
    answer = {f"{p}-yes": "true", f"{p}-note": "SK Bupati 2024", f"{p}-expected_revision": "0"}
    assert client.post(save, answer, HTTP_HX_REQUEST="true").status_code == 200
    assert "SK Bupati 2024" in client.get(url).content.decode() and rendered == [63, 1]
    # the same answer and score, only the note changed
    answer |= {f"{p}-note": "SK Bupati 2025", f"{p}-expected_revision": "1"}
    assert client.post(save, answer, HTTP_HX_REQUEST="true").status_code == 200
    after = client.get(url).content.decode()
    assert rendered == [63, 1, 1] and "SK Bupati 2025" in after and "SK Bupati 2025" not in again
    forget_memo()  # a fresh server renders every question: the same page
    from django.core.cache import cache

    cache.clear()
    assert without_csrf_tokens(client.get(url).content.decode()) == without_csrf_tokens(after)
    assert rendered == [63, 1, 1, 63]


def test_what_a_question_shows_from_elsewhere_shows_at_once(frozen, region_coordinator, login):
    """An OPD's new name, an evidence item's new title, and the viewer's rights are part of what decides whether
    a question is rendered again."""
    from layak.evaluations.models import QuestionEvidence
    from layak.evidence.models import Evidence, EvidenceKind

    agency = make_agency("31.71", "Dinas Pendidikan", "Disdik")
    question = Question.objects.filter(indicator__version=frozen.cycle.framework, indicator__code="1").first()
    QuestionAssignment.objects.create(assessment=frozen, question=question, agency=agency)
    evidence = Evidence.objects.create(
        region_id="31.71", title="Perbup KLA", kind=EvidenceKind.LINK, url="https://example.org/perbup.pdf"
    )
    QuestionEvidence.objects.create(assessment=frozen, question=question, evidence=evidence)
    client = login(region_coordinator)
    url = reverse("evaluations:instrument_indicator", args=[frozen.pk, "1"])
    first = client.get(url).content.decode()
    assert "OPD: Disdik" in first and "Perbup KLA" in first
    Evidence.objects.filter(pk=evidence.pk).update(title="Perbup KLA 2025")  # even a write that sends no signal
    assert "Perbup KLA 2025" in client.get(url).content.decode()
    agency.short_name = "Disdikbud"
    agency.save()
    assert "OPD: Disdikbud" in client.get(url).content.decode()
    frozen.status, frozen.submitted_at = AssessmentStatus.SUBMITTED, timezone.now()
    frozen.save()
    read_only = client.get(url).content.decode()
    assert "hx-post" not in read_only and "Upload" not in read_only and "Perbup KLA 2025" in read_only
