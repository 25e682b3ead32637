"""Notifications in the reader's language: one sentence per kind, from the facts stored with it."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from layak.audit.words import first_lower
from layak.common.numbers import format_datetime

from .choices import NotificationKind
from .models import Notification


def _when(iso: str) -> str:
    moment = parse_datetime(iso) if iso else None
    return format_datetime(moment) if moment else ""


def notification_text(n: Notification) -> str:
    """What the notification says, e.g. "Kota X must fix indicators K1, I2 by 3 Des 2026 14.02"."""
    p = n.params
    region = p.get("region", "")
    codes = p.get("indicators", [])
    if n.kind == NotificationKind.REVISION_REQUESTED:
        return ngettext(
            "%(region)s must fix indicator %(codes)s by %(deadline)s (asked by the %(stage)s).",
            "%(region)s must fix indicators %(codes)s by %(deadline)s (asked by the %(stage)s).",
            len(codes),
        ) % {"region": region, "codes": ", ".join(codes), "deadline": _when(p.get("deadline", "")), "stage": _stage(p)}
    if n.kind == NotificationKind.REVISION_ANSWERED:
        return _("%(region)s resubmitted its revised indicators: the %(stage)s can continue.") % {
            "region": region,
            "stage": _stage(p),
        }
    if n.kind == NotificationKind.STAGE_PASSED:
        return _("%(region)s passed the %(stage)s; it is now at the %(next)s.") % {
            "region": region,
            "stage": _stage(p),
            "next": _stage(p, "next"),
        }
    if n.kind == NotificationKind.RESULTS_PUBLISHED:
        return _("The results of %(cycle)s are published: %(region)s can see its final predicate.") % {
            "cycle": p.get("cycle", ""),
            "region": region,
        }
    if n.kind == NotificationKind.ACCOUNT_CREATED:
        return _("Welcome to Layak: your coordinator created your account for %(region)s.") % {"region": region}
    if n.kind == NotificationKind.CHECKLIST_REMINDER:
        return _(
            "The KLA coordinator of %(region)s reminds you: your Kelana/Dekela checklist of %(cycle)s is not sent yet."
        ) % {"region": region, "cycle": p.get("cycle", "")}
    return _("Something changed in your work.")


def _stage(params: dict, key: str = "stage") -> str:
    """A stage stored as its English and Indonesian names, shown in the reader's language."""
    from django.utils import translation

    names = params.get(key) or {}
    if isinstance(names, str):
        return names
    return first_lower(names.get("en" if translation.get_language() == "en" else "id", "") or names.get("en", ""))
