"""The whole-page cache of the dashboards: a repeat view of the same session is served from the cache, and
nothing is ever served to another session, after a results change, or with pending messages."""

import pytest
from django.test import Client

from .factories import cycle, make_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    return made


def test_a_repeat_view_comes_from_the_cache_with_one_query(login, national_admin, published, django_assert_num_queries):
    client = login(national_admin)
    first = client.get("/dashboards/")
    assert first.status_code == 200 and "private" in first.headers["Cache-Control"]
    with django_assert_num_queries(1):  # the version stamp; the session itself is read from the cache
        again = client.get("/dashboards/")
    assert again.content == first.content


def test_a_new_result_changes_the_page_at_once(login, national_admin, published):
    client = login(national_admin)
    assert "Kota Administrasi Jakarta Timur" not in client.get("/dashboards/").content.decode()
    make_result(published, "31.75", 810)
    assert "Kota Administrasi Jakarta Timur" in client.get("/dashboards/").content.decode()


def test_another_session_never_gets_this_sessions_page(national_admin, outsider, published):
    admin, other = Client(), Client()
    admin.force_login(national_admin)
    other.force_login(outsider)
    make_result(cycle(2026, published=False), "31.71", 905)  # seen by the admin, never by the outsider
    admin_page = admin.get("/dashboards/regions/31.71/")
    assert admin_page.status_code == 200 and "905" in admin_page.content.decode()
    assert "905" not in other.get("/dashboards/regions/31.71/").content.decode()


def test_pages_with_pending_messages_are_rendered_fresh(login, published):
    from layak.accounts.choices import Role
    from layak.accounts.tests.factories import make_user_with_role

    client = login(make_user_with_role("koordinator_dki", Role.PROVINCE_COORDINATOR, "31"))
    client.get("/dashboards/provinces/31/")  # cached now
    response = client.post("/dashboards/provinces/31/target/", {"band_code": "utama", "year": 2026}, follow=True)
    assert "The province&#x27;s target is saved." in response.content.decode()
    assert client.get("/dashboards/provinces/31/").content == client.get("/dashboards/provinces/31/").content
    assert "0 / 1" in client.get("/dashboards/provinces/31/").content.decode()  # progress toward the new target


def test_exports_are_never_cached(login, national_admin, published):
    client = login(national_admin)
    client.get("/dashboards/")
    response = client.get("/dashboards/?export=ranking&format=csv")
    assert response.status_code in (200, 302)
    assert response.content != client.get("/dashboards/").content
