"""Decrees, members, meetings and decisions: who may change them, what is refused, what is audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.regions.tests.factories import make_region
from layak.taskforces import services
from layak.taskforces.models import Decision, Meeting

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _decree_kwargs(**over):
    return {
        "number": "188.45/77/KUM/2025",
        "decree_date": datetime.date(2025, 2, 3),
        "period_start": 2025,
        "period_end": 2027,
        "signatory": "Wali Kota",
        **over,
    }


def test_coordinator_records_a_decree_with_its_file_as_evidence(region_coordinator):
    upload = ContentFile(PDF, name="sk-gugus-tugas.pdf")
    decree = services.decree_create(
        user=region_coordinator, region=make_region("31.71"), upload=upload, **_decree_kwargs()
    )
    assert decree.evidence.region_id == "31.71"
    assert decree.evidence.document_number == "188.45/77/KUM/2025"
    assert AuditEvent.objects.filter(verb="taskforce.decree_created", target_id=str(decree.pk)).count() == 1


def test_national_admin_may_record_a_decree(national_admin):
    assert services.decree_create(user=national_admin, region=make_region("31.71"), **_decree_kwargs()).pk


@pytest.mark.parametrize("persona", ["opd_contributor", "province_verifier", "outsider"])
def test_others_may_not_record_a_decree(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.decree_create(user=user, region=make_region("31.71"), **_decree_kwargs())


def test_a_period_ending_before_it_starts_is_refused(region_coordinator):
    with pytest.raises(ValidationError) as exc:
        services.decree_create(
            user=region_coordinator, region=make_region("31.71"), **_decree_kwargs(period_start=2027, period_end=2025)
        )
    assert exc.value.message_dict == {"period_end": ["The last year cannot come before the first year."]}


def test_a_member_needs_an_opd_or_an_organisation(region_coordinator, decree):
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            user=region_coordinator, decree=decree, name="Tanpa Instansi", role="anggota", sector="media"
        )
    assert "organisation" in exc.value.message_dict


def test_a_coordinator_needs_a_sub_group(region_coordinator, decree, agencies):
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            user=region_coordinator,
            decree=decree,
            name="X",
            role="koordinator",
            sector="pemerintah",
            agency=agencies["Dinkes"],
        )
    assert exc.value.message_dict["area"] == [
        "A coordinator leads a sub-group: choose kelembagaan or a klaster (I to V)."
    ]


def test_an_opd_of_another_region_is_refused(region_coordinator, decree):
    from layak.accounts.tests.factories import make_agency

    elsewhere = make_agency("63.71", "Dinas Kesehatan", "Dinkes")
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            user=region_coordinator, decree=decree, name="X", role="anggota", sector="pemerintah", agency=elsewhere
        )
    assert "another region" in exc.value.message_dict["agency"][0]


def test_an_opd_member_must_be_in_the_government_sector(region_coordinator, decree, agencies):
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            user=region_coordinator, decree=decree, name="X", role="anggota", sector="media", agency=agencies["Dinkes"]
        )
    assert "sector" in exc.value.message_dict


def test_opd_contributor_may_not_add_a_member(opd_contributor, decree):
    with pytest.raises(PermissionDenied):
        services.member_create(
            user=opd_contributor, decree=decree, name="X", role="anggota", sector="media", organisation="Radio"
        )


def test_marking_a_member_as_left_keeps_the_record(region_coordinator, decree):
    member = decree.members.get(name="Dewi Lestari")
    services.member_update(
        user=region_coordinator,
        member=member,
        name=member.name,
        role=member.role,
        area=member.area,
        sector=member.sector,
        organisation=member.organisation,
        left_on=TODAY,
    )
    member.refresh_from_db()
    assert member.left_on == TODAY
    event = AuditEvent.objects.get(verb="taskforce.member_updated")
    assert event.before["left_on"] == "" and event.after["left_on"] == TODAY.isoformat()


def _meeting(user, **over) -> Meeting:
    kwargs = {"held_on": TODAY - datetime.timedelta(days=30), "agenda": "Rakor Gugus Tugas KLA", "place": "Bappeda"}
    return services.meeting_create(user=user, region=make_region("31.71"), **{**kwargs, **over})


def test_a_meeting_in_the_future_is_refused(region_coordinator):
    with pytest.raises(ValidationError) as exc:
        _meeting(region_coordinator, held_on=TODAY + datetime.timedelta(days=1))
    assert "held_on" in exc.value.message_dict


def test_attendance_cannot_count_fewer_people_than_members_present(region_coordinator, decree):
    with pytest.raises(ValidationError) as exc:
        _meeting(region_coordinator, attendee_count=1, attendees=list(decree.members.all()[:3]))
    assert "attendee_count" in exc.value.message_dict


def test_a_member_of_another_region_cannot_attend(region_coordinator, outsider, decree):
    from layak.taskforces.tests.factories import make_decree

    other = make_decree(outsider, "63.71").members.first()
    with pytest.raises(ValidationError) as exc:
        _meeting(region_coordinator, attendees=[other])
    assert "attendees" in exc.value.message_dict


def test_a_decision_is_followed_up_to_done(region_coordinator, agencies):
    meeting = _meeting(region_coordinator)
    decision = services.decision_create(
        user=region_coordinator,
        meeting=meeting,
        text="Perbarui Profil Anak",
        owner_agency=agencies["DP3A"],
        due_on=TODAY,
    )
    services.decision_follow_up(
        user=region_coordinator, decision=decision, status="in_progress", note="Data dikumpulkan"
    )
    services.decision_follow_up(user=region_coordinator, decision=decision, status="done", note="Profil Anak terbit")
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_on == TODAY
    assert [f.status for f in decision.follow_ups.all()] == ["in_progress", "done"]
    assert AuditEvent.objects.filter(verb="taskforce.decision_followed_up").count() == 2


def test_a_decision_due_before_its_meeting_is_refused(region_coordinator, agencies):
    meeting = _meeting(region_coordinator)
    with pytest.raises(ValidationError) as exc:
        services.decision_create(
            user=region_coordinator,
            meeting=meeting,
            text="X",
            owner_agency=agencies["DP3A"],
            due_on=meeting.held_on - datetime.timedelta(days=1),
        )
    assert "due_on" in exc.value.message_dict


def test_opd_contributor_may_not_follow_up_a_decision(region_coordinator, opd_contributor, agencies):
    meeting = _meeting(region_coordinator)
    decision = services.decision_create(
        user=region_coordinator, meeting=meeting, text="X", owner_agency=agencies["Dinkes"], due_on=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.decision_follow_up(user=opd_contributor, decision=decision, status="done", note="Selesai")
    assert Decision.objects.get().status == "open"
