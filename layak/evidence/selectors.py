"""Reads of evidence, always scoped to what the user may see; outside that scope things simply do not exist."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet
from django.http import Http404

from layak.accounts.selectors import Viewer
from layak.regions.models import Region

from .models import Evidence, EvidenceVersion, UploadSession
from .services import evidence_can_read


def region_get_for_evidence(*, user: Viewer, code: str) -> Region:
    """The region whose evidence library the user asks for; 404 when it does not exist or is out of scope."""
    region = Region.objects.filter(code=code, level__in=(1, 2, 3, 4)).first()
    if region is None or not evidence_can_read(user, region.code):
        raise Http404
    return region


def evidence_list_for_region(*, user: Viewer, region: Region) -> QuerySet[Evidence]:
    """The region's evidence library, newest first, with file facts, uploader and version count in one query."""
    if not evidence_can_read(user, region.code):
        return Evidence.objects.none()
    return (
        Evidence.objects.filter(region=region)
        .select_related("current_file", "created_by")
        .annotate(version_count=Count("versions"))
        .order_by("-created_at", "-id")
    )


def evidence_get_for_user(*, user: Viewer, pk: int) -> Evidence:
    """One evidence item with its region and file; 404 outside the user's regions."""
    evidence = (
        Evidence.objects.select_related("region", "current_file", "created_by", "carried_from").filter(pk=pk).first()
    )
    if evidence is None or not evidence_can_read(user, evidence.region_id):
        raise Http404
    return evidence


def evidence_versions(*, evidence: Evidence) -> QuerySet[EvidenceVersion]:
    """Every file the evidence has held, newest first (the first row is the current file)."""
    return evidence.versions.select_related("file", "uploaded_by").order_by("-uploaded_at", "-id")


def upload_session_get_for_user(*, user: Viewer, session_id: uuid.UUID) -> UploadSession:
    """One of the user's own upload sessions; anyone else's is a 404."""
    session = UploadSession.objects.select_related("region").filter(pk=session_id, user_id=user.pk or 0).first()
    if session is None:
        raise Http404
    return session
