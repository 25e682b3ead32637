"""The dashboards are cached under generation counters, not stamp queries (decision 0031): every write path of
what they show bumps one, so the next view shows the change; a warm view of a new session reads no table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.common.generations import generation
from layak.evaluations.models import Assessment
from layak.evaluations.publication import RESULTS_GENERATION
from layak.evaluations.tests.factories import attach_evidence
from layak.frameworks.models import Indicator
from layak.regions.models import Region
from layak.reviews.choices import ScoreStage
from layak.reviews.models import FinalResult, RevisionItem, RevisionRequest, ScoreSnapshot

from .factories import cycle, make_result

pytestmark = pytest.mark.django_db

KABKOTA = ["35.01", "35.02", "35.03", "35.04", "35.05", "35.06", "35.07", "35.08", "35.09", "35.10"]
PAGES = ["/dashboards/", "/dashboards/provinces/35/", "/dashboards/regions/35.01/"]


@pytest.fixture
def published(db):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    return made


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _warm_queries(login, user, url: str) -> list[str]:
    """The queries of a view in a new session, after an earlier visitor filled the shared caches and the session
    read the user's own values (grants, unread count) once."""
    login(user).get(url)
    client = login(user)
    client.get("/accounts/profile/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured]


@pytest.mark.parametrize("count", [2, 10])
def test_a_warm_view_reads_no_table_but_the_signed_in_user(login, national_admin, count):
    made = cycle(2025)
    for index, code in enumerate(KABKOTA[:count]):
        make_result(made, code, 520 + 40 * index)
    for url in PAGES:
        queries = _warm_queries(login, national_admin, url)
        assert len(queries) <= 1, (url, queries)  # what signing in needs (the user row), nothing of the page
        assert not any("reviews_" in q or "evaluations_" in q or "regions_" in q for q in queries), url


def test_a_result_saved_on_its_own_shows_on_the_next_view(login, national_admin, published):
    """A save outside the services (the admin, a one-off fix) is seen through the model signals."""
    client = login(national_admin)
    assert "Nindya" in _html(client, "/dashboards/regions/31.71/")
    result = FinalResult.objects.get(assessment__region_id="31.71")
    result.band_code = result.computed_band_code = "utama"
    result.save()
    assert "Utama" in _html(login(national_admin), "/dashboards/regions/31.71/")


def test_a_publication_and_its_withdrawal_show_on_the_next_view(login, national_admin):
    from layak.reviews.choices import ReviewState
    from layak.reviews.models import ReviewProcess
    from layak.reviews.services import cycle_results_publish, cycle_results_unpublish

    hidden = cycle(2026, published=False)
    make_result(hidden, "31.71", 905)
    ReviewProcess.objects.create(assessment=Assessment.objects.get(cycle=hidden), state=ReviewState.FINALISED)
    assert "905" not in _html(Client(), "/dashboards/public/regions/31.71/")
    assert "not published yet" in _html(login(national_admin), "/dashboards/")
    cycle_results_publish(user=national_admin, cycle=hidden)  # a queryset update: no model signal
    assert "not published yet" not in _html(login(national_admin), "/dashboards/")
    assert "905" in _html(login(national_admin), "/dashboards/regions/31.71/?sort=year")
    cycle_results_unpublish(user=national_admin, cycle=hidden, reason="Salah hitung")
    assert "not published yet" in _html(login(national_admin), "/dashboards/")


def test_a_scheduled_publication_shows_when_its_time_comes(login, national_admin, outsider, monkeypatch):
    later = cycle(2026, published=False)
    make_result(later, "31.71", 905)
    later.results_published_at = timezone.now() + timedelta(hours=1)
    later.save()
    assert "905" not in _html(login(outsider), "/dashboards/regions/31.71/")
    assert "not published yet" in _html(login(national_admin), "/dashboards/")
    soon = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: soon)  # no data changes: only the clock
    assert "905" in _html(login(outsider), "/dashboards/regions/31.71/")
    assert "not published yet" not in _html(login(national_admin), "/dashboards/")


def test_a_raw_update_shows_once_the_dashboards_are_told(login, national_admin, published):
    from layak.dashboards.cache import dashboards_invalidate

    client = login(national_admin)
    assert "720" in _html(client, "/dashboards/regions/31.71/")
    FinalResult.objects.filter(assessment__region_id="31.71").update(score=733)
    dashboards_invalidate()
    assert "733" in _html(login(national_admin), "/dashboards/regions/31.71/")


def test_only_a_final_snapshot_changes_the_results_generation(published):
    assessment = Assessment.objects.get(cycle=published)
    before = generation(RESULTS_GENERATION)
    ScoreSnapshot.objects.create(assessment=assessment, stage=ScoreStage.SELF, total=600, max_total=1000)
    assert generation(RESULTS_GENERATION) == before  # a self-score is saved on every autosave
    final = ScoreSnapshot.objects.get(assessment=assessment, stage=ScoreStage.FINAL)
    final.total = 721
    final.save()
    assert generation(RESULTS_GENERATION) != before


def test_a_renamed_region_shows_on_the_next_view(login, national_admin, published):
    assert "Kota Layak Contoh Baru" not in _html(login(national_admin), "/dashboards/regions/31.71/")
    region = Region.objects.get(code="31.71")
    region.name = "Kota Layak Contoh Baru"
    region.save()
    assert "Kota Layak Contoh Baru" in _html(login(national_admin), "/dashboards/regions/31.71/")
    assert "Kota Layak Contoh Baru" in _html(login(national_admin), "/dashboards/provinces/31/")


def test_the_province_target_shows_on_the_next_view(login, national_admin, published):
    from layak.dashboards.services import province_target_set

    assert "has not set a target yet" in _html(login(national_admin), "/dashboards/provinces/31/")
    province_target_set(user=national_admin, province=Region.objects.get(code="31"), band_code="madya", year=2027)
    html = _html(login(national_admin), "/dashboards/provinces/31/")
    assert "has not set a target yet" not in html and "Target: every kab/kota at Madya or above by 2027" in html


def test_revision_rounds_and_their_items_show_on_the_next_view(login, region_coordinator, published):
    assessment = Assessment.objects.get(cycle=published, region_id="31.71")
    request = RevisionRequest.objects.create(
        assessment=assessment,
        stage=ScoreStage.PROVINCE,
        round=1,
        reason="Data akta belum sesuai",
        deadline=timezone.now() + timedelta(days=2),
    )
    assert "Data akta belum sesuai" in _html(login(region_coordinator), "/dashboards/regions/31.71/")
    indicator = Indicator.objects.get(version_id=published.framework_id, code="K1")
    RevisionItem.objects.create(request=request, indicator=indicator, reason="Lampirkan SK terbaru")
    assert "Lampirkan SK terbaru" in _html(login(region_coordinator), "/dashboards/regions/31.71/")
    request.resubmitted_at = timezone.now()
    request.save()
    assert "No indicator is waiting for revision." in _html(login(region_coordinator), "/dashboards/regions/31.71/")


def test_evidence_linked_and_unlinked_shows_on_the_next_view(login, outsider, published):
    assessment = Assessment.objects.get(cycle=published, region_id="31.71")
    assert "0 of 2 document items" in _html(login(outsider), "/dashboards/regions/31.71/")
    link = attach_evidence(assessment, Indicator.objects.get(version_id=published.framework_id, code="K1"))
    assert "1 of 2 document items" in _html(login(outsider), "/dashboards/regions/31.71/")
    link.delete()
    assert "0 of 2 document items" in _html(login(outsider), "/dashboards/regions/31.71/")


def test_child_protection_figures_show_on_the_region_page_at_once(login, region_coordinator, published):
    from layak.protection.tests.factories import VIOLENCE_ROW, save_months, scaled

    assert "protection-summary" not in _html(login(region_coordinator), "/dashboards/regions/31.71/")
    save_months(region_coordinator, "31.71", {1: VIOLENCE_ROW})  # the service's bulk write: no model signal
    html = _html(login(region_coordinator), "/dashboards/regions/31.71/")
    assert "protection-summary" in html and "<strong>6</strong>" in html
    from layak.protection.models import Report

    report = Report.objects.get()
    report.values = scaled(VIOLENCE_ROW, 2)
    report.save()  # an admin edit
    assert "<strong>12</strong>" in _html(login(region_coordinator), "/dashboards/regions/31.71/")


def test_an_unknown_code_is_refused_before_anything_is_kept_under_it(login, national_admin, published):
    from django.core.cache import cache

    from layak.common.generations import generation_key

    client = login(national_admin)
    assert client.get("/dashboards/regions/31.71/").status_code == 200  # this process knows the region tree
    for url, name in [
        ("/dashboards/regions/99.99/", "dashboards-region:99.99"),
        ("/dashboards/provinces/99/", "facilities:99"),
    ]:
        assert client.get(url).status_code == 404
        assert cache.get(generation_key(name)) is None
