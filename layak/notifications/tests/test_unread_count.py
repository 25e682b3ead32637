"""The bell's unread count comes from the shared cache and follows every write of the user's notifications."""

import pytest

from layak.accounts.models import User
from layak.notifications.choices import NotificationKind
from layak.notifications.models import Notification
from layak.notifications.selectors import unread_count
from layak.notifications.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_count_is_read_once_then_from_the_cache(region_coordinator, django_assert_num_queries):
    notify(users=[region_coordinator], kind=NotificationKind.STAGE_PASSED)
    first, second = _fresh(region_coordinator), _fresh(region_coordinator)
    with django_assert_num_queries(1):
        assert unread_count(first) == 1
    with django_assert_num_queries(0):
        assert unread_count(second) == 1


def test_the_count_follows_new_read_and_deleted_notifications(region_coordinator, province_verifier):
    assert unread_count(_fresh(region_coordinator)) == 0
    notify(users=[region_coordinator, province_verifier], kind=NotificationKind.STAGE_PASSED)
    assert unread_count(_fresh(region_coordinator)) == 1
    notify(users=[region_coordinator], kind=NotificationKind.REVISION_REQUESTED)
    assert unread_count(_fresh(region_coordinator)) == 2
    notification_mark_read(
        user=region_coordinator, notification=Notification.objects.filter(user=region_coordinator)[0]
    )
    assert unread_count(_fresh(region_coordinator)) == 1
    Notification.objects.create(user=region_coordinator, kind=NotificationKind.STAGE_PASSED)
    assert unread_count(_fresh(region_coordinator)) == 2
    notification_mark_read(user=region_coordinator)
    assert unread_count(_fresh(region_coordinator)) == 0
    assert unread_count(_fresh(province_verifier)) == 1
    Notification.objects.filter(user=province_verifier).get().delete()
    assert unread_count(_fresh(province_verifier)) == 0


def test_the_bell_shows_a_new_notification_on_the_next_page(region_coordinator, login):
    client = login(region_coordinator)
    assert "bell-count" not in client.get("/dashboards/").content.decode()
    notify(users=[region_coordinator], kind=NotificationKind.STAGE_PASSED)
    assert '<span class="bell-count" aria-hidden="true">1</span>' in client.get("/dashboards/").content.decode()
