"""The finished demo cycle that `make run` loads (issue #11): filled dashboards, every figure labelled "data
contoh", never mixed with the published history."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from layak.dashboards.demo import ALWAYS, YEAR, finished_demo_cycle_build, seed_demo_data
from layak.dashboards.models import PublishedNationalCount
from layak.dashboards.services import history_load
from layak.evaluations.models import Assessment, Cycle
from layak.evaluations.tests.factories import make_cycle
from layak.frameworks.models import FrameworkVersion
from layak.frameworks.services import frameworks_load_all
from layak.regions.services import regions_load
from layak.regions.tests.factories import make_region
from layak.reviews.choices import ReviewState
from layak.reviews.models import FinalResult, ReviewProcess

KABKOTA = 514
LABEL = "Data contoh"


@pytest.fixture
def demo_site(db):
    regions_load(levels=(1, 2))
    frameworks_load_all()
    history_load()


def test_a_finished_published_demo_cycle_with_results_and_drafts_labelled_everywhere(demo_site, client):
    history = list(PublishedNationalCount.objects.values_list("pk", "year", "total"))
    out = StringIO()
    seed_demo_data(stdout=out)
    cycle = Cycle.objects.get(is_demo=True, year=YEAR)
    assert "data contoh" in cycle.name and cycle.results_published_at is not None
    assert cycle.framework.slug == "kla-2021"
    assert Assessment.objects.filter(cycle=cycle).count() == KABKOTA
    finals = FinalResult.objects.filter(assessment__cycle=cycle)
    with_result = set(finals.values_list("assessment__region_id", flat=True))
    assert set(ALWAYS) <= with_result and 300 < len(with_result) < 420  # about 2025's 355, with drafts left
    assert all(0 < r.score <= 1000 for r in finals)
    assert set(ReviewProcess.objects.filter(assessment__cycle=cycle).values_list("state", flat=True)) == {
        ReviewState.FINALISED
    }
    drafts = Assessment.objects.filter(cycle=cycle).exclude(region_id__in=with_result)
    assert all(a.status == "draft" for a in drafts)
    assert "published results (data contoh)" in out.getvalue()
    # The published history is left exactly as it was.
    assert list(PublishedNationalCount.objects.values_list("pk", "year", "total")) == history
    # Once only.
    assert finished_demo_cycle_build() is None and Cycle.objects.filter(is_demo=True, year=YEAR).count() == 1
    # Every page showing it, open to anonymous visitors, says the figures are invented.
    for url in (
        "/dashboards/",
        "/dashboards/provinces/31/",
        "/dashboards/regions/31.71/",
        "/dashboards/public/",
        "/dashboards/public/regions/31.71/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert LABEL in text and "invented" in text, url
    # The API says so too, for every result and for the national figures.
    items = client.get(f"/api/v1/results?cycle={cycle.pk}").json()["items"]
    assert items and all(item["is_demo"] for item in items)
    assert client.get(f"/api/v1/stats/national?cycle={cycle.pk}").json()["cycle_is_demo"] is True


@pytest.fixture
def real_site(db):
    frameworks_load_all()
    make_region("31.71")
    return make_cycle(FrameworkVersion.objects.get(slug="kla-2021"), year=2024)


def test_no_demo_cycle_on_a_site_with_a_real_cycle(real_site):
    assert finished_demo_cycle_build() is None
    assert not Cycle.objects.filter(is_demo=True).exists()


def test_a_real_cycle_carries_no_label(real_site, client):
    assessment = Assessment.objects.create(
        cycle=real_site, region_id="31.71", status="submitted", submitted_at=timezone.now()
    )
    FinalResult.objects.create(assessment=assessment, score=700, computed_band_code="", band_code="")
    Cycle.objects.filter(pk=real_site.pk).update(results_published_at=timezone.now() - timedelta(days=1))
    text = client.get("/dashboards/").content.decode()
    assert "KLA 2024" in text and LABEL not in text
    assert [item["is_demo"] for item in client.get("/api/v1/results").json()["items"]] == [False]
    assert client.get("/api/v1/stats/national").json()["cycle_is_demo"] is False
