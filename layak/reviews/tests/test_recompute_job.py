"""Recomputing a cycle's scores as a job, from the cycle page: national admins only, after a confirmation,
with progress and the counts on the job's page, audited in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layak.audit.models import AuditEvent
from layak.audit.words import audit_sentence
from layak.jobs.choices import JobKind, JobStatus
from layak.jobs.models import Job
from layak.reviews.models import ScoreSnapshot

pytestmark = pytest.mark.django_db


def _url(assessment) -> str:
    return reverse("reviews:cycle_recompute", args=[assessment.cycle_id])


def test_the_cycle_page_offers_recompute_to_national_admins_only(login, national_admin, province_verifier, assessment):
    page = reverse("evaluations:cycle_detail", args=[assessment.cycle_id])
    assert _url(assessment) in login(national_admin).get(page).content.decode()
    assert _url(assessment) not in login(province_verifier).get(page).content.decode()


def test_it_asks_first_then_runs_as_a_job(login, national_admin, assessment):
    client = login(national_admin)
    question = client.post(_url(assessment))
    assert question.status_code == 200 and "Recompute the scores of" in question.content.decode()
    assert not Job.objects.exists()
    response = client.post(_url(assessment), {"confirmed": "yes"})
    job = Job.objects.get(kind=JobKind.RECOMPUTE)
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    assert job.result["assessments"] == 1 and ScoreSnapshot.objects.filter(assessment=assessment).exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 assessments recomputed" in page and "1 of 1 done" in page
    verbs = list(AuditEvent.objects.filter(verb__startswith="scores.").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["scores.recompute_requested", "scores.recomputed"]
    first = AuditEvent.objects.get(verb="scores.recompute_requested")
    assert audit_sentence(first).endswith("asked for the scores of the cycle to be recomputed")


@pytest.mark.parametrize("persona", ["province_verifier", "region_coordinator", "independent_evaluator"])
def test_others_may_not_recompute(request, login, assessment, persona):
    client = login(request.getfixturevalue(persona))
    assert client.post(_url(assessment), {"confirmed": "yes"}).status_code in (403, 404)
    assert not Job.objects.exists()
