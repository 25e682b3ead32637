import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.models import RoleAssignment
from layak.regions.tests.factories import make_region

pytestmark = pytest.mark.django_db


def test_anonymous_home_explains_layak_and_offers_login(client):
    page = client.get(reverse("home")).content.decode()
    assert "Kabupaten/Kota Layak Anak" in page
    assert reverse("accounts:login") in page


def test_signed_in_home_lists_my_roles_with_links_to_my_regions(
    login, region_coordinator, opd_contributor, django_assert_max_num_queries
):
    client = login(opd_contributor)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("home")).content.decode()
    assert reverse("regions:region_detail", args=["31.71"]) in page
    assert "Dinas Kesehatan" in page


def test_home_query_count_does_not_grow_with_roles(login, region_coordinator):
    client = login(region_coordinator)
    client.get(reverse("home"))  # the grants and the unread count read once, then from the cache
    with CaptureQueriesContext(connection) as one_role:
        client.get(reverse("home"))
    for code in ["31.72", "31.73", "31.74"]:
        RoleAssignment.objects.create(user=region_coordinator, role=Role.REGION_COORDINATOR, region=make_region(code))
    client.get(reverse("home"))  # the changed grants read once
    with CaptureQueriesContext(connection) as four_roles:
        client.get(reverse("home"))
    assert len(four_roles.captured_queries) == len(one_role.captured_queries)


def test_outsider_home_shows_only_their_own_region(login, outsider, region_coordinator):
    page = login(outsider).get(reverse("home")).content.decode()
    assert "Kota Banjarmasin" in page
    assert reverse("regions:region_detail", args=["31.71"]) not in page
