"""Services: who may do what, windows and extensions, the edit conflict, submission and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layak.audit.models import AuditEvent
from layak.evaluations.choices import AssessmentStatus, Stage
from layak.evaluations.models import Answer, AnswerDraft, Assessment
from layak.evaluations.selectors import stage_is_open
from layak.evaluations.services import (
    ConflictError,
    SubmissionIncomplete,
    answer_draft_autosave,
    answer_save,
    assessment_submit,
    cycle_extension_grant,
    cycle_open,
    indicator_assign,
)
from layak.regions.tests.factories import make_region

from .factories import (
    COMPLETE,
    attach_all_documents,
    attach_evidence,
    make_assessment,
    make_cycle,
    make_framework,
    windows,
)


def save(user, assessment, indicator, values, expected=0, **narratives):
    return answer_save(
        user=user, assessment=assessment, indicator=indicator, values=values, expected_revision=expected, **narratives
    )


def fill_all(user, assessment, indicators):
    for code, values in COMPLETE.items():
        save(user, assessment, indicators[code], values)
    attach_all_documents(assessment, indicators)


# --- cycle_open ----------------------------------------------------------------------------------------------


def test_cycle_open_freezes_the_framework_and_creates_one_assessment_per_kabkota(
    national_admin, framework, django_assert_max_num_queries
):
    for code in ("31.71", "31.72", "31.73", "31.74", "31.75", "63.71"):
        make_region(code)
    with django_assert_max_num_queries(10):
        cycle = cycle_open(user=national_admin, year=2025, name="KLA 2025", framework=framework, windows=windows())
    framework.refresh_from_db()
    assert framework.is_frozen
    assert set(Assessment.objects.filter(cycle=cycle).values_list("region_id", flat=True)) == {
        "31.71",
        "31.72",
        "31.73",
        "31.74",
        "31.75",
        "63.71",
    }
    assert AuditEvent.objects.filter(verb="cycle.opened", target_id=str(cycle.pk)).exists()


def test_cycle_open_query_count_does_not_grow_with_regions(national_admin, framework):
    def queries_to_open(name):
        with CaptureQueriesContext(connection) as ctx:
            cycle_open(user=national_admin, year=2025, name=name, framework=framework, windows=windows())
        return len(ctx)

    make_region("31.71")
    queries_to_open("first")  # also freezes the framework and reads the admin's roles once
    few = queries_to_open("few")
    for code in ("31.72", "31.73", "31.74", "31.75", "31.01", "63.71", "63.72", "63.01", "63.02"):
        make_region(code)
    assert queries_to_open("many") == few <= 8
    assert Assessment.objects.filter(cycle__name="many").count() == 10


@pytest.mark.parametrize("persona", ["region_coordinator", "province_verifier", "outsider", "opd_contributor"])
def test_only_a_national_admin_opens_a_cycle(request, persona, framework):
    with pytest.raises(PermissionDenied):
        cycle_open(user=request.getfixturevalue(persona), year=2025, name="x", framework=framework, windows=windows())


def test_cycle_open_refuses_a_window_that_closes_before_it_opens(national_admin, framework):
    bad = windows()
    bad["central_review"] = (bad["central_review"][1], bad["central_review"][0])
    with pytest.raises(ValidationError, match="must close after it opens"):
        cycle_open(user=national_admin, year=2025, name="x", framework=framework, windows=bad)


# --- windows and extensions ----------------------------------------------------------------------------------


def test_window_closed_refuses_saves(region_coordinator, framework, indicators):
    assessment = make_assessment(make_cycle(framework, closes_in_days=-1))
    with pytest.raises(ValidationError, match="window is closed"):
        save(region_coordinator, assessment, indicators["K1"], {"perda_kla": True})


def test_extension_reopens_the_window_for_one_region_only(national_admin, region_coordinator, framework, indicators):
    cycle = make_cycle(framework, closes_in_days=-1)
    jakpus, banjarmasin = make_assessment(cycle), make_assessment(cycle, "63.71")
    until = timezone.now() + timedelta(days=2)
    cycle_extension_grant(
        user=national_admin,
        cycle=cycle,
        region=jakpus.region,
        stage=Stage.SELF_ASSESSMENT,
        until=until,
        reason="Banjir, listrik padam 2x24 jam",
    )
    assert stage_is_open(cycle, Stage.SELF_ASSESSMENT, "31.71")
    assert not stage_is_open(cycle, Stage.SELF_ASSESSMENT, "63.71")
    assert save(region_coordinator, jakpus, indicators["K1"], {"perda_kla": True}).revision == 1
    assert not stage_is_open(cycle, Stage.SELF_ASSESSMENT, banjarmasin.region_id)
    event = AuditEvent.objects.get(verb="cycle.extension_granted")
    assert event.region_code == "31.71" and "Banjir" in event.summary


def test_extension_needs_a_national_admin_and_a_reason(national_admin, region_coordinator, assessment):
    until = timezone.now() + timedelta(days=30)
    kwargs = {"cycle": assessment.cycle, "region": assessment.region, "stage": "self_assessment", "until": until}
    with pytest.raises(PermissionDenied):
        cycle_extension_grant(user=region_coordinator, reason="x", **kwargs)
    with pytest.raises(ValidationError, match="reason"):
        cycle_extension_grant(user=national_admin, reason="  ", **kwargs)


# --- permissions ---------------------------------------------------------------------------------------------


def test_coordinator_edits_every_indicator(region_coordinator, assessment, indicators):
    for code in ("K1", "I1", "I2"):
        assert save(region_coordinator, assessment, indicators[code], {}).revision == 1


def test_opd_contributor_edits_only_assigned_indicators(opd_contributor, assessment, indicators, dinkes_assignment):
    assert save(opd_contributor, assessment, indicators["I1"], {"children_total": "10"}).values == {
        "children_total": "10"
    }
    with pytest.raises(PermissionDenied):
        save(opd_contributor, assessment, indicators["K1"], {"perda_kla": True})


@pytest.mark.parametrize("persona", ["outsider", "province_verifier", "national_admin", "independent_evaluator"])
def test_others_cannot_edit_answers(request, persona, assessment, indicators, dinkes_assignment):
    with pytest.raises(PermissionDenied):
        save(request.getfixturevalue(persona), assessment, indicators["I1"], {"children_total": "10"})


def test_coordinator_assigns_indicators_to_an_agency_of_the_region(
    region_coordinator, opd_contributor, outsider, assessment, indicators
):
    agency = opd_contributor.roles.get().agency
    assignment = indicator_assign(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicators["K1"],
        agency=agency,
        contributors=[opd_contributor],
    )
    assert list(assignment.contributors.all()) == [opd_contributor]
    assert AuditEvent.objects.filter(verb="indicator.assigned", region_code="31.71").count() == 1
    with pytest.raises(PermissionDenied):
        indicator_assign(user=opd_contributor, assessment=assessment, indicator=indicators["I2"], agency=agency)
    with pytest.raises(PermissionDenied):
        indicator_assign(user=outsider, assessment=assessment, indicator=indicators["I2"], agency=agency)
    with pytest.raises(ValidationError, match="role in"):
        indicator_assign(
            user=region_coordinator,
            assessment=assessment,
            indicator=indicators["I2"],
            agency=agency,
            contributors=[outsider],
        )


def test_an_agency_of_another_region_cannot_be_assigned(region_coordinator, assessment, indicators):
    from layak.accounts.tests.factories import make_agency

    other = make_agency("63.71", "Dinas Kesehatan Banjarmasin")
    with pytest.raises(ValidationError, match="Choose an agency"):
        indicator_assign(user=region_coordinator, assessment=assessment, indicator=indicators["K1"], agency=other)


# --- saving and the conflict ---------------------------------------------------------------------------------


def test_save_validates_values_and_keeps_incomplete_work(region_coordinator, assessment, indicators):
    with pytest.raises(ValidationError) as exc:
        save(region_coordinator, assessment, indicators["I1"], {"children_total": "10", "children_with_akta": "11"})
    assert list(exc.value.message_dict) == ["children_with_akta"]
    answer = save(region_coordinator, assessment, indicators["I1"], {"children_total": "10"})
    assert answer.values == {"children_total": "10"}  # the required numerator may still be empty


def test_save_increments_the_revision_and_writes_an_audit_event(region_coordinator, assessment, indicators):
    first = save(region_coordinator, assessment, indicators["K1"], {"perda_kla": True}, narrative_done="Perda ada")
    second = save(region_coordinator, assessment, indicators["K1"], {"perda_kla": False}, expected=first.revision)
    assert second.revision == 2 and second.values == {"perda_kla": False}
    events = AuditEvent.objects.filter(verb="answer.saved").order_by("id")
    assert [e.after["revision"] for e in events] == [1, 2]
    assert events[1].before["values"] == {"perda_kla": True}


def test_two_saves_from_the_same_revision_the_second_gets_a_conflict_and_nothing_is_lost(
    region_coordinator, opd_contributor, assessment, indicators, dinkes_assignment
):
    indicator = indicators["I1"]
    base = save(region_coordinator, assessment, indicator, {"children_total": "100"})
    save(region_coordinator, assessment, indicator, {"children_total": "120"}, expected=base.revision)
    with pytest.raises(ConflictError) as exc:
        save(
            opd_contributor,
            assessment,
            indicator,
            {"children_total": "130"},
            expected=base.revision,
            narrative_done="Data Dinkes",
        )
    assert exc.value.current["values"] == {"children_total": "120"} and exc.value.current["revision"] == 2
    assert exc.value.submitted["values"] == {"children_total": "130"}
    assert Answer.objects.get(assessment=assessment, indicator=indicator).values == {"children_total": "120"}
    draft = AnswerDraft.objects.get(user=opd_contributor)
    assert draft.values == {"children_total": "130"} and draft.narrative_done == "Data Dinkes"


def test_two_first_saves_of_a_new_answer_conflict(
    region_coordinator, opd_contributor, assessment, indicators, dinkes_assignment
):
    save(opd_contributor, assessment, indicators["I1"], {"children_total": "5"})
    with pytest.raises(ConflictError):
        save(region_coordinator, assessment, indicators["I1"], {"children_total": "6"})


def test_autosave_keeps_unvalidated_typing_and_a_save_clears_it(region_coordinator, assessment, indicators):
    indicator = indicators["I2"]
    answer_draft_autosave(
        user=region_coordinator,
        assessment=assessment,
        indicator=indicator,
        values={"immunisation_pct": "9", "ghost": "x"},
        narrative_todo="belum",
    )
    assert AnswerDraft.objects.get().values == {"immunisation_pct": "9"}
    save(region_coordinator, assessment, indicator, {"immunisation_pct": "95"})
    assert not AnswerDraft.objects.exists()


def test_autosave_is_scoped(outsider, opd_contributor, assessment, indicators, dinkes_assignment):
    for user, code in ((outsider, "I1"), (opd_contributor, "K1")):
        with pytest.raises(PermissionDenied):
            answer_draft_autosave(user=user, assessment=assessment, indicator=indicators[code], values={})


# --- submission ----------------------------------------------------------------------------------------------


def test_submit_refuses_with_the_list_of_what_is_missing(region_coordinator, assessment, indicators):
    save(region_coordinator, assessment, indicators["K1"], {"perda_kla": True})
    attach_evidence(assessment, indicators["K1"])  # to the indicator: supports its only document element
    with pytest.raises(SubmissionIncomplete) as exc:
        assessment_submit(user=region_coordinator, assessment=assessment)
    assert [(m.indicator_code, m.element_code) for m in exc.value.missing] == [
        ("I1", "children_total"),
        ("I1", "children_with_akta"),
        ("I1", "akta_doc"),
        ("I2", "immunisation_pct"),
    ]
    assert "attach the evidence" in exc.value.missing[2].message
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submit_locks_the_assessment(region_coordinator, assessment, indicators):
    fill_all(region_coordinator, assessment, indicators)
    assessment_submit(user=region_coordinator, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_by == region_coordinator
    assert AuditEvent.objects.filter(verb="assessment.submitted", region_code="31.71").count() == 1
    with pytest.raises(ValidationError, match="submitted"):
        save(region_coordinator, assessment, indicators["K1"], {"perda_kla": False}, expected=1)
    with pytest.raises(ValidationError, match="already been submitted"):
        assessment_submit(user=region_coordinator, assessment=assessment)


@pytest.mark.parametrize("persona", ["opd_contributor", "outsider", "province_verifier", "national_admin"])
def test_only_the_region_coordinator_submits(request, persona, region_coordinator, assessment, indicators):
    fill_all(region_coordinator, assessment, indicators)
    with pytest.raises(PermissionDenied):
        assessment_submit(user=request.getfixturevalue(persona), assessment=assessment)


def test_submit_refuses_when_the_window_is_closed(region_coordinator, indicators):
    assessment = make_assessment(make_cycle(make_framework("closed-fw"), closes_in_days=-1))
    with pytest.raises(ValidationError, match="window is closed"):
        assessment_submit(user=region_coordinator, assessment=assessment)
