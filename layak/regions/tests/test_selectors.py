from __future__ import annotations

import pytest

from layak.regions.models import Region
from layak.regions.selectors import looks_like_code, normalize_code, region_children, region_paths, region_search


def _codes(rows, n=None):
    return [r.code for r in rows[:n]] if n else [r.code for r in rows]


def test_banjar_finds_kabupaten_banjar_and_kota_banjarmasin_first(upper_regions):
    codes = _codes(region_search("banjar"), 6)

    assert codes[:2] == ["63.03", "32.79"]  # Kabupaten Banjar, Kota Banjar: exact names first
    assert "63.71" in codes  # Kota Banjarmasin
    assert "33.04" in codes  # Kabupaten Banjarnegara


def test_search_is_case_insensitive(upper_regions):
    assert _codes(region_search("BANJARMASIN")) == ["63.71"]


def test_code_prefix_finds_the_region_then_its_subtree(upper_regions):
    rows = region_search("31.71")

    assert rows[0].name == "Kota Administrasi Jakarta Pusat"
    assert all(code.startswith("31.71") for code in _codes(rows))
    assert rows.count() == Region.objects.in_subtree("31.71").count()


def test_code_without_dots_is_understood(upper_regions):
    assert region_search("3171")[0].code == "31.71"


def test_jakarta_pusat_by_name(upper_regions):
    assert region_search("Jakarta Pusat")[0].code == "31.71"


def test_upper_levels_come_before_villages_with_the_same_prefix(upper_regions):
    levels = [r.level for r in region_search("gambir")]

    assert levels == sorted(levels)
    assert levels[0] == 3


def test_level_and_within_filters(upper_regions):
    jakarta = Region.objects.get(code="31")

    assert sorted(_codes(region_search("jakarta", level=2))) == ["31.71", "31.72", "31.73", "31.74", "31.75"]
    kecamatan = region_search("", level=3, within=jakarta)
    assert kecamatan.count() == 44  # DKI Jakarta's kecamatan; no other province's were loaded
    assert _codes(region_search("", parent=jakarta))[:2] == ["31.01", "31.71"]


def test_no_match_is_empty(upper_regions):
    assert not region_search("zzzz-no-such-place").exists()


@pytest.mark.parametrize(("text", "expected"), [("31.71", True), ("3171", True), ("31.", True), ("banjar", False)])
def test_looks_like_code(text, expected):
    assert looks_like_code(text) is expected


def test_normalize_code():
    assert normalize_code("3171011001") == "31.71.01.1001"


def test_children_carry_their_own_counts(upper_regions):
    provinces = list(region_children(None))

    assert len(provinces) == 38
    jakarta = next(p for p in provinces if p.code == "31")
    assert jakarta.children_count == 6


def test_paths_list_ancestors_province_first(upper_regions, django_assert_num_queries):
    villages = list(Region.objects.filter(level=4, code__startswith="31.71.")[:5])

    with django_assert_num_queries(1):
        paths = region_paths(villages)

    assert [r.code for r in paths[villages[0].code]] == ["31", "31.71", "31.71.01"]
