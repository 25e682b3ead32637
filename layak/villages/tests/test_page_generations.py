"""The checklist and progress pages read no data of their own on a warm view (decision 0033): the area, the cycle,
the checklist and the body come from memory under generation counters, and every write path bumps them, so the
next view shows the change at once."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.evidence.models import Evidence, EvidenceKind
from layak.regions.models import Region
from layak.villages import selectors, services
from layak.villages.models import Checklist, ChecklistAnswer

from .factories import answer_all
from .test_pages import _answer_every_desa

DESA = "31.71.01.1001"


def _client(user, **kwargs) -> Client:
    """A new session of `user` (English, as the tests assert on the English msgids)."""
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _warm_count(user, url: str) -> tuple[int, int]:
    """(queries of a warm view of `url`, queries of a plain signed-in page) in a NEW session: what any signed-in
    page costs (session, user, grants, the header) is the floor the page must not rise above."""
    client = _client(user)
    assert client.get("/notifications/").status_code == 200  # the session's first request
    with CaptureQueriesContext(connection) as base:
        assert client.get("/notifications/").status_code == 200
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    return len(page.captured_queries), len(base.captured_queries)


def test_a_warm_checklist_page_reads_nothing_beyond_the_signed_in_base(world, desa_operator, region_coordinator):
    desa = Region.objects.get(code=DESA)
    answer_all(world, desa, desa_operator, submit=False)
    url = reverse("villages:checklist", args=[DESA, world.pk])
    warm_up = _client(region_coordinator)
    assert warm_up.get(url).status_code == 200  # an earlier visitor fills the shared caches
    page, base = _warm_count(desa_operator, url)
    assert page <= base
    assert _answer_every_desa(world, region_coordinator) > 30  # more data: still nothing of its own
    assert _warm_count(desa_operator, url)[0] <= base


def test_a_warm_progress_page_reads_nothing_beyond_the_signed_in_base(world, desa_operator, region_coordinator):
    answer_all(world, Region.objects.get(code=DESA), desa_operator)
    for code in ("31.71", "31"):
        url = reverse("villages:progress", args=[world.pk, code])
        warm_up = _client(region_coordinator)
        assert warm_up.get(url).status_code in (200, 404)
    url = reverse("villages:progress", args=[world.pk, "31.71"])
    page, base = _warm_count(region_coordinator, url)
    assert page <= base
    _answer_every_desa(world, region_coordinator)
    warm_up = _client(region_coordinator)
    warm_up.get(url)
    assert _warm_count(region_coordinator, url)[0] <= base


def test_every_write_of_the_checklist_shows_on_the_next_view(world, desa_operator, region_coordinator, login):
    desa = Region.objects.get(code=DESA)
    client = login(desa_operator)
    url = reverse("villages:checklist", args=[DESA, world.pk])

    def page() -> str:
        return client.get(url).content.decode()

    first, second = selectors.checklist_questions(cycle=world, level=4)[:2]
    assert "not answered" in page()
    services.checklist_answer_save(user=desa_operator, cycle=world, region=desa, question=first, value=True)
    assert page().count("<strong>Yes</strong>") == 1  # the operator's own answer, at once
    services.checklist_answer_save(user=desa_operator, cycle=world, region=desa, question=first, value=False)
    assert page().count("<strong>Yes</strong>") == 0 and page().count("<strong>No</strong>") == 1
    evidence = Evidence.objects.create(region=desa, title="SK", kind=EvidenceKind.LINK, url="https://example.org/sk")
    services.checklist_evidence_attach(user=desa_operator, cycle=world, region=desa, question=second, evidence=evidence)
    assert "document attached" in page()
    answer = ChecklistAnswer.objects.get(checklist__region=desa, question=first)
    answer.value = True
    answer.save()  # a one-off write outside the services (a shell, a data fix)
    assert page().count("<strong>Yes</strong>") == 1
    answer.delete()
    assert page().count("<strong>Yes</strong>") == 0
    checklist = answer_all(world, desa, desa_operator)
    assert "Sent to the regency/city on" in page() and "Send the changes again" in page()
    services.checklist_verify(user=region_coordinator, checklist=checklist)
    assert "Verified by the regency/city" in page() and "Send the changes again" not in page()
    services.checklist_reopen(user=region_coordinator, checklist=checklist, reason="Dokumen salah.")
    reopened = page()
    assert "Dokumen salah." in reopened and "Verified by the regency/city" not in reopened
    Checklist.objects.get(pk=checklist.pk).delete()
    assert "not answered" in page() and "Dokumen salah." not in page()


def test_the_cycle_and_the_area_names_follow_their_changes(world, desa_operator, region_coordinator, login):
    client = login(region_coordinator)
    checklist_url = reverse("villages:checklist", args=[DESA, world.pk])
    progress_url = reverse("villages:progress", args=[world.pk, "31.71"])
    assert world.name in client.get(checklist_url).content.decode()
    world.name = "KLA 2025 (diganti)"
    world.save()
    assert "KLA 2025 (diganti)" in client.get(checklist_url).content.decode()
    assert "KLA 2025 (diganti)" in client.get(progress_url).content.decode()
    for code, name in ((DESA, "Gambir Baru"), ("31.71", "Jakarta Pusat Baru")):
        region = Region.objects.get(code=code)
        region.name = name
        region.save()
    assert "Gambir Baru" in client.get(checklist_url).content.decode()
    assert "Jakarta Pusat Baru" in client.get(progress_url).content.decode()


def test_the_shared_body_holds_no_form_and_each_visitor_gets_their_own_token_and_buttons(
    world, desa_operator, region_coordinator
):
    desa = Region.objects.get(code=DESA)
    answer_all(world, desa, desa_operator)
    url = reverse("villages:checklist", args=[DESA, world.pk])
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, "31.71.01")
    pages = {}
    for user in (desa_operator, region_coordinator, camat):
        client = _client(user, enforce_csrf_checks=True)
        response = client.get(url)
        pages[user.username] = (response.content.decode(), response.cookies.get("csrftoken"))
    operator_page, operator_cookie = pages[desa_operator.username]
    coordinator_page, coordinator_cookie = pages[region_coordinator.username]
    camat_page, _cookie = pages[camat.username]
    body = operator_page.split('<p id="checklist-state">', 1)[1].split("</ol>", 1)[0]
    assert "csrfmiddlewaretoken" not in body and "<form" not in body
    assert "Send the changes again" in operator_page and "Verify this checklist" not in operator_page
    assert "Verify this checklist" in coordinator_page
    assert "Send the changes again" not in camat_page and "Verify this checklist" not in camat_page
    tokens = [
        page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        for page in (operator_page, coordinator_page)
    ]
    assert tokens[0] != tokens[1] and operator_cookie and coordinator_cookie


def test_the_operators_autosaved_answer_shows_on_the_list_at_once(world, desa_operator, login):
    client = login(desa_operator)
    url = reverse("villages:checklist", args=[DESA, world.pk])
    questions = selectors.checklist_questions(cycle=world, level=4)
    assert client.get(url).content.decode().count("not answered") == len(questions)
    for value, shown in (("yes", "<strong>Yes</strong>"), ("no", "<strong>No</strong>")):
        question_url = reverse("villages:checklist_question", args=[DESA, world.pk, questions[0].pk])
        saved = client.post(question_url, {"value": value, "note": ""}, headers={"X-Autosave": "1"})
        assert saved.status_code == 200
        page = client.get(url).content.decode()
        assert page.count(shown) == 1 and page.count("not answered") == len(questions) - 1
