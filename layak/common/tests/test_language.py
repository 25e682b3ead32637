import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_indonesian_is_the_default_even_for_an_english_browser(client):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert b'<html lang="id">' in response.content


@pytest.mark.django_db
def test_the_language_switch_changes_the_language_for_later_pages(client):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("home"))
    assert page.headers["Content-Language"] == "en"
    assert b'<html lang="en">' in page.content


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("home")).headers["Content-Language"] == "id"
