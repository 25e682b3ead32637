"""The verifier's question page and the scores-per-stage page of a question-level instrument (issue #10's speed
goals): fixed query counts whatever the number of questions graded and of regions, and the scores table, shared
between viewers, follows every change of what it is built from and never shows a viewer stages they may not
see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.evaluations.models import Assessment, QuestionAnswer
from layak.evaluations.stamps import assessments_changed
from layak.evaluations.tests.factories import make_assessment, make_cycle
from layak.frameworks.models import FrameworkVersion, Question
from layak.frameworks.services import framework_load_file
from layak.frameworks.tests.conftest import SHIPPED
from layak.reviews import permissions, selectors, services
from layak.reviews.choices import ReviewAction, ScoreStage
from layak.reviews.models import ConflictDeclaration, FinalResult, ScoreSnapshot
from layak.reviews.tests.factories import assign, hand_over_letter, open_review_windows, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen24(db):
    framework_load_file(SHIPPED / "kla-2024.yaml")
    FrameworkVersion.objects.filter(slug="kla-2024").update(frozen_at=timezone.now())
    return FrameworkVersion.objects.get(slug="kla-2024")


def _questions(framework) -> list[Question]:
    return list(
        Question.objects.filter(indicator__version=framework)
        .select_related("indicator__group")
        .order_by("indicator__group__order", "indicator__order", "order", "pk")
    )


@pytest.fixture
def graded(frozen24, region_coordinator, province_verifier, independent_evaluator):
    """Jakarta Pusat's kla-2024 assessment, every question answered yes, submitted and at the province stage."""
    assessment = make_assessment(open_review_windows(make_cycle(frozen24, year=2024)))
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(assessment=assessment, question=q, yes=True, text="x", note="n") for q in _questions(frozen24)
    )
    submit(assessment, region_coordinator)
    assign(assessment, ScoreStage.PROVINCE, province_verifier)
    assign(assessment, ScoreStage.CENTRAL, independent_evaluator)
    assign(assessment, ScoreStage.FIELD, independent_evaluator)
    return assessment


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _other_regions(assessment: Assessment, codes: list[str]) -> None:
    from layak.regions.tests.factories import make_region

    for code in codes:
        make_region(code)
    Assessment.objects.bulk_create(Assessment(cycle=assessment.cycle, region_id=code) for code in codes)


def test_the_question_page_has_a_fixed_query_count(client, graded, province_verifier, django_assert_max_num_queries):
    questions = _questions(graded.cycle.framework)
    url = f"/reviews/assessments/{graded.pk}/questions/{questions[0].pk}/"
    client.force_login(province_verifier)
    client.get(url)  # the frozen framework's questions, read once per process
    before = _count(client, url)
    for question in questions[:40]:
        services.question_grade_save(
            user=province_verifier, assessment=graded, question=question, level="1/2", reason="Belum lengkap"
        )
    _other_regions(graded, ["31.72", "31.73", "31.74"])
    client.get(url)  # the first view after a change builds the page
    # the session's user (and, in a test whose writes never commit, their roles and unread count read again):
    # nothing of the assessment, its review or the question (stamps.assessment_facts, a shared fragment)
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200 and 'value="1/2" required id="id_level_3" checked' in response.content.decode()
    assert _count(client, url) == before


def test_the_grade_form_written_by_the_page_keeps_the_values_sent_back_with_an_error(client, graded, province_verifier):
    question = _questions(graded.cycle.framework)[0]
    url = f"/reviews/assessments/{graded.pk}/questions/{question.pk}/"
    client.force_login(province_verifier)
    response = client.post(url, {"level": "1/3", "reason": "", "comment": "Cek <SK>", "expected_version": "0"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="1/3" required id="id_level_2" checked' in body
    assert "Cek &lt;SK&gt;</textarea>" in body and 'class="errorlist"' in body


def test_the_verifiers_duties_read_with_the_assessment_are_the_databases(
    graded, province_verifier, independent_evaluator
):
    """The duties annotated on the assessment (one query) give the same answers as asking the tables."""
    for user in (province_verifier, independent_evaluator):
        assessment, _process = selectors.review_assessment_with_duties(user, graded.pk)
        fresh = Assessment.objects.get(pk=graded.pk)
        for stage in (ScoreStage.PROVINCE, ScoreStage.CENTRAL, ScoreStage.FIELD):
            assert permissions.is_assigned(user, assessment, stage) == permissions.is_assigned(user, fresh, stage)
        assert permissions.is_reviewer_of(user, assessment) is True
        assert permissions.reviewer_refusal(user, assessment, "province_verification") == (
            permissions.reviewer_refusal(user, fresh, "province_verification")
        )
    ConflictDeclaration.objects.create(reviewer=province_verifier, region_id="31", statement="Keluarga")
    assessment, _process = selectors.review_assessment_with_duties(province_verifier, graded.pk)
    assert "conflict of interest" in permissions.reviewer_refusal(
        province_verifier, assessment, "province_verification"
    )
    # another user's checks never read the duties kept for the first
    assert permissions.is_assigned(independent_evaluator, assessment, ScoreStage.CENTRAL) is True


def _through_province(assessment, verifier):
    hand_over_letter(assessment, verifier)
    services.review_transition(user=verifier, assessment=assessment, action=ReviewAction.APPROVE)


def test_the_scores_page_has_a_fixed_query_count(
    client, graded, province_verifier, independent_evaluator, django_assert_max_num_queries
):
    url = f"/reviews/assessments/{graded.pk}/scores/"
    client.force_login(independent_evaluator)
    client.get(url)
    before = _count(client, url)
    for question in _questions(graded.cycle.framework)[:30]:
        services.question_grade_save(
            user=province_verifier, assessment=graded, question=question, level="1/2", reason="Belum lengkap"
        )
    _through_province(graded, province_verifier)
    _other_regions(graded, ["31.72", "31.73"])
    client.get(url)  # the first view after a change builds the table
    # the session's user, their roles and unread count: nothing of the assessment (a shared fragment)
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    assert _count(client, url) == before


def _columns(client, url: str) -> str:
    body = client.get(url).content.decode()
    return body[body.index("<thead>") : body.index("</thead>")]


def test_the_shared_scores_table_follows_every_change(client, graded, province_verifier, independent_evaluator):
    url = f"/reviews/assessments/{graded.pk}/scores/"
    client.force_login(independent_evaluator)
    assert "Provinsi" not in _columns(client, url) and "Province" not in _columns(client, url)
    # a new snapshot (the province's approval)
    question = _questions(graded.cycle.framework)[0]
    services.question_grade_save(
        user=province_verifier, assessment=graded, question=question, level="0", reason="Tidak ada dokumen"
    )
    _through_province(graded, province_verifier)
    columns = _columns(client, url)
    assert "Provinsi" in columns or "Province" in columns
    province = ScoreSnapshot.objects.get(assessment=graded, stage=ScoreStage.PROVINCE)
    shown = client.get(url).content.decode()
    # a snapshot written again by a queryset update, which says so (recomputation bumps after its bulk_update)
    ScoreSnapshot.objects.filter(pk=province.pk).update(total=Decimal("1.23"), computed_at=timezone.now())
    assessments_changed([graded.pk], results=True)
    changed = client.get(url).content.decode()
    assert changed != shown and ("1,23" in changed or "1.23" in changed)
    # a snapshot saved through the model
    province.refresh_from_db()
    province.total = Decimal("2.34")
    province.save()
    assert "2,34" in client.get(url).content.decode() or "2.34" in client.get(url).content.decode()
    # a final result and the ministry's predicate
    for stage in (ScoreStage.CENTRAL, ScoreStage.FIELD, ScoreStage.FINAL):
        ScoreSnapshot.objects.create(
            assessment=graded, stage=stage, total=Decimal("500"), max_total=Decimal("1000"), band_code=""
        )
    result = FinalResult.objects.create(assessment=graded, score=Decimal("500"), band_code="")
    assert 'class="rv-final-line"' in client.get(url).content.decode()
    before = client.get(url).content.decode()
    result.band_code = "nindya"
    result.override_reason = "Keputusan rapat"
    result.save()
    after = client.get(url).content.decode()
    assert after != before and "Keputusan rapat" in after


def test_a_viewer_who_may_not_see_verified_scores_never_gets_the_shared_table_of_one_who_may(
    client, graded, province_verifier, independent_evaluator
):
    _through_province(graded, province_verifier)
    url = f"/reviews/assessments/{graded.pk}/scores/"
    client.force_login(independent_evaluator)
    assert "Provinsi" in _columns(client, url) or "Province" in _columns(client, url)
    viewer = make_user_with_role("pengamat_nasional", Role.VIEWER)
    client.force_login(viewer)
    columns = _columns(client, url)
    assert "Provinsi" not in columns and "Province" not in columns


def test_a_question_of_another_framework_is_404_on_the_question_page(client, graded, province_verifier):
    client.force_login(province_verifier)
    assert client.get(f"/reviews/assessments/{graded.pk}/questions/999999/").status_code == 404


def test_the_question_page_reads_an_unfrozen_framework_from_the_database(client, graded, province_verifier):
    FrameworkVersion.objects.filter(pk=graded.cycle.framework_id).update(frozen_at=None)
    question = _questions(graded.cycle.framework)[0]
    client.force_login(province_verifier)
    assert client.get(f"/reviews/assessments/{graded.pk}/questions/{question.pk}/").status_code == 200


def test_question_answers_saved_later_show_on_the_question_page(client, graded, province_verifier):
    """The page is kept under the assessment's generation: a change of the answer shows on the next view."""
    question = _questions(graded.cycle.framework)[0]
    client.force_login(province_verifier)
    client.get(f"/reviews/assessments/{graded.pk}/questions/{question.pk}/")
    QuestionAnswer.objects.filter(assessment=graded, question=question).update(note="Catatan terbaru")
    assessments_changed([graded.pk])  # a queryset update outside the services says so itself
    body = client.get(f"/reviews/assessments/{graded.pk}/questions/{question.pk}/").content.decode()
    assert "Catatan terbaru" in body
