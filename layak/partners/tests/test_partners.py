from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from layak.accounts.services import api_token_create
from layak.audit.models import AuditEvent
from layak.partners import services
from layak.partners.providers import partner_values
from layak.regions.tests.factories import make_region

from .factories import contribute, make_partner

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _values(year=2025):
    return {v.key: v.value for v in partner_values(make_region("31.71"), year)}


def test_providers_count_partners_publications_and_rooms(region_coordinator):
    apsai = make_partner(region_coordinator, apsai=True, since=datetime.date(2024, 5, 1))
    contribute(region_coordinator, apsai, type="lactation_room", facilities=2, day=datetime.date(2024, 6, 1))
    contribute(region_coordinator, apsai, type="lactation_room", facilities=1)
    ngo = make_partner(region_coordinator, name="Yayasan Peduli", kind="ngo")
    contribute(region_coordinator, ngo, day=datetime.date(2025, 2, 2))
    contribute(region_coordinator, ngo, day=datetime.date(2025, 8, 2))
    make_partner(region_coordinator, name="LSM Diam", kind="ngo")
    media = make_partner(region_coordinator, name="Radio Kota", kind="media")
    for month in (1, 2, 3):
        contribute(region_coordinator, media, type="publication", day=datetime.date(2025, month, 1))
    contribute(region_coordinator, media, type="publication", day=datetime.date(2024, 1, 1))
    assert _values(2025) == {
        "partners.apsai_member": True,
        "partners.ngo_count": 1,
        "partners.business_count": 1,
        "partners.media_publications": 3,
        "partners.lactation_rooms": 3,
    }
    assert _values(2023)["partners.apsai_member"] is False
    assert _values(2024)["partners.lactation_rooms"] == 2


def test_providers_run_three_queries_whatever_the_data(region_coordinator, django_assert_num_queries):
    region = make_region("31.71")
    with django_assert_num_queries(3):
        list(partner_values(region, 2025))
    for n in range(6):
        contribute(region_coordinator, make_partner(region_coordinator, name=f"P{n}", apsai=True), type="publication")
    with django_assert_num_queries(3):
        values = {v.key: v for v in partner_values(region, 2025)}
    assert "6 business partners with a contribution" in values["partners.business_count"].source


def test_only_a_business_can_be_an_apsai_member(region_coordinator):
    with pytest.raises(ValidationError, match="Only a business"):
        make_partner(region_coordinator, kind="ngo", apsai=True)


def test_partner_names_are_unique_per_region(region_coordinator):
    make_partner(region_coordinator)
    with pytest.raises(ValidationError, match="already a partner"):
        make_partner(region_coordinator, name="pt sahabat anak")


def test_opd_contributor_and_province_cannot_add_partners(opd_contributor, province_verifier):
    for user in (opd_contributor, province_verifier):
        with pytest.raises(PermissionDenied):
            make_partner(user)


def test_commitment_keeps_its_signed_document_as_evidence(region_coordinator):
    commitment = services.commitment_create(
        user=region_coordinator,
        region=make_region("31.71"),
        kind="declaration",
        date=datetime.date(2025, 7, 23),
        title="Deklarasi Dunia Usaha Peduli Anak",
        signatories="Wali Kota\nKetua APSAI",
        upload=ContentFile(PDF, name="deklarasi.pdf"),
    )
    assert commitment.document.region_id == "31.71"
    assert AuditEvent.objects.filter(verb="partner.commitment_created").count() == 1


@pytest.fixture
def partner(region_coordinator):
    partner = make_partner(region_coordinator, apsai=True)
    contribute(region_coordinator, partner, type="lactation_room", facilities=1)
    return partner


@pytest.mark.parametrize("persona", ["region_coordinator", "province_verifier", "opd_contributor"])
def test_people_of_the_region_read_the_pages(request, login, partner, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get("/partners/region/31.71/").status_code == 200
    assert client.get(f"/partners/{partner.pk}/").status_code == 200


def test_outsider_gets_404_and_anonymous_is_sent_to_login(login, client, outsider, partner):
    for url in ["/partners/region/31.71/", f"/partners/{partner.pk}/", f"/partners/{partner.pk}/edit"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response.url
    outsider_client = login(outsider)
    for url in ["/partners/region/31.71/", f"/partners/{partner.pk}/", f"/partners/{partner.pk}/edit"]:
        assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(f"/partners/{partner.pk}/contributions", {}).status_code == 404


def test_opd_contributor_cannot_edit_a_partner(login, opd_contributor, partner):
    client = login(opd_contributor)
    assert client.get(f"/partners/{partner.pk}/edit").status_code == 403
    data = {"date": "2025-01-01", "type": "csr", "description": "x", "facility_count": 0}
    assert client.post(f"/partners/{partner.pk}/contributions", data).status_code == 403


def test_coordinator_edits_a_partner_through_the_page(login, region_coordinator, partner):
    data = {"name": "PT Sahabat Anak Tbk", "kind": "business", "apsai_member": "on", "apsai_since": "2024-01-01"}
    response = login(region_coordinator).post(f"/partners/{partner.pk}/edit", data)
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "PT Sahabat Anak Tbk"
    assert AuditEvent.objects.get(verb="partner.updated").before["name"] == "PT Sahabat Anak"


def test_region_page_queries_do_not_grow(login, region_coordinator, partner, django_assert_max_num_queries):
    client = login(region_coordinator)
    client.get("/partners/region/31.71/")
    with django_assert_max_num_queries(12) as few:
        client.get("/partners/region/31.71/")
    for n in range(8):
        contribute(region_coordinator, make_partner(region_coordinator, name=f"Mitra {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/partners/region/31.71/")


def test_partner_page_queries_do_not_grow(login, region_coordinator, partner, django_assert_max_num_queries):
    client = login(region_coordinator)
    with django_assert_max_num_queries(14) as few:
        client.get(f"/partners/{partner.pk}/")
    for _n in range(8):
        contribute(region_coordinator, partner, type="reading_corner", facilities=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/partners/{partner.pk}/")


def test_api_lists_partners_with_contributions(client, region_coordinator, outsider, partner):
    key = api_token_create(user=region_coordinator, name="t")[1]
    body = client.get("/api/v1/partners/31.71", headers={"Authorization": f"Bearer {key}"}).json()
    assert body["partners"][0]["apsai_member"] is True
    assert body["partners"][0]["contributions"][0]["type"] == "lactation_room"
    outsider_key = api_token_create(user=outsider, name="t")[1]
    assert client.get("/api/v1/partners/31.71", headers={"Authorization": f"Bearer {outsider_key}"}).status_code == 404
    assert client.get("/api/v1/partners/31.71").status_code == 401
