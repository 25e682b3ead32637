"""The training pages and API: who sees and changes what, and bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from layak.taskforces import services as taskforce_services
from layak.trainings import services
from layak.trainings.models import Training

SUMMARY = "/trainings/region/31.71/"


@pytest.fixture
def staffed(region_coordinator, bimtek, agencies, decree):
    """The Bimtek with two OPD staff (one a Gugus Tugas member who then left) and an NGO participant."""
    for name, short in [("dr. Budi Santoso", "Dinkes"), ("Eka Putri", "Dinkes")]:
        services.participant_create(
            user=region_coordinator, training=bimtek, name=name, agency=agencies[short], is_taskforce_member=True
        )
    services.participant_create(user=region_coordinator, training=bimtek, name="Relawan", organisation="LPA")
    member = decree.members.get(name="dr. Budi Santoso")
    taskforce_services.member_update(
        user=region_coordinator,
        member=member,
        name=member.name,
        role=member.role,
        area=member.area,
        sector=member.sector,
        agency=member.agency,
        left_on=timezone.localdate(),
    )
    return bimtek


@pytest.mark.parametrize("persona", ["region_coordinator", "opd_contributor", "province_verifier"])
def test_region_people_see_staff_per_agency_and_the_leaver_warning(login, request, persona, staffed):
    text = login(request.getfixturevalue(persona)).get(SUMMARY).text
    assert "Dinas Kesehatan" in text and 'id="kha-trained-staff">2<' in text
    assert "Warning: 1 KHA-trained member has left the Gugus Tugas" in text


def test_the_taskforce_page_shows_the_leaver_warning_too(login, opd_contributor, staffed):
    assert "KHA-trained member has left" in login(opd_contributor).get("/taskforces/region/31.71/").text


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, login, outsider, staffed):
    urls = [SUMMARY, staffed.get_absolute_url(), reverse("trainings:participant_template", args=["31.71"])]
    for url in urls:
        assert login(outsider).get(url).status_code == 404
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


def test_opd_contributor_reads_but_may_not_change(login, opd_contributor, staffed):
    client = login(opd_contributor)
    assert client.get(staffed.get_absolute_url()).status_code == 200
    assert client.get(reverse("trainings:training_create", args=["31.71"])).status_code == 403
    response = client.post(
        reverse("trainings:participant_create", args=[staffed.pk]), {"name": "X", "organisation": "Y"}
    )
    assert response.status_code == 403


def test_coordinator_records_a_training_and_a_participant(login, region_coordinator, agencies):
    client = login(region_coordinator)
    response = client.post(
        reverse("trainings:training_create", args=["31.71"]),
        {"kind": "bimtek_kha", "title": "Bimtek KHA", "starts_on": "2025-03-11", "ends_on": "2025-03-12"},
    )
    training = Training.objects.get()
    assert response.status_code == 302 and response.url == training.get_absolute_url()
    response = client.post(
        reverse("trainings:participant_create", args=[training.pk]),
        {"name": "Ani", "agency": agencies["Dinkes"].pk, "certificate_issued": "on"},
    )
    assert response.status_code == 302 and training.participants.get().certificate_issued


@pytest.mark.parametrize("size", [1, 8])
def test_pages_run_a_bounded_number_of_queries(
    login, region_coordinator, agencies, size, django_assert_max_num_queries
):
    from layak.regions.tests.factories import make_region

    for i in range(size):
        t = services.training_create(
            user=region_coordinator,
            region=make_region("31.71"),
            kind="bimtek_kha",
            title=f"T{i}",
            starts_on=datetime.date(2025, 1, 1 + i),
            ends_on=datetime.date(2025, 1, 1 + i),
        )
        for k in range(size):
            services.participant_create(user=region_coordinator, training=t, name=f"P{k}", agency=agencies["Dinkes"])
    client = login(region_coordinator)
    for url, limit in {SUMMARY: 12, t.get_absolute_url(): 14}.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_the_api_gives_counts_per_agency_and_leavers(login, opd_contributor, staffed):
    body = login(opd_contributor).get("/api/v1/trainings/31.71").json()
    assert body["kha_trained_staff"] == 2
    assert body["by_agency"][0]["agency"] == "Dinas Kesehatan" and body["by_agency"][0]["people"] == 2
    assert body["trained_members_who_left"][0]["name"] == "dr. Budi Santoso"
    assert body["trainings"][0]["participant_count"] == 3


def test_the_api_hides_the_region_from_outsiders_and_anonymous(client, login, outsider, staffed):
    assert login(outsider).get("/api/v1/trainings/31.71").status_code == 404
    client.logout()
    assert client.get("/api/v1/trainings/31.71").status_code == 401


def test_coordinator_opens_the_training_forms(login, region_coordinator, bimtek):
    client = login(region_coordinator)
    for url in (
        reverse("trainings:training_create", args=["31.71"]),
        reverse("trainings:training_edit", args=[bimtek.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_participants_import_through_the_page_all_or_nothing(login, region_coordinator, bimtek, agencies):
    from layak.taskforces.tests.xlsx_helpers import xlsx_upload

    header = ["Name", "OPD", "Organisation", "Position", "GT", "Cert", "No"]
    url = reverse("trainings:participant_import", args=[bimtek.pk])
    bad = xlsx_upload(
        [["A", "Dinkes", "", "", "ya", "ya", ""], ["B", "Dinas Entah", "", "", "", "", ""]], header=header
    )
    response = login(region_coordinator).post(url, {"upload": bad})
    assert response.status_code == 400 and "B (OPD)" in response.text and not bimtek.participants.exists()
    good = xlsx_upload([["A", "Dinkes", "", "", "ya", "ya", ""], ["B", "Disdik", "", "", "", "", ""]], header=header)
    assert login(region_coordinator).post(url, {"upload": good}).status_code == 302
    assert bimtek.participants.count() == 2
