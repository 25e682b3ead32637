"""Error pages speak the product's language in its layout; the 500 page needs no database."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from layak.common import errors


@pytest.mark.django_db
def test_a_missing_page_answers_in_indonesian_in_the_layout(client):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman ini tidak ada" in page and 'class="site-header"' in page


@pytest.mark.django_db
def test_a_refusal_says_why(login, region_coordinator):
    response = login(region_coordinator).get(reverse("evaluations:cycle_create"))
    assert response.status_code == 403
    assert "Only a national admin can open an evaluation cycle." in response.content.decode()


@pytest.mark.django_db
def test_a_get_to_a_form_only_address_goes_to_the_forms_page(login, region_coordinator):
    response = login(region_coordinator).get(reverse("accounts:api_token_create"))
    assert response.status_code == 302 and response.url == reverse("accounts:profile")


@pytest.mark.django_db
def test_another_method_gets_the_405_page(login, region_coordinator):
    response = login(region_coordinator).put(reverse("accounts:api_token_create"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "This address does not take that request" in response.content.decode()


def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query would fail this test.
    request = RequestFactory().get("/")
    with translation.override("id"):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan di pihak kami" in response.content.decode()


@pytest.mark.django_db
def test_the_400_page(rf):
    request = rf.get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    response = errors.bad_request(request)
    assert response.status_code == 400


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/regions/").status_code == 301
