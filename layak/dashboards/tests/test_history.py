import pytest

from layak.dashboards.models import PublishedNationalCount, PublishedRegionResult
from layak.dashboards.services import history_load
from layak.regions.tests.factories import make_region

from .test_history_codes import HISTORY_REGIONS


@pytest.fixture
def regions(db):
    for code in HISTORY_REGIONS:
        make_region(code)


def test_history_loads_with_sources_and_unknowns_as_null(regions):
    result = history_load()
    assert result.national == 10 and result.written == result.national + result.regions
    year_2025 = PublishedNationalCount.objects.get(year=2025)
    assert (year_2025.total, year_2025.utama, year_2025.pratama, year_2025.provila) == (355, 22, 139, 13)
    assert PublishedNationalCount.objects.get(year=2021).utama is None
    assert all(row.sources and row.sources[0]["url"].startswith("http") for row in PublishedNationalCount.objects.all())
    surabaya = PublishedRegionResult.objects.get(region_id="35.78", year=2023)
    assert (surabaya.band_code, int(surabaya.score)) == ("utama", 895)


def test_published_counts_add_up_where_every_band_is_given(regions):
    history_load()
    for row in PublishedNationalCount.objects.exclude(utama=None).exclude(pratama=None).exclude(total=None):
        assert row.utama + row.nindya + row.madya + row.pratama == row.total


def test_history_load_is_idempotent(regions):
    history_load()
    again = history_load()
    assert (again.written, again.removed) == (0, 0)


def test_history_refuses_when_regions_are_missing(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="load_regions"):
        history_load()
