from __future__ import annotations

import factory

from layak.accounts.choices import Role
from layak.accounts.models import Agency, RoleAssignment, User
from layak.regions.tests.factories import make_region

PASSWORD = "layak-test-pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    full_name = factory.LazyAttribute(lambda u: u.username.replace("_", " ").title())
    password = factory.django.Password(PASSWORD)


def make_agency(region_code: str, name: str, short_name: str = "") -> Agency:
    agency, _ = Agency.objects.get_or_create(
        region=make_region(region_code), name=name, defaults={"short_name": short_name}
    )
    return agency


def make_user_with_role(username: str, role: Role, region_code: str | None = None, agency: Agency | None = None):
    """A user holding one role over a real region (or nationally when no code is given)."""
    user = UserFactory(username=username)
    region = make_region(region_code) if region_code else None
    RoleAssignment.objects.get_or_create(user=user, role=role, region=region, agency=agency)
    return user
