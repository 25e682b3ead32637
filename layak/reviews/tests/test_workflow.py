"""The workflow table: its shape, and every state x action x role through `review_transition`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from layak.accounts.choices import Role
from layak.audit.models import AuditEvent
from layak.reviews import services, workflow
from layak.reviews.choices import ReviewAction, ReviewState
from layak.reviews.models import ReviewProcess

PERSONAS = {
    "national_admin": Role.NATIONAL_ADMIN,
    "province_verifier": Role.PROVINCE_VERIFIER,
    "province_coordinator": Role.PROVINCE_COORDINATOR,
    "independent_evaluator": Role.INDEPENDENT_EVALUATOR,
    "region_coordinator": Role.REGION_COORDINATOR,
    "opd_contributor": Role.OPD_CONTRIBUTOR,
    "viewer": Role.VIEWER,
}


def test_every_state_can_be_left_and_every_next_state_exists():
    for state in ReviewState.values:
        assert workflow.transitions_from(state), f"{state} is a dead end"
    for cell in workflow.TRANSITIONS:
        assert cell.next_state in ReviewState.values and cell.action in ReviewAction.values
    assert len({(t.state, t.action) for t in workflow.TRANSITIONS}) == len(workflow.TRANSITIONS)


def test_every_state_is_reachable_from_submission_and_finalised_is_reachable():
    seen, todo = {workflow.INITIAL_STATE}, [workflow.INITIAL_STATE]
    while todo:
        for cell in workflow.transitions_from(todo.pop()):
            if cell.next_state not in seen:
                seen.add(cell.next_state)
                todo.append(cell.next_state)
    assert seen == set(ReviewState.values)


def _kwargs(action: str, indicators) -> dict:
    if action == ReviewAction.REQUEST_REVISION:
        return {
            "comment": "Data akta belum sesuai",
            "items": {"I1": "Lampirkan rekap akta per kecamatan"},
            "deadline": timezone.now() + timedelta(days=3),
        }
    return {"comment": "Periksa kembali"}


def _attempt(user, assessment, state: str, action: str, indicators):
    ReviewProcess.objects.filter(assessment=assessment).update(state=state)
    with transaction.atomic():
        try:
            process = services.review_transition(
                user=user, assessment=assessment, action=action, **_kwargs(action, indicators)
            )
            outcome = ("ok", process.state)
        except PermissionDenied as exc:
            outcome = ("denied", str(exc))
        except ValidationError as exc:
            outcome = ("invalid", exc.messages[0])
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("action", ReviewAction.values)
@pytest.mark.parametrize("state", ReviewState.values)
def test_every_cell_allows_exactly_the_roles_of_the_table(
    request, state, action, reviewers, indicators, province_coordinator, viewer, opd_contributor, national_admin
):
    from layak.reviews.tests.factories import assign

    assign(reviewers, "province", province_coordinator)
    cell = workflow.transition_for(state, action)
    for fixture, role in PERSONAS.items():
        user = request.getfixturevalue(fixture)
        outcome = _attempt(user, reviewers, state, action, indicators)
        if cell is None:
            assert outcome[0] == "invalid" and "is not possible while the assessment is at" in outcome[1], (
                fixture,
                outcome,
            )
        elif role in cell.roles:
            assert outcome == ("ok", cell.next_state), (fixture, state, action, outcome)
        else:
            assert outcome[0] == "denied" and "Only these roles can do this at this stage" in outcome[1], (
                fixture,
                outcome,
            )


def test_a_transition_is_audited_with_before_and_after(reviewers, province_verifier):
    services.review_transition(user=province_verifier, assessment=reviewers, action=ReviewAction.APPROVE)
    event = AuditEvent.objects.filter(verb="review.approve").get()
    assert event.before == {"state": ReviewState.PROVINCE_VERIFICATION}
    assert event.after["state"] == ReviewState.CENTRAL_REVIEW and event.after["stage"] == "province"
    assert event.actor == province_verifier and event.region_code == "31.71"


def test_return_without_a_comment_is_refused(reviewers, independent_evaluator):
    ReviewProcess.objects.filter(assessment=reviewers).update(state=ReviewState.CENTRAL_REVIEW)
    with pytest.raises(ValidationError, match="Write a comment saying why"):
        services.review_transition(user=independent_evaluator, assessment=reviewers, action=ReviewAction.RETURN)
