"""The self-assessment overview keeps its tallies and score under the assessment's generation: a view after no
change reads no answer, and every change the overview shows (an answer, evidence, an OPD's assignment, an OPD's
name, the viewer's OPDs) shows on the next view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.evaluations import question_services
from layak.evaluations.question_selectors import instrument_overview
from layak.evidence.models import Evidence, EvidenceKind

from .factories import q

pytestmark = pytest.mark.django_db(transaction=True)  # generations move after the commit, as in production


def _reads_answers(client, url: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return any("evaluations_questionanswer" in query["sql"] for query in queries.captured_queries)


def test_a_view_after_no_change_reads_no_answer_and_each_change_shows(frozen, region_coordinator, login):
    client = login(region_coordinator)
    url = reverse("evaluations:assessment_detail", args=[frozen.pk])
    assert _reads_answers(client, url)
    assert not _reads_answers(client, url)
    assert "0 of 274 questions complete" in client.get(url).content.decode()

    dinkes = make_agency("31.71", "Dinas Kesehatan", "Dinkes")
    question_services.questions_assign(user=region_coordinator, assessment=frozen, assignments={q("12.1"): dinkes})
    assert "Dinkes" in client.get(url).content.decode()

    dinkes.short_name = "Dinkes DKI"
    dinkes.save()
    assert "Dinkes DKI" in client.get(url).content.decode()

    question_services.question_answer_save(
        user=region_coordinator,
        assessment=frozen,
        question=q("12.1"),
        years={2024: {"numerator": "96", "denominator": "100"}},
        expected_revision=0,
    )
    evidence = Evidence.objects.create(
        region_id="31.71", title="Data persalinan", kind=EvidenceKind.LINK, url="https://example.org/persalinan.pdf"
    )
    before = client.get(url).content.decode()
    question_services.question_evidence_link(
        user=region_coordinator, assessment=frozen, question=q("12.1"), evidence=evidence
    )
    after = client.get(url).content.decode()
    assert "1 of 274 questions complete" in after and after != before
    indicator_12 = after[after.index("<strong>12</strong>") :]
    assert indicator_12[: indicator_12.index("</li>")].count("1/") == 1  # its list of indicators too
    assert not _reads_answers(client, url)


def test_each_viewer_sees_the_tallies_of_what_they_may_see(frozen, region_coordinator, opd_contributor, login):
    dinkes = opd_contributor.roles.get().agency
    question_services.questions_assign(
        user=region_coordinator, assessment=frozen, assignments={q("12.1"): dinkes, q("12.2"): dinkes}
    )
    bappeda = make_agency("31.71", "Bappeda", "Bappeda")
    question_services.questions_assign(user=region_coordinator, assessment=frozen, assignments={q("2.1"): bappeda})
    planner = make_user_with_role("bappeda_jakpus", Role.OPD_CONTRIBUTOR, "31.71", agency=bappeda)
    coordinator_view = instrument_overview(frozen, region_coordinator)
    opd_view = instrument_overview(frozen, opd_contributor)
    assert coordinator_view.total == 274 and coordinator_view.score is not None
    assert opd_view.total == 2 and opd_view.score is None
    assert instrument_overview(frozen, planner).total == 1  # another OPD, nothing changed in between
    # a second OPD for the same person: the next view counts its questions too
    dp3a = make_agency("31.71", "DPPPAPPKB", "DP3A")
    question_services.questions_assign(user=region_coordinator, assessment=frozen, assignments={q("1.1"): dp3a})
    RoleAssignment.objects.create(user=opd_contributor, role=Role.OPD_CONTRIBUTOR, region_id="31.71", agency=dp3a)
    same_person = type(opd_contributor).objects.get(pk=opd_contributor.pk)  # as the next request reads them
    assert instrument_overview(frozen, same_person).total == 3
