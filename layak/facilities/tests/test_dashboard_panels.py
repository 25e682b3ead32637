"""The facility register's panels on the region and province dashboards: what they show, to whom, from the cache
keyed by the register's data version, and in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from layak.facilities import selectors, services
from layak.facilities.choices import Status
from layak.regions.models import Region
from layak.regions.tests.factories import make_region

from .factories import CIDENG, GAMBIR, PASAR_BARU, certify, make_desa, make_facility

REGION_URL, PROVINCE_URL = "/dashboards/regions/31.71/", "/dashboards/provinces/31/"


def _anonymous() -> Client:
    """A visitor without a session, reading English (the site's default is Indonesian)."""
    visitor = Client()
    visitor.cookies["django_language"] = "en"
    return visitor


def _panel(response) -> str:
    html = response.content.decode()
    start = html.index('id="facilities-panel"')
    return html[start : html.index("</section>", start)]


def _jakarta_pusat(user):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    Region.objects.filter(code=GAMBIR).update(latitude=Decimal("-6.1700"), longitude=Decimal("106.8200"))
    Region.objects.filter(code=CIDENG).update(latitude=Decimal("-6.1750"), longitude=Decimal("106.8100"))
    rbra = certify(user, make_facility(user, kind="rbra", name="RBRA Gambir", point=(-6.1705, 106.8205)))
    patbm = make_facility(user, kind="patbm", name="PATBM Cideng", desa=CIDENG, point=(-6.1752, 106.8138))
    zone = services.zone_create(
        user=user,
        region=make_region("31.71"),
        name="Kaltara Gambir",
        required_kinds=["rbra", "patbm", "prap"],
        members=[rbra, patbm],
    )
    return rbra, patbm, zone


def test_the_region_dashboard_shows_zones_and_coverage_to_everyone_without_persons(login, region_coordinator):
    _jakarta_pusat(region_coordinator)
    panel = _panel(_anonymous().get(REGION_URL))
    assert "1 Kaltara zone: 0 complete, 1 incomplete." in panel
    assert "Kaltara Gambir" in panel and "lacks" in panel and "Puskesmas" in panel  # PRAP missing
    # PATBM of Cideng is 900 m from Gambir's point (PATBM: 1,000 m): Gambir has both; RBRA (500 m) is in Gambir
    # and 1.1 km from Cideng: Cideng lacks it; Pasar Baru (no point) has nothing.
    assert "2 of 3 desa/kelurahan lack a kind" in panel
    assert "2 of 3 desa/kelurahan have a point" in panel
    assert "RBRA Gambir" not in panel and "PATBM Cideng" not in panel  # counts, never a facility or a person
    assert str(region_coordinator) not in panel
    assert "/facilities/public/31.71/" in panel and "/facilities/region/31.71/coverage" not in panel
    mine = _panel(login(region_coordinator).get(REGION_URL))
    assert "/facilities/region/31.71/coverage" in mine and "/facilities/zones/" in mine


def test_the_panels_follow_every_write_of_the_register(login, region_coordinator, national_admin):
    rbra, _patbm, zone = _jakarta_pusat(region_coordinator)
    client = login(national_admin)
    assert "0 complete, 1 incomplete" in _panel(client.get(REGION_URL))
    puskesmas = make_facility(region_coordinator, kind="prap", name="Puskesmas Gambir", point=(-6.1702, 106.8202))
    assert "0 complete, 1 incomplete" in _panel(client.get(REGION_URL))  # not a member yet
    services.zone_set_member(user=region_coordinator, zone=zone, facility=puskesmas, member=True)
    panel = _panel(client.get(REGION_URL))
    assert "1 complete, 0 incomplete" in panel and "<strong>complete</strong>" in panel
    province = _panel(client.get(PROVINCE_URL))
    assert "Kota Administrasi Jakarta Pusat" in province and "1 / 0" in province
    services.facility_transition(
        user=region_coordinator, facility=rbra, to=Status.EXPIRED, date=datetime.date(2025, 6, 1)
    )
    assert "0 complete, 1 incomplete" in _panel(client.get(REGION_URL))
    assert "0 / 1" in _panel(client.get(PROVINCE_URL))
    assert "3 of 3 desa/kelurahan lack a kind" in _panel(client.get(REGION_URL))  # Gambir's RBRA expired
    make_facility(region_coordinator, kind="rbra", name="RBRA Cideng", desa=CIDENG, point=(-6.1750, 106.8100))
    assert "2 of 3 desa/kelurahan lack a kind" in _panel(client.get(REGION_URL))
    services.zone_delete(user=region_coordinator, zone=zone)
    assert "0 Kaltara zones" in _panel(client.get(REGION_URL))


def test_a_panel_is_built_once_per_data_version(login, national_admin, region_coordinator, monkeypatch):
    _jakarta_pusat(region_coordinator)
    builds = []
    real = selectors.region_panel
    monkeypatch.setattr(selectors, "region_panel", lambda **kw: builds.append(1) or real(**kw))
    client = login(national_admin)
    for _ in range(3):
        client.get(REGION_URL)
    _anonymous().get(REGION_URL)  # another audience (no links to the register): its own rendering
    assert len(builds) == 2
    make_facility(region_coordinator, kind="sra", name="SDN Gambir", level="sd")
    client.get(REGION_URL)
    assert len(builds) == 3


@pytest.mark.parametrize("zones", [1, 12])
def test_the_dashboards_with_panels_run_a_fixed_number_of_queries(
    login, national_admin, region_coordinator, django_assert_max_num_queries, zones
):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    region = make_region("31.71")
    for n in range(zones):
        members = [
            make_facility(region_coordinator, kind=kind, name=f"{kind} {n}", desa=desa, point=(-6.17 + n / 500, 106.82))
            for kind, desa in (("rbra", GAMBIR), ("patbm", CIDENG), ("prap", PASAR_BARU))
        ]
        services.zone_create(user=region_coordinator, region=region, name=f"Zona {n}", members=members)
    make_region("31.72")
    province_staff = make_user_with_role("dki_staff", Role.PROVINCE_COORDINATOR, "31")
    for who in (_anonymous(), login(national_admin), login(province_staff)):
        for url in (REGION_URL, PROVINCE_URL):
            with django_assert_max_num_queries(22):  # first view: the panel is built
                assert who.get(url).status_code == 200
            with django_assert_max_num_queries(10):  # then: no more queries than without the panel (cache reads)
                assert who.get(url).status_code == 200


def test_a_region_without_a_register_costs_one_query_then_none(login, region_coordinator, django_assert_num_queries):
    from django.template import Context, Template

    make_desa(GAMBIR)
    region = make_region("31.71")
    tag = Template("{% load facilities_panels %}{% facilities_region_panel region %}")
    with django_assert_num_queries(1):  # the register's stamp: empty, nothing to build
        html = tag.render(Context({"region": region}))
    assert "No child-friendly facility is registered yet." in html
    with django_assert_num_queries(0):
        assert tag.render(Context({"region": region})) == html
    client = login(region_coordinator)
    page = _panel(client.get(REGION_URL))
    assert "No child-friendly facility is registered yet." in page and "/facilities/region/31.71/" in page
    assert "in this province yet" in _panel(client.get(PROVINCE_URL))


def test_an_import_shows_on_the_panels_at_once(login, region_coordinator):
    from layak.facilities.imports import facility_import

    from .factories import xlsx_upload

    make_desa(GAMBIR)
    client = login(region_coordinator)
    assert "No child-friendly facility" in _panel(client.get(REGION_URL))
    facility_import(
        user=region_coordinator,
        region=make_region("31.71"),
        upload=xlsx_upload([["Ruang Bermain Ramah Anak (RBRA)", "RBRA Gambir", GAMBIR]]),
    )
    panel = _panel(client.get(REGION_URL))  # a bulk write: the import bumps the panels' generation itself
    assert "0 Kaltara zones" in panel and "1 of 1 desa/kelurahan lack" in panel
