"""`/api/v1/frameworks`: list and detail for anonymous visitors, outsiders and national admins."""

from __future__ import annotations

from decimal import Decimal

import pytest

from layak.frameworks.services import framework_version_clone

pytestmark = pytest.mark.django_db


def test_anonymous_lists_versions(client, kla2011, kla2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/frameworks")
    assert response.status_code == 200
    by_slug = {item["slug"]: item for item in response.json()}
    assert by_slug["kla-2011"]["indicator_count"] == 31
    assert by_slug["kla-2021"] == {
        "slug": "kla-2021",
        "name": "Indikator KLA (24 indikator)",
        "name_en": "KLA indicators (24 indicators)",
        "year": 2021,
        "status": "published",
        "indicator_count": 24,
        "question_count": 0,
        "weights_provisional": True,
        "certainty": "",
        "default_for_new_cycles": False,
        "superseded_by": None,
    }


def test_anonymous_gets_a_version_in_full(client, kla2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/frameworks/kla-2021")
    data = response.json()
    assert response.status_code == 200
    assert data["weights_provisional"] is True and "NOT official" in data["weights_note"]
    assert [band["code"] for band in data["bands"]] == ["pratama", "madya", "nindya", "utama", "kla"]
    assert data["bands"][1] == {"code": "madya", "name": "Madya", "lower": "601.00", "upper": "700.00"}
    assert [len(group["indicators"]) for group in data["groups"]] == [3, 3, 4, 6, 4, 4]
    assert sum(Decimal(group["max_points"]) for group in data["groups"]) == 1000
    akta = data["groups"][1]["indicators"][0]
    assert akta["code"] == "I4" and akta["certainty"] == "likely" and akta["responsible_agencies"] == ["Disdukcapil"]
    assert akta["elements"][1]["denominator"] == "children_total"
    assert akta["rubric"][0]["method"] == "ratio_up"
    assert data["sources"][0]["url"].startswith("https://")


def test_unknown_version_is_a_declared_404(client, kla2021):
    response = client.get("/api/v1/frameworks/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_outsider_reads_published_versions_but_not_drafts(login, outsider, national_admin, kla2021):
    framework_version_clone(user=national_admin, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    client = login(outsider)
    assert client.get("/api/v1/frameworks/kla-2021").status_code == 200
    assert client.get("/api/v1/frameworks/kla-2026").status_code == 404
    assert [item["slug"] for item in client.get("/api/v1/frameworks").json()] == ["kla-2021"]


def test_national_admin_sees_drafts_with_their_origin(login, national_admin, kla2021):
    framework_version_clone(user=national_admin, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    data = login(national_admin).get("/api/v1/frameworks/kla-2026").json()
    assert data["status"] == "draft" and data["derived_from"] == "kla-2021"


def test_openapi_declares_the_404(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "404" in spec["paths"]["/api/v1/frameworks/{slug}"]["get"]["responses"]


def test_the_api_serves_kla_2024_with_274_questions_summing_to_1000(
    client, kla2021, kla2024, django_assert_max_num_queries
):
    listed = {item["slug"]: item for item in client.get("/api/v1/frameworks").json()}
    assert listed["kla-2024"]["question_count"] == 274 and listed["kla-2024"]["certainty"] == "likely"
    assert listed["kla-2024"]["default_for_new_cycles"] is True
    assert listed["kla-2021"]["superseded_by"] == "kla-2024"
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/frameworks/kla-2024")
    data = response.json()
    assert response.status_code == 200 and data["certainty"] == "likely" and "Ogan Ilir" in data["sources"][0]["title"]
    assert "19" in data["sums_rule"] and data["question_count"] == 274
    questions = [q for g in data["groups"] for i in g["indicators"] for q in i["questions"]]
    assert len(questions) == 274
    assert sum(Decimal(q["max_points"]) for q in questions) == 1000
    assert sum(Decimal(q["instrument_max_points"]) for q in questions) == 1004
    klaster_1 = data["groups"][1]
    assert klaster_1["max_points"] == "115.00" and klaster_1["stated_max_points"] == "150.00"
    first = data["groups"][0]["indicators"][0]["questions"][0]
    assert first["code"] == "1" and first["answer_type"] == "yes_no" and first["max_points"] == "12.00"
    assert first["data_sources"] == ["JDIH", "Bagian Hukum", "DPPPAPPKB"]
