"""JSON API of the self-assessment at /api/v1/assessments: the same services, rules and messages as the pages."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import BadRequest, ErrorOut, ValidationErrorOut, error_responses, error_status, validation_body
from layak.evidence import selectors as evidence_selectors
from layak.evidence.api import EvidenceOut, evidence_out
from layak.evidence.api import error as evidence_api_error

from . import selectors, services

router = Router(tags=["assessments"], auth=[TokenAuth(), django_auth])

Value = bool | int | float | str | None


class AnswerOut(Schema):
    indicator_code: str
    revision: int = Field(description="0 while nothing has been saved; send it back as expected_revision")
    values: dict[str, Any]
    narrative_done: str
    narrative_todo: str
    provenance: dict[str, Any] = Field(
        description="element code -> {key, source, as_of, url} for values taken unchanged from a register"
    )
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


class ConflictOut(ErrorOut):
    current: AnswerOut
    submitted: Submitted


class MissingOut(Schema):
    indicator_code: str
    element_code: str
    message: str


class IncompleteOut(ErrorOut):
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
    return Status(200, _answer_out(indicator_code, services.answer_snapshot(ctx.answer)))


@router.put(
    "/{int:assessment_id}/answers/{indicator_code}",
    response={200: AnswerOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationErrorOut},
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
        return error_status(exc)
    except services.ConflictError as exc:
        return Status(
            409,
            {
                "detail": exc.message,
                "current": _answer_out(indicator_code, exc.current),
                "submitted": exc.submitted,
            },
        )
    except ValidationError as exc:
        return Status(422, validation_body(exc))
    answer.updated_by = user
    return Status(200, _answer_out(indicator_code, services.answer_snapshot(answer)))


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
        return error_status(exc)
    except services.SubmissionIncomplete as exc:
        return Status(422, {"detail": exc.messages[0], "missing": [asdict(m) for m in exc.missing]})
    except ValidationError as exc:
        return Status(422, {"detail": exc.messages[0], "missing": []})
    return Status(
        200,
        {
            "id": assessment.pk,
            "region_code": assessment.region_id,
            "status": assessment.status,
            "submitted_at": assessment.submitted_at,
        },
    )


class EvidenceLinkOut(Schema):
    id: int = Field(description="the link's id")
    indicator_code: str
    element_code: str = Field(description="the data element it supports; empty: the indicator as a whole")
    evidence: EvidenceOut


EVIDENCE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "indicator_code"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "description": "empty: the file name"},
                        "indicator_code": {"type": "string"},
                        "element_code": {"type": "string"},
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["indicator_code"],
                    "description": "Either {url, title} (a link to an external document) or {evidence_id} (an "
                    "item of the region's library).",
                    "properties": {
                        "indicator_code": {"type": "string"},
                        "element_code": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "title": {"type": "string"},
                        "evidence_id": {"type": "integer"},
                    },
                }
            },
        },
    }
}


def _evidence_request(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    """(fields, uploaded file or None) of a multipart or JSON body; ValidationError for anything else."""
    if request.content_type == "multipart/form-data":
        return request.POST.dict(), request.FILES.get("file")
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise BadRequest(_("Send a multipart form with a file, or a JSON object with url and title or evidence_id."))
    return data, None


def _link_evidence(request: HttpRequest, ctx, data: dict[str, Any], upload):
    common = {"user": request.auth, "assessment": ctx.assessment, "indicator": ctx.indicator}
    element_code = str(data.get("element_code") or "")
    if upload is not None:
        title = str(data.get("title") or "")
        return services.answer_evidence_upload(**common, upload=upload, title=title, element_code=element_code)
    if data.get("evidence_id") is not None:
        evidence = evidence_selectors.evidence_get_for_user(user=request.auth, pk=_int(data["evidence_id"]))
        return services.answer_evidence_link(**common, evidence=evidence, element_code=element_code)
    if data.get("url"):
        url, title = str(data["url"]), str(data.get("title") or "")
        return services.answer_evidence_add_url(**common, url=url, title=title, element_code=element_code)
    raise ValidationError(_("Send a file, a url with a title, or the evidence_id of an item in the region's library."))


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("evidence_id must be a number.")) from None


@router.post(
    "/{int:assessment_id}/evidence",
    response={201: EvidenceLinkOut, **error_responses(400, 403, 404, 413, 422)},
    summary="Attach evidence to an indicator: upload a file, add a link, or pick an item of the region's library",
    openapi_extra=EVIDENCE_BODY,
)
def evidence_attach(request: HttpRequest, assessment_id: int):
    assessment = selectors.assessment_get_for_user(request.auth, assessment_id)
    try:
        data, upload = _evidence_request(request)
        ctx = selectors.answer_context_for_user(request.auth, assessment, str(data.get("indicator_code") or ""))
        link = _link_evidence(request, ctx, data, upload)
    except (ValidationError, PermissionDenied) as exc:
        return evidence_api_error(exc)
    return Status(
        201,
        {
            "id": link.pk,
            "indicator_code": ctx.indicator.code,
            "element_code": link.element_code,
            "evidence": evidence_out(link.evidence),
        },
    )
