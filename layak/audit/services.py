from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    region_code: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Appends one audit event. Call it inside the service's transaction so both land or neither does."""
    signed_in = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_name=(getattr(actor, "display_name", "") or str(actor))[:150] if signed_in else "",
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        region_code=region_code,
        summary=summary[:300],
        before=before,
        after=after,
    )


def audit_event(
    *,
    actor: Any,
    verb: str,
    target_type: str,
    target_id: str = "",
    region_code: str = "",
    summary: str = "",
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """An event about something that is not one stored object (a public export, a sign-in under an unknown name)."""
    signed_in = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_name=(getattr(actor, "display_name", "") or str(actor))[:150] if signed_in else "",
        verb=verb,
        target_type=target_type[:80],
        target_id=target_id[:64],
        region_code=region_code,
        summary=summary[:300],
        after=after,
    )
