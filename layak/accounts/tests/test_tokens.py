import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from layak.accounts.api_auth import TokenAuth
from layak.accounts.models import ApiToken
from layak.accounts.services import api_token_create, api_token_hash, api_token_revoke
from layak.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _authenticate(raw_key: str):
    request = RequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return TokenAuth()(request), request


def test_created_token_is_stored_as_a_hash_only(region_coordinator):
    token, raw_key = api_token_create(user=region_coordinator, name="import script")
    assert raw_key.startswith(token.prefix)
    assert token.key_hash == api_token_hash(raw_key)
    assert raw_key not in {token.key_hash, token.prefix}
    assert AuditEvent.objects.filter(verb="api_token.created", target_id=str(token.pk)).count() == 1


def test_token_auth_returns_the_owner_and_sets_request_user(region_coordinator):
    _token, raw_key = api_token_create(user=region_coordinator, name="import script")
    user, request = _authenticate(raw_key)
    assert user == region_coordinator
    assert request.user == region_coordinator
    assert ApiToken.objects.get().last_used_at is not None


def test_token_auth_refuses_a_revoked_token(region_coordinator):
    token, raw_key = api_token_create(user=region_coordinator, name="old")
    api_token_revoke(user=region_coordinator, token=token)
    assert _authenticate(raw_key)[0] is None
    assert AuditEvent.objects.filter(verb="api_token.revoked").count() == 1


def test_token_auth_refuses_an_unknown_key_and_an_inactive_user(region_coordinator):
    _token, raw_key = api_token_create(user=region_coordinator, name="x")
    assert _authenticate(raw_key + "x")[0] is None
    region_coordinator.is_active = False
    region_coordinator.save()
    assert _authenticate(raw_key)[0] is None


def test_outsider_cannot_revoke_someone_elses_token(region_coordinator, outsider):
    token, _raw_key = api_token_create(user=region_coordinator, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=outsider, token=token)


def test_revoking_twice_is_refused(region_coordinator):
    token, _raw_key = api_token_create(user=region_coordinator, name="x")
    api_token_revoke(user=region_coordinator, token=token)
    with pytest.raises(ValidationError):
        api_token_revoke(user=region_coordinator, token=token)


def test_a_token_needs_a_name(region_coordinator):
    with pytest.raises(ValidationError):
        api_token_create(user=region_coordinator, name="   ")


def test_profile_creates_a_token_and_shows_the_key_once(login, region_coordinator):
    client = login(region_coordinator)
    response = client.post(
        reverse("accounts:api_token_create"), {"name": "monthly import", "scope": "read", "days": "30"}
    )
    assert response.status_code == 200
    raw_key = response.context["new_key"]
    assert raw_key in response.content.decode()
    assert _authenticate(raw_key)[0] == region_coordinator
    assert raw_key not in client.get(reverse("accounts:profile")).content.decode()


def test_profile_refuses_a_token_without_a_name(login, region_coordinator):
    response = login(region_coordinator).post(reverse("accounts:api_token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_profile_revokes_my_token(login, region_coordinator):
    token, raw_key = api_token_create(user=region_coordinator, name="x")
    response = login(region_coordinator).post(
        reverse("accounts:api_token_revoke", args=[token.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert _authenticate(raw_key)[0] is None


def test_outsider_gets_404_revoking_another_users_token(login, region_coordinator, outsider):
    token, raw_key = api_token_create(user=region_coordinator, name="x")
    response = login(outsider).post(reverse("accounts:api_token_revoke", args=[token.pk]), {"confirmed": "yes"})
    assert response.status_code == 404
    assert _authenticate(raw_key)[0] == region_coordinator


def test_anonymous_is_sent_to_login_for_token_pages(client, region_coordinator):
    token, _raw_key = api_token_create(user=region_coordinator, name="x")
    for url in [reverse("accounts:api_token_create"), reverse("accounts:api_token_revoke", args=[token.pk])]:
        response = client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_read_token_reads_but_may_not_write(client, region_coordinator):
    from layak.regions.tests.factories import make_region

    make_region("31.71")
    _token, raw_key = api_token_create(user=region_coordinator, name="reader", scope="read")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}
    assert client.get("/api/v1/results", **auth).status_code == 200
    refused = client.post(
        "/api/v1/evidence/uploads",
        {"region": "31.71", "filename": "a.pdf", "size": 10},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403 and "may only read" in refused.json()["detail"]


def test_an_expired_token_no_longer_works(region_coordinator):
    from datetime import timedelta

    from django.utils import timezone

    token, raw_key = api_token_create(user=region_coordinator, name="old", days=1)
    assert _authenticate(raw_key)[0] == region_coordinator
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _authenticate(raw_key)[0] is None


@pytest.mark.parametrize(("scope", "days"), [("admin", 30), ("read", 0), ("write", 366)])
def test_scope_and_lifetime_are_checked(region_coordinator, scope, days):
    with pytest.raises(ValidationError):
        api_token_create(user=region_coordinator, name="x", scope=scope, days=days)


def test_the_profile_form_makes_a_read_token_that_expires(login, region_coordinator):
    client = login(region_coordinator)
    client.post(reverse("accounts:api_token_create"), {"name": "reader", "scope": "read", "days": "30"})
    token = ApiToken.objects.get(name="reader")
    assert token.scope == "read" and 29 <= (token.expires_at - token.created_at).days <= 30
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Read only" in page
