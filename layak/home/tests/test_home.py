"""The home page says what to do next, for each role, in a number of queries that does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment
from layak.evaluations.models import IndicatorAssignment
from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
from layak.regions.tests.factories import make_region
from layak.reviews.tests.factories import assign, indicators_of, open_review_windows, request_revision, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(region_coordinator):
    return make_assessment(make_cycle(make_framework()), "31.71")


def home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_the_coordinator_sees_what_to_assign_and_when_to_submit(login, region_coordinator, draft):
    page = home(login(region_coordinator))
    assert "Assign 3 indicators to the OPDs" in page
    assert "0 of 3 indicators answered; submit by" in page
    assert reverse("evaluations:assessment_assign", args=[draft.pk]) in page


def test_the_opd_sees_its_own_indicators_to_answer(login, opd_contributor, draft):
    agency = opd_contributor.roles.get().agency
    for code in ("I1", "I2"):
        IndicatorAssignment.objects.create(assessment=draft, indicator=indicators_of(draft)[code], agency=agency)
    page = home(login(opd_contributor))
    assert "Answer 2 indicators (I1, I2) by" in page
    assert reverse("evaluations:answer_edit", args=[draft.pk, "I1"]) in page


def test_during_a_revision_home_and_overview_say_so_plainly(login, region_coordinator, province_verifier, draft):
    open_review_windows(draft.cycle)
    submit(draft)
    assign(draft, "province", province_verifier)
    request_revision(draft, province_verifier, {"I1": "Rekap akta per kecamatan"}, comment="x")
    client = login(region_coordinator)
    page = home(client)
    assert "Revision requested: fix indicator I1 and resubmit" in page and "Rekap akta per kecamatan" in page
    overview = client.get(reverse("evaluations:assessment_detail", args=[draft.pk])).content.decode()
    assert "Revision requested by the province" in overview and ">Submitted<" not in overview
    assert "Fix the indicators and resubmit" in overview


def test_the_verifier_sees_what_waits_for_province_verification(login, province_verifier, draft):
    submit(draft)
    page = home(login(province_verifier))
    assert "Verify Kota Administrasi Jakarta Pusat" in page
    assert reverse("reviews:assessment_review", args=[draft.pk]) in page


def test_home_query_count_does_not_grow_with_regions(login, region_coordinator, draft):
    client = login(region_coordinator)
    home(client)  # the grants, the unread count and the shared values read once, then from the caches
    with CaptureQueriesContext(connection) as one:
        home(client)
    for code in ["31.72", "31.73", "31.74"]:
        RoleAssignment.objects.create(user=region_coordinator, role=Role.REGION_COORDINATOR, region=make_region(code))
        make_assessment(draft.cycle, code)
    home(client)  # the changed grants read once
    with CaptureQueriesContext(connection) as four:
        page = home(client)
    assert "Kota Administrasi Jakarta Utara" in page
    assert len(four.captured_queries) == len(one.captured_queries)


@pytest.fixture
def draft_2024(region_coordinator):
    """A draft on the 2024 instrument, answered and assigned question by question."""
    from django.conf import settings

    from layak.frameworks.models import FrameworkVersion
    from layak.frameworks.services import framework_load_file

    framework_load_file(f"{settings.LAYAK_FRAMEWORKS_DIR}/kla-2024.yaml")
    return make_assessment(make_cycle(FrameworkVersion.objects.get(slug="kla-2024"), year=2024), "31.71")


def _question(code: str):
    from layak.frameworks.models import Question

    indicator, _dot, question = code.partition(".")
    return Question.objects.get(indicator__version__slug="kla-2024", indicator__code=indicator, code=question)


def test_on_the_2024_instrument_the_coordinator_counts_questions(login, region_coordinator, draft_2024):
    from layak.evaluations.models import QuestionAnswer

    QuestionAnswer.objects.create(assessment=draft_2024, question=_question("1.1"), yes=True)
    page = home(login(region_coordinator))
    assert "1 of 274 questions answered; submit by" in page
    assert "Assign 274 questions to the OPDs by data source" in page
    assert reverse("evaluations:instrument_assign", args=[draft_2024.pk]) in page
    assert "indicators answered" not in page


def test_on_the_2024_instrument_the_opd_sees_its_questions(login, opd_contributor, draft_2024):
    from layak.evaluations.models import QuestionAnswer, QuestionAssignment

    agency = opd_contributor.roles.get().agency
    for code in ("1.1", "1.2a", "3.1a"):
        QuestionAssignment.objects.create(assessment=draft_2024, question=_question(code), agency=agency)
    QuestionAnswer.objects.create(assessment=draft_2024, question=_question("1.1"), yes=True)
    page = home(login(opd_contributor))
    assert "Answer 2 questions (1.2a, 3.1a) by" in page
    assert reverse("evaluations:instrument_indicator", args=[draft_2024.pk, "1"]) in page
