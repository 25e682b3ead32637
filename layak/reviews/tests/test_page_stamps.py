"""The pages of an assessment that read (question, scores per stage, what-if, report) are shared fragments kept under
the assessment's generation stamp (decision 0032): every write path shows on the next view, what one person may
see or do never reaches another, the form's CSRF token is the visitor's own, and a warm view reads nothing of the
assessment from the database whatever the data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.common.pagecache import PLACEHOLDER
from layak.evaluations import question_services
from layak.evaluations.models import QuestionAnswer, QuestionEvidence
from layak.evaluations.stamps import assessments_changed
from layak.evaluations.tests.factories import make_assessment
from layak.evidence.models import Evidence, EvidenceKind
from layak.reviews import services
from layak.reviews.choices import ScoreStage
from layak.reviews.models import ConflictDeclaration, QuestionGrade, ScoreSnapshot
from layak.reviews.tests.test_finalise_bulk import world  # noqa: F401 (fixture)
from layak.reviews.tests.test_question_pages_speed import (  # noqa: F401 (fixtures)
    _other_regions,
    _questions,
    _through_province,
    frozen24,
    graded,
)

pytestmark = pytest.mark.django_db


def _url(assessment, question) -> str:
    return f"/reviews/assessments/{assessment.pk}/questions/{question.pk}/"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_grade_saved_by_the_service_or_the_model_shows_on_the_next_view(graded, province_verifier):  # noqa: F811
    question = _questions(graded.cycle.framework)[0]
    client = _client(province_verifier)
    assert "Dokumen belum lengkap" not in _page(client, _url(graded, question))
    services.question_grade_save(
        user=province_verifier, assessment=graded, question=question, level="1/2", reason="Dokumen belum lengkap"
    )
    assert "Dokumen belum lengkap" in _page(client, _url(graded, question))
    grade = QuestionGrade.objects.get(assessment=graded, question=question)
    grade.reason = "Diubah lewat admin"  # an admin edit: a model save
    grade.save()
    assert "Diubah lewat admin" in _page(client, _url(graded, question))
    QuestionGrade.objects.filter(pk=grade.pk).update(reason="Diubah langsung")  # a raw update says so itself
    assessments_changed([graded.pk])
    assert "Diubah langsung" in _page(client, _url(graded, question))


def test_answers_and_evidence_written_any_way_show_on_the_next_view(graded, province_verifier):  # noqa: F811
    question = _questions(graded.cycle.framework)[0]
    url = _url(graded, question)
    client = _client(province_verifier)
    _page(client, url)
    revision = QuestionAnswer.objects.get(assessment=graded, question=question).revision
    # the answer services' conditional UPDATE (no model signal)
    question_services.question_answer_write(graded, question, {"note": "Catatan lewat layanan"}, revision)
    assert "Catatan lewat layanan" in _page(client, url)
    # a link saved, then the linked item renamed (its own row, another table)
    evidence = Evidence.objects.create(
        region_id=graded.region_id, title="SK Gugus Tugas", kind=EvidenceKind.LINK, url="https://example.org/sk.pdf"
    )
    QuestionEvidence.objects.create(assessment=graded, question=question, evidence=evidence)
    assert "SK Gugus Tugas" in _page(client, url)
    evidence.title = "SK Gugus Tugas 2024"
    evidence.save()
    assert "SK Gugus Tugas 2024" in _page(client, url)
    QuestionEvidence.objects.filter(assessment=graded, question=question).delete()  # a queryset delete
    assert "SK Gugus Tugas 2024" not in _page(client, url)


def test_a_transition_and_a_stage_score_show_on_the_next_view(graded, province_verifier, independent_evaluator):  # noqa: F811
    scores = f"/reviews/assessments/{graded.pk}/scores/"
    client = _client(independent_evaluator)
    before = _page(client, scores)
    assert "rv-state-province_verification" in before
    _through_province(graded, province_verifier)  # a compare-and-set UPDATE of the review's state
    after = _page(client, scores)
    assert "rv-state-central_review" in after and "rv-state-province_verification" not in after
    # a stage score rewritten in bulk (as recomputation does), then said so
    snapshot = ScoreSnapshot.objects.get(assessment=graded, stage=ScoreStage.PROVINCE)
    snapshot.total = Decimal("12.34")
    ScoreSnapshot.objects.bulk_update([snapshot], ["total"])
    assessments_changed([graded.pk], results=True)
    assert "12,34" in _page(client, scores) or "12.34" in _page(client, scores)


def test_an_assignment_or_a_conflict_changes_what_the_verifier_may_do_at_once(
    graded,  # noqa: F811
    province_verifier,
    national_admin,
):
    question = _questions(graded.cycle.framework)[0]
    url = _url(graded, question)
    other = make_user_with_role("verifikator_dki_2", Role.PROVINCE_VERIFIER, "31")
    assert 'class="stacked rv-grade-form"' in _page(_client(province_verifier), url)
    assert 'class="stacked rv-grade-form"' not in _page(_client(other), url)  # not assigned: no form
    services.reviewer_assign(user=national_admin, assessment=graded, stage=ScoreStage.PROVINCE, reviewer=other)
    assert 'class="stacked rv-grade-form"' in _page(_client(other), url)
    ConflictDeclaration.objects.create(reviewer=other, region_id="31", statement="Keluarga")
    assert 'class="stacked rv-grade-form"' not in _page(_client(other), url)
    assert 'class="stacked rv-grade-form"' in _page(_client(province_verifier), url)


def test_the_shared_form_carries_each_visitors_own_csrf_token(graded, province_verifier, national_admin):  # noqa: F811
    url = _url(graded, _questions(graded.cycle.framework)[0])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(province_verifier)
    second.force_login(national_admin)
    pages = [_page(first, url), _page(second, url)]
    tokens = []
    for client, body in zip((first, second), pages, strict=True):
        assert PLACEHOLDER not in body
        start = body.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
        tokens.append(body[start : body.index('"', start)])
        assert client.cookies["csrftoken"].value
    assert tokens[0] != tokens[1]
    # the token works: the grade is saved
    response = first.post(url, {"level": "1", "reason": "", "expected_version": "0", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_people_who_may_not_see_verified_grades_never_get_them(graded, province_verifier):  # noqa: F811
    question = _questions(graded.cycle.framework)[0]
    services.question_grade_save(
        user=province_verifier, assessment=graded, question=question, level="1/2", reason="Alasan verifikator"
    )
    url = _url(graded, question)
    assert "Alasan verifikator" in _page(_client(province_verifier), url)
    viewer = make_user_with_role("pengamat_nasional", Role.VIEWER)
    assert "Alasan verifikator" not in _page(_client(viewer), url)
    outsider = make_user_with_role("verifikator_jatim", Role.PROVINCE_VERIFIER, "35")
    assert _client(outsider).get(url).status_code == 404
    assert _client(outsider).get(f"/reviews/assessments/{graded.pk}/scores/").status_code == 404


def test_fragments_are_never_shared_across_assessments(graded, province_verifier, independent_evaluator):  # noqa: F811
    other = make_assessment(graded.cycle, "31.72")
    client = _client(independent_evaluator)
    assert "Kota Administrasi Jakarta Pusat" in _page(client, f"/reviews/assessments/{graded.pk}/scores/")
    page = _page(client, f"/reviews/assessments/{other.pk}/scores/")
    assert "Kota Administrasi Jakarta Pusat" not in page
    assert _client(independent_evaluator).get("/reviews/assessments/999999/scores/").status_code == 404


def _warm_queries(user, url: str) -> list[str]:
    _page(_client(user), url)
    client = _client(user)
    _page(client, url)  # the session's own first reads (user, roles, unread count) are the base's, not the page's
    with CaptureQueriesContext(connection) as queries:
        _page(client, url)
    return [q["sql"] for q in queries]


@pytest.mark.parametrize("page", ["question", "scores", "what-if", "report"])
def test_a_warm_view_reads_nothing_of_the_assessment_whatever_the_data(
    page,
    graded,  # noqa: F811
    province_verifier,
    national_admin,
):
    question = _questions(graded.cycle.framework)[0]
    urls = {
        "question": _url(graded, question),
        "scores": f"/reviews/assessments/{graded.pk}/scores/",
        "what-if": f"/reviews/assessments/{graded.pk}/what-if/",
        "report": f"/reports/assessments/{graded.pk}/",
    }
    before = _warm_queries(national_admin, urls[page])
    for q in _questions(graded.cycle.framework)[:30]:
        services.question_grade_save(user=province_verifier, assessment=graded, question=q, level="1/2", reason="x")
    _other_regions(graded, ["31.73", "31.74"])
    QuestionAnswer.objects.filter(assessment=graded).update(revision=F("revision") + 1)
    assessments_changed([graded.pk])
    after = _warm_queries(national_admin, urls[page])
    assert len(after) == len(before)
    tables = ("evaluations_", "reviews_", "evidence_", "frameworks_", "regions_")
    assert not [sql for sql in after if any(f'"{t}' in sql for t in tables)]


def test_a_reviewer_renamed_or_removed_shows_beside_their_grades_at_once(graded, province_verifier, national_admin):  # noqa: F811
    question = _questions(graded.cycle.framework)[0]
    services.question_grade_save(user=province_verifier, assessment=graded, question=question, level="1/2", reason="x")
    url = _url(graded, question)
    client = _client(national_admin)
    _page(client, url)
    province_verifier.full_name = "Siti Rahmawati"
    province_verifier.save()
    assert "Siti Rahmawati" in _page(client, url)
    province_verifier.delete()
    assert "Siti Rahmawati" not in _page(client, url)


def test_recomputed_stage_scores_show_on_the_next_view(assessment, national_admin):
    from layak.reviews.recompute import scores_recompute

    url = f"/reviews/assessments/{assessment.pk}/scores/"
    client = _client(national_admin)
    assert "1.000" in _page(client, url) or "1,000" in _page(client, url)
    ScoreSnapshot.objects.filter(assessment=assessment).update(total=Decimal("7.5"))
    assessments_changed([assessment.pk], results=True)
    assert "7,5" in _page(client, url) or "7.5" in _page(client, url)
    scores_recompute()  # bulk_update, no model signal
    page = _page(client, url)
    assert "7,5" not in page and "7.5" not in page


def test_a_bulk_finalisation_shows_on_the_next_view(world, national_admin):  # noqa: F811
    from layak.reviews.finalise_bulk import finalise_bulk

    cycle, assessments = world
    url = f"/reviews/assessments/{assessments[0].pk}/scores/"
    client = _client(national_admin)
    assert "rv-state-finalised" not in _page(client, url)
    finalise_bulk(user=national_admin, cycle=cycle, expected=[a.pk for a in assessments])
    assert "rv-state-finalised" in _page(client, url)
    results = f"/reports/cycles/{cycle.pk}/results/"
    assert "rs-" in _page(client, results)
