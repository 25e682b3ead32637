"""JSON API of the self-assessment at /api/v1/assessments: the same services, rules and messages as the pages."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth

from . import selectors, services

router = Router(tags=["assessments"], auth=[TokenAuth(), django_auth])

Value = bool | int | float | str | None


class AnswerOut(Schema):
    indicator_code: str
    revision: int = Field(description="0 while nothing has been saved; send it back as expected_revision")
    values: dict[str, Any]
    narrative_done: str
    narrative_todo: str
    updated_by: str | None
    updated_at: datetime | None


class AnswerIn(Schema):
    values: dict[str, Value] = Field(description="element code -> number, true/false or text; blank leaves it empty")
    narrative_done: str = ""
    narrative_todo: str = ""
    expected_revision: int = Field(ge=0, description="the revision you started from (0 for a new answer)")


class Submitted(Schema):
    values: dict[str, Any]
    narrative_done: str
    narrative_todo: str


class ConflictOut(Schema):
    detail: str
    current: AnswerOut
    submitted: Submitted


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class MissingOut(Schema):
    indicator_code: str
    element_code: str
    message: str


class IncompleteOut(Schema):
    detail: str
    missing: list[MissingOut]


class AssessmentOut(Schema):
    id: int
    region_code: str
    status: str
    submitted_at: datetime | None


def _answer_out(code: str, snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"indicator_code": code, **snapshot}


@router.get(
    "/{int:assessment_id}/answers/{indicator_code}",
    response={200: AnswerOut, 404: ErrorOut},
    summary="The saved answer to one indicator",
)
def answer_get(request: HttpRequest, assessment_id: int, indicator_code: str):
    assessment = selectors.assessment_get_for_user(request.auth, assessment_id)
    ctx = selectors.answer_context_for_user(request.auth, assessment, indicator_code)
    return 200, _answer_out(indicator_code, services.answer_snapshot(ctx.answer))


@router.put(
    "/{int:assessment_id}/answers/{indicator_code}",
    response={200: AnswerOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: FieldErrorsOut},
    summary="Save the answer to one indicator (optimistic concurrency through expected_revision)",
)
def answer_put(request: HttpRequest, assessment_id: int, indicator_code: str, payload: AnswerIn):
    user = request.auth
    assessment = selectors.assessment_get_for_user(user, assessment_id)
    ctx = selectors.answer_context_for_user(user, assessment, indicator_code)
    try:
        answer = services.answer_save(
            user=user,
            assessment=assessment,
            indicator=ctx.indicator,
            values=payload.values,
            narrative_done=payload.narrative_done,
            narrative_todo=payload.narrative_todo,
            expected_revision=payload.expected_revision,
        )
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    except services.ConflictError as exc:
        return 409, {
            "detail": exc.message,
            "current": _answer_out(indicator_code, exc.current),
            "submitted": exc.submitted,
        }
    except ValidationError as exc:
        return 422, _field_errors(exc)
    answer.updated_by = user
    return 200, _answer_out(indicator_code, services.answer_snapshot(answer))


def _field_errors(exc: ValidationError) -> dict[str, Any]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {"detail": " ".join(m for messages in errors.values() for m in messages), "errors": errors}


@router.post(
    "/{int:assessment_id}/submit",
    response={200: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 422: IncompleteOut},
    summary="Submit the self-assessment (region coordinator); 422 lists what is missing",
)
def assessment_submit(request: HttpRequest, assessment_id: int):
    assessment = selectors.assessment_get_for_user(request.auth, assessment_id)
    try:
        services.assessment_submit(user=request.auth, assessment=assessment)
    except PermissionDenied as exc:
        return 403, {"detail": str(exc)}
    except services.SubmissionIncomplete as exc:
        return 422, {"detail": exc.messages[0], "missing": [asdict(m) for m in exc.missing]}
    except ValidationError as exc:
        return 422, {"detail": exc.messages[0], "missing": []}
    return 200, {
        "id": assessment.pk,
        "region_code": assessment.region_id,
        "status": assessment.status,
        "submitted_at": assessment.submitted_at,
    }
