"""The public framework browser and the national-admin pages, for every persona that matters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from layak.frameworks.models import FrameworkVersion
from layak.frameworks.services import framework_version_clone

pytestmark = pytest.mark.django_db


def test_anonymous_sees_the_version_list_with_counts_and_badge(client, kla2011, kla2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("frameworks:version_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "KLA indicators (24 indicators)" in body
    assert ">31<" in body and ">24<" in body
    assert "badge-provisional" in body


def test_anonymous_sees_groups_bands_sources_and_the_provisional_notice(client, kla2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("frameworks:version_detail", args=["kla-2021"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cluster V \N{EN DASH} Special protection" in body
    assert "Provisional weights — not official." in body
    assert "The 24 indicators KemenPPPA has used" in body
    assert "name unsure" in body
    assert "Nindya" in body and "701" in body
    assert "https://id.scribd.com/presentation/436615164/6-KLA-24-Indikator-by-Lenny-6" in body
    assert reverse("frameworks:version_weights", args=["kla-2021"]) not in body


def test_version_detail_query_count_does_not_grow_with_indicators(
    client, kla2011, kla2021, kla2024, django_assert_num_queries
):
    for slug in ("kla-2021", "kla-2011", "kla-2024"):  # 24, 31 and 31 indicators (274 questions): same queries
        with django_assert_num_queries(7):  # the version, then (not cached yet) the version with its contents
            client.get(reverse("frameworks:version_detail", args=[slug]))
        with django_assert_num_queries(0):  # the next newcomer: the shared rendering of this generation
            client.get(reverse("frameworks:version_detail", args=[slug]))


def test_pages_speak_indonesian_by_default(client, settings, kla2021):
    settings.LANGUAGE_CODE = "id"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    with translation.override("id"):
        body = client.get(reverse("frameworks:version_detail", args=["kla-2021"])).content.decode()
    assert '<html lang="id">' in body
    assert "Provisional weights" not in body  # the notice is translated, the framework data is Indonesian already
    assert "Penguatan Kelembagaan" in body
    assert "24 indikator yang dipakai KemenPPPA" in body


def test_outsider_reads_the_public_pages(login, outsider, kla2021):
    client = login(outsider)
    assert client.get(reverse("frameworks:version_detail", args=["kla-2021"])).status_code == 200
    assert client.get(reverse("frameworks:indicator_detail", args=["kla-2021", "I4"])).status_code == 200


def test_indicator_detail_shows_elements_rubric_and_sources(client, kla2021, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("frameworks:indicator_detail", args=["kla-2021", "I4"]))
    body = response.content.decode()
    assert "Children holding a birth certificate" in body
    assert "Rekap akta kelahiran per jenis kelamin" in body
    assert "35" in body  # 0.7 x 50 points for the birth-certificate ratio
    assert "As a percentage of “Children aged 0-18”" in body
    assert "≥ 98%: 100%" in body
    assert "[10]" in body


def test_indicator_without_sources_says_so(client, kla2021):
    response = client.get(reverse("frameworks:indicator_detail", args=["kla-2021", "III11"]))
    assert "No source confirms" in response.content.decode()


def test_unknown_version_or_indicator_is_404(client, kla2021):
    assert client.get(reverse("frameworks:version_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("frameworks:indicator_detail", args=["kla-2021", "Z9"])).status_code == 404


def test_draft_versions_are_hidden_from_the_public(client, login, national_admin, outsider, kla2021):
    framework_version_clone(user=national_admin, source=kla2021, slug="kla-2026", name="KLA 2026", year=2026)
    url = reverse("frameworks:version_detail", args=["kla-2026"])
    assert client.get(url).status_code == 404
    assert "kla-2026" not in client.get(reverse("frameworks:version_list")).content.decode()
    assert login(outsider).get(url).status_code == 404
    assert login(national_admin).get(url).status_code == 200


def test_national_admin_sees_the_management_links(login, national_admin, kla2021):
    body = login(national_admin).get(reverse("frameworks:version_detail", args=["kla-2021"])).content.decode()
    assert reverse("frameworks:version_weights", args=["kla-2021"]) in body
    assert reverse("frameworks:version_clone", args=["kla-2021"]) in body


@pytest.mark.parametrize("name", ["frameworks:version_clone", "frameworks:version_weights"])
def test_anonymous_is_sent_to_login_from_admin_pages(client, kla2021, name):
    response = client.get(reverse(name, args=["kla-2021"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["frameworks:version_clone", "frameworks:version_weights"])
@pytest.mark.parametrize("persona", ["outsider", "region_coordinator"])
def test_non_admins_get_403_on_admin_pages(login, request, kla2021, name, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=["kla-2021"])).status_code == 403
    assert client.post(reverse(name, args=["kla-2021"]), {"slug": "x", "name": "x", "year": 2030}).status_code == 403


def test_national_admin_clones_from_the_page(login, national_admin, kla2021):
    client = login(national_admin)
    assert client.get(reverse("frameworks:version_clone", args=["kla-2021"])).status_code == 200
    response = client.post(
        reverse("frameworks:version_clone", args=["kla-2021"]), {"slug": "kla-2026", "name": "KLA 2026", "year": 2026}
    )
    assert response.status_code == 302
    assert response.url == reverse("frameworks:version_detail", args=["kla-2026"])
    assert FrameworkVersion.objects.get(slug="kla-2026").indicators.count() == 24


def test_clone_page_shows_the_slug_conflict(login, national_admin, kla2021):
    response = login(national_admin).post(
        reverse("frameworks:version_clone", args=["kla-2021"]), {"slug": "kla-2021", "name": "Copy", "year": 2026}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def weights_post(version: FrameworkVersion, change: Decimal = Decimal(0), **extra) -> dict:
    data = {f"max_{code}": str(points) for code, points in version.indicators.values_list("code", "max_points")}
    data["max_K1"] = str(Decimal(data["max_K1"]) + change)
    return {"provisional": "on", "note": version.weights_note, **data, **extra}


def test_weights_page_lists_every_indicator_with_a_live_sum(
    login, national_admin, kla2021, django_assert_max_num_queries
):
    client = login(national_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("frameworks:version_weights", args=["kla-2021"]))
    body = response.content.decode()
    assert body.count('class="weight-input"') == 24
    assert 'id="weights-sum"' in body


def test_weights_page_refuses_a_sum_other_than_1000(login, national_admin, kla2021):
    response = login(national_admin).post(
        reverse("frameworks:version_weights", args=["kla-2021"]), weights_post(kla2021, Decimal(3))
    )
    assert response.status_code == 200
    assert "they sum to 1003" in response.content.decode()
    assert kla2021.indicators.get(code="K1").max_points == 60


def test_weights_page_saves_a_valid_table(login, national_admin, kla2021):
    data = weights_post(kla2021)
    data["max_K1"], data["max_K2"] = "70", "80"
    response = login(national_admin).post(reverse("frameworks:version_weights", args=["kla-2021"]), data)
    assert response.status_code == 302
    assert kla2021.indicators.get(code="K1").max_points == 70
