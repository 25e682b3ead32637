from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from layak.accounts.services import api_token_create
from layak.participation import services
from layak.participation.providers import participation_values
from layak.regions.tests.factories import make_region

from .factories import make_forum

KECAMATAN = ["31.71.01", "31.71.02", "31.71.03", "31.71.04"]
DESA = ["31.71.01.1001", "31.71.01.1002", "31.71.02.1001", "31.71.02.1002", "31.71.03.1001"]


def _values(year=2025):
    return {v.key: v for v in participation_values(make_region("31.71"), year)}


def _musrenbang_input(user, forum, day=datetime.date(2025, 2, 10)):
    return services.child_input_create(
        user=user, forum=forum, date=day, channel="musrenbang_kabkota", text="Taman bermain di setiap kelurahan"
    )


def test_providers_compute_forums_shares_and_musrenbang(region_coordinator):
    for code in [*KECAMATAN, *DESA]:
        make_region(code)
    forum = make_forum(region_coordinator)
    make_forum(region_coordinator, "31.71.01")
    make_forum(region_coordinator, "31.71.01", name="Forum Anak kedua")  # the same kecamatan counts once
    make_forum(region_coordinator, "31.71.02", active=False)
    make_forum(region_coordinator, "31.71.03", established=datetime.date(2026, 1, 5))
    make_forum(region_coordinator, "31.71.01.1001")
    _musrenbang_input(region_coordinator, forum)
    values = _values()
    assert values["participation.forum_kabkota"].value is True
    assert values["participation.forum_district_pct"].value == Decimal("25.00")
    assert "1 of 4 kecamatan" in values["participation.forum_district_pct"].source
    assert values["participation.forum_village_pct"].value == Decimal("20.00")
    assert values["participation.musrenbang"].value is True
    assert _values(2024)["participation.musrenbang"].value is False


def test_shares_are_not_offered_without_the_region_tree(region_coordinator):
    make_forum(region_coordinator)
    assert set(_values()) == {"participation.forum_kabkota", "participation.musrenbang"}


def test_no_forum_means_no_kabkota_forum(db):
    assert _values()["participation.forum_kabkota"].value is False


def test_providers_run_three_queries_whatever_the_data(region_coordinator, django_assert_num_queries):
    region = make_region("31.71")
    for code in KECAMATAN:
        make_region(code)
    with django_assert_num_queries(3):
        list(participation_values(region, 2025))
    for code in KECAMATAN:
        _musrenbang_input(region_coordinator, make_forum(region_coordinator, code))
    with django_assert_num_queries(3):
        list(participation_values(region, 2025))


def test_forum_must_lie_inside_the_kabkota(region_coordinator):
    with pytest.raises(ValidationError, match="one of its kecamatan"):
        make_forum(region_coordinator, "31.75.01")


def test_follow_up_needs_notes_and_is_audited(region_coordinator):
    child_input = _musrenbang_input(region_coordinator, make_forum(region_coordinator))
    with pytest.raises(ValidationError, match="followed up"):
        services.child_input_follow_up(user=region_coordinator, child_input=child_input, status="accepted")
    services.child_input_follow_up(
        user=region_coordinator, child_input=child_input, status="partly", follow_up="Masuk RKPD 2026 untuk 3 kelurahan"
    )
    assert child_input.status == "partly"


def test_opd_contributor_and_province_cannot_add_forums(opd_contributor, province_verifier):
    for user in (opd_contributor, province_verifier):
        with pytest.raises(PermissionDenied):
            make_forum(user)


@pytest.fixture
def forum(region_coordinator):
    forum = make_forum(region_coordinator)
    services.forum_activity_create(
        user=region_coordinator,
        forum=forum,
        date=datetime.date(2025, 3, 3),
        title="Rapat",
        kind="meeting",
        children_count=18,
    )
    _musrenbang_input(region_coordinator, forum)
    return forum


def _urls(forum):
    return [
        "/participation/region/31.71/",
        f"/participation/{forum.pk}/",
        f"/participation/{forum.pk}/edit",
        f"/participation/inputs/{forum.inputs.get().pk}/",
        "/participation/region/31.71/new",
    ]


def test_coordinator_and_readers_see_the_pages(login, region_coordinator, province_verifier, forum):
    client = login(region_coordinator)
    for url in _urls(forum):
        assert client.get(url).status_code == 200, url
    client = login(province_verifier)
    for url in _urls(forum)[:2]:
        assert client.get(url).status_code == 200, url
    for url in _urls(forum)[2:]:
        assert client.get(url).status_code == 403, url


def test_outsider_gets_404_and_anonymous_is_sent_to_login(login, client, outsider, forum):
    for url in _urls(forum):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response.url
    outsider_client = login(outsider)
    for url in _urls(forum):
        assert outsider_client.get(url).status_code == 404, url


def test_coordinator_records_an_input_through_the_page(login, region_coordinator, forum):
    data = {"date": "2025-03-01", "channel": "policy", "text": "Zona aman sekolah", "status": "submitted"}
    assert login(region_coordinator).post(f"/participation/{forum.pk}/inputs", data).status_code == 302
    assert forum.inputs.count() == 2


def test_forum_edit_keeps_its_own_name(login, region_coordinator, forum):
    data = {"name": forum.name, "region": "31.71", "active": "on", "member_count": 30}
    assert login(region_coordinator).post(f"/participation/{forum.pk}/edit", data).status_code == 302
    forum.refresh_from_db()
    assert forum.member_count == 30


def test_region_page_queries_do_not_grow(login, region_coordinator, forum, django_assert_max_num_queries):
    client = login(region_coordinator)
    client.get("/participation/region/31.71/")
    with django_assert_max_num_queries(12) as few:
        client.get("/participation/region/31.71/")
    for code in KECAMATAN:
        _musrenbang_input(region_coordinator, make_forum(region_coordinator, code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/participation/region/31.71/")


def test_api_gives_aggregates_and_inputs(client, region_coordinator, outsider, forum):
    key = api_token_create(user=region_coordinator, name="t")[1]
    body = client.get("/api/v1/participation/31.71", headers={"Authorization": f"Bearer {key}"}).json()
    assert body["forums"][0]["member_count"] == 25 and body["forums"][0]["activity_count"] == 1
    assert body["inputs"][0]["channel"] == "musrenbang_kabkota"
    outsider_key = api_token_create(user=outsider, name="t")[1]
    headers = {"Authorization": f"Bearer {outsider_key}"}
    assert client.get("/api/v1/participation/31.71", headers=headers).status_code == 404
    assert client.get("/api/v1/participation/31.71").status_code == 401
