"""Sign-in security: audited logins, lockout after wrong passwords with an audited unlock, two-step sign-in
(required for national and province roles, optional for others), the idle timeout, audited password changes."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from layak.accounts.security import SESSION_SEEN
from layak.accounts.tests.factories import PASSWORD
from layak.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_logins_are_audited_with_success_and_failure(client, region_coordinator):
    assert sign_in(client, "koordinator_jakpus", "wrong").status_code == 200
    assert sign_in(client, "nobody-like-this", "wrong").status_code == 200
    assert sign_in(client, "koordinator_jakpus").status_code == 302
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", "summary"))
    assert verbs == [
        ("login.failed", "koordinator_jakpus"),
        ("login.failed", "nobody-like-this"),
        ("login.succeeded", "koordinator_jakpus"),
    ]


def test_wrong_passwords_lock_the_account_until_an_audited_unlock(client, login, settings, region_coordinator):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "koordinator_jakpus", "wrong")
    locked = sign_in(client, "koordinator_jakpus")  # the right password no longer helps
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.content.decode()

    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    admin = make_user_with_role("admin_pusat", Role.NATIONAL_ADMIN)
    staff = login(admin)
    assert "koordinator_jakpus" in staff.get(reverse("accounts:lockouts")).content.decode()
    url = reverse("accounts:lockout_clear", args=["koordinator_jakpus"])
    assert "Unlock the account" in staff.post(url).content.decode()  # asks first
    assert staff.post(url, {"confirmed": "yes"}).status_code == 302
    event = AuditEvent.objects.get(verb="login.unlocked")
    assert event.actor == admin and event.summary == "koordinator_jakpus"
    staff.post(reverse("accounts:logout"))
    assert sign_in(client, "koordinator_jakpus").status_code == 302


def test_only_a_national_admin_sees_the_lockouts(login, region_coordinator):
    assert login(region_coordinator).get(reverse("accounts:lockouts")).status_code == 403


def test_a_national_admin_must_turn_on_two_step_sign_in_then_uses_it(client, settings, national_admin):
    settings.LAYAK_2FA_REQUIRED = True
    response = sign_in(client, "admin_pusat")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor_setup"))
    blocked = client.get("/dashboards/")
    assert blocked.status_code == 302 and reverse("accounts:two_factor_setup") in blocked["Location"]
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "<svg" in page and "Your role needs two-step sign-in" in page
    device = TOTPDevice.objects.get(user=national_admin, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"code": "000000" if code_of(device) != "000000" else "1"}
    )
    assert wrong.status_code == 400 and "does not fit" in wrong.content.decode()
    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})
    codes = done.context["codes"]
    assert done.status_code == 200 and len(codes) == 10 and codes[0] in done.content.decode()
    assert client.get("/dashboards/").status_code == 200
    assert AuditEvent.objects.filter(verb="two_factor.enabled", actor=national_admin).count() == 1

    # Next sign-in: the password, then a code; a recovery code works once.
    client.post(reverse("accounts:logout"))
    response = sign_in(client, "admin_pusat")
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert client.get("/dashboards/").status_code == 302
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get("/dashboards/").status_code == 200
    client.post(reverse("accounts:logout"))
    sign_in(client, "admin_pusat")
    used_again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert used_again.status_code == 400 and "wrong or has expired" in used_again.content.decode()


def test_two_step_sign_in_is_optional_for_a_region_coordinator(client, settings, region_coordinator):
    settings.LAYAK_2FA_REQUIRED = True
    response = sign_in(client, "koordinator_jakpus")
    assert response.status_code == 302 and "2fa" not in response["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert "Turn on two-step sign-in" in client.get(reverse("accounts:profile")).content.decode()


def test_an_idle_session_is_signed_out(client, settings, region_coordinator):
    settings.LAYAK_IDLE_TIMEOUT_MINUTES = 30
    sign_in(client, "koordinator_jakpus")
    assert client.get(reverse("accounts:profile")).status_code == 200
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and LOGIN in response["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out for good


@pytest.mark.parametrize("minutes_idle", [5, 29])
def test_a_session_in_use_stays_signed_in(client, settings, region_coordinator, minutes_idle):
    settings.LAYAK_IDLE_TIMEOUT_MINUTES = 30
    sign_in(client, "koordinator_jakpus")
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - minutes_idle * 60
    session.save()
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_password_change_is_audited(client, region_coordinator):
    sign_in(client, "koordinator_jakpus")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "a-New-pass-2026!", "new_password2": "a-New-pass-2026!"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="password.changed", actor=region_coordinator).count() == 1


def test_the_home_page_links_a_national_admin_to_the_locked_accounts(login, national_admin, region_coordinator):
    assert reverse("accounts:lockouts") in login(national_admin).get("/").content.decode()


@pytest.fixture
def staff_admin(db):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    user = make_user_with_role("admin_staf", Role.NATIONAL_ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_role_grants_and_a_deleted_account_are_audited_and_keep_the_actors_name(login, staff_admin, region_coordinator):
    from layak.accounts.choices import Role
    from layak.accounts.models import RoleAssignment, User
    from layak.audit.words import audit_sentence
    from layak.regions.tests.factories import make_region

    client = login(staff_admin)
    region = make_region("31.75")
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": region_coordinator.pk, "role": Role.REGION_COORDINATOR, "region": region.pk},
    )
    assert response.status_code == 302
    granted = AuditEvent.objects.get(verb="role.granted")
    assert granted.actor == staff_admin and granted.after["region"] == "31.75"
    assignment = RoleAssignment.objects.get(region=region)
    client.post(reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(verb="role.revoked", actor=staff_admin).count() == 1

    # The coordinator acted once; after the account is deleted the event still names them.
    AuditEvent.objects.create(actor=region_coordinator, actor_name="Koordinator Jakpus", verb="x", target_type="t")
    client.post(reverse("admin:accounts_user_delete", args=[region_coordinator.pk]), {"post": "yes"})
    assert not User.objects.filter(username="koordinator_jakpus").exists()
    assert AuditEvent.objects.filter(verb="user.deleted", actor=staff_admin).count() == 1
    kept = AuditEvent.objects.get(verb="x")
    assert kept.actor is None and audit_sentence(kept).startswith("Koordinator Jakpus")


def test_audit_record_stores_the_actors_name(region_coordinator):
    from layak.audit.services import audit_record

    event = audit_record(actor=region_coordinator, verb="x", target=region_coordinator)
    assert event.actor_name == region_coordinator.display_name


def test_a_two_step_session_reads_its_device_from_the_cache_and_sees_its_removal(
    client, settings, national_admin, django_assert_max_num_queries
):
    settings.LAYAK_2FA_REQUIRED = True
    sign_in(client, "admin_pusat")
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=national_admin, confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"code": code_of(device)})
    notifications = reverse("notifications:notification_list")
    assert client.get(notifications).status_code == 200
    with django_assert_max_num_queries(1) as queries:  # the page's own count; no user row, no device
        assert client.get(notifications).status_code == 200
    assert not any("otp_totp" in q["sql"] for q in queries.captured_queries)
    assert DEVICE_ID_SESSION_KEY in client.session
    TOTPDevice.objects.filter(pk=device.pk).first().delete()
    client.get(notifications)
    assert DEVICE_ID_SESSION_KEY not in client.session  # the session is no longer verified by the removed device
