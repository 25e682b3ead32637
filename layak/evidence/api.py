"""Evidence API at /api/v1/evidence: the resumable (chunked) upload and evidence metadata.

A client starts an upload, PUTs the file in parts at the offset the server reports, and completes it. After a
dropped connection it asks GET /uploads/{id} for the bytes received and continues from there.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from layak.accounts.api_auth import TokenAuth
from layak.common.api import ErrorOut, error_responses, error_status

from . import selectors, services
from .services import UploadOffsetMismatch
from .storage import FileTooLarge

router = Router(auth=[TokenAuth(), django_auth], tags=["evidence"])

CHUNK_SIZE = 1024 * 1024


class UploadErrorOut(ErrorOut):
    expected_offset: int | None = None


class UploadStartIn(Schema):
    region: str = Field(..., description="Kemendagri code of the kab/kota or province, e.g. 31.71")
    filename: str = Field(..., max_length=255)
    size: int = Field(..., gt=0, description="The file's size in bytes")


class UploadOut(Schema):
    id: uuid.UUID
    filename: str
    size: int
    received: int
    complete: bool
    chunk_size: int = CHUNK_SIZE


class UploadCompleteIn(Schema):
    title: str = Field("", max_length=300, description="Empty: the file name")
    document_number: str = Field("", max_length=120, description="For example the number of an SK")
    document_date: datetime.date | None = None
    valid_until: datetime.date | None = None


class EvidenceOut(Schema):
    id: int
    region: str
    title: str
    kind: str
    url: str
    original_name: str
    sha256: str | None
    content_type: str | None
    size: int | None
    document_number: str
    document_date: datetime.date | None
    valid_until: datetime.date | None
    carried_from: int | None
    deduplicated: bool = False


ERRORS = {**error_responses(400, 403, 404, 413, 422), 409: UploadErrorOut}


def error(exc: ValidationError | PermissionDenied) -> Status:
    """Maps a service refusal to its HTTP status (layak.common.api): wrong offset 409, too large 413, else the
    common rule (403, 400 for an unreadable request, 422 for a refused value such as a file type)."""
    if isinstance(exc, UploadOffsetMismatch):
        return Status(409, {"detail": " ".join(exc.messages), "expected_offset": exc.expected})
    if isinstance(exc, FileTooLarge):
        return Status(413, {"detail": " ".join(exc.messages)})
    return error_status(exc)


def _upload_out(session) -> UploadOut:
    return UploadOut(
        id=session.pk,
        filename=session.filename,
        size=session.size,
        received=session.received,
        complete=session.completed_at is not None,
    )


def evidence_out(evidence) -> EvidenceOut:
    stored = evidence.current_file
    return EvidenceOut(
        id=evidence.pk,
        region=evidence.region_id,
        title=evidence.title,
        kind=evidence.kind,
        url=evidence.url,
        original_name=evidence.original_name,
        sha256=stored.sha256 if stored else None,
        content_type=stored.content_type if stored else None,
        size=stored.size if stored else None,
        document_number=evidence.document_number,
        document_date=evidence.document_date,
        valid_until=evidence.valid_until,
        carried_from=evidence.carried_from_id,
        deduplicated=getattr(evidence, "deduplicated", False),
    )


@router.post("/uploads", response={201: UploadOut, **ERRORS}, summary="Start a resumable upload")
def upload_start(request: HttpRequest, payload: UploadStartIn):
    region = selectors.region_get_for_evidence(user=request.auth, code=payload.region)
    try:
        session = services.upload_session_start(
            user=request.auth, region=region, filename=payload.filename, size=payload.size
        )
    except (ValidationError, PermissionDenied) as exc:
        return error(exc)
    return Status(201, _upload_out(session))


@router.get("/uploads/{upload_id}", response={200: UploadOut, **ERRORS}, summary="Bytes received so far")
def upload_status(request: HttpRequest, upload_id: uuid.UUID):
    return _upload_out(selectors.upload_session_get_for_user(user=request.auth, session_id=upload_id))


@router.put(
    "/uploads/{upload_id}",
    response={200: UploadOut, **ERRORS},
    summary="Send the next part",
    description="The request body is the raw bytes of the part; `offset` must equal the bytes received so far.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def upload_append(request: HttpRequest, upload_id: uuid.UUID, offset: int):
    session = selectors.upload_session_get_for_user(user=request.auth, session_id=upload_id)
    try:
        session = services.upload_session_append(
            user=request.auth, session=session, offset=offset, chunk_stream=request
        )
    except (ValidationError, PermissionDenied) as exc:
        return error(exc)
    return _upload_out(session)


@router.post("/uploads/{upload_id}/complete", response={201: EvidenceOut, **ERRORS}, summary="Finish an upload")
def upload_complete(request: HttpRequest, upload_id: uuid.UUID, payload: UploadCompleteIn):
    session = selectors.upload_session_get_for_user(user=request.auth, session_id=upload_id)
    try:
        evidence = services.upload_session_complete(user=request.auth, session=session, **payload.dict())
    except (ValidationError, PermissionDenied) as exc:
        return error(exc)
    return Status(201, evidence_out(evidence))


@router.get("/{evidence_id}", response={200: EvidenceOut, **ERRORS}, summary="Evidence metadata")
def evidence_get(request: HttpRequest, evidence_id: int):
    return evidence_out(selectors.evidence_get_for_user(user=request.auth, pk=evidence_id))
