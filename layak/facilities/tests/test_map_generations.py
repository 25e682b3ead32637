"""The facility map and its data read no data of their own on a warm view (decision 0033): the kab/kota comes from
memory, the version from generation counters, and every write path bumps them, so the next view shows it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.facilities import selectors, services
from layak.facilities.imports import facility_import
from layak.facilities.models import Facility
from layak.regions.models import Region
from layak.regions.tests.factories import make_region

from .factories import CIDENG, GAMBIR, PASAR_BARU, certify, make_desa, make_facility, xlsx_upload
from .test_services import ROWS

BASE = "/facilities/region/31.71/"


def _client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _warm_count(user, path: str) -> tuple[int, int]:
    """(queries of a warm view of `path`, queries of a plain signed-in page), in a NEW session."""
    client = _client(user)
    assert client.get("/notifications/").status_code == 200  # the session's first request
    with CaptureQueriesContext(connection) as base:
        assert client.get("/notifications/").status_code == 200
    with CaptureQueriesContext(connection) as page:
        assert client.get(BASE + path).status_code == 200
    return len(page.captured_queries), len(base.captured_queries)


def _located(user, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        desa = [GAMBIR, CIDENG, PASAR_BARU][i % 3]
        make_facility(user, kind="rbra", name=f"RBRA {i}", desa=desa, point=(-6.17 + i / 1000, 106.82))


def test_a_warm_map_and_its_data_read_nothing_beyond_the_signed_in_base(region_coordinator, national_admin):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    _located(region_coordinator, 2)
    for path in ("map", "map.json"):
        assert _client(national_admin).get(BASE + path).status_code == 200  # an earlier visitor fills the caches
        page, base = _warm_count(region_coordinator, path)
        assert page <= base
    _located(region_coordinator, 20, first=2)
    for path in ("map", "map.json"):
        assert _client(national_admin).get(BASE + path).status_code == 200
        assert _warm_count(region_coordinator, path)[0] <= base


def _names(client) -> list[str]:
    data = client.get(BASE + "map.json").json()
    return sorted(row[1] for row in data["facilities"])


def test_every_write_path_shows_on_the_next_map(region_coordinator):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    region = make_region("31.71")
    client = _client(region_coordinator)
    assert _names(client) == [] and "0 of 0 facilities have a point" in client.get(BASE + "map").content.decode()
    rbra = make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    assert _names(client) == ["RBRA Gambir"]  # a service
    assert "1 of 1 facilities have a point" in client.get(BASE + "map").content.decode()
    services.facility_update(user=region_coordinator, facility=rbra, name="RBRA Gambir Baru")
    assert _names(client) == ["RBRA Gambir Baru"]
    certify(region_coordinator, rbra)
    assert client.get(BASE + "map.json").json()["facilities"][0][3] == "certified"  # a certification step
    zone = services.zone_create(user=region_coordinator, region=region, name="Zona Gambir", members=[rbra])
    assert [z["name"] for z in client.get(BASE + "map.json").json()["zones"]] == ["Zona Gambir"]
    services.zone_set_member(user=region_coordinator, zone=zone, facility=rbra, member=False)
    assert client.get(BASE + "map.json").json()["zones"] == []
    zone.name = "Zona Gambir Raya"
    zone.members.add(rbra)  # a one-off write outside the services
    zone.save()
    assert [z["name"] for z in client.get(BASE + "map.json").json()["zones"]] == ["Zona Gambir Raya"]
    services.zone_delete(user=region_coordinator, zone=zone)
    assert client.get(BASE + "map.json").json()["zones"] == []
    facility_import(user=region_coordinator, region=region, upload=xlsx_upload(ROWS))  # the bulk write
    assert _names(client) == ["RBRA Gambir Baru", "SDN Gambir 01"]
    Facility.objects.filter(pk=rbra.pk).get().delete()
    assert _names(client) == ["SDN Gambir 01"]
    school = Facility.objects.get(name="SDN Gambir 01")
    school.latitude, school.longitude = None, None
    school.save()  # a one-off write outside the services
    assert _names(client) == []


def test_region_changes_and_the_day_change_the_map(region_coordinator, monkeypatch):
    make_desa(GAMBIR, CIDENG)
    rbra = make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    today = timezone.localdate()
    certify(
        region_coordinator, rbra, on=today - datetime.timedelta(days=30), until=today + datetime.timedelta(days=100)
    )
    client = _client(region_coordinator)
    data = client.get(BASE + "map.json").json()
    assert data["facilities"][0][6] is False and data["gaps"] == []  # not expiring yet; no desa has a point
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + datetime.timedelta(days=20))
    assert client.get(BASE + "map.json").json()["facilities"][0][6] is True  # within 90 days of its expiry
    Region.objects.filter(code=CIDENG).update(latitude=Decimal("-6.175"), longitude=Decimal("106.81"))
    selectors.map_invalidate()  # points reloaded by a bulk update
    assert [g[1] for g in client.get(BASE + "map.json").json()["gaps"]] == ["Cideng"]
    cideng = Region.objects.get(code=CIDENG)
    cideng.name = "Cideng Baru"
    cideng.save()
    assert [g[1] for g in client.get(BASE + "map.json").json()["gaps"]] == ["Cideng Baru"]
    assert "Cideng Baru" in client.get(BASE + "map").content.decode()


def test_the_map_etag_changes_with_the_register(region_coordinator):
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    client = _client(region_coordinator)
    etag = client.get(BASE + "map.json")["ETag"]
    assert client.get(BASE + "map.json", headers={"if-none-match": etag}).status_code == 304
    make_facility(region_coordinator, kind="patbm", name="PATBM", point=(-6.171, 106.821))
    assert client.get(BASE + "map.json", headers={"if-none-match": etag}).status_code == 200
