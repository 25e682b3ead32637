"""Accounts managed by the people who run the work: a regency/city coordinator opens and closes the accounts
of its OPD contributors, a province coordinator those of its province's verifier team (national admins may do
both). Every change is audited; an account is deactivated, never deleted, so its history stays readable.

A new account has no password: the coordinator gets a one-time link that lets the person choose one (the same
link Django's password reset sends), shown once and e-mailed when an address is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from layak.audit.services import active_set, audit_record
from layak.regions.choices import RegionLevel
from layak.regions.models import Region

from .choices import Role
from .models import Agency, RoleAssignment, User
from .selectors import Viewer, user_has_role, user_is_national_admin

USERNAME_MAX = 150


@dataclass(frozen=True)
class Team:
    """Which role a region's team holds and who may manage it: OPD contributors of a kab/kota, verifiers of a
    province."""

    role: str
    managers: tuple[str, ...]


TEAMS = {
    RegionLevel.KABKOTA: Team(Role.OPD_CONTRIBUTOR, (Role.REGION_COORDINATOR,)),
    RegionLevel.PROVINCE: Team(Role.PROVINCE_VERIFIER, (Role.PROVINCE_COORDINATOR,)),
}


def team_of(region: Region) -> Team | None:
    return TEAMS.get(region.level)


def team_can_manage(user: Viewer, region: Region) -> bool:
    """The region's coordinator (the province's, for a province) or a national admin."""
    team = team_of(region)
    if team is None:
        return False
    return user_is_national_admin(user) or user_has_role(user, team.managers, region.code)


def team_region_get_for_user(*, user: Viewer, code: str) -> Region:
    """A kab/kota or province whose team the user manages; 404 otherwise (its people are not revealed)."""
    region = Region.objects.filter(code=code, level__in=list(TEAMS)).first()
    if region is None or not team_can_manage(user, region):
        raise Http404
    return region


def team_list(region: Region) -> QuerySet[User]:
    """The people holding the team's role in the region, active ones first, with their agency (one query)."""
    team = team_of(region)
    role = team.role if team else ""
    return (
        User.objects.filter(roles__role=role, roles__region=region)
        .prefetch_related("roles__agency")
        .distinct()
        .order_by("-is_active", "full_name", "username")
    )


def team_member_get_for_user(*, user: Viewer, pk: int) -> tuple[User, Region]:
    """A person of a team the user manages, with that team's region; 404 otherwise."""
    target = User.objects.filter(pk=pk).first()
    if target is None:
        raise Http404
    for assignment in RoleAssignment.objects.filter(user=target).select_related("region"):
        region = assignment.region
        team = team_of(region) if region else None
        if team and assignment.role == team.role and team_can_manage(user, region):
            return target, region
    raise Http404


def set_password_url(user: User) -> str:
    """The path of a one-time link that lets `user` choose a password (valid until it is used or expires)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def _clean_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > USERNAME_MAX or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise ValidationError({"username": _("Use letters, digits and @ . + - _ only, for example “dinsos_jakpus”.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%(name)s” is taken; choose another.") % {"name": username}})
    return username


@transaction.atomic
def team_account_create(
    *,
    by: User,
    region: Region,
    username: str,
    full_name: str,
    email: str = "",
    agency: Agency | None = None,
) -> tuple[User, str]:
    """Opens an account in the region's team (an OPD contributor of `agency`, or a province verifier); returns it
    with the path of the link where the person sets their password."""
    team = team_of(region)
    if team is None or not team_can_manage(by, region):
        raise PermissionDenied(_("Only the coordinator of %(region)s can open its accounts.") % {"region": region.name})
    if team.role == Role.OPD_CONTRIBUTOR and (agency is None or agency.region_id != region.code):
        raise ValidationError(
            {"agency": _("Choose the OPD of %(region)s this person works for.") % {"region": region.name}}
        )
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Give the person's full name.")})
    user = User(username=_clean_username(username), full_name=full_name[:150], email=email.strip())
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=team.role, region=region, agency=agency if agency else None)
    audit_record(
        actor=by,
        verb="account.created",
        target=user,
        region_code=region.code,
        summary=full_name,
        after={"username": user.username, "role": team.role, "agency": agency.pk if agency else None},
    )
    link = set_password_url(user)
    if user.email:
        send_mail(
            _("Your Layak account"),
            _("%(by)s opened a Layak account for you (%(username)s). Choose your password here: %(link)s")
            % {"by": by.display_name, "username": user.username, "link": link},
            None,
            [user.email],
            fail_silently=True,
        )
    return user, link


@transaction.atomic
def team_account_set_active(*, by: User, user: User, region: Region, active: bool) -> User:
    """Deactivates (the person can no longer sign in; their work stays) or reactivates a team member's account."""
    if not team_can_manage(by, region):
        raise PermissionDenied(
            _("Only the coordinator of %(region)s can manage its accounts.") % {"region": region.name}
        )
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    active_set(actor=by, target=user, active=active, noun="account", region_code=region.code, summary=user.display_name)
    return user
