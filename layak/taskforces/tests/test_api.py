"""GET /api/v1/taskforces/{region_code}: the decree, members, gaps and meetings of a region in scope."""

from __future__ import annotations

import pytest

from layak.accounts.services import api_token_create

URL = "/api/v1/taskforces/31.71"


def test_a_region_user_reads_the_taskforce(login, opd_contributor, decree):
    body = login(opd_contributor).get(URL).json()
    assert body["decree"]["number"] == decree.number
    assert len(body["members"]) == 11 and body["gaps"] == []
    assert body["meetings"]["meetings"] == 0


def test_a_token_reads_gaps_for_another_year(client, region_coordinator, decree):
    key = api_token_create(user=region_coordinator, name="script")[1]
    body = client.get(f"{URL}?year=2030", headers={"Authorization": f"Bearer {key}"}).json()
    assert [g["code"] for g in body["gaps"]] == ["expired"]


@pytest.mark.parametrize("url", [URL, "/api/v1/taskforces/99.99", "/api/v1/taskforces/31"])
def test_outsider_and_unknown_regions_get_404(login, outsider, decree, url):
    assert login(outsider).get(url).status_code == 404


def test_anonymous_gets_401(client, decree):
    assert client.get(URL).status_code == 401
