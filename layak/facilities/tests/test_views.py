from __future__ import annotations

import datetime
import gzip
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.facilities import services
from layak.facilities.choices import Status
from layak.facilities.models import Facility, Zone
from layak.regions.models import Region
from layak.regions.tests.factories import make_region

from .factories import CIDENG, GAMBIR, PASAR_BARU, certify, make_desa, make_facility, xlsx_upload

BASE = "/facilities/region/31.71/"


def test_the_coordinator_registers_a_facility_from_the_form(login, region_coordinator):
    make_desa(GAMBIR)
    client = login(region_coordinator)
    page = client.get(BASE + "new")
    assert page.status_code == 200 and "Gambir (31.71.01.1001)" in page.content.decode()
    data = {
        "kind": "sra",
        "name": "SDN Gambir 01",
        "desa": GAMBIR,
        "school_level": "sd",
        "latitude": "-6,17",
        "longitude": "106,82",
    }
    response = client.post(BASE + "new", data)
    facility = Facility.objects.get()
    assert response.status_code == 302 and response.url == facility.get_absolute_url()
    assert str(facility.latitude) == "-6.170000"
    refused = client.post(BASE + "new", {**data, "name": "SDN 2", "latitude": "-12.46", "longitude": "130.84"})
    assert refused.status_code == 400 and "outside Indonesia" in refused.content.decode()


def test_an_opd_contributor_reads_but_cannot_register(login, opd_contributor, region_coordinator):
    make_facility(region_coordinator)
    client = login(opd_contributor)
    assert client.get(BASE).status_code == 200
    assert client.get(BASE + "new").status_code == 403


def test_revoking_asks_first_and_then_records_the_step(login, region_coordinator):
    facility = certify(region_coordinator, make_facility(region_coordinator))
    client = login(region_coordinator)
    url = f"/facilities/{facility.pk}/step"
    data = {"step": "revoked", "revoked-date": "2025-06-01", "revoked-note": "Tidak memenuhi standar"}
    asked = client.post(url, data)
    assert asked.status_code == 200 and "cannot be restored" in asked.content.decode()
    facility.refresh_from_db()
    assert facility.status == Status.CERTIFIED
    done = client.post(url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    facility.refresh_from_db()
    assert facility.status == Status.REVOKED and facility.ended_on == datetime.date(2025, 6, 1)


def test_a_refused_step_answers_400_with_the_reason_and_no_confirmation(login, region_coordinator):
    facility = make_facility(region_coordinator)
    client = login(region_coordinator)
    response = client.post(
        f"/facilities/{facility.pk}/step", {"step": "revoked", "revoked-date": "2025-06-01", "revoked-note": "x"}
    )
    assert response.status_code == 400 and "cannot become revoked" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(f"/facilities/{facility.pk}/step", {"step": "assessed", "assessed-date": future})
    assert response.status_code == 400 and "in the future" in response.content.decode()


def test_the_import_page_lists_row_errors_and_saves_nothing(login, region_coordinator):
    make_desa(GAMBIR)
    client = login(region_coordinator)
    rows = [["sra", "SD 1", GAMBIR, "123", "SD", "", "", "", "", "", "", "", ""]]
    response = client.post(BASE + "import", {"upload": xlsx_upload(rows)})
    assert response.status_code == 400 and "An NPSN has 8 digits." in response.content.decode()
    assert not Facility.objects.exists()
    rows[0][3] = "12345678"
    assert client.post(BASE + "import", {"upload": xlsx_upload(rows)}).status_code == 302
    assert Facility.objects.get().npsn == "12345678"


def test_accepting_a_suggestion_creates_the_zone_and_deleting_asks_first(login, region_coordinator):
    rbra = make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    school = make_facility(region_coordinator, kind="sra", name="SDN Gambir", level="sd", point=(-6.171, 106.821))
    client = login(region_coordinator)
    page = client.get(BASE + "zones").content.decode()
    assert "Kaltara Gambir" in page and "Accept as a zone" in page
    data = {
        "name": "Kaltara Gambir",
        "walking_distance_m": "1000",
        "required_kinds": ["rbra", "sra", "patbm"],
        "members": f"{rbra.pk},{school.pk}",
    }
    response = client.post(BASE + "zones/new", data)
    zone = Zone.objects.get()
    assert response.status_code == 302 and set(zone.members.all()) == {rbra, school}
    detail = client.get(zone.get_absolute_url()).content.decode()
    assert "Lacks:" in detail and "Perlindungan Anak Terpadu Berbasis Masyarakat (PATBM)" in detail
    assert client.post(f"/facilities/zones/{zone.pk}/delete").status_code == 200 and Zone.objects.exists()
    assert client.post(f"/facilities/zones/{zone.pk}/delete", {"confirmed": "yes"}).status_code == 302
    assert not Zone.objects.exists() and AuditEvent.objects.filter(verb="facility.zone_deleted").exists()


def test_the_public_page_shows_certified_facilities_only(client, region_coordinator):
    certify(region_coordinator, make_facility(region_coordinator, name="RBRA Bersertifikat"))
    make_facility(region_coordinator, name="RBRA Usulan", desa=CIDENG)
    page = client.get("/facilities/public/31.71/").content.decode()
    assert "RBRA Bersertifikat" in page and "RBRA Usulan" not in page and "188/SK/2025" in page
    assert client.get("/facilities/public/31.71.01/").status_code == 404


def test_the_map_data_lists_located_facilities_and_zones(login, region_coordinator):
    rbra = make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    make_facility(region_coordinator, kind="patbm", name="PATBM tanpa titik")
    services.zone_create(user=region_coordinator, region=make_region("31.71"), name="Z", members=[rbra])
    client = login(region_coordinator)
    data = client.get(BASE + "map.json").json()
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["facilities"]]
    assert [(f["name"], f["kind"], f["status"]) for f in rows] == [("RBRA Gambir", "rbra", "proposed")]
    assert data["statuses"]["proposed"] == "Proposed" and data["kinds"]["rbra"].startswith("Ruang Bermain")
    assert data["zones"][0]["members"] == [rbra.pk] and data["url"] == "/facilities/{id}/"
    school = make_facility(region_coordinator, kind="sra", name="SD", level="sd", point=(-6.171, 106.821))
    assert len(client.get(BASE + "map.json").json()["facilities"]) == 2  # a new facility changes the cached data
    services.zone_set_member(user=region_coordinator, zone=rbra.zones.get(), facility=school, member=True)
    assert client.get(BASE + "map.json").json()["zones"][0]["members"] == [rbra.pk, school.pk]


def test_the_map_draws_gap_desa_with_a_point_and_lists_them_all_beside_it(login, region_coordinator):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    Region.objects.filter(code=CIDENG).update(latitude=Decimal("-6.175"), longitude=Decimal("106.81"))
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    client = login(region_coordinator)

    data = client.get(BASE + "map.json").json()
    gaps = [dict(zip(data["gap_fields"], row, strict=True)) for row in data["gaps"]]
    assert [(g["name"], g["lat"], g["lon"]) for g in gaps] == [("Cideng", -6.175, 106.81)]
    assert "patbm" in gaps[0]["missing"]
    page = client.get(BASE + "map").content.decode()
    side = page.split('id="gap-list"')[1].split("</ul>")[0]
    assert "Cideng" in side and "Pasar Baru" in side and side.count("no point") == 2  # Gambir and Pasar Baru
    assert "1 of 1 facilities have a point" in page


def test_the_map_data_is_gzipped_on_request_and_revalidated_by_its_etag(login, region_coordinator):
    make_facility(region_coordinator, kind="rbra", name="RBRA Gambir", point=(-6.17, 106.82))
    client = login(region_coordinator)

    zipped = client.get(BASE + "map.json", headers={"accept-encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content))["facilities"][0][1] == "RBRA Gambir"
    etag = zipped["ETag"]
    again = client.get(BASE + "map.json", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    make_facility(region_coordinator, kind="patbm", name="PATBM", point=(-6.171, 106.821))
    changed = client.get(BASE + "map.json", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and len(changed.json()["facilities"]) == 2


@pytest.mark.parametrize("path", ["", "coverage", "zones", "map", "map.json", "counts", "export.csv"])
def test_region_pages_read_in_a_bounded_number_of_queries(
    login, region_coordinator, django_assert_max_num_queries, path
):
    make_desa(GAMBIR, CIDENG, PASAR_BARU)
    client = login(region_coordinator)
    client.get(BASE + path)

    def add(first, n):
        for i in range(first, first + n):
            desa = [GAMBIR, CIDENG, PASAR_BARU][i % 3]
            f = make_facility(
                region_coordinator, kind="rbra", name=f"RBRA {path} {i}", desa=desa, point=(-6.17 + i / 1000, 106.82)
            )
            services.zone_create(
                user=region_coordinator, region=make_region("31.71"), name=f"Z {path} {i}", members=[f]
            )

    add(0, 2)
    with django_assert_max_num_queries(14) as small:
        assert client.get(BASE + path).status_code == 200
    add(2, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(BASE + path).status_code == 200


def test_the_coordinator_edits_a_facility(login, region_coordinator):
    facility = make_facility(region_coordinator, name="RBRA Lama")
    client = login(region_coordinator)
    assert client.get(f"/facilities/{facility.pk}/edit").status_code == 200
    data = {"name": "RBRA Baru", "desa": CIDENG, "school_level": "", "latitude": "", "longitude": ""}
    make_desa(CIDENG)
    assert client.post(f"/facilities/{facility.pk}/edit", data).status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.desa_id) == ("RBRA Baru", CIDENG)
    assert AuditEvent.objects.get(verb="facility.updated").after == {"name": "RBRA Baru", "desa": "Cideng"}


def test_the_coordinator_renews_a_certificate_in_one_step(login, region_coordinator):
    today = timezone.localdate()
    facility = certify(region_coordinator, make_facility(region_coordinator), until=today + datetime.timedelta(30))
    client = login(region_coordinator)
    page = client.get(facility.get_absolute_url()).content.decode()
    assert 'id="renew"' in page and "renew-replace_in_force" not in page  # expiring: nothing to tick
    url = f"/facilities/{facility.pk}/renew"
    data = {
        "renew-date": today.isoformat(),
        "renew-decree_number": "188/SK/2026",
        "renew-decree_issuer": "Wali Kota",
        "renew-valid_until": (today + datetime.timedelta(1000)).isoformat(),
    }
    refused = client.post(url, {**data, "renew-valid_until": (today + datetime.timedelta(5)).isoformat()})
    assert refused.status_code == 400 and "runs past the current certificate" in refused.content.decode()
    done = client.post(url, data)
    assert done.status_code == 302 and done.url == facility.get_absolute_url()
    facility.refresh_from_db()
    assert facility.decree_number == "188/SK/2026" and facility.status == Status.CERTIFIED
    page = client.get(facility.get_absolute_url()).content.decode()
    assert "Certificate renewed" in page and "SK 188/SK/2025" in page and "SK 188/SK/2026" in page
    # Now well in force: renewing again is asked on the form (the box), since a confirmation page cannot carry the
    # new decree's file.
    assert "renew-replace_in_force" in page
    again = {**data, "renew-decree_number": "188/SK/2027", "renew-valid_until": (today + datetime.timedelta(1500))}
    assert client.post(url, again).status_code == 400
    assert client.post(url, {**again, "renew-replace_in_force": "on"}).status_code == 302
    assert AuditEvent.objects.filter(verb="facility.certificate_renewed").count() == 2


def test_a_facility_not_certified_offers_no_renewal(login, region_coordinator, opd_contributor):
    facility = make_facility(region_coordinator)
    assert 'id="renew"' not in login(region_coordinator).get(facility.get_absolute_url()).content.decode()
    certify(region_coordinator, facility)
    assert 'id="renew"' not in login(opd_contributor).get(facility.get_absolute_url()).content.decode()
