"""Reopening a verified checklist: who may, with a reason, on a confirmation page, audited, and what follows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.audit.models import AuditEvent
from layak.regions.models import Region
from layak.villages import rollup, selectors, services
from layak.villages.models import Checklist

from .factories import answer_all

KEC = "31.71.01"
DESA = "31.71.01.1001"
REASON = "The Perdes attached to 26.1 is a draft, not the signed regulation."


@pytest.fixture
def verified(world, desa_operator, region_coordinator):
    return answer_all(world, Region.objects.get(code=DESA), desa_operator, verify_by=region_coordinator)


def _yes_for_first_question(world) -> int:
    row = rollup.rollup_for_kabkota(cycle=world, region=Region.objects.get(code="31.71"))
    return next(r for r in row if r.level == 4).yes


def test_the_coordinator_reopens_with_a_reason_and_the_operator_can_answer_again(
    world, verified, desa_operator, region_coordinator
):
    assert _yes_for_first_question(world) == 1
    services.checklist_reopen(user=region_coordinator, checklist=verified, reason=f"  {REASON} ")
    checklist = Checklist.objects.get(pk=verified.pk)
    assert checklist.verified_at is None and checklist.submitted_at is None
    assert checklist.is_reopened and checklist.reopen_reason == REASON
    assert checklist.reopened_by == region_coordinator
    event = AuditEvent.objects.get(verb="villages.checklist_reopened")
    assert event.after == {"reason": REASON} and event.before["verified_by"] == region_coordinator.pk
    # the roll-up counts it no more until it is sent again
    assert _yes_for_first_question(world) == 0
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    services.checklist_answer_save(
        user=desa_operator, cycle=world, region=Region.objects.get(code=DESA), question=q, value=False
    )
    services.checklist_submit(user=desa_operator, cycle=world, region=Region.objects.get(code=DESA))
    checklist.refresh_from_db()
    assert not checklist.is_reopened and checklist.reopen_reason == REASON  # the last reason stays on record


def test_only_whoever_verifies_may_reopen(world, verified, desa_operator, outsider):
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, KEC)
    province = make_user_with_role("province_dki", Role.PROVINCE_COORDINATOR, "31")
    for user in (desa_operator, camat, province, outsider):
        with pytest.raises(PermissionDenied):
            services.checklist_reopen(user=user, checklist=verified, reason=REASON)
    assert Checklist.objects.get(pk=verified.pk).verified_at is not None


def test_a_reason_is_required_and_only_a_verified_checklist_reopens(world, verified, desa_operator, region_coordinator):
    with pytest.raises(ValidationError, match="Say why"):
        services.checklist_reopen(user=region_coordinator, checklist=verified, reason="   ")
    with pytest.raises(ValidationError, match="too long"):
        services.checklist_reopen(user=region_coordinator, checklist=verified, reason="x" * 2001)
    services.checklist_reopen(user=region_coordinator, checklist=verified, reason=REASON)
    with pytest.raises(ValidationError, match="not verified"):
        services.checklist_reopen(user=region_coordinator, checklist=verified, reason=REASON)
    assert AuditEvent.objects.filter(verb="villages.checklist_reopened").count() == 1


def test_no_reopening_once_the_self_assessment_is_closed(world, verified, region_coordinator):
    world.self_assessment_start = timezone.now() - timezone.timedelta(days=30)
    world.self_assessment_end = timezone.now() - timezone.timedelta(days=1)
    world.save()
    with pytest.raises(ValidationError, match="not open"):
        services.checklist_reopen(user=region_coordinator, checklist=verified, reason=REASON)


def test_the_database_refuses_a_reopening_without_reason(world, verified, region_coordinator):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Checklist.objects.filter(pk=verified.pk).update(reopened_at=timezone.now(), reopen_reason="")


def test_reopen_page_asks_first_then_the_operator_reads_why(world, verified, desa_operator, region_coordinator, login):
    url = reverse("villages:checklist_reopen", args=[DESA, world.pk])
    checklist_url = reverse("villages:checklist", args=[DESA, world.pk])
    coordinator = login(region_coordinator)
    assert url in coordinator.get(checklist_url).content.decode()
    page = coordinator.get(url)
    assert page.status_code == 200 and "What will happen" in page.content.decode()
    # without the confirmation or without a reason nothing changes
    assert coordinator.post(url, {"reason": REASON}).status_code == 400
    response = coordinator.post(url, {"reason": "", "confirmed": "yes"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert Checklist.objects.get(pk=verified.pk).verified_at is not None
    response = coordinator.post(url, {"reason": REASON, "confirmed": "yes"})
    assert response.status_code == 302 and response["Location"] == checklist_url
    operator = login(desa_operator)
    page = operator.get(checklist_url).content.decode()
    assert "Reopened by" in page and REASON in page and "Send to the regency/city" in page
    detail = operator.get(reverse("villages:area_detail", args=[DESA])).content.decode()
    assert REASON in detail
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    question_url = reverse("villages:checklist_question", args=[DESA, world.pk, q.pk])
    assert REASON in operator.get(question_url).content.decode()
    saved = operator.post(question_url, {"value": "no"}, headers={"X-Autosave": "1"})
    assert saved.status_code == 200
    home = operator.get(reverse("home")).content.decode()
    assert "The regency/city reopened the checklist of Gambir" in home


def test_the_operator_and_the_camat_get_404_from_the_reopen_page(world, verified, desa_operator, login):
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, KEC)
    url = reverse("villages:checklist_reopen", args=[DESA, world.pk])
    for user in (desa_operator, camat):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": REASON, "confirmed": "yes"}).status_code == 404
    assert Checklist.objects.get(pk=verified.pk).verified_at is not None


def test_an_unverified_checklist_sends_the_coordinator_back(world, desa_operator, region_coordinator, login):
    answer_all(world, Region.objects.get(code=DESA), desa_operator)
    url = reverse("villages:checklist_reopen", args=[DESA, world.pk])
    response = login(region_coordinator).post(url, {"reason": REASON, "confirmed": "yes"})
    assert response.status_code == 302
    assert Checklist.objects.get(region_id=DESA).submitted_at is not None


def test_renaming_whoever_reopened_shows_on_the_checklist_page(
    world, verified, desa_operator, region_coordinator, login
):
    services.checklist_reopen(user=region_coordinator, checklist=verified, reason=REASON)
    checklist_url = reverse("villages:checklist", args=[DESA, world.pk])
    operator = login(desa_operator)
    assert f"Reopened by {region_coordinator.display_name}" in operator.get(checklist_url).content.decode()
    region_coordinator.full_name = "Ibu Sari Wulandari"
    region_coordinator.save(update_fields=["full_name"])
    assert "Reopened by Ibu Sari Wulandari" in operator.get(checklist_url).content.decode()
