"""Pages: coordinator, OPD contributor, outsider (404), anonymous (login redirect), and bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from layak.evaluations.choices import AssessmentStatus
from layak.evaluations.models import Answer, AnswerDraft, Assessment, Cycle, CycleExtension, IndicatorAssignment
from layak.evaluations.services import answer_save

from .factories import COMPLETE, attach_all_documents, attach_evidence, windows


def edit_url(assessment, code):
    return reverse("evaluations:answer_edit", args=[assessment.pk, code])


def detail_url(assessment):
    return reverse("evaluations:assessment_detail", args=[assessment.pk])


def form_data(values, revision=0, **extra):
    data = {f"v_{code}": ("true" if v is True else "false" if v is False else v) for code, v in values.items()}
    return {**data, "expected_revision": revision, "narrative_done": "", "narrative_todo": "", **extra}


# --- anonymous and outsider ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("cycle_list", []),
        ("cycle_create", []),
        ("assessment_detail", ["A"]),
        ("answer_edit", ["A", "K1"]),
        ("assessment_assign", ["A"]),
    ],
)
def test_anonymous_is_sent_to_login(client, assessment, name, args):
    url = reverse(f"evaluations:{name}", args=[assessment.pk if a == "A" else a for a in args])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name,args,method",
    [
        ("assessment_detail", [], "get"),
        ("answer_edit", ["K1"], "get"),
        ("answer_edit", ["K1"], "post"),
        ("answer_autosave", ["K1"], "post"),
        ("assessment_submit", [], "post"),
        ("assessment_assign", [], "get"),
    ],
)
def test_outsider_gets_404(login, outsider, assessment, name, args, method):
    url = reverse(f"evaluations:{name}", args=[assessment.pk, *args])
    response = getattr(login(outsider), method)(url, form_data({"perda_kla": True}) if method == "post" else None)
    assert response.status_code == 404
    assert not Answer.objects.exists() and not AnswerDraft.objects.exists()


def test_outsider_sees_the_cycle_but_none_of_its_assessments(login, outsider, assessment):
    response = login(outsider).get(reverse("evaluations:cycle_detail", args=[assessment.cycle.pk]))
    assert response.status_code == 200
    assert assessment.region.name not in response.content.decode()


# --- cycles --------------------------------------------------------------------------------------------------


def test_national_admin_opens_a_cycle_through_the_form(login, national_admin, framework):
    data = {"year": 2026, "name": "KLA 2026", "framework": framework.pk}
    for stage, (start, end) in windows().items():
        data[f"{stage}_start"] = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
        data[f"{stage}_end"] = timezone.localtime(end).strftime("%Y-%m-%dT%H:%M")
    response = login(national_admin).post(reverse("evaluations:cycle_create"), data)
    cycle = Cycle.objects.get(name="KLA 2026")
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()


@pytest.mark.parametrize("persona", ["region_coordinator", "outsider", "opd_contributor"])
def test_cycle_form_is_for_national_admins_only(login, request, persona):
    assert login(request.getfixturevalue(persona)).get(reverse("evaluations:cycle_create")).status_code == 403


def test_national_admin_grants_an_extension_from_the_cycle_page(login, national_admin, assessment):
    cycle = assessment.cycle
    client = login(national_admin)
    page = client.get(cycle.get_absolute_url())
    assert "Grant a deadline extension" in page.content.decode()
    until = timezone.localtime(cycle.self_assessment_end + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("evaluations:cycle_extension_create", args=[cycle.pk]),
        {"region": "31.71", "stage": "self_assessment", "extended_until": until, "reason": "Banjir"},
    )
    assert response.status_code == 302
    assert CycleExtension.objects.get().reason == "Banjir"


def test_cycle_page_lists_assessments_by_province_in_bounded_queries(
    login, region_coordinator, province_verifier, assessment, django_assert_max_num_queries
):
    from layak.regions.tests.factories import make_region

    for code in ("31.72", "31.73", "31.74"):
        Assessment.objects.create(cycle=assessment.cycle, region=make_region(code))
    client = login(province_verifier)
    with django_assert_max_num_queries(8):
        response = client.get(assessment.cycle.get_absolute_url())
    body = response.content.decode()
    assert "Daerah Khusus Ibukota Jakarta" in body and body.count("ev-status-draft") >= 4


# --- overview ------------------------------------------------------------------------------------------------


def test_coordinator_sees_every_indicator_progress_and_the_self_score(
    login, region_coordinator, assessment, indicators
):
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        values=COMPLETE["K1"],
        expected_revision=0,
    )
    attach_evidence(assessment, indicators["K1"], element_code="policy_docs")
    body = login(region_coordinator).get(detail_url(assessment)).content.decode()
    for code in ("K1", "I1", "I2"):
        assert edit_url(assessment, code) in body
    assert "Self-score" in body and "provisional weights" in body
    assert "400.00" in body  # K1 fully met
    assert "Submit the self-assessment" in body


def test_contributor_sees_only_assigned_indicators_and_no_total(login, opd_contributor, assessment, dinkes_assignment):
    response = login(opd_contributor).get(detail_url(assessment))
    body = response.content.decode()
    assert edit_url(assessment, "I1") in body
    assert edit_url(assessment, "K1") not in body and "/ 1000" not in body  # no region total for an OPD
    assert "Self-score of Dinkes" in body  # but the score of what their OPD owns
    assert "Submit the self-assessment" not in body
    assert login(opd_contributor).get(edit_url(assessment, "K1")).status_code == 404


def test_submit_refusal_lists_what_is_missing(login, region_coordinator, assessment):
    response = login(region_coordinator).post(
        reverse("evaluations:assessment_submit", args=[assessment.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "items are missing before you can submit" in body and "attach the evidence" in body


def test_coordinator_submits_a_complete_assessment(login, region_coordinator, assessment, indicators):
    for code, values in COMPLETE.items():
        answer_save(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators[code],
            values=values,
            expected_revision=0,
        )
    attach_all_documents(assessment, indicators)
    client = login(region_coordinator)
    response = client.post(reverse("evaluations:assessment_submit", args=[assessment.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    page = client.get(edit_url(assessment, "K1")).content.decode()
    assert "<fieldset disabled>" in page and "Save</button>" not in page


def test_coordinator_assigns_an_indicator_to_an_opd(login, region_coordinator, opd_contributor, assessment, indicators):
    agency = opd_contributor.roles.get().agency
    url = reverse("evaluations:assessment_assign", args=[assessment.pk])
    response = login(region_coordinator).post(url, {f"agency_{indicators['I2'].pk}": agency.pk})
    assert response.status_code == 302
    assert IndicatorAssignment.objects.get().indicator == indicators["I2"]


def test_contributor_cannot_open_the_assignment_page(login, opd_contributor, assessment):
    assert login(opd_contributor).get(reverse("evaluations:assessment_assign", args=[assessment.pk])).status_code == 403


# --- indicator form ------------------------------------------------------------------------------------------


def test_form_shows_units_help_required_markers_and_narratives(login, region_coordinator, assessment):
    body = login(region_coordinator).get(edit_url(assessment, "I1")).content.decode()
    assert "(children)" in body and "ev-required" in body
    assert "What has been done" in body and "What has not been done yet" in body
    assert 'name="expected_revision" value="0"' in body


def test_contributor_saves_an_assigned_indicator(login, opd_contributor, assessment, dinkes_assignment):
    response = login(opd_contributor).post(
        edit_url(assessment, "I1"),
        form_data({"children_total": "100", "children_with_akta": "90"}, narrative_done="Data dari Dukcapil"),
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.values == {"children_total": "100", "children_with_akta": "90"}
    assert answer.narrative_done == "Data dari Dukcapil"


def test_invalid_values_are_shown_on_their_fields(login, region_coordinator, assessment):
    response = login(region_coordinator).post(
        edit_url(assessment, "I1"), form_data({"children_total": "10", "children_with_akta": "11"})
    )
    assert response.status_code == 200
    assert "This cannot be more than" in response.content.decode()
    assert not Answer.objects.exists()


def test_stale_save_shows_both_versions_and_saving_again_keeps_mine(login, region_coordinator, assessment, indicators):
    answer_save(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["I2"],
        values={"immunisation_pct": "80"},
        expected_revision=0,
    )
    client = login(region_coordinator)
    response = client.post(edit_url(assessment, "I2"), form_data({"immunisation_pct": "85"}, revision=0))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this indicator" in body and "80 %" in body and "85 %" in body
    assert 'name="expected_revision" value="1"' in body
    again = client.post(edit_url(assessment, "I2"), form_data({"immunisation_pct": "85"}, revision=1))
    assert again.status_code == 302 and Answer.objects.get().values == {"immunisation_pct": "85"}


def test_autosave_then_reload_restores_the_draft(login, region_coordinator, assessment):
    client = login(region_coordinator)
    response = client.post(
        reverse("evaluations:answer_autosave", args=[assessment.pk, "I2"]),
        form_data({"immunisation_pct": "9"}, narrative_todo="posyandu belum"),
    )
    assert response.status_code == 200 and "Draft saved at" in response.content.decode()
    body = client.get(edit_url(assessment, "I2")).content.decode()
    assert "Restored your unsaved draft from" in body and 'value="9"' in body and "posyandu belum" in body


def test_contributor_cannot_autosave_an_unassigned_indicator(login, opd_contributor, assessment, dinkes_assignment):
    url = reverse("evaluations:answer_autosave", args=[assessment.pk, "K1"])
    assert login(opd_contributor).post(url, form_data({})).status_code == 404
