"""The shared rendering of public pages for newcomers: each visitor gets their own CSRF token, the page follows the
data at once, and nothing is shared with anyone who has a session, messages or asks for a download."""

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from layak.common.pagecache import PLACEHOLDER
from layak.dashboards.tests.factories import cycle, make_result

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_each_newcomer_gets_their_own_working_token(django_assert_max_num_queries):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get("/dashboards/public/").content.decode()
    with django_assert_max_num_queries(2):  # the results stamp (and nothing of the page itself)
        again = second.get("/dashboards/public/").content.decode()
    assert PLACEHOLDER not in again and "Jakarta Pusat" in again
    assert _token(page) != _token(again)
    secret = second.cookies["csrftoken"].value
    assert _unmask_cipher_token(_token(again)) == secret  # the token fits this visitor's own cookie
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": _token(again)})
    assert switched.status_code == 302


def test_a_new_result_shows_to_the_next_newcomer_at_once():
    made = cycle(2025)
    make_result(made, "31.71", 720)
    assert "Jakarta Utara" not in Client().get("/dashboards/public/").content.decode()
    make_result(made, "31.72", 560)
    assert "Jakarta Utara" in Client().get("/dashboards/public/").content.decode()


def test_signed_in_visitors_and_downloads_go_through_the_view(login, national_admin):
    made = cycle(2025)
    make_result(made, "31.71", 720)
    Client().get("/dashboards/public/")  # shared rendering stored
    signed_in = login(national_admin).get("/dashboards/public/").content.decode()
    assert national_admin.display_name in signed_in  # their own header, not the newcomer's page
    download = Client().get("/dashboards/public/", {"export": "results", "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")


def test_a_visitor_with_pending_messages_gets_them():
    from django.contrib.messages.storage.cookie import CookieStorage

    made = cycle(2025)
    make_result(made, "31.71", 720)
    Client().get("/dashboards/public/")
    visitor = Client()
    storage = CookieStorage(type("R", (), {"COOKIES": {}})())
    storage.add(20, "Pesan untuk pengunjung ini")
    response_cookie = storage._encode([m for m in storage._queued_messages])
    visitor.cookies["messages"] = response_cookie
    assert "Pesan untuk pengunjung ini" in visitor.get("/dashboards/public/").content.decode()
    assert "Pesan untuk pengunjung ini" not in Client().get("/dashboards/public/").content.decode()
