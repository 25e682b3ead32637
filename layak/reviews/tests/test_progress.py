"""Bulk reviewer assignment and the progress table of every regency/city per cycle (issue #10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.audit.models import AuditEvent
from layak.regions.tests.factories import make_region
from layak.reviews import services
from layak.reviews.choices import ScoreStage
from layak.reviews.models import ConflictDeclaration, ReviewerAssignment
from layak.reviews.progress import NOT_SUBMITTED, ProgressFilter, cycle_progress
from layak.reviews.tests.factories import submitted_assessment

JAKARTA = ["31.71", "31.72", "31.73", "31.74", "31.75"]


@pytest.fixture
def jakarta(framework, assessment):
    """Five Jakarta cities: four submitted in one cycle (31.71 is the conftest's), 31.01 not submitted."""
    cycle = assessment.cycle
    for code in JAKARTA[1:4]:
        submitted_assessment(framework, region_code=code, cycle=cycle)
    make_region("31.01")
    return cycle


def test_a_province_coordinator_assigns_a_verifier_to_many_regions(jakarta, province_coordinator, province_verifier):
    ConflictDeclaration.objects.create(
        reviewer=province_verifier, region=make_region("31.73"), statement="Istri bekerja di DP3A"
    )
    done = services.reviewer_assign_bulk(
        user=province_coordinator,
        cycle=jakarta,
        stage=ScoreStage.PROVINCE,
        reviewer=province_verifier,
        region_codes=[*JAKARTA, "31.01"],
    )
    assert done.assigned == ["31.71", "31.72", "31.74"]
    reasons = dict(done.skipped)
    assert "conflict of interest" in reasons["31.73"]
    assert "no submitted assessment" in reasons["31.75"] and "no submitted assessment" in reasons["31.01"]
    assert ReviewerAssignment.objects.filter(reviewer=province_verifier).count() == 3
    assert AuditEvent.objects.filter(verb="reviewer.assigned").count() == 3
    again = services.reviewer_assign_bulk(
        user=province_coordinator,
        cycle=jakarta,
        stage=ScoreStage.PROVINCE,
        reviewer=province_verifier,
        region_codes=["31.71"],
    )
    assert again.assigned == [] and "already assigned" in again.skipped[0][1]


def test_a_province_coordinator_assigns_only_the_province_stage_of_their_province(
    jakarta, province_coordinator, province_verifier, independent_evaluator
):
    with pytest.raises(PermissionDenied):
        services.reviewer_assign_bulk(
            user=province_coordinator,
            cycle=jakarta,
            stage=ScoreStage.CENTRAL,
            reviewer=independent_evaluator,
            region_codes=["31.71"],
        )
    outsider_coordinator = make_user_with_role("koordinator_kalsel", Role.PROVINCE_COORDINATOR, "63")
    with pytest.raises(PermissionDenied):
        services.reviewer_assign_bulk(
            user=outsider_coordinator,
            cycle=jakarta,
            stage=ScoreStage.PROVINCE,
            reviewer=province_verifier,
            region_codes=["31.71"],
        )


def test_the_bulk_assignment_query_count_does_not_grow_with_regions(
    jakarta, national_admin, province_verifier, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        done = services.reviewer_assign_bulk(
            user=national_admin,
            cycle=jakarta,
            stage=ScoreStage.PROVINCE,
            reviewer=province_verifier,
            region_codes=JAKARTA[:4],
        )
    assert len(done.assigned) == 4


def test_the_progress_table_lists_every_region_with_filters(jakarta, national_admin, province_verifier):
    services.reviewer_assign_bulk(
        user=national_admin,
        cycle=jakarta,
        stage=ScoreStage.PROVINCE,
        reviewer=province_verifier,
        region_codes=["31.71"],
    )
    progress = cycle_progress(jakarta, national_admin)
    rows = {row.region.code: row for row in progress.rows}
    assert set(rows) >= {"31.71", "31.72", "31.73", "31.74", "31.01"}
    assert rows["31.71"].state == "province_verification" and rows["31.71"].self_total is not None
    assert [d.reviewer for d in rows["31.71"].reviewers] == [province_verifier]
    assert rows["31.01"].state is None and rows["31.01"].assessment_id is None
    waiting = cycle_progress(jakarta, national_admin, ProgressFilter(status=NOT_SUBMITTED))
    assert "31.71" not in {row.region.code for row in waiting.rows} and "31.01" in {
        row.region.code for row in waiting.rows
    }
    assert cycle_progress(jakarta, national_admin, ProgressFilter(province="63")).rows == []


def test_the_progress_page_has_a_fixed_query_count_and_pages(
    client, jakarta, national_admin, django_assert_max_num_queries
):
    client.force_login(national_admin)
    url = f"/reviews/cycles/{jakarta.pk}/progress/"
    client.get(url)
    with django_assert_max_num_queries(22):
        response = client.get(url + "?province=31")
    assert response.status_code == 200 and "Jakarta Pusat" in response.content.decode()
    page = cycle_progress(jakarta, national_admin, per_page=2)
    assert page.page.paginator.num_pages >= 3 and len(page.rows) == 2


def test_bulk_assignment_through_the_page(client, jakarta, province_coordinator, province_verifier, outsider):
    client.force_login(province_coordinator)
    page = client.get(f"/reviews/cycles/{jakarta.pk}/progress/").content.decode()
    assert 'name="regions"' in page and "Assign a reviewer" in page
    response = client.post(
        f"/reviews/cycles/{jakarta.pk}/progress/assign/",
        {"stage": "province", "reviewer": province_verifier.pk, "all_matching": "on", "province": "31"},
        follow=True,
    )
    text = response.content.decode()
    assert "was assigned to 4" in text and "Left out" in text
    client.force_login(outsider)
    response = client.post(
        f"/reviews/cycles/{jakarta.pk}/progress/assign/",
        {"stage": "province", "reviewer": province_verifier.pk, "regions": "31.71"},
    )
    assert response.status_code == 403
