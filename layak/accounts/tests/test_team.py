"""Coordinators open and close their team's accounts; nobody else can; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment, User
from layak.accounts.tests.factories import make_agency, make_user_with_role
from layak.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinsos(region_coordinator):
    return make_agency("31.71", "Dinas Sosial", "Dinsos")


def test_the_coordinator_opens_an_opd_account_with_a_one_time_password_link(login, region_coordinator, dinsos):
    client = login(region_coordinator)
    url = reverse("accounts:team", args=["31.71"])
    response = client.post(url, {"full_name": "Sari", "username": "sari_dinsos", "agency": dinsos.pk}, follow=True)
    page = response.content.decode()
    person = User.objects.get(username="sari_dinsos")
    assert not person.has_usable_password() and "/accounts/password/reset/" in page
    assert RoleAssignment.objects.filter(user=person, role=Role.OPD_CONTRIBUTOR, agency=dinsos).exists()
    assert AuditEvent.objects.filter(verb="account.created", target_id=str(person.pk)).exists()
    assert "Sari" in client.get(url).content.decode()


def test_a_taken_username_is_refused_in_words(login, region_coordinator, dinsos):
    response = login(region_coordinator).post(
        reverse("accounts:team", args=["31.71"]),
        {"full_name": "X", "username": "koordinator_jakpus", "agency": dinsos.pk},
    )
    assert response.status_code == 400 and "is taken" in response.content.decode()


def test_deactivation_asks_first_then_blocks_sign_in(login, region_coordinator, opd_contributor):
    client = login(region_coordinator)
    url = reverse("accounts:team_member_deactivate", args=[opd_contributor.pk])
    assert "They can no longer sign in." in client.post(url).content.decode()
    opd_contributor.refresh_from_db()
    assert opd_contributor.is_active
    client.post(url, {"confirmed": "yes"})
    opd_contributor.refresh_from_db()
    assert not opd_contributor.is_active
    assert AuditEvent.objects.filter(verb="account.deactivated").exists()
    client.post(reverse("accounts:team_member_activate", args=[opd_contributor.pk]))
    opd_contributor.refresh_from_db()
    assert opd_contributor.is_active


def test_the_province_coordinator_manages_the_verifier_team(login, province_verifier):
    coordinator = make_user_with_role("koordinator_dki", Role.PROVINCE_COORDINATOR, "31")
    client = login(coordinator)
    page = client.get(reverse("accounts:team", args=["31"])).content.decode()
    assert province_verifier.display_name in page
    client.post(reverse("accounts:team", args=["31"]), {"full_name": "Budi", "username": "budi_verif"})
    assert RoleAssignment.objects.filter(
        user__username="budi_verif", role=Role.PROVINCE_VERIFIER, region_id="31"
    ).exists()


def test_others_get_404(login, outsider, province_verifier, opd_contributor, region_coordinator):
    for user in (outsider, province_verifier, opd_contributor):
        client = login(user)
        assert client.get(reverse("accounts:team", args=["31.71"])).status_code == 404
        url = reverse("accounts:team_member_deactivate", args=[opd_contributor.pk])
        assert client.post(url, {"confirmed": "yes"}).status_code == 404
    opd_contributor.refresh_from_db()
    assert opd_contributor.is_active
