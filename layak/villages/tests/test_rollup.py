from decimal import Decimal

import pytest
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.evaluations.prefill import computed_values
from layak.frameworks.models import Question
from layak.regions.models import Region
from layak.villages import rollup

from .factories import answer_all, kla2024_cycle, make_subtree


@pytest.fixture
def world(db):
    make_subtree("31.71")
    return kla2024_cycle()


def _desa(n):
    return list(Region.objects.filter(code__startswith="31.71.", level=4).order_by("code")[:n])


def test_percentages_count_every_desa_of_the_region_as_the_denominator(world, region_coordinator):
    first, second, third = _desa(3)
    answer_all(world, first, region_coordinator, value=True)
    answer_all(world, second, region_coordinator, value=False)
    answer_all(world, third, region_coordinator, value=True, submit=False)  # not submitted: does not count
    total = Region.objects.filter(code__startswith="31.71.", level=4).count()
    rows = {
        r.question.full_code: r for r in rollup.rollup_for_kabkota(cycle=world, region=Region.objects.get(code="31.71"))
    }
    forum = rows["26.4"]
    assert (forum.yes, forum.answered, forum.total) == (1, 2, total)
    assert forum.percent == (Decimal(100) / total).quantize(Decimal("0.01"))
    assert rows["25.2"].total == Region.objects.filter(code__startswith="31.71.", level=3).count()
    assert rows["25.2"].answered == 0


def test_the_self_assessment_is_offered_the_percentage_with_its_provenance(world, region_coordinator):
    answer_all(world, _desa(1)[0], region_coordinator)
    values = computed_values(Region.objects.get(code="31.71"), world.year)
    offered = values["villages.26.4"]
    assert offered.value > 0 and "answered yes" in offered.source and offered.url
    assert "villages.25.2" not in values  # no kecamatan has answered yet: nothing offered
    keyed = set(
        Question.objects.filter(indicator__version=world.framework)
        .exclude(computed_key="")
        .values_list("computed_key", flat=True)
    )
    assert "villages.26.4" in keyed and "villages.25.2" in keyed


def test_rollup_all_matches_the_single_kabkota_and_runs_fixed_queries(
    world, region_coordinator, django_assert_num_queries
):
    make_subtree("31.75")
    answer_all(world, _desa(1)[0], region_coordinator)
    with django_assert_num_queries(4):
        everything = rollup.rollup_all(cycle=world)
    one = rollup.rollup_for_kabkota(cycle=world, region=Region.objects.get(code="31.71"))
    assert [(r.yes, r.total) for r in everything["31.71"]] == [(r.yes, r.total) for r in one]
    assert all(r.yes == 0 for r in everything["31.75"])


def test_rollup_page_lists_areas_behind_and_progress(world, region_coordinator, login, django_assert_max_num_queries):
    answer_all(world, _desa(1)[0], region_coordinator)
    client = login(region_coordinator)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("villages:rollup", args=["31.71", world.pk]))
    assert page.status_code == 200
    q = Question.objects.get(indicator__version=world.framework, indicator__code="26", code="4")
    detail = client.get(reverse("villages:rollup_detail", args=["31.71", world.pk, q.pk])).content.decode()
    assert "not answered (counted as no)" in detail


def test_progress_for_province_and_nation(world, region_coordinator, province_verifier, national_admin, login):
    answer_all(world, _desa(1)[0], region_coordinator, verify_by=region_coordinator)
    page = login(province_verifier).get(reverse("villages:progress", args=[world.pk, "31"]))
    assert page.status_code == 200 and "Jakarta Pusat" in page.content.decode()
    assert login(province_verifier).get(reverse("villages:progress_national", args=[world.pk])).status_code == 404
    assert login(national_admin).get(reverse("villages:progress_national", args=[world.pk])).status_code == 200
    rows = {p.code: p for p in rollup.progress_children(cycle=world, parent=Region.objects.get(code="31"))}
    assert (rows["31.71"].desa_submitted, rows["31.71"].desa_verified) == (1, 1)


def test_the_camat_sees_its_desa_in_the_kecamatan_page(world, login):
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, "31.71.01")
    page = login(camat).get(reverse("villages:area_detail", args=["31.71.01"])).content.decode()
    assert "Gambir" in page and "Cideng" in page


def test_progress_map_points_of_a_kabkota_are_its_desa_with_their_checklist_state(
    world, region_coordinator, login, django_assert_max_num_queries
):
    first, second, third = _desa(3)
    Region.objects.filter(code__in=[first.code, second.code]).update(
        latitude=Decimal("-6.17"), longitude=Decimal("106.82")
    )
    answer_all(world, first, region_coordinator, verify_by=region_coordinator)
    answer_all(world, third, region_coordinator)  # sent, but without a point: not drawn
    client = login(region_coordinator)
    url = reverse("villages:progress_points", args=[world.pk, "31.71"])
    client.get(url)  # the first request of a session also writes the session

    with django_assert_max_num_queries(12) as few:
        data = client.get(url).json()
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]
    assert [(r["code"], r["state"]) for r in rows] == [(first.code, 2), (second.code, 0)]
    assert rows[0]["lat"] == -6.17 and rows[0]["name"] == first.name
    all_desa = Region.objects.filter(code__startswith="31.71.", level=4)
    all_desa.update(latitude=Decimal("-6.2"), longitude=Decimal("106.8"))
    every = all_desa.count()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["rows"]) == every
    page = client.get(reverse("villages:progress", args=[world.pk, "31.71"])).content.decode()
    assert 'id="progress-map"' in page and url in page


def test_progress_map_points_of_a_province_are_its_kabkota_with_their_shares(
    world, region_coordinator, province_verifier, login
):
    answer_all(world, _desa(1)[0], region_coordinator)
    Region.objects.filter(code="31.71").update(latitude=Decimal("-6.18"), longitude=Decimal("106.83"))
    data = login(province_verifier).get(reverse("villages:progress_points", args=[world.pk, "31"])).json()
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["rows"]]
    total = Region.objects.filter(code__startswith="31.71.", level=4).count()
    assert [(r["code"], r["desa"], r["answered"], r["verified"]) for r in rows] == [("31.71", total, 1, 0)]
