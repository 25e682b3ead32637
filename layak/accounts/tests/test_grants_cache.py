"""The role grants every signed-in page reads come from the shared cache, and follow every change at once."""

import pytest

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.selectors import user_can_see_region, user_grants
from layak.accounts.services import user_delete
from layak.accounts.tests.factories import UserFactory
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as the next request loads it (nothing kept on the object)."""
    return User.objects.get(pk=user.pk)


def test_grants_are_read_once_then_from_the_cache(django_assert_num_queries):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.REGION_COORDINATOR, region=make_region("31.71"))
    first, second = _fresh(user), _fresh(user)
    with django_assert_num_queries(1):
        assert [g.region_code for g in user_grants(first)] == ["31.71"]
    with django_assert_num_queries(0):
        assert user_can_see_region(second, "31.71.01")


def test_a_role_given_or_taken_shows_on_the_next_request():
    user = UserFactory()
    assert not user_can_see_region(_fresh(user), "31.71")
    assignment = RoleAssignment.objects.create(user=user, role=Role.REGION_COORDINATOR, region=make_region("31.71"))
    assert user_can_see_region(_fresh(user), "31.71")
    assignment.delete()
    assert not user_can_see_region(_fresh(user), "31.71")


def test_a_role_taken_through_the_service_closes_the_region_at_once(national_admin, region_coordinator):
    from layak.accounts.services import role_grant_revoke

    assert user_can_see_region(_fresh(region_coordinator), "31.71")
    role_grant_revoke(by=national_admin, assignment=RoleAssignment.objects.get(user=region_coordinator))
    assert not user_can_see_region(_fresh(region_coordinator), "31.71")


def test_a_new_account_never_meets_the_grants_of_a_deleted_one(national_admin):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.REGION_COORDINATOR, region=make_region("31.71"))
    assert user_grants(_fresh(user))
    pk = user.pk
    user_delete(by=national_admin, user=user)
    newcomer = UserFactory()
    User.objects.filter(pk=newcomer.pk).update(id=pk)  # the id of the deleted account, as a restored database may
    assert user_grants(User.objects.get(pk=pk)) == []
