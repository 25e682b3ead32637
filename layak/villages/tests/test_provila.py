import pytest

from layak.regions.models import Region
from layak.villages.provila import provila_condition

from .factories import answer_all, kla2024_cycle, make_subtree


@pytest.fixture
def world(db):
    make_subtree("31.71")
    return kla2024_cycle()


def test_areas_that_are_not_kelana_dekela_hold_the_province_back(world, region_coordinator):
    province = Region.objects.get(code="31")
    bands = {k.code: "pratama" for k in Region.objects.filter(parent=province)}
    condition = provila_condition(province=province, cycle=world, bands=bands)
    assert not condition.met and not condition.without_predicate
    assert [k.code for k in condition.with_areas_missing] == ["31.71"]
    gambir = Region.objects.get(code="31.71.01.1001")
    answer_all(world, gambir, region_coordinator, value=True, verify_by=region_coordinator)
    after = provila_condition(province=province, cycle=world, bands=bands)
    assert after.holding_areas_total == condition.holding_areas_total - 1
    assert gambir not in after.holding_areas


def test_a_kabkota_without_predicate_is_named(world):
    province = Region.objects.get(code="31")
    condition = provila_condition(province=province, cycle=world, bands={})
    assert [k.code for k in condition.without_predicate] == [k.code for k in Region.objects.filter(parent=province)]


def test_the_province_dashboard_shows_the_condition_to_its_people_only(world, province_verifier, client, login):
    from django.urls import reverse

    url = reverse("dashboards:province", args=["31"])
    page = login(province_verifier).get(url).content.decode()
    assert "Provinsi Layak Anak condition, with Kelana/Dekela" in page
    assert "hold the province back" in page and "Gambir" in page
    client.logout()
    assert "with Kelana/Dekela" not in client.get(url).content.decode()


def test_the_panel_is_shared_and_follows_a_verified_checklist(
    world, province_verifier, region_coordinator, client, login, django_assert_max_num_queries
):
    """The panel is rendered once for everyone who may see it; verifying an area's checklist shows at once."""
    from django.urls import reverse

    url = reverse("dashboards:province", args=["31"])
    viewer = login(province_verifier)
    before = viewer.get(url).content.decode()
    assert "Gambir" in before
    with django_assert_max_num_queries(6):  # session user, province, stamp, target (+ cycles when not cached)
        assert viewer.get(url).content.decode().count("Gambir") == before.count("Gambir")
    gambir = Region.objects.get(code="31.71.01.1001")
    answer_all(world, gambir, region_coordinator, value=True, verify_by=region_coordinator)
    after = viewer.get(url).content.decode()
    assert after.count("Gambir") < before.count("Gambir")
