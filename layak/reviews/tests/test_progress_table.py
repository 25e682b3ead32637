"""The progress table over every regency/city (issue #11): answered, status, late, last activity, search,
filters, sorting on every column, export, and a query count that does not grow with the number of regions."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from layak.evaluations.models import Answer, Assessment, Cycle
from layak.regions.tests.factories import make_region
from layak.reviews.choices import ReviewState, ScoreStage
from layak.reviews.models import ReviewProcess, RevisionRequest
from layak.reviews.progress import (
    IN_REVIEW,
    NOT_SUBMITTED,
    PUBLISHED,
    REVISION,
    SORTS,
    ProgressFilter,
    cycle_progress,
    status_filters,
)
from layak.reviews.tests.factories import assign, indicators_of, request_revision, submitted_assessment


@pytest.fixture
def world(framework, assessment, province_verifier):
    """Jakarta in one cycle whose self-assessment has closed: 31.71 in province verification (all answered),
    31.72 a draft with one answer (late), 31.73 in revision past its deadline (late), 31.74 without assessment."""
    cycle = assessment.cycle
    draft = Assessment.objects.create(cycle=cycle, region=make_region("31.72"))
    Answer.objects.create(assessment=draft, indicator=indicators_of(draft)["K1"], values={"perda_kla": True})
    revising = submitted_assessment(framework, region_code="31.73", cycle=cycle)
    assign(revising, ScoreStage.PROVINCE, province_verifier)
    request_revision(revising, province_verifier, {"K1": "Lampirkan perda"})
    RevisionRequest.objects.filter(assessment=revising).update(deadline=timezone.now() - timedelta(days=1))
    make_region("31.74")
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_end=timezone.now() - timedelta(hours=1))
    cycle.refresh_from_db()
    return cycle


def _rows(cycle, user, **filters):
    return {row.region.code: row for row in cycle_progress(cycle, user, ProgressFilter(**filters)).rows}


def test_each_row_says_answered_status_late_and_last_activity(world, national_admin):
    rows = _rows(world, national_admin)
    total = rows["31.71"].total
    assert total == len(indicators_of(Assessment.objects.get(cycle=world, region_id="31.71")))
    assert rows["31.71"].answered == total and rows["31.71"].answered_share == 100
    assert rows["31.72"].answered == 1 and 0 < rows["31.72"].answered_share < 100
    assert rows["31.71"].status == ReviewState.PROVINCE_VERIFICATION
    assert rows["31.71"].status_label == "Province verification"
    assert rows["31.72"].status == "draft" and rows["31.74"].status == "none"
    assert rows["31.73"].status_label == "Revision requested by the province"
    assert not rows["31.71"].late
    assert rows["31.72"].late and rows["31.72"].late_reason == "Self-assessment closed and not submitted"
    assert rows["31.73"].late and rows["31.73"].late_reason == "Revision past its deadline"
    assert not rows["31.74"].late and rows["31.74"].last_activity is None
    assert rows["31.71"].last_activity is not None and rows["31.72"].last_activity is not None


def test_status_groups_search_late_and_province_filters(world, national_admin):
    assert set(_rows(world, national_admin, status=NOT_SUBMITTED)) == {"31.72", "31.74"}
    assert set(_rows(world, national_admin, status=IN_REVIEW)) == {"31.71", "31.73"}
    assert set(_rows(world, national_admin, status=REVISION)) == {"31.73"}
    assert set(_rows(world, national_admin, status="draft")) == {"31.72"}
    assert set(_rows(world, national_admin, late=True)) == {"31.72", "31.73"}
    assert set(_rows(world, national_admin, q="barat")) == {"31.73"}  # Jakarta Barat
    assert set(_rows(world, national_admin, q="31.7")) == {"31.71", "31.72", "31.73", "31.74"}
    assert _rows(world, national_admin, province="63") == {}


def test_every_column_sorts_both_ways(world, national_admin):
    for key in SORTS:
        up = [r.region.code for r in cycle_progress(world, national_admin, ProgressFilter(sort=key)).rows]
        down = [r.region.code for r in cycle_progress(world, national_admin, ProgressFilter(sort=f"-{key}")).rows]
        assert sorted(up) == sorted(down) == ["31.71", "31.72", "31.73", "31.74"], key
    by_answered = [r.region.code for r in cycle_progress(world, national_admin, ProgressFilter(sort="-answered")).rows]
    assert by_answered[0] in {"31.71", "31.73"} and by_answered[-1] == "31.74"
    by_status = [r.region.code for r in cycle_progress(world, national_admin, ProgressFilter(sort="status")).rows]
    assert by_status == ["31.74", "31.72", "31.71", "31.73"]  # none, draft, province verification, its revision
    by_late = [r.region.code for r in cycle_progress(world, national_admin, ProgressFilter(sort="-late")).rows]
    assert set(by_late[:2]) == {"31.72", "31.73"}


def test_a_published_result_reads_published_and_every_review_state_is_offered(world, national_admin):
    ReviewProcess.objects.filter(assessment__region_id="31.71").update(state=ReviewState.FINALISED)
    rows = _rows(world, national_admin)
    assert rows["31.71"].status == ReviewState.FINALISED
    Cycle.objects.filter(pk=world.pk).update(results_published_at=timezone.now() - timedelta(minutes=1))
    world.refresh_from_db()
    rows = _rows(world, national_admin)
    assert rows["31.71"].status == PUBLISHED and rows["31.71"].status_label == "Result published"
    assert set(_rows(world, national_admin, status=PUBLISHED)) == {"31.71"}
    offered = dict(status_filters())
    assert all(offered[value] == label for value, label in ReviewState.choices)


def test_a_province_sees_only_its_regions(world, province_verifier, outsider):
    assert set(_rows(world, province_verifier)) == {"31.71", "31.72", "31.73", "31.74"}
    assert set(_rows(world, outsider)) <= {"63.71"}


def test_the_page_searches_filters_sorts_and_links_the_export(client, world, national_admin):
    client.force_login(national_admin)
    text = client.get(f"/reviews/cycles/{world.pk}/progress/?status=not_submitted&sort=-answered").content.decode()
    assert "Jakarta Utara" in text and "Jakarta Barat" not in text
    assert "Self-assessment closed and not submitted" in text
    assert 'aria-sort="descending"' in text and "sort=answered" in text
    assert f"/reviews/cycles/{world.pk}/progress/export/?status=not_submitted&amp;sort=-answered&amp;format=csv" in text
    assert "not_submitted" not in text.split("<tbody>")[1]  # codes stay in links, never in the cells


def test_export_has_every_matching_row_in_excel_and_csv(client, world, national_admin):
    client.force_login(national_admin)
    url = f"/reviews/cycles/{world.pk}/progress/export/?late=1"
    book = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Code", "Regency/city", "Province", "Indicators answered")
    assert sorted(r[0] for r in rows[1:]) == ["31.72", "31.73"]
    draft = next(r for r in rows if r[0] == "31.72")
    assert draft[3] == 1 and isinstance(draft[5], float | int) and draft[6] == "Draft (not submitted)"
    response = client.get(url + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 3 and table[0][0] == "Code"
    share = next(r for r in table if r[0] == "31.72")[5]
    assert "," not in share and float(share) > 0  # plain decimals in a CSV (decision 0012)


def test_page_and_export_cost_the_same_queries_for_4_or_24_regions(
    client, world, national_admin, framework, django_assert_max_num_queries
):
    client.force_login(national_admin)
    page = f"/reviews/cycles/{world.pk}/progress/"
    export = f"/reviews/cycles/{world.pk}/progress/export/?format=csv"
    client.get(page)
    with django_assert_max_num_queries(20):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(export).status_code == 200
    for n in range(1, 21):
        Assessment.objects.create(cycle=world, region=make_region(f"33.{n:02d}"))
    with django_assert_max_num_queries(20):
        text = client.get(page).content.decode()
    assert "Kabupaten Cilacap" in text
    with django_assert_max_num_queries(16):
        assert client.get(export).content.decode().count("\n") == 25


def test_outsider_cannot_export_other_regions(client, world, outsider):
    client.force_login(outsider)
    body = client.get(f"/reviews/cycles/{world.pk}/progress/export/?format=csv").content.decode("utf-8-sig")
    assert "31.7" not in body
