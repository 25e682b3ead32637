"""The checklist and progress pages: fixed query counts whatever the number of desa, and cached fragments that
follow every change of what they show (decision 0016)."""

import re

from django.urls import reverse
from django.utils import timezone

from layak.common.generations import bump
from layak.regions.models import Region
from layak.villages import rollup, selectors, services
from layak.villages.models import Checklist, ChecklistAnswer

from .factories import answer_all

DESA = "31.71.01.1001"


def _answer_every_desa(cycle, user) -> int:
    """A sent checklist with every answer for every desa of 31.71 (bulk, as a large kab/kota would have)."""
    now = timezone.now()
    desa = list(Region.objects.filter(level=4, code__startswith="31.71.").exclude(code=DESA))
    Checklist.objects.bulk_create(
        [
            Checklist(cycle=cycle, region=d, kabkota_id="31.71", level=4, submitted_at=now, submitted_by=user)
            for d in desa
        ]
    )
    questions = selectors.checklist_questions(cycle=cycle, level=4)
    ChecklistAnswer.objects.bulk_create(
        [
            ChecklistAnswer(checklist=c, question=q, value=True, answered_by=user)
            for c in Checklist.objects.filter(cycle=cycle, kabkota_id="31.71").exclude(region_id=DESA)
            for q in questions
        ]
    )
    for place in rollup.progress_places("31.71"):  # a bulk write sends no model signal
        bump(rollup.progress_generation(cycle.pk, place))
    return len(desa)


def test_checklist_page_queries_do_not_grow_with_the_desa_of_the_region(
    world, desa_operator, region_coordinator, login, django_assert_max_num_queries
):
    answer_all(world, Region.objects.get(code=DESA), desa_operator, submit=False)
    client = login(desa_operator)
    url = reverse("villages:checklist", args=[DESA, world.pk])
    client.get(url)  # the first request of a session also writes the session
    bump("frameworks")  # cold fragment: the build's queries are counted too
    with django_assert_max_num_queries(9) as few:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) - 2):  # warm: the list is not read again
        assert client.get(url).status_code == 200
    assert _answer_every_desa(world, region_coordinator) > 30
    bump("frameworks")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_progress_page_queries_do_not_grow_with_the_desa_of_the_region(
    world, region_coordinator, login, django_assert_max_num_queries
):
    answer_all(world, Region.objects.get(code=DESA), region_coordinator)
    client = login(region_coordinator)
    url = reverse("villages:progress", args=[world.pk, "31.71"])
    client.get(url)
    bump("regions")
    with django_assert_max_num_queries(9) as few:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) - 3):  # warm: no table queries
        assert client.get(url).status_code == 200
    many = _answer_every_desa(world, region_coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    sent = re.findall(r'<td data-label="Villages sent" class="num">(\d+) / \d+</td>', page)
    assert sum(int(n) for n in sent) == many + 1  # the table is built anew for the new data


def test_the_checklist_page_shows_each_change_at_once(world, desa_operator, region_coordinator, login):
    desa = Region.objects.get(code=DESA)
    client = login(desa_operator)
    url = reverse("villages:checklist", args=[DESA, world.pk])
    assert "not answered" in client.get(url).content.decode()
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    services.checklist_answer_save(user=desa_operator, cycle=world, region=desa, question=q, value=True)
    page = client.get(url).content.decode()
    assert "<strong>Yes</strong>" in page
    answer_all(world, desa, desa_operator, verify_by=region_coordinator)
    assert "Verified by the regency/city" in client.get(url).content.decode()


def test_the_progress_table_follows_sending_verifying_and_reopening(
    world, desa_operator, region_coordinator, province_verifier, login
):
    desa = Region.objects.get(code=DESA)
    kabkota = login(region_coordinator)
    url = reverse("villages:progress", args=[world.pk, "31.71"])
    province_url = reverse("villages:progress", args=[world.pk, "31"])
    province = login(province_verifier)

    def gambir_row(page: str) -> str:
        return page.split('href="/villages/area/31.71.01/"', 1)[1].split("</tr>", 1)[0]

    def jakpus_row(page: str) -> str:
        return page.split(f'href="/villages/progress/{world.pk}/31.71/"', 1)[1].split("</tr>", 1)[0]

    assert '<td data-label="Villages verified" class="num">0</td>' in gambir_row(kabkota.get(url).content.decode())
    assert '<td data-label="Villages verified" class="num">0</td>' in jakpus_row(
        province.get(province_url).content.decode()
    )
    checklist = answer_all(world, desa, desa_operator, verify_by=region_coordinator)
    assert '<td data-label="Villages verified" class="num">1</td>' in gambir_row(kabkota.get(url).content.decode())
    assert '<td data-label="Villages verified" class="num">1</td>' in jakpus_row(
        province.get(province_url).content.decode()
    )
    services.checklist_reopen(user=region_coordinator, checklist=checklist, reason="Wrong document.")
    row = gambir_row(kabkota.get(url).content.decode())
    assert '<td data-label="Villages verified" class="num">0</td>' in row
    assert '<td data-label="Villages sent" class="num">0 /' in row
