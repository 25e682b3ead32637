"""Every action that cannot be undone asks first, on a page that works without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from layak.accounts.services import api_token_create

# URL names of the actions that cannot be undone (or destroy something), each behind `confirm_first`.
IRREVERSIBLE = [
    ("evaluations:assessment_submit", {"pk": 1}),
    ("evaluations:answer_evidence_unlink", {"pk": 1, "code": "K1", "link_id": 1}),
    ("evaluations:answer_draft_discard", {"pk": 1, "code": "K1"}),
    ("reviews:assessment_transition", {"pk": 1}),
    ("reviews:cycle_publish", {"pk": 1}),
    ("reviews:reviewer_unassign", {"pk": 1, "assignment_id": 1}),
    ("accounts:api_token_revoke", {"pk": 1}),
    ("trainings:participant_remove", {"pk": 1, "participant_id": 1}),
]


@pytest.mark.parametrize(("name", "kwargs"), IRREVERSIBLE)
def test_every_irreversible_action_is_behind_the_confirmation_step(name, kwargs):
    assert getattr(resolve(reverse(name, kwargs=kwargs)).func, "confirms", False), name


@pytest.mark.django_db
def test_an_unconfirmed_post_asks_and_changes_nothing(login, region_coordinator):
    token, _key = api_token_create(user=region_coordinator, name="script")
    client = login(region_coordinator)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    response = client.post(url, {"extra": "kept"}, HTTP_REFERER="http://testserver/accounts/profile/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Every script that uses it stops working at once." in page
    assert 'name="confirmed" value="yes"' in page and 'name="extra" value="kept"' in page
    assert 'href="http://testserver/accounts/profile/"' in page  # "No, go back"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_the_way_back_never_leaves_the_site(login, region_coordinator):
    token, _key = api_token_create(user=region_coordinator, name="script")
    page = login(region_coordinator).post(
        reverse("accounts:api_token_revoke", args=[token.pk]), HTTP_REFERER="https://evil.example/"
    )
    assert "evil.example" not in page.content.decode()


@pytest.mark.django_db
def test_an_outsider_gets_no_confirmation_page(login, outsider, region_coordinator):
    token, _key = api_token_create(user=region_coordinator, name="script")
    assert login(outsider).post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
