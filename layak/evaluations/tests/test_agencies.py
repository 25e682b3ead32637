"""OPD management by the region coordinator, and naming contributors on one indicator's assignment."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from layak.accounts.models import Agency
from layak.accounts.tests.factories import make_agency
from layak.audit.models import AuditEvent
from layak.evaluations.agencies import agency_create, agency_update
from layak.evaluations.models import IndicatorAssignment
from layak.evaluations.services import answer_save
from layak.regions.tests.factories import make_region

LIST = reverse("evaluations:agency_list", args=["31.71"])


def test_coordinator_adds_and_renames_an_opd_audited(region_coordinator):
    region = make_region("31.71")
    agency = agency_create(user=region_coordinator, region=region, name=" Dinas Sosial ", short_name="Dinsos")
    assert (agency.name, agency.short_name) == ("Dinas Sosial", "Dinsos")
    agency_update(user=region_coordinator, agency=agency, name="Dinas Sosial dan PMD", short_name="Dinsos PMD")
    agency.refresh_from_db()
    assert agency.name == "Dinas Sosial dan PMD"
    assert list(AuditEvent.objects.values_list("verb", flat=True).order_by("pk")) == [
        "agency.created",
        "agency.updated",
    ]


def test_names_are_unique_per_region_ignoring_case(region_coordinator):
    region = make_region("31.71")
    agency_create(user=region_coordinator, region=region, name="Dinas Sosial")
    with pytest.raises(ValidationError, match="already has an OPD"):
        agency_create(user=region_coordinator, region=region, name="dinas sosial")
    with pytest.raises(ValidationError, match="full name"):
        agency_create(user=region_coordinator, region=region, name="  ")


@pytest.mark.parametrize("persona", ["opd_contributor", "outsider", "province_verifier"])
def test_only_the_region_coordinator_manages_opds(db, request, persona):
    region = make_region("31.71")
    with pytest.raises(PermissionDenied):
        agency_create(user=request.getfixturevalue(persona), region=region, name="Dinas Sosial")


def test_coordinator_uses_the_pages(login, region_coordinator):
    client = login(region_coordinator)
    response = client.post(LIST, {"name": "Dinas Pendidikan", "short_name": "Disdik"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Dinas Pendidikan")
    edit = reverse("evaluations:agency_edit", args=[agency.pk])
    assert client.post(edit, {"name": "Dinas Pendidikan dan Kebudayaan", "short_name": "Disdikbud"}).status_code == 302
    body = client.get(LIST).content.decode()
    assert "Dinas Pendidikan dan Kebudayaan" in body and "Add an OPD" in body


def test_contributor_sees_the_list_but_cannot_change_it(login, opd_contributor):
    client = login(opd_contributor)
    body = client.get(LIST).content.decode()
    assert "Dinas Kesehatan" in body and "Add an OPD" not in body
    assert client.post(LIST, {"name": "Dinas X"}).status_code == 403
    agency = opd_contributor.roles.get().agency
    assert client.post(reverse("evaluations:agency_edit", args=[agency.pk]), {"name": "X"}).status_code == 403


def test_outsider_gets_404_and_anonymous_the_login(client, login, outsider, opd_contributor):
    agency = opd_contributor.roles.get().agency
    edit = reverse("evaluations:agency_edit", args=[agency.pk])
    for url in (LIST, edit):
        assert client.get(url).status_code == 302
        assert login(outsider).get(url).status_code == 404
        client.logout()


def test_list_queries_do_not_grow_with_opds(login, region_coordinator, django_assert_max_num_queries):
    client = login(region_coordinator)
    make_agency("31.71", "Dinas A", "A")
    with django_assert_max_num_queries(8) as few:
        client.get(LIST)
    for n in range(10):
        make_agency("31.71", f"Dinas {n}", f"D{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


# --- one indicator's assignment ------------------------------------------------------------------------------


def test_coordinator_names_a_contributor_who_then_may_edit(
    login, region_coordinator, opd_contributor, assessment, indicators
):
    other = make_agency("31.71", "Dinas Sosial", "Dinsos")
    url = reverse("evaluations:assignment_edit", args=[assessment.pk, "K1"])
    client = login(region_coordinator)
    assert str(opd_contributor) in client.get(url).content.decode()
    response = client.post(url, {"agency": other.pk, "contributors": [opd_contributor.pk]})
    assert response.status_code == 302
    assignment = IndicatorAssignment.objects.get(indicator=indicators["K1"])
    assert assignment.agency == other and list(assignment.contributors.all()) == [opd_contributor]
    answer_save(
        user=opd_contributor,
        assessment=assessment,
        indicator=indicators["K1"],
        values={"policy_count": "1"},
        expected_revision=0,
    )


def test_only_the_coordinator_opens_the_assignment_of_an_indicator(login, opd_contributor, outsider, assessment):
    url = reverse("evaluations:assignment_edit", args=[assessment.pk, "K1"])
    assert login(outsider).get(url).status_code == 404
    assert login(opd_contributor).get(url).status_code in (403, 404)


def test_coordinator_deactivates_an_opd_after_confirming_keeping_its_work(
    login, region_coordinator, assessment, indicators
):
    from layak.evaluations.services import indicator_assign

    agency = make_agency("31.71", "Dinas Sosial", "Dinsos")
    other = make_agency("31.71", "Dinas Kesehatan", "Dinkes")
    assignment = indicator_assign(
        user=region_coordinator, assessment=assessment, indicator=indicators["K1"], agency=agency
    )
    client = login(region_coordinator)
    url = reverse("evaluations:agency_deactivate", args=[agency.pk])
    asked = client.post(url)
    assert asked.status_code == 200 and "Deactivate the OPD “Dinas Sosial”?" in asked.content.decode()
    assert Agency.objects.get(pk=agency.pk).is_active
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    agency.refresh_from_db()
    assert not agency.is_active and IndicatorAssignment.objects.get(pk=assignment.pk).agency_id == agency.pk
    event = AuditEvent.objects.get(verb="agency.deactivated")
    assert (event.region_code, event.before, event.after) == ("31.71", {"active": True}, {"active": False})
    assert "deactivated" in client.get(LIST).content.decode()
    # no longer offered for a new assignment, nor accepted there; the existing one keeps it
    page = client.get(reverse("evaluations:assignment_edit", args=[assessment.pk, "I1"])).content.decode()
    assert ">Dinkes<" in page and "Dinsos" not in page
    with pytest.raises(ValidationError, match="deactivated"):
        indicator_assign(user=region_coordinator, assessment=assessment, indicator=indicators["I1"], agency=agency)
    indicator_assign(user=region_coordinator, assessment=assessment, indicator=indicators["K1"], agency=agency)
    assert other.is_active
    assert client.post(reverse("evaluations:agency_activate", args=[agency.pk])).status_code == 302
    assert Agency.objects.get(pk=agency.pk).is_active
    assert AuditEvent.objects.filter(verb="agency.reactivated").exists()


def test_only_the_coordinator_deactivates_an_opd(login, opd_contributor):
    agency = make_agency("31.71", "Dinas Sosial", "Dinsos")
    response = login(opd_contributor).post(
        reverse("evaluations:agency_deactivate", args=[agency.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 403 and Agency.objects.get(pk=agency.pk).is_active
