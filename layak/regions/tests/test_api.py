"""The public regions API: anonymous and an outsider read the same data."""

from __future__ import annotations

import pytest

from .conftest import FIXTURE_POINTS


@pytest.fixture(params=["anonymous", "outsider"])
def visitor(request, client, login):
    return client if request.param == "anonymous" else login(request.getfixturevalue("outsider"))


def test_detail_of_a_village_with_dotted_code(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = visitor.get("/api/v1/regions/31.71.01.1001")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "31.71.01.1001"
    assert body["level"] == 4
    assert body["level_name"] == "desa"
    assert body["kind"] == "kelurahan"
    assert body["parent_code"] == "31.71.01"
    assert [p["code"] for p in body["path"]] == ["31", "31.71", "31.71.01"]
    assert body["children_count"] == 0


def test_detail_of_a_kabkota_counts_children_and_shows_the_point(client, db):
    from layak.regions.services import regions_load

    regions_load(levels=(1, 2), points_path=FIXTURE_POINTS)

    body = client.get("/api/v1/regions/31.71").json()

    assert body["name"] == "Kota Administrasi Jakarta Pusat"
    assert body["kind"] == "kota"
    assert body["path"] == [{"code": "31", "name": "Daerah Khusus Ibukota Jakarta"}]
    assert body["children_count"] == 0  # kecamatan not loaded here
    assert (body["latitude"], body["longitude"], body["point_source"]) == (-6.186486, 106.834091, "Test fixture")


def test_unknown_code_is_404(visitor, db):
    response = visitor.get("/api/v1/regions/99.99")

    assert response.status_code == 404
    assert "99.99" in response.json()["detail"]


def test_list_by_level_and_parent_with_total_count(visitor, upper_regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = visitor.get("/api/v1/regions", {"level": "kabkota", "parent": "31"})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 6
    assert [r["code"] for r in body["items"]] == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert body["next"] is None


def test_list_of_provinces(client, upper_regions):
    body = client.get("/api/v1/regions", {"level": "province", "page_size": 500}).json()

    assert body["count"] == 38
    assert len(body["items"]) == 38


def test_list_search_by_name_and_within(client, upper_regions):
    assert client.get("/api/v1/regions", {"q": "banjar", "level": "kabkota"}).json()["items"][0]["code"] == "63.03"
    body = client.get("/api/v1/regions", {"q": "menteng", "within": "31"}).json()
    assert body["items"][0]["code"] == "31.71.06"


def test_list_is_paginated_with_links(client, upper_regions):
    first = client.get("/api/v1/regions", {"level": "kabkota", "page_size": 100}).json()
    second = client.get("/api/v1/regions", {"level": "kabkota", "page_size": 100, "page": 2}).json()

    assert first["count"] == second["count"] == 514
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert "page=1" in second["previous"]
    assert {r["code"] for r in first["items"]}.isdisjoint({r["code"] for r in second["items"]})


@pytest.mark.parametrize(
    "params",
    [{"level": "kota"}, {"level": "1"}, {"page_size": 501}, {"page": 0}, {"page": "false"}],
)
def test_bad_parameters_are_422(client, db, params):
    response = client.get("/api/v1/regions", params)

    assert response.status_code == 422
    assert response.json()["detail"]


def test_unknown_parent_is_404(client, db):
    assert client.get("/api/v1/regions", {"parent": "99"}).status_code == 404


def test_openapi_and_docs_render(client, db):
    spec = client.get("/api/v1/openapi.json")

    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert set(paths["/api/v1/regions"]["get"]["responses"]) >= {"200", "404", "422"}
    assert set(paths["/api/v1/regions/{code}"]["get"]["responses"]) >= {"200", "404"}
    assert client.get("/api/v1/docs").status_code == 200
