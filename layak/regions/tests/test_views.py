"""Region pages are public reference data: anonymous visitors and an outsider from another region get 200."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture(params=["anonymous", "outsider", "region_coordinator"])
def visitor(request, client, login):
    if request.param == "anonymous":
        return client
    return login(request.getfixturevalue(request.param))


def test_index_lists_the_38_provinces_with_kabkota_counts(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = visitor.get(reverse("regions:region_index"))

    assert response.status_code == 200
    provinces = list(response.context["provinces"])
    assert len(provinces) == 38
    assert next(p for p in provinces if p.code == "31").children_count == 6
    assert b"Daerah Khusus Ibukota Jakarta" in response.content
    assert b'name="q"' in response.content


def test_province_page_lists_kabkota_with_kind_badges(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(reverse("regions:region_detail", args=["31"]))

    assert response.status_code == 200
    assert [r.code for r in response.context["page"]] == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert b"kind-kabupaten" in response.content
    assert b"kind-kota" in response.content


def test_kabkota_page_has_breadcrumbs_and_kecamatan(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(reverse("regions:region_detail", args=["31.71"]))

    assert response.status_code == 200
    assert [r.code for r in response.context["ancestors"]] == ["31"]
    assert len(response.context["page"]) == 8
    assert b"Gambir" in response.content
    assert b"Menteng" in response.content


def test_kecamatan_page_lists_its_villages(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(reverse("regions:region_detail", args=["31.71.06"]))

    assert response.status_code == 200
    assert [r.code for r in response.context["ancestors"]] == ["31", "31.71"]
    assert {r.kind for r in response.context["page"]} == {"kelurahan"}


def test_village_page_has_no_children_table(client, upper_regions):
    response = client.get(reverse("regions:region_detail", args=["31.71.01.1001"]))

    assert response.status_code == 200
    assert response.context["child_level"] is None


def test_query_count_does_not_grow_with_the_number_of_children(client, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("regions:region_detail", args=["11"]))  # Aceh: 23 kab/kota
    with django_assert_max_num_queries(6):
        client.get(reverse("regions:region_detail", args=["35"]))  # Jawa Timur: 38 kab/kota


@pytest.mark.parametrize("code", ["99", "31.99", "nonsense", "31.71.01.9999"])
def test_unknown_code_is_404(visitor, upper_regions, code):
    assert visitor.get(reverse("regions:region_detail", args=[code])).status_code == 404


def test_search_page_finds_banjar_with_paths(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = visitor.get(reverse("regions:region_search"), {"q": "banjar"})

    assert response.status_code == 200
    results = response.context["results"]
    codes = [region.code for region, _ in results]
    assert "63.03" in codes
    assert "63.71" in codes
    banjarmasin_path = next(path for region, path in results if region.code == "63.71")
    assert [r.name for r in banjarmasin_path] == ["Kalimantan Selatan"]
    assert b"Kota Banjarmasin" in response.content


def test_search_by_code_and_level(client, upper_regions):
    response = client.get(reverse("regions:region_search"), {"q": "31.71", "level": "kabkota"})

    assert [region.code for region, _ in response.context["results"]] == ["31.71"]


def test_search_is_paginated(client, upper_regions):
    response = client.get(reverse("regions:region_search"), {"q": "a", "page": "2"})

    assert response.context["page"].number == 2
    assert len(response.context["results"]) == 50


def test_empty_search_shows_the_hint(client, db):
    response = client.get(reverse("regions:region_search"))

    assert response.status_code == 200
    assert response.context["page"] is None
