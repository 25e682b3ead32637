"""Business actions on evidence: upload, link, replace, carry forward and the resumable (chunked) upload.

Each action checks that the user may manage the region's evidence, runs in one transaction and writes one
audit event. Files are streamed in 64 KiB chunks; see `storage.py`.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layak.accounts.choices import Role
from layak.accounts.models import User
from layak.accounts.selectors import Viewer, user_can_see_region, user_has_role, user_is_national_admin
from layak.audit.services import audit_record
from layak.regions.models import Region

from . import hooks, storage
from .models import Evidence, EvidenceKind, EvidenceVersion, StoredFile, UploadPart, UploadSession

# Kecamatan and desa operators (Kelana/Dekela checklists) manage the evidence of their own area only: their
# grant covers their kecamatan or desa, never the kab/kota.
MANAGER_ROLES = (Role.REGION_COORDINATOR, Role.OPD_CONTRIBUTOR, Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR)


class UploadOffsetMismatch(ValidationError):
    """A chunk was sent for the wrong offset; `expected` is where the client must continue (API: 409)."""

    def __init__(self, *, offset: int, expected: int):
        self.expected = expected
        super().__init__(
            _(
                "This part starts at byte %(offset)s, but the server has %(expected)s bytes. "
                "Continue from byte %(expected)s."
            )
            % {"offset": offset, "expected": expected},
            code="offset",
        )


def evidence_can_manage(user: User, region_code: str) -> bool:
    """Region coordinators and OPD contributors of the region (or above it), kecamatan and desa operators of their
    own area, and national admins."""
    return user_is_national_admin(user) or user_has_role(user, MANAGER_ROLES, region_code)


def evidence_can_read(user: Viewer, region_code: str) -> bool:
    """Anyone whose grants cover the region: its own people, its province's verifiers, national roles."""
    return user_can_see_region(user, region_code)


def evidence_download_record(*, user: User, evidence: Evidence, version: int | None = None) -> None:
    """Records a download by a reviewer (anyone who reads the region's evidence without being on its team:
    province verifiers, independent evaluators, viewers). The region's own people are not recorded; the audit
    log would fill with their daily work. The one read that writes (decision 0009)."""
    if evidence_can_manage(user, evidence.region_id) and not user_is_national_admin(user):
        return
    after: dict[str, Any] = {"version": version} if version is not None else {}
    _audit(user, "evidence.downloaded", evidence, evidence.title, **after)


def _check_manage(user: User, region: Region) -> None:
    if not evidence_can_manage(user, region.code):
        raise PermissionDenied(_("You may not manage the evidence of %(region)s.") % {"region": region.name})


def _audit(user: User, verb: str, evidence: Evidence, summary: str, **after: Any) -> None:
    audit_record(
        actor=user, verb=verb, target=evidence, region_code=evidence.region_id, summary=summary, after=after or None
    )


def _file_facts(stored: StoredFile) -> dict[str, Any]:
    return {"sha256": stored.sha256, "size": stored.size, "content_type": stored.content_type}


def _temp_from_upload(upload: File[Any] | str | os.PathLike[str]) -> Path:
    """Copies an uploaded file (or a file on disk) into a temp file in chunks, refusing it past the size limit."""
    path = storage.new_temp_path()
    try:
        if isinstance(upload, (str, os.PathLike)):
            with open(upload, "rb") as fh:
                storage.write_chunks(path, storage.read_stream(fh), limit=storage.max_bytes())
        else:
            upload.seek(0)
            storage.write_chunks(path, upload.chunks(storage.CHUNK), limit=storage.max_bytes())
    except Exception:
        storage.discard(path)
        raise
    return path


def _upload_name(upload: File[Any] | str | os.PathLike[str], original_name: str) -> str:
    raw = original_name or (os.fspath(upload) if isinstance(upload, (str, os.PathLike)) else upload.name or "")
    return os.path.basename(raw.replace("\\", "/"))[:255] or "file"


def _evidence_from_temp(
    *, user: User, region: Region, path: Path, title: str, original_name: str, **meta: Any
) -> Evidence:
    """Stores the temp file and creates the evidence; the same bytes already in this region return that evidence."""
    stored, _created = storage.store_temp_file(path)
    existing = Evidence.objects.filter(region=region, current_file=stored).first()
    if existing is not None:
        setattr(existing, "deduplicated", True)  # noqa: B010 (told to the API caller, not stored)
        return existing
    evidence = Evidence.objects.create(
        region=region,
        title=title.strip() or original_name,
        kind=EvidenceKind.FILE,
        current_file=stored,
        original_name=original_name,
        created_by=user,
        **meta,
    )
    EvidenceVersion.objects.create(evidence=evidence, file=stored, original_name=original_name, uploaded_by=user)
    _audit(user, "evidence.uploaded", evidence, evidence.title, name=original_name, **_file_facts(stored))
    setattr(evidence, "deduplicated", False)  # noqa: B010
    return evidence


def evidence_create_from_upload(
    *,
    user: User,
    region: Region,
    upload: File[Any] | str | os.PathLike[str],
    title: str,
    original_name: str = "",
    document_number: str = "",
    document_date: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Evidence:
    """Adds an uploaded file (a Django File/UploadedFile, or a path on disk) to the region's evidence library.

    The bytes are streamed, limited in size and sniffed. If the same bytes are already evidence of this region,
    that evidence is returned with `deduplicated = True`; otherwise a new one (with `deduplicated = False`).
    """
    _check_manage(user, region)
    name = _upload_name(upload, original_name)
    path = _temp_from_upload(upload)
    with transaction.atomic():
        return _evidence_from_temp(
            user=user,
            region=region,
            path=path,
            title=title,
            original_name=name,
            document_number=document_number,
            document_date=document_date,
            valid_until=valid_until,
        )


def evidence_create_unchecked(
    *, user: User, region: Region, upload: File[Any] | str | os.PathLike[str], title: str
) -> Evidence:
    """`evidence_create_from_upload` for a caller that checked the permission itself, for a document a
    region's own editors do not manage: the province's hand-over letter, attached by the province's verifiers
    (the reviews app checks they may hand over). Streamed, limited and sniffed like every upload."""
    name = _upload_name(upload, "")
    path = _temp_from_upload(upload)
    with transaction.atomic():
        return _evidence_from_temp(user=user, region=region, path=path, title=title, original_name=name)


def evidence_create_link(
    *,
    user: User,
    region: Region,
    url: str,
    title: str,
    document_number: str = "",
    document_date: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Evidence:
    """Records a link to a document published elsewhere (an http or https address) as evidence of the region."""
    _check_manage(user, region)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("Enter a full web address starting with http:// or https://."), code="url") from None
    if not title.strip():
        raise ValidationError(_("Give the link a title so reviewers know what it shows."), code="title")
    with transaction.atomic():
        evidence = Evidence.objects.create(
            region=region,
            title=title.strip(),
            kind=EvidenceKind.LINK,
            url=url,
            created_by=user,
            document_number=document_number,
            document_date=document_date,
            valid_until=valid_until,
        )
        _audit(user, "evidence.linked", evidence, evidence.title, url=url)
    return evidence


def evidence_replace_file(
    *,
    user: User,
    evidence: Evidence,
    upload: File[Any] | str | os.PathLike[str],
    original_name: str = "",
    note: str = "",
) -> Evidence:
    """Gives a file evidence a new file; the old file stays available as an earlier version."""
    _check_manage(user, evidence.region)
    if not evidence.is_file:
        raise ValidationError(_("A link has no file to replace. Edit the link or upload a new file instead."))
    _check_replace(user, evidence)
    name = _upload_name(upload, original_name)
    path = _temp_from_upload(upload)
    with transaction.atomic():
        return _replace_with_temp(user=user, evidence=evidence, path=path, original_name=name, note=note)


def _check_replace(user: User, evidence: Evidence) -> None:
    """Refuses replacing a file the apps above pinned (submitted for verification and not sent back)."""
    refusal = hooks.replace_refusal(evidence, user)
    if refusal:
        raise ValidationError(refusal, code="pinned")


def _replace_with_temp(*, user: User, evidence: Evidence, path: Path, original_name: str, note: str) -> Evidence:
    # Asked again inside the transaction, with the evidence row locked: a submission in between wins.
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    _check_replace(user, evidence)
    stored, _created = storage.store_temp_file(path)
    if stored.pk == evidence.current_file_id:
        raise ValidationError(_("This file is identical to the current version; nothing was replaced."), code="same")
    current = evidence.current_file
    before = {"sha256": current.sha256 if current else "", "name": evidence.original_name}
    EvidenceVersion.objects.create(
        evidence=evidence, file=stored, original_name=original_name, uploaded_by=user, note=note[:300]
    )
    evidence.current_file = stored
    evidence.original_name = original_name
    evidence.save(update_fields=["current_file", "original_name", "updated_at"])
    audit_record(
        actor=user,
        verb="evidence.replaced",
        target=evidence,
        region_code=evidence.region_id,
        summary=evidence.title,
        before=before,
        after={"name": original_name, **_file_facts(stored)},
    )
    setattr(evidence, "deduplicated", False)  # noqa: B010
    hooks.file_replaced(evidence.pk)
    return evidence


def evidence_carry_forward(
    *, user: User, evidence: Evidence, title: str = "", valid_until: datetime.date | None = None
) -> Evidence:
    """Copies an evidence item for use in the next cycle: same file or link, `carried_from` pointing back.

    The copy can then be replaced or re-dated without changing what the earlier cycle was assessed on.
    """
    _check_manage(user, evidence.region)
    with transaction.atomic():
        copy = Evidence.objects.create(
            region_id=evidence.region_id,
            title=title.strip() or evidence.title,
            kind=evidence.kind,
            url=evidence.url,
            current_file_id=evidence.current_file_id,
            original_name=evidence.original_name,
            document_number=evidence.document_number,
            document_date=evidence.document_date,
            valid_until=valid_until or evidence.valid_until,
            carried_from=evidence,
            created_by=user,
        )
        if copy.current_file_id:
            EvidenceVersion.objects.create(
                evidence=copy,
                file_id=copy.current_file_id,
                original_name=copy.original_name,
                uploaded_by=user,
                note=_("Carried forward"),
            )
        _audit(user, "evidence.carried_forward", copy, copy.title, carried_from=evidence.pk)
    return copy


# --- Resumable upload -----------------------------------------------------------------------------------------


def _check_session(user: User, session: UploadSession) -> None:
    if session.user_id != user.pk:
        raise PermissionDenied(_("This upload belongs to someone else."))
    if session.completed_at is not None:
        raise ValidationError(
            _("This upload is already complete. Start a new upload to send another file."), code="completed"
        )


def upload_session_start(*, user: User, region: Region, filename: str, size: int) -> UploadSession:
    """Opens a resumable upload of `size` bytes; the client then sends the parts with `upload_session_append`."""
    _check_manage(user, region)
    if size <= 0:
        raise ValidationError(_("The file is empty. Choose a file that has content."), code="empty")
    if size > storage.max_bytes():
        raise storage.too_large_error()
    limit = int(getattr(settings, "LAYAK_UPLOAD_SESSIONS_PER_USER", 5))
    open_sessions = UploadSession.objects.filter(user=user, completed_at__isnull=True, created_at__gte=_sweep_cutoff())
    if open_sessions.count() >= limit:
        raise ValidationError(
            _(
                "You already have %(count)s unfinished uploads. Finish them (or wait a day until they are cleared) "
                "before starting another."
            )
            % {"count": limit},
            code="too_many_uploads",
        )
    with transaction.atomic():
        session = UploadSession.objects.create(user=user, region=region, filename=_upload_name(filename, ""), size=size)
        audit_record(actor=user, verb="upload.started", target=session, region_code=region.code, summary=filename)
    return session


def _sweep_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=int(getattr(settings, "LAYAK_UPLOAD_SESSION_HOURS", 24)))


def run_upload_sessions_sweep() -> int:
    """Deletes unfinished uploads older than LAYAK_UPLOAD_SESSION_HOURS with their received parts; returns how many.

    A plain function for a scheduled job (`manage.py sweep_uploads` runs it). Not audited: the start was, and an
    abandoned upload changed nothing.
    """
    stale = list(UploadSession.objects.filter(completed_at__isnull=True, created_at__lt=_sweep_cutoff()))
    for session in stale:
        storage.delete_parts(session.pk, session.parts.values_list("storage_name", flat=True))
    UploadSession.objects.filter(pk__in=[s.pk for s in stale]).delete()
    return len(stale)


def _upload_gone() -> ValidationError:
    return ValidationError(
        _(
            "The file of this upload is no longer kept: it was refused or left unfinished too long. "
            "Start a new upload of the file."
        ),
        code="upload_gone",
    )


def upload_session_append(*, user: User, session: UploadSession, offset: int, chunk_stream: Any) -> UploadSession:
    """Stores the bytes read from `chunk_stream` (anything with `.read(n)`, e.g. the request) as the part at `offset`.

    `offset` must equal the bytes already received, so a resumed upload never re-sends or skips anything;
    otherwise UploadOffsetMismatch tells the client where to continue. The part is stored first (in the shared
    "uploads" storage), then recorded with the new offset under a lock on the session row: of two requests racing
    for one offset exactly one is recorded, the other's part is deleted and it is told where to continue. Any app
    server may take any part. No audit event per part: the start and the completion are audited, the parts in
    between are transport.
    """
    _check_session(user, session)
    if offset != session.received:
        raise UploadOffsetMismatch(offset=offset, expected=session.received)
    name, size = storage.receive_part(
        session.pk, offset, storage.read_stream(chunk_stream), limit=session.size - offset
    )
    if size == 0:
        return session
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().filter(pk=session.pk).first()
        accepted = locked is not None and locked.completed_at is None and locked.received == offset
        if locked is not None and accepted:
            UploadPart.objects.create(session=locked, offset=offset, size=size, storage_name=name)
            locked.received = offset + size
            locked.save(update_fields=["received"])
    if not accepted:
        storage.parts_storage().delete(name)
        if locked is None:
            raise _upload_gone()
        _check_session(user, locked)
        raise UploadOffsetMismatch(offset=offset, expected=locked.received)
    session.received = offset + size
    return session


def _assemble(session: UploadSession) -> Path:
    """The received parts joined into one scratch file; refused with a clear message if any part is gone."""
    parts = list(session.parts.order_by("offset").values_list("offset", "size", "storage_name"))
    end = 0
    for offset, size, _name in parts:
        if offset != end:
            raise _upload_gone()
        end += size
    if not parts or end != session.size:
        raise _upload_gone()
    try:
        return storage.assemble_parts(name for _offset, _size, name in parts)
    except storage.PartMissing:
        raise _upload_gone() from None


def _discard_upload_parts(session: UploadSession) -> None:
    names = list(session.parts.values_list("storage_name", flat=True))
    storage.delete_parts(session.pk, names)
    UploadPart.objects.filter(session=session).delete()


def upload_session_complete(
    *,
    user: User,
    session: UploadSession,
    title: str,
    replace: Evidence | None = None,
    document_number: str = "",
    document_date: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Evidence:
    """Turns a fully received upload into evidence of the session's region (or a new version of `replace`).

    Sniffing, hashing and de-duplication work as in `evidence_create_from_upload`.
    """
    _check_session(user, session)
    _check_manage(user, session.region)
    if replace is not None and (replace.region_id != session.region_id or not replace.is_file):
        raise ValidationError(_("Only a file of the same region can be replaced by this upload."), code="replace")
    if replace is not None:
        _check_replace(user, replace)
    if session.received != session.size:
        raise ValidationError(
            _("The upload is incomplete: %(received)s of %(size)s bytes arrived. Send the rest, then complete it.")
            % {"received": session.received, "size": session.size},
            code="incomplete",
        )
    try:
        path = _assemble(session)
    except ValidationError:
        session.refresh_from_db(fields=["completed_at"])
        _check_session(user, session)  # completed meanwhile (another app server): say so, not "gone"
        raise
    try:
        with transaction.atomic():
            # Locked: of two "complete" requests racing (two app servers), the second sees the first's result.
            locked = UploadSession.objects.select_for_update().get(pk=session.pk)
            _check_session(user, locked)
            if replace is not None:
                evidence = _replace_with_temp(
                    user=user, evidence=replace, path=path, original_name=session.filename, note=""
                )
            else:
                evidence = _evidence_from_temp(
                    user=user,
                    region=session.region,
                    path=path,
                    title=title,
                    original_name=session.filename,
                    document_number=document_number,
                    document_date=document_date,
                    valid_until=valid_until,
                )
            locked.completed_at = timezone.now()
            locked.evidence = evidence
            # The evidence.uploaded/replaced event audits this step; a de-duplicated upload changes nothing.
            locked.save(update_fields=["completed_at", "evidence"])
    except ValidationError as refusal:
        storage.discard(path)
        # Refused for its content (type, identical, pinned): its bytes are not kept, and a retry is told so.
        if getattr(refusal, "code", None) != "completed":
            _discard_upload_parts(session)
        raise
    finally:
        storage.discard(path)
    _discard_upload_parts(session)
    session.completed_at, session.evidence = locked.completed_at, evidence
    return evidence
