"""Reminder e-mails: deadlines in 7/3/1 days, revisions requested and due; once per person, event and day; the
opt-out on the account page; translated text; the daily command."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from layak.evaluations.tests.factories import make_assessment, make_cycle, make_framework
from layak.notifications.models import EmailPreference, ReminderSent
from layak.reviews.reminders import reminders_send

from .factories import request_revision

pytestmark = pytest.mark.django_db


def _draft(closes_in_days: int, region: str = "31.71"):
    from layak.frameworks.models import FrameworkVersion

    framework = FrameworkVersion.objects.first() or make_framework()
    return make_assessment(make_cycle(framework, closes_in_days=closes_in_days, year=2020 + closes_in_days), region)


@pytest.mark.parametrize("days", [7, 3, 1])
def test_the_coordinator_is_reminded_of_the_deadline(region_coordinator, outsider, days):
    _draft(days)
    assert reminders_send()["deadline"] == 1
    (message,) = mail.outbox
    assert message.to == [region_coordinator.email]
    assert "Kota Administrasi Jakarta Pusat" in message.subject and f"{days} hari" in message.subject
    assert "/evaluations/assessments/" in message.body


def test_no_reminder_on_other_days_or_after_submission(region_coordinator):
    _draft(5)
    assert reminders_send()["deadline"] == 0
    _draft(7).__class__.objects.update(status="submitted", submitted_at=timezone.now())
    assert reminders_send()["deadline"] == 0 and mail.outbox == []


def test_a_second_run_the_same_day_sends_nothing(region_coordinator):
    _draft(3)
    assert reminders_send()["deadline"] == 1
    assert reminders_send() == {"deadline": 0, "revision_requested": 0, "revision_due": 0}
    assert len(mail.outbox) == 1 and ReminderSent.objects.get().event.startswith("deadline:3:")


def test_a_person_who_opted_out_gets_none(login, region_coordinator):
    _draft(1)
    response = login(region_coordinator).post(reverse("notifications:email_reminders_set"), {})
    assert response.status_code == 302 and response["Location"].endswith("#reminders")
    assert EmailPreference.objects.get(user=region_coordinator).reminders is False
    assert reminders_send()["deadline"] == 0 and mail.outbox == []
    page = login(region_coordinator).get(reverse("accounts:profile")).content.decode()
    assert 'name="reminders" checked' not in page and "Reminder e-mails" in page
    login(region_coordinator).post(reverse("notifications:email_reminders_set"), {"reminders": "on"})
    assert reminders_send()["deadline"] == 1


def test_revision_requested_and_due_reach_the_region(reviewers, province_verifier, region_coordinator):
    request_revision(reviewers, province_verifier, {"I1": "Rekap akta per kecamatan"}, days=1)
    sent = reminders_send()
    assert sent["revision_requested"] == 1 and sent["revision_due"] == 1
    subjects = sorted(m.subject for m in mail.outbox)
    assert all(m.to == [region_coordinator.email] for m in mail.outbox)
    assert any("Revisi diminta" in s for s in subjects) and any("besok" in s for s in subjects)
    assert reminders_send() == {"deadline": 0, "revision_requested": 0, "revision_due": 0}


def test_the_daily_command_enqueues_the_job(region_coordinator):
    _draft(7)
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 (the immediate backend runs it)
    assert len(mail.outbox) == 1
