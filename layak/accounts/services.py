"""Business actions on accounts: API tokens and the demo data. Each one is atomic and audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.audit.services import audit_record
from layak.regions.models import Region

from .choices import Role
from .models import Agency, ApiToken, RoleAssignment, TokenScope, User
from .selectors import user_is_national_admin

API_TOKEN_PREFIX = "lyk_"
API_TOKEN_PREFIX_LENGTH = 12
API_TOKEN_NAME_MAX = 80
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365


def api_token_hash(raw_key: str) -> str:
    """The SHA-256 hex digest under which a key is stored; the key itself is never saved."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str = TokenScope.WRITE, days: int = API_TOKEN_DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """Creates an API token for `user` and returns it with the raw key, which is shown once and never again.

    `scope` is read (GET only) or write; the token expires after `days` days (1 to API_TOKEN_MAX_DAYS).
    """
    name = name.strip()
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose whether the token may only read or also write.")})
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": _("A token lasts from 1 to %(max)s days; make a new one when it ends.")
                % {"max": API_TOKEN_MAX_DAYS}
            }
        )
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example the script that will use it.")})
    if len(name) > API_TOKEN_NAME_MAX:
        raise ValidationError({"name": _("The name is too long: use at most 80 characters.")})
    raw_key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=api_token_hash(raw_key),
        prefix=raw_key[:API_TOKEN_PREFIX_LENGTH],
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        actor=user,
        verb="api_token.created",
        target=token,
        summary=f"{user.username}: {name}",
        after={"scope": scope, "expires_at": expires_at.isoformat()},
    )
    return token, raw_key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revokes a token for good. Its owner or a national admin may do it."""
    if token.user_id != user.pk and not user_is_national_admin(user):
        raise PermissionDenied(_("You can only revoke your own API tokens."))
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, verb="api_token.revoked", target=token, summary=f"{token.user_id}: {token.name}")
    return token


# --- Demo data ------------------------------------------------------------------------------------------------

DEMO_PASSWORD = "layak-demo"

# The OPDs every demo region gets (name, short name): the agencies that usually own KLA indicators.
DEMO_AGENCIES = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan", "Disdik"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("Dinas Sosial", "Dinsos"),
]
DEMO_REGION_CODES = ["31", "31.71", "31.75", "63.71", "35.76"]


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One demo login: who they are, the role they hold, where, and (for OPD contributors) the agency."""

    username: str
    full_name: str
    role: str
    region_code: str | None = None
    agency_short_name: str = ""


DEMO_USERS = [
    DemoUser("admin_kemenpppa", "Admin KemenPPPA", Role.NATIONAL_ADMIN),
    DemoUser("evaluator_independen", "Evaluator Independen", Role.INDEPENDENT_EVALUATOR),
    DemoUser("koordinator_dki", "Koordinator Provinsi DKI Jakarta", Role.PROVINCE_COORDINATOR, "31"),
    DemoUser("verifikator_dki", "Verifikator Provinsi DKI Jakarta", Role.PROVINCE_VERIFIER, "31"),
    DemoUser("dp3a_jakpus", "DP3A Jakarta Pusat", Role.REGION_COORDINATOR, "31.71"),
    DemoUser("dp3a_jaktim", "DP3A Jakarta Timur", Role.REGION_COORDINATOR, "31.75"),
    DemoUser("dp3a_banjarmasin", "DP3A Kota Banjarmasin", Role.REGION_COORDINATOR, "63.71"),
    DemoUser("dp3a_mojokerto", "DP3A Kota Mojokerto", Role.REGION_COORDINATOR, "35.76"),
    DemoUser("dinkes_jakpus", "Dinkes Jakarta Pusat", Role.OPD_CONTRIBUTOR, "31.71", "Dinkes"),
    DemoUser("disdukcapil_jakpus", "Disdukcapil Jakarta Pusat", Role.OPD_CONTRIBUTOR, "31.71", "Disdukcapil"),
    DemoUser("dinkes_banjarmasin", "Dinkes Kota Banjarmasin", Role.OPD_CONTRIBUTOR, "63.71", "Dinkes"),
    DemoUser("pemantau", "Pemantau (hanya baca)", Role.VIEWER),
]


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A row of the logins table that `seed_demo` prints; `created` is False when the user already existed."""

    username: str
    role_label: str
    region_name: str
    created: bool


def _demo_regions() -> dict[str, Region]:
    regions = Region.objects.in_bulk(DEMO_REGION_CODES)
    missing = [code for code in DEMO_REGION_CODES if code not in regions]
    if missing:
        raise ValidationError(
            _("The demo needs regions %(codes)s, which are not loaded. Run `python manage.py load_regions` first.")
            % {"codes": ", ".join(missing)}
        )
    return regions


def _demo_agencies(regions: dict[str, Region]) -> dict[tuple[str, str], Agency]:
    agencies = {}
    for code, region in regions.items():
        for name, short_name in DEMO_AGENCIES:
            agencies[(code, short_name)] = Agency.objects.get_or_create(
                region=region, name=name, defaults={"short_name": short_name}
            )[0]
    return agencies


def _demo_user(spec: DemoUser, regions: dict[str, Region], agencies: dict[tuple[str, str], Agency]) -> DemoLogin:
    national = spec.role == Role.NATIONAL_ADMIN
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "full_name": spec.full_name,
            "email": f"{spec.username}@example.org",
            "is_staff": national,
            "is_superuser": national,
        },
    )
    if created:
        # Only on creation: a re-run must never reset a password that its owner has changed.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        audit_record(actor=None, verb="user.seeded", target=user, region_code=spec.region_code or "", summary=spec.role)
    region = regions[spec.region_code] if spec.region_code else None
    agency = (
        agencies[(spec.region_code, spec.agency_short_name)] if spec.region_code and spec.agency_short_name else None
    )
    RoleAssignment.objects.get_or_create(user=user, role=spec.role, region=region, agency=agency)
    where = region.name if region else _("All of Indonesia")
    if agency:
        where = f"{where} ({agency.short_name})"
    return DemoLogin(spec.username, str(Role(spec.role).label), where, created)


@transaction.atomic
def demo_seed(*, allow_production: bool = False) -> list[DemoLogin]:
    """Creates the demo OPDs and users with their roles, once; a re-run creates only what is missing.

    Demo accounts share one known password, so they are refused on a production site (DEBUG off) unless the
    operator says so explicitly. Existing users are left as they are, passwords included.
    """
    if not settings.DEBUG and not allow_production:
        raise PermissionDenied(
            _(
                "Refusing to create demo accounts with a shared password on a site with DEBUG off. "
                "Use --allow-production if you really want them here."
            )
        )
    regions = _demo_regions()
    agencies = _demo_agencies(regions)
    return [_demo_user(spec, regions, agencies) for spec in DEMO_USERS]


# --- Role grants and account deletion (the admin site calls these) ------------------------------------------------


def _grant_facts(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "region": assignment.region_id or "",
        "agency": assignment.agency.name if assignment.agency_id and assignment.agency else "",
    }


@transaction.atomic
def role_grant_save(*, by: User, assignment: RoleAssignment) -> RoleAssignment:
    """Saves a new or changed role assignment and records who granted what to whom."""
    if not user_is_national_admin(by) and not by.is_superuser:
        raise PermissionDenied(_("Only a national admin can grant roles here."))
    before = None
    if assignment.pk:
        old = RoleAssignment.objects.select_related("user", "agency").filter(pk=assignment.pk).first()
        before = _grant_facts(old) if old else None
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=by,
        verb="role.granted" if before is None else "role.changed",
        target=assignment,
        region_code=assignment.region_id or "",
        summary=f"{assignment.user.username}: {assignment.role}",
        before=before,
        after=_grant_facts(assignment),
    )
    return assignment


@transaction.atomic
def role_grant_revoke(*, by: User, assignment: RoleAssignment) -> None:
    if not user_is_national_admin(by) and not by.is_superuser:
        raise PermissionDenied(_("Only a national admin can take roles away."))
    audit_record(
        actor=by,
        verb="role.revoked",
        target=assignment,
        region_code=assignment.region_id or "",
        summary=f"{assignment.user.username}: {assignment.role}",
        before=_grant_facts(assignment),
    )
    assignment.delete()


@transaction.atomic
def user_delete(*, by: User, user: User) -> None:
    """Deletes an account. Its past actions keep its name in the audit log (AuditEvent.actor_name)."""
    if not user_is_national_admin(by) and not by.is_superuser:
        raise PermissionDenied(_("Only a national admin can delete accounts."))
    if user.pk == by.pk:
        raise ValidationError(_("You cannot delete your own account."))
    audit_record(
        actor=by,
        verb="user.deleted",
        target=user,
        summary=user.display_name,
        before={"username": user.username, "roles": [_grant_facts(a) for a in user.roles.select_related("agency")]},
    )
    user.delete()
