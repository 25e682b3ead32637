"""The Gugus Tugas pages: who sees and changes what, and bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from layak.regions.tests.factories import make_region
from layak.taskforces import services
from layak.taskforces.models import Decree, Member
from layak.taskforces.tests.factories import make_decree
from layak.taskforces.tests.xlsx_helpers import xlsx_upload

TODAY = timezone.localdate()
HOME = "/taskforces/region/31.71/"


@pytest.fixture
def meeting(region_coordinator, decree, agencies):
    meeting = services.meeting_create(
        user=region_coordinator,
        region=make_region("31.71"),
        held_on=TODAY - datetime.timedelta(days=40),
        agenda="Rakor evaluasi KLA",
        attendees=list(decree.members.all()[:4]),
        attendee_count=12,
    )
    services.decision_create(
        user=region_coordinator,
        meeting=meeting,
        text="Lengkapi data terpilah",
        owner_agency=agencies["DP3A"],
        due_on=TODAY - datetime.timedelta(days=5),
    )
    return meeting


@pytest.mark.parametrize("persona", ["region_coordinator", "opd_contributor", "province_verifier", "national_admin"])
def test_people_of_the_region_see_the_taskforce(login, request, persona, decree, meeting):
    response = login(request.getfixturevalue(persona)).get(HOME)
    assert response.status_code == 200
    assert decree.number in response.text and "No gaps" in response.text
    assert "overdue" in response.text


def test_only_the_coordinator_sees_the_edit_buttons(login, region_coordinator, opd_contributor, decree):
    assert "Record a decree" in login(region_coordinator).get(HOME).text
    assert "Record a decree" not in login(opd_contributor).get(HOME).text


def test_outsider_gets_404_and_anonymous_is_sent_to_login(client, login, outsider, decree, meeting):
    urls = [
        HOME,
        decree.get_absolute_url(),
        meeting.get_absolute_url(),
        reverse("taskforces:meeting_list", args=["31.71"]),
    ]
    for url in urls:
        assert login(outsider).get(url).status_code == 404
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


def test_opd_contributor_reads_but_may_not_open_the_forms(login, opd_contributor, decree, meeting):
    client = login(opd_contributor)
    assert client.get(decree.get_absolute_url()).status_code == 200
    assert client.get(reverse("taskforces:decree_create", args=["31.71"])).status_code == 403
    assert client.get(reverse("taskforces:decree_edit", args=[decree.pk])).status_code == 403
    decision = meeting.decisions.get()
    assert (
        client.post(decision.get_absolute_url(), {"status": "done", "note": "x", "noted_on": TODAY}).status_code == 403
    )


def test_coordinator_records_a_decree_through_the_form(login, region_coordinator):
    response = login(region_coordinator).post(
        reverse("taskforces:decree_create", args=["31.71"]),
        {"number": "188.45/12/2025", "decree_date": "2025-01-10", "period_start": 2025, "period_end": 2027},
    )
    decree = Decree.objects.get()
    assert response.status_code == 302 and response.url == decree.get_absolute_url()


def test_a_bad_period_shows_the_services_message_on_the_field(login, region_coordinator):
    response = login(region_coordinator).post(
        reverse("taskforces:decree_create", args=["31.71"]),
        {"number": "1", "decree_date": "2025-01-10", "period_start": 2027, "period_end": 2025},
    )
    assert response.status_code == 400 and "The last year cannot come before the first year." in response.text


def test_the_decree_page_lists_gaps_when_a_sector_is_missing(login, region_coordinator, agencies):
    decree = make_decree(region_coordinator, "31.71", members=[])
    response = login(region_coordinator).get(decree.get_absolute_url())
    assert "No member from: Lembaga masyarakat (NGO), Dunia usaha (business), Media." in response.text


def test_coordinator_adds_a_member_on_the_decree_page(login, region_coordinator, decree, agencies):
    response = login(region_coordinator).post(
        reverse("taskforces:member_create", args=[decree.pk]),
        {"name": "Lina Marlina", "organisation": "Banjarmasin Post", "role": "anggota", "area": "", "sector": "media"},
    )
    assert response.status_code == 302
    assert Member.objects.filter(name="Lina Marlina", sector="media").exists()


def test_member_import_errors_are_shown_and_nothing_is_imported(login, region_coordinator, decree):
    header = ["Name", "Position", "OPD", "Organisation", "Role", "Sub-group", "Sector"]
    upload = xlsx_upload(
        [
            ["Ok", "", "Bappeda", "", "anggota", "", "pemerintah"],
            ["", "", "", "", "", "", ""],
            ["Bad", "", "", "", "raja", "", "pemerintah"],
        ],
        header=header,
    )
    count = decree.members.count()
    response = login(region_coordinator).post(reverse("taskforces:member_import", args=[decree.pk]), {"upload": upload})
    assert response.status_code == 400
    assert "Nothing was imported" in response.text and "E (Role)" in response.text
    assert decree.members.count() == count


def test_a_csv_gets_the_not_xlsx_message(login, region_coordinator, decree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("anggota.csv", b"a,b\n")
    response = login(region_coordinator).post(reverse("taskforces:member_import", args=[decree.pk]), {"upload": upload})
    assert response.status_code == 400 and "not an Excel workbook (.xlsx)" in response.text


def test_the_template_downloads_as_xlsx(login, opd_contributor, decree):
    response = login(opd_contributor).get(reverse("taskforces:member_template", args=["31.71"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_coordinator_follows_up_a_decision_to_done(login, region_coordinator, meeting):
    decision = meeting.decisions.get()
    client = login(region_coordinator)
    response = client.post(decision.get_absolute_url(), {"status": "done", "note": "Sudah", "noted_on": TODAY})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"
    assert "overdue" not in client.get(meeting.get_absolute_url()).text


def _many_meetings(user, agencies, n: int) -> None:
    for i in range(n):
        m = services.meeting_create(
            user=user, region=make_region("31.71"), held_on=TODAY - datetime.timedelta(days=i), agenda=f"Rakor {i}"
        )
        services.decision_create(user=user, meeting=m, text=f"K {i}", owner_agency=agencies["Dinkes"], due_on=TODAY)


@pytest.mark.parametrize("size", [1, 8])
def test_pages_run_a_bounded_number_of_queries(
    login, region_coordinator, decree, agencies, size, django_assert_max_num_queries
):
    _many_meetings(region_coordinator, agencies, size)
    client = login(region_coordinator)
    meeting = decree.region.taskforce_meetings.first()
    pages = {
        HOME: 16,
        decree.get_absolute_url(): 14,
        reverse("taskforces:meeting_list", args=["31.71"]): 10,
        meeting.get_absolute_url(): 12,
        meeting.decisions.first().get_absolute_url(): 10,
    }
    for url, limit in pages.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_coordinator_opens_every_form(login, region_coordinator, decree, meeting):
    client = login(region_coordinator)
    urls = [
        reverse("taskforces:decree_create", args=["31.71"]),
        reverse("taskforces:decree_edit", args=[decree.pk]),
        reverse("taskforces:member_edit", args=[decree.members.first().pk]),
        reverse("taskforces:meeting_create", args=["31.71"]),
        reverse("taskforces:meeting_edit", args=[meeting.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_marking_a_member_as_left_through_the_form(login, region_coordinator, decree):
    member = decree.members.get(name="Fajar Ramadhan")
    data = {
        "name": member.name,
        "organisation": member.organisation,
        "role": "anggota",
        "area": member.area,
        "sector": "media",
        "left_on": TODAY.isoformat(),
    }
    response = login(region_coordinator).post(reverse("taskforces:member_edit", args=[member.pk]), data)
    assert response.status_code == 302
    text = login(region_coordinator).get(decree.get_absolute_url()).text
    assert "No member from: Media." in text and "10 members" in text
