import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from layak.accounts.choices import Role
from layak.accounts.tests.factories import make_user_with_role
from layak.audit.models import AuditEvent
from layak.participation.models import Forum
from layak.regions.models import Region
from layak.villages import selectors, services
from layak.villages.models import ChecklistAnswer

from .factories import answer_all

KEC = "31.71.01"
DESA = "31.71.01.1001"
OTHER_DESA = "31.71.01.1002"


def test_a_desa_answers_only_the_questions_flagged_for_desa(world):
    questions = selectors.checklist_questions(cycle=world, level=4)
    assert questions and all(q.for_desa and q.indicator.code == "26" for q in questions)
    kecamatan = selectors.checklist_questions(cycle=world, level=3)
    assert kecamatan and all(q.for_kecamatan and q.indicator.code == "25" for q in kecamatan)


def test_the_operator_answers_and_every_change_is_audited(world, desa_operator):
    desa = Region.objects.get(code=DESA)
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    services.checklist_answer_save(
        user=desa_operator, cycle=world, region=desa, question=q, value=True, note="Perdes 3/2024"
    )
    services.checklist_answer_save(user=desa_operator, cycle=world, region=desa, question=q, value=False)
    assert ChecklistAnswer.objects.get().value is False
    assert AuditEvent.objects.filter(verb="villages.answer_saved").count() == 2


def test_another_desa_a_camat_and_the_outsider_cannot_answer(world, desa_operator, outsider):
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, KEC)
    other = Region.objects.get(code=OTHER_DESA)
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    for user in (desa_operator, camat, outsider):
        with pytest.raises(PermissionDenied):
            services.checklist_answer_save(user=user, cycle=world, region=other, question=q, value=True)


def test_a_kecamatan_question_is_refused_on_a_desa_checklist(world, desa_operator):
    q = selectors.checklist_questions(cycle=world, level=3)[0]
    with pytest.raises(ValidationError):
        services.checklist_answer_save(
            user=desa_operator, cycle=world, region=Region.objects.get(code=DESA), question=q, value=True
        )


def test_submit_needs_every_answer_and_verified_locks(world, desa_operator, region_coordinator):
    desa = Region.objects.get(code=DESA)
    with pytest.raises(ValidationError, match="still open"):
        services.checklist_submit(user=desa_operator, cycle=world, region=desa)
    answer_all(world, desa, desa_operator, verify_by=region_coordinator)
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    with pytest.raises(ValidationError, match="verified"):
        services.checklist_answer_save(user=desa_operator, cycle=world, region=desa, question=q, value=False)


def test_question_page_autosaves_and_offers_the_forum_anak_register(world, desa_operator, region_coordinator, login):
    desa = Region.objects.get(code=DESA)
    Forum.objects.create(kabkota_id="31.71", region=desa, level=4, name="Forum Anak Kelurahan Gambir")
    forum_question = next(q for q in selectors.checklist_questions(cycle=world, level=4) if q.full_code == "26.4")
    url = reverse("villages:checklist_question", args=[DESA, world.pk, forum_question.pk])
    client = login(desa_operator)
    page = client.get(url).content.decode()
    assert "Forum Anak Kelurahan Gambir" in page
    response = client.post(url, {"value": "yes", "note": "", "use_offer": "True"}, headers={"X-Autosave": "1"})
    assert response.status_code == 200 and response.json()["detail"] == "Saved."
    answer = ChecklistAnswer.objects.get()
    assert answer.value is True and "Forum Anak register" in answer.source


def test_pages_answer_404_outside_the_area(world, desa_operator, login, outsider):
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    client = login(desa_operator)
    assert client.get(reverse("villages:checklist", args=[DESA, world.pk])).status_code == 200
    assert client.get(reverse("villages:checklist", args=[OTHER_DESA, world.pk])).status_code == 404
    url = reverse("villages:checklist_question", args=[OTHER_DESA, world.pk, q.pk])
    assert client.post(url, {"value": "yes"}).status_code == 404
    assert client.get(reverse("villages:rollup", args=["31.71", world.pk])).status_code == 404
    client = login(outsider)
    assert client.get(reverse("villages:checklist", args=[DESA, world.pk])).status_code == 404


def test_the_camat_reads_its_desa_checklist_without_answering(world, login):
    camat = make_user_with_role("camat_gambir", Role.KECAMATAN_OPERATOR, KEC)
    page = login(camat).get(reverse("villages:checklist", args=[DESA, world.pk])).content.decode()
    assert "Send to the regency/city" not in page


def test_checklist_page_query_count_is_fixed(world, desa_operator, login, django_assert_max_num_queries):
    answer_all(world, Region.objects.get(code=DESA), desa_operator, submit=False)
    client = login(desa_operator)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("villages:checklist", args=[DESA, world.pk])).status_code == 200


def test_the_coordinator_reminds_those_who_have_not_answered(world, desa_operator, region_coordinator, login):
    from layak.notifications.models import Notification

    other = make_user_with_role("operator_cideng", Role.DESA_OPERATOR, OTHER_DESA)
    answer_all(world, Region.objects.get(code=DESA), desa_operator)
    response = login(region_coordinator).post(reverse("villages:remind", args=["31.71", world.pk]))
    assert response.status_code == 302
    assert list(Notification.objects.values_list("user_id", flat=True)) == [other.pk]


def test_home_sends_the_operator_to_the_checklist(world, desa_operator, login):
    page = login(desa_operator).get(reverse("home")).content.decode()
    assert "Answer and send the checklist of Gambir" in page
    assert reverse("villages:checklist", args=[DESA, world.pk]) in page


def test_answers_are_refused_outside_the_self_assessment_window(world, desa_operator):
    from django.utils import timezone

    world.self_assessment_end = timezone.now() - timezone.timedelta(days=1)
    world.self_assessment_start = timezone.now() - timezone.timedelta(days=30)
    world.save()
    q = selectors.checklist_questions(cycle=world, level=4)[0]
    with pytest.raises(ValidationError, match="not open"):
        services.checklist_answer_save(
            user=desa_operator, cycle=world, region=Region.objects.get(code=DESA), question=q, value=True
        )
