"""The signed-in user of each request comes from the shared cache, with their grants and unread count, in one read;
a change of the account (password, deactivation, deletion) is seen by the next request."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from layak.accounts.backends import CachedModelBackend
from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.selectors import user_grants
from layak.accounts.tests.factories import UserFactory
from layak.notifications.choices import NotificationKind
from layak.notifications.models import Notification
from layak.notifications.selectors import unread_count
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


def test_the_user_is_read_from_the_database_once_then_from_the_cache(django_assert_num_queries):
    user = UserFactory()
    backend = CachedModelBackend()
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk) == user
    with django_assert_num_queries(0):
        assert backend.get_user(user.pk).username == user.username


def test_grants_and_unread_count_come_with_the_row_in_one_cache_read():
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.REGION_COORDINATOR, region=make_region("31.71"))
    Notification.objects.create(user=user, kind=NotificationKind.REVISION_REQUESTED)
    backend = CachedModelBackend()
    first = backend.get_user(user.pk)
    user_grants(first), unread_count(first)  # fill the cache, as a first request does
    loaded = backend.get_user(user.pk)
    with mock.patch.object(cache, "get", side_effect=AssertionError("a second cache read")):
        assert [g.region_code for g in user_grants(loaded)] == ["31.71"]
        assert unread_count(loaded) == 1


def test_a_changed_password_deactivation_or_deletion_is_seen_by_the_next_request():
    user = UserFactory()
    backend = CachedModelBackend()
    old_hash = backend.get_user(user.pk).password
    user.set_password("another secret 123")
    user.save()
    assert backend.get_user(user.pk).password != old_hash
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
    user.is_active = True
    user.save()
    assert backend.get_user(user.pk) is not None
    pk = user.pk
    user.delete()
    assert backend.get_user(pk) is None
    assert backend.get_user("not a number") is None


def test_a_session_from_before_a_password_change_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.set_password("a new secret 456")
    user.save()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_signed_in_page_reads_no_user_row_on_a_warm_view(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("notifications:notification_list"))
    with django_assert_num_queries(1):  # the page's own count of notifications; the user, grants, bell: cached
        assert client.get(reverse("notifications:notification_list")).status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
