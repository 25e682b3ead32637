"""Sign-in security: login events in the audit log, login lockouts (django-axes) and two-step sign-in (django-otp).

Writes here follow the services rule (atomic, permission-checked, one audit event each). Two-step sign-in is
TOTP (an authenticator app) with ten single-use recovery codes (django-otp's static device). It is required
for national admins, province roles and independent evaluators (`LAYAK_2FA_REQUIRED`), optional for others; a
user who turned it on is always asked for it. What a session still owes is kept in the session itself
(`two_factor_owed`), so pages cost no query for it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from layak.audit.models import AuditEvent
from layak.audit.services import audit_record

from .choices import Role
from .models import User
from .selectors import user_is_national_admin

# Roles whose accounts must use two-step sign-in.
TWO_FACTOR_ROLES = {Role.NATIONAL_ADMIN, Role.PROVINCE_COORDINATOR, Role.PROVINCE_VERIFIER, Role.INDEPENDENT_EVALUATOR}
RECOVERY_CODES = 10
SESSION_TWO_FACTOR = "layak_2fa"  # "device": must verify; "required": must enrol; "": nothing owed
SESSION_SEEN = "layak_seen"  # when the session last made a request (unix seconds, to the minute)


# --- Login events -----------------------------------------------------------------------------------------------


def login_succeeded_record(*, user: User, ip: str) -> AuditEvent:
    return audit_record(actor=user, verb="login.succeeded", target=user, summary=user.username, after={"ip": ip})


def login_failed_record(*, username: str, ip: str) -> AuditEvent:
    """A refused password: recorded against the account when it exists, by the name typed when it does not."""
    username = username.strip()[:150]
    user = User.objects.filter(username=username).first()
    if user is not None:
        return audit_record(actor=None, verb="login.failed", target=user, summary=username, after={"ip": ip})
    return AuditEvent.objects.create(
        verb="login.failed", target_type="accounts.user", target_id="", summary=username, after={"ip": ip}
    )


def password_changed_record(*, user: User, how: str) -> AuditEvent:
    """`how` is "changed" (by the user, knowing the old one) or "reset" (through the e-mailed link)."""
    return audit_record(actor=user, verb=f"password.{how}", target=user, summary=user.username)


# --- Lockouts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    username: str
    failures: int
    last_attempt: datetime
    ip: str


def lockout_list() -> list[Lockout]:
    """Usernames locked now: as many failures as the limit within the cool-off time, newest first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")[:200]
    found: dict[str, Lockout] = {}
    for a in attempts:
        name = a.username or ""
        if name not in found:
            found[name] = Lockout(name, a.failures_since_start, a.attempt_time, a.ip_address or "")
    return list(found.values())


@transaction.atomic
def lockout_clear(*, user: User, username: str) -> int:
    """Unlocks `username` before its cool-off ends (a national admin only); returns the attempts cleared."""
    if not user_is_national_admin(user):
        raise PermissionDenied(_("Only a national admin can unlock an account."))
    cleared = axes_reset(username=username)
    if not cleared:
        raise ValidationError(_("This account is not locked (any more)."))
    target = User.objects.filter(username=username).first()
    if target is not None:
        audit_record(actor=user, verb="login.unlocked", target=target, summary=username, after={"cleared": cleared})
    else:
        AuditEvent.objects.create(
            actor=user,
            actor_name=user.display_name,
            verb="login.unlocked",
            target_type="accounts.user",
            target_id="",
            summary=username[:300],
            after={"cleared": cleared},
        )
    return cleared


# --- Two-step sign-in -------------------------------------------------------------------------------------------


def two_factor_required(user: User) -> bool:
    """True when the user's roles (or superuser status) require two-step sign-in and the site enforces it."""
    if not getattr(settings, "LAYAK_2FA_REQUIRED", True):
        return False
    return user.is_superuser or user.roles.filter(role__in=TWO_FACTOR_ROLES).exists()


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_owed(user: User) -> str:
    """What a fresh session of `user` owes: "device" (verify a code), "required" (enrol first) or ""."""
    if two_factor_enabled(user):
        return "device"
    return "required" if two_factor_required(user) else ""


def session_started(session: SessionBase, user: User) -> None:
    """At sign-in: what the session owes, and the start of its idle clock."""
    session[SESSION_TWO_FACTOR] = two_factor_owed(user)
    session[SESSION_SEEN] = int(time.time())


def totp_device_pending(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first call), whose secret the enrolment page shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Layak", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enable(*, user: AbstractBaseUser, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator when `code` fits it, and returns ten new recovery codes (shown once)."""
    if device.user_id != user.pk:
        raise PermissionDenied
    if not device.verify_token(code.replace(" ", "")):
        raise ValidationError(
            _("This code does not fit. Check that the app shows Layak's account and type the code it shows now."),
            code="wrong_code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    audit_record(actor=user, verb="two_factor.enabled", target=user, summary=user.get_username())
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Turn on two-step sign-in first."))
    codes = _new_recovery_codes(user)
    audit_record(actor=user, verb="two_factor.codes_renewed", target=user, summary=user.username)
    return codes
