"""Who may see what. Every scoped read in Layak asks these functions, so the rules live in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from layak.common.usercache import user_value

from .choices import NATIONAL_SCOPE_ROLES, Role
from .models import ApiToken, RoleAssignment, User

#: The name of the users' role assignments in the per-user cache (`layak.common.usercache`).
GRANTS = "grants"

#: Whoever asks: a signed-in user or an anonymous visitor (`request.user`). Reads take a Viewer; writes a User.
Viewer = User | AnonymousUser


@dataclass(frozen=True, slots=True)
class Grant:
    """One role over one subtree; `region_code` None means the whole country."""

    role: str
    region_code: str | None
    agency_id: int | None

    def covers(self, code: str) -> bool:
        root = self.region_code
        return root is None or code == root or code.startswith(f"{root}.")


def _grant_rows(user_id: int) -> list[tuple[str, str | None, int | None]]:
    return list(RoleAssignment.objects.filter(user_id=user_id).values_list("role", "region_id", "agency_id"))


def user_grants(user: Viewer) -> list[Grant]:
    """The user's role assignments, kept on the user object for the request and in the shared cache between
    requests (`GRANTS`, dropped after any change of the user's assignments or of the user: `AccountsConfig`)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    cached: list[Grant] | None = getattr(user, "_layak_grants", None)
    if cached is None:
        rows = user_value(GRANTS, user.pk, lambda: _grant_rows(user.pk), owner=user)
        cached = [
            Grant(role, region, agency)
            for role, region, agency in rows
            if region is not None or role in NATIONAL_SCOPE_ROLES
        ]
        setattr(user, "_layak_grants", cached)  # noqa: B010 (a per-request cache on the user object)
    return cached


def user_has_role(user: Viewer, roles: Iterable[str], region_code: str | None = None) -> bool:
    """True if the user holds one of `roles` over `region_code` (or anywhere, when no code is given)."""
    wanted = set(roles)
    return any(g.role in wanted and (region_code is None or g.covers(region_code)) for g in user_grants(user))


def user_is_national_admin(user: Viewer) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user, [Role.NATIONAL_ADMIN])


def user_has_national_scope(user: Viewer) -> bool:
    """National admins and the national-scope roles (independent evaluator, viewer without a region)."""
    return user_is_national_admin(user) or any(g.region_code is None for g in user_grants(user))


def user_can_see_region(user: Viewer, region_code: str) -> bool:
    """True if any of the user's grants covers the region (or the user is a national admin)."""
    return user_is_national_admin(user) or any(g.covers(region_code) for g in user_grants(user))


def user_region_filter(user: Viewer, field: str = "region_id") -> Q:
    """A Q object that keeps only rows whose region (`field` holds a region code) the user may see.

    National scope gives an always-true filter; no grant gives an always-false one.
    """
    if user_is_national_admin(user):
        return Q()
    grants = user_grants(user)
    if any(g.region_code is None for g in grants):
        return Q()
    q = Q(pk__in=[])
    for root in {g.region_code for g in grants}:
        q |= Q(**{field: root}) | Q(**{f"{field}__startswith": f"{root}."})
    return q


def role_assignment_list_for_user(user: Viewer) -> list[RoleAssignment]:
    """The user's own role assignments with their region and agency, in one query (for profile and home)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return list(
        RoleAssignment.objects.filter(user_id=user.pk)
        .select_related("region", "agency")
        .order_by("role", "region_id", "agency__name")
    )


def api_token_list_for_user(user: Viewer) -> list[ApiToken]:
    """The user's API tokens, newest first, revoked ones included so the owner sees the history."""
    if not isinstance(user, User):
        return []
    return list(ApiToken.objects.filter(user_id=user.pk))
